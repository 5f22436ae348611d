/**
 * The emulator's shared state and answer builders, used by every route module. The answer builders follow
 * the current readings: a business code in an HTTP 200 or a 4xx, a detect error in a 200 or a 400/500.
 */
import type { FaceswapStatus, SourceImage } from '../akool-types.js';
import { httpStatusForCode, type EmulatorReadings } from './readings.js';
import type { EmulatorFaults, EmulatorOptions, EmulatorRequestContext } from './server.js';

export interface EmulatorSession {
  _id: string;
  faceswap_status: FaceswapStatus;
  closed: boolean;
  /** Who closed it: the caller (`close`) or AKOOL itself (`ended`, through the control API). */
  closedBy?: 'close' | 'ended';
  createdAt: number;
  closedAt?: number;
  billedSeconds: number;
  updates: number;
  sourceImage: SourceImage[];
  channel_id: string;
  /** The uid the create answer names as `algorithm_user_id` (`''` in the `announced` reading). */
  algorithm_user_id: string;
  /** The uid that publishes the swapped video (what a fake Agora cloud plays). */
  video_uid: string;
  /** When the session turns to status 2, by the emulator's clock. */
  readyAt: number;
}

export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export interface EmulatorContext {
  readonly options: EmulatorOptions;
  readonly apiKey: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly appId: string;
  readonly appCertificate: string;
  readonly mountPath: string;
  readonly maxImageBytes: number;
  readonly fetch: typeof fetch;
  /** The emulator's clock: `options.now` plus whatever the control API advanced it by. */
  now(): number;
  clockOffsetMs: number;
  credit: number;
  readings: EmulatorReadings;
  faults: EmulatorFaults;
  detections: number;
  readonly sessions: Map<string, EmulatorSession>;
  readonly tokens: Set<string>;
  readonly faces: Map<string, Buffer>;
  readonly hanging: Set<() => void>;
  readonly contexts: WeakMap<Request, EmulatorRequestContext>;
}

export const MiB = 1024 * 1024;

export const statusOf = (ctx: EmulatorContext, s: EmulatorSession): FaceswapStatus => (s.closed ? 3 : ctx.now() >= s.readyAt ? 2 : 1);
export const runningSeconds = (ctx: EmulatorContext, s: EmulatorSession) => Math.max(0, Math.ceil((ctx.now() - s.createdAt) / 1000));
export const remainingCredit = (ctx: EmulatorContext) =>
  ctx.credit - [...ctx.sessions.values()].filter((s) => !s.closed).reduce((n, s) => n + runningSeconds(ctx, s), 0);

/** A session-API answer: `{code, msg, data?}`, in a 4xx when that is the reading and the code is an error. */
export function envelope(ctx: EmulatorContext, code: number, msg: string, data?: unknown): Reply {
  const status = code !== 1000 && ctx.readings.businessErrors === 'http-4xx' ? httpStatusForCode(code) : 200;
  return new Reply(status, data === undefined ? { code, msg } : { code, msg, data });
}

/**
 * A detect failure: `{error_code, error_msg}`, in a 400 (bad input, no face) or 500 (download failed) when
 * that is the reading. Auth codes (≥ 1000) follow the business-code reading.
 */
export function detectError(ctx: EmulatorContext, code: number, msg: string, kind: 'input' | 'download' = 'input'): Reply {
  let status = 200;
  if (code >= 1000) status = ctx.readings.businessErrors === 'http-4xx' ? httpStatusForCode(code) : 200;
  else if (ctx.readings.detectErrors === 'http-4xx') status = kind === 'download' ? 500 : 400;
  return new Reply(status, { error_code: code, error_msg: msg });
}

export function publicBase(ctx: EmulatorContext, request: Request): string {
  const url = ctx.contexts.get(request)?.publicUrl ?? ctx.options.publicUrl ?? new URL(request.url).origin + ctx.mountPath;
  return url.replace(/\/+$/, '');
}

export async function readBody(request: Request, limit: number): Promise<Record<string, unknown> | Reply> {
  const text = await request.text();
  if (text.length > limit) return new Reply(413, { code: 1003, msg: 'Parameter error: body too large' });
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  return new Reply(200, { code: 1003, msg: 'Parameter error: body must be a JSON object' });
}

export function toResponse(reply: Reply): Response {
  return new Response(JSON.stringify(reply.body), {
    status: reply.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' },
  });
}
