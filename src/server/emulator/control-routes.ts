/** The emulator's fault injection and its control API (`/__emulator/...`, no auth; tests and demos only). */
import type { EmulatorFaults } from './server.js';
import { detectError, envelope, readBody, remainingCredit, Reply, runningSeconds, statusOf, type EmulatorContext, type EmulatorSession } from './context.js';
import { endSession } from './live-routes.js';
import { AKOOL_CODES, pickReadings } from './readings.js';

export const isDetectPath = (path: string) => path === '/detect' || path.startsWith('/interface/detect-api/');

/** Applies the configured faults to one AKOOL-path call: an answer to send instead, or undefined. */
export async function applyFaults(ctx: EmulatorContext, path: string): Promise<Reply | Response | undefined> {
  const f = ctx.faults;
  if (f.paths && !f.paths.some((p) => path.includes(p))) return undefined;
  if (f.latencyMs) await new Promise((resolve) => setTimeout(resolve, f.latencyMs));
  if (f.hang) {
    await new Promise<void>((resolve) => {
      const release = () => {
        clearTimeout(timer);
        ctx.hanging.delete(release);
        resolve();
      };
      const timer = setTimeout(release, 10 * 60_000);
      ctx.hanging.add(release);
    });
    return new Response(null, { status: 503 });
  }
  // With a failureRate, the forced answers below happen only on the failing share of calls.
  const failing = f.failureRate !== undefined && Math.random() < f.failureRate;
  if (f.failureRate !== undefined && !failing) return undefined;
  if (f.forceHttpStatus !== undefined) {
    return new Response('upstream failure', { status: f.forceHttpStatus, headers: { 'content-type': 'text/plain' } });
  }
  if (f.malformedJson) return new Response('<html><body>502 Bad Gateway</body></html>', { status: 200, headers: { 'content-type': 'text/html' } });
  if (f.forceCode !== undefined) {
    const msg = AKOOL_CODES[f.forceCode] ?? `Forced error ${f.forceCode}`;
    return isDetectPath(path) ? detectError(ctx, f.forceCode, msg) : envelope(ctx, f.forceCode, msg);
  }
  if (failing) return new Response('internal error', { status: 500, headers: { 'content-type': 'text/plain' } });
  return undefined;
}

export function pickFaults(input: EmulatorFaults): EmulatorFaults {
  const out: EmulatorFaults = {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  if (num(input.latencyMs) !== undefined) out.latencyMs = Math.max(0, input.latencyMs!);
  if (num(input.failureRate) !== undefined) out.failureRate = Math.min(1, Math.max(0, input.failureRate!));
  if (num(input.forceCode) !== undefined) out.forceCode = input.forceCode!;
  if (num(input.forceHttpStatus) !== undefined) out.forceHttpStatus = input.forceHttpStatus!;
  if (input.malformedJson === true) out.malformedJson = true;
  if (input.hang === true) out.hang = true;
  if (Array.isArray(input.paths)) out.paths = input.paths.filter((p): p is string => typeof p === 'string');
  return out;
}

export function snapshot(ctx: EmulatorContext, s: EmulatorSession): EmulatorSession {
  return { ...s, faceswap_status: statusOf(ctx, s), billedSeconds: s.closed ? s.billedSeconds : runningSeconds(ctx, s) };
}

export interface EmulatorState {
  credit: number;
  billedSeconds: number;
  openSessions: number;
  sessions: number;
  detections: number;
  faults: EmulatorFaults;
  readings: import('./readings.js').EmulatorReadings;
  /** How far the control API has moved the emulator's clock ahead, in ms. */
  clockOffsetMs: number;
}

export function state(ctx: EmulatorContext): EmulatorState {
  const all = [...ctx.sessions.values()];
  return {
    credit: Math.max(0, remainingCredit(ctx)),
    billedSeconds: all.reduce((n, s) => n + (s.closed ? s.billedSeconds : runningSeconds(ctx, s)), 0),
    openSessions: all.filter((s) => !s.closed).length,
    sessions: all.length,
    detections: ctx.detections,
    faults: ctx.faults,
    readings: ctx.readings,
    clockOffsetMs: ctx.clockOffsetMs,
  };
}

export interface ControlActions {
  setFaults(faults: EmulatorFaults): void;
  configure(config: Record<string, unknown>): void;
  reset(): void;
}

/**
 * GET state | sessions | faults; DELETE faults; POST faults | config | reset | clock {advanceMs} |
 * sessions/{id}/end (AKOOL ends the session itself).
 */
export async function control(ctx: EmulatorContext, actions: ControlActions, request: Request, path: string): Promise<Reply> {
  const method = request.method;
  if (method === 'GET' && path === '/state') return new Reply(200, state(ctx));
  if (method === 'GET' && path === '/sessions') return new Reply(200, { sessions: [...ctx.sessions.values()].map((s) => snapshot(ctx, s)) });
  if (path === '/faults' && method === 'GET') return new Reply(200, ctx.faults);
  if (path === '/faults' && method === 'DELETE') {
    actions.setFaults({});
    return new Reply(200, ctx.faults);
  }
  if (method !== 'POST') return new Reply(404, { error: 'unknown control route' });
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) return new Reply(415, { error: 'control bodies must be application/json' });
  const body = await readBody(request, 64 * 1024);
  if (body instanceof Reply) return body;
  const ended = /^\/sessions\/([0-9a-f]{24})\/end$/.exec(path);
  if (ended) {
    const session = ctx.sessions.get(ended[1]!);
    if (!session) return new Reply(404, { error: 'unknown session' });
    endSession(ctx, session, 'ended');
    return new Reply(200, snapshot(ctx, session));
  }
  switch (path) {
    case '/faults':
      actions.setFaults(body as EmulatorFaults);
      return new Reply(200, ctx.faults);
    case '/config':
      actions.configure(body);
      return new Reply(200, state(ctx));
    case '/readings':
      ctx.readings = pickReadings(body, ctx.readings);
      return new Reply(200, state(ctx));
    case '/clock':
      if (typeof body.advanceMs === 'number' && body.advanceMs > 0) ctx.clockOffsetMs += body.advanceMs;
      return new Reply(200, state(ctx));
    case '/reset':
      actions.reset();
      return new Reply(200, state(ctx));
    default:
      return new Reply(404, { error: 'unknown control route' });
  }
}
