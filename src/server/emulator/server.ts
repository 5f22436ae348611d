/**
 * The AKOOL emulator: AKOOL's documented Live Face Swap paths, request and response shapes and business
 * codes, with real session state (status 1 → 2, update, close, billed seconds, credit), real face detection
 * (see detector.ts), the readings of every point AKOOL's docs leave open (readings.ts) and fault injection
 * for tests. `createEmulator` gives a WHATWG handler usable in-process or mounted under a path;
 * `startEmulator` serves it on its own port. Routes live in live-routes.ts, detect-routes.ts and
 * control-routes.ts (the control API: `/__emulator/state|sessions|faults|config|readings|clock|reset`).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeListener } from '../node-adapter.js';
import { MiB, readBody, Reply, toResponse, type EmulatorContext, type EmulatorSession } from './context.js';
import { applyFaults, control, isDetectPath, pickFaults, snapshot, state, type EmulatorState } from './control-routes.js';
import { detectFacesV3, detectLegacy } from './detect-routes.js';
import { loadDetector } from './detector.js';
import { authCode, authFailure, closeLive, createLive, endSession, getToken, liveInfo, quota, updateLive } from './live-routes.js';
import { DEFAULT_READINGS, pickReadings, type EmulatorReadings } from './readings.js';

export type { EmulatorSession } from './context.js';
export type { EmulatorState } from './control-routes.js';
export { DEFAULT_READINGS, READING_VALUES, type EmulatorReadings } from './readings.js';

export interface EmulatorFaults {
  /** Delay before every AKOOL-path answer. */
  latencyMs?: number;
  /** Share (0-1) of AKOOL-path calls that fail: with `forceCode` if set, else HTTP 500. */
  failureRate?: number;
  /** Answer this business code (in `code`, or `error_code` on detect paths). */
  forceCode?: number;
  /** Answer this HTTP status with a plain-text body. */
  forceHttpStatus?: number;
  /** Answer 200 with a body that is not JSON. */
  malformedJson?: boolean;
  /** Never answer (until the caller gives up, or reset/close). */
  hang?: boolean;
  /** Only faults calls whose path contains one of these (e.g. `"/live/create"`). Default: every AKOOL path. */
  paths?: string[];
}

export interface EmulatorOptions {
  /** The API key accepted as `x-api-key`, and as getToken's `clientSecret`. Default `emulator-api-key`. */
  apiKey?: string;
  /** getToken's `clientId`. Default `emulator-client-id`. */
  clientId?: string;
  /** getToken's `clientSecret`. Default: the API key (AKOOL: "the API Key is the former clientSecret"). */
  clientSecret?: string;
  /** Credit in seconds of live session time; create answers 1104 once it is spent. Default 36000. */
  credit?: number;
  /** Time from create until `faceswap_status` turns 2 (the `queueMs` reading). Default 1500 ms. */
  statusDelayMs?: number;
  /** How the emulator answers where AKOOL's docs are silent or contradictory; see readings.ts. */
  readings?: Partial<EmulatorReadings>;
  /** Path prefix the emulator is mounted under (e.g. `/akool-emulator`). Default none. */
  mountPath?: string;
  /** Absolute URL (including the mount path) browsers reach the emulator at; used in `face_urls`. Default: from the request. */
  publicUrl?: string;
  /** Origins (besides its own) that detect may download `url`s from. Everything else is refused (SSRF). */
  allowedFetchOrigins?: string[];
  /** Largest image detect accepts, in bytes. Default 16 MiB. */
  maxImageBytes?: number;
  /** Agora App ID written into the RTC tokens (32 hex). Default random. */
  appId?: string;
  faults?: EmulatorFaults;
  now?: () => number;
  fetch?: typeof fetch;
}

export interface EmulatorRequestContext {
  /** Absolute URL (including the mount path) the browser reaches the emulator at, for `face_urls`. */
  publicUrl?: string;
}

export interface Emulator {
  /**
   * Answers one request (paths under `mountPath`). In-process callers may pass the `publicUrl` for this
   * request (e.g. from the browser's Host), which HTTP callers cannot forge.
   */
  handle(request: Request, context?: EmulatorRequestContext): Promise<Response>;
  sessions(): EmulatorSession[];
  state(): EmulatorState;
  setFaults(faults: EmulatorFaults): void;
  configure(config: { credit?: number; statusDelayMs?: number }): void;
  /** Switches readings (the rest stay as they are). */
  setReadings(readings: Partial<EmulatorReadings>): void;
  /** Moves the emulator's clock ahead (queue time, billing) without waiting. */
  advanceClock(ms: number): void;
  /** AKOOL ends a session on its own (status 3); a later close meets the `closeEnded` reading. */
  endSession(sessionId: string): boolean;
  /** Forgets sessions, faults and face crops; restores the initial credit. */
  reset(): void;
  /** Loads the face detector now instead of on the first detect. */
  warmUp(): Promise<void>;
  /** Releases hanging requests. */
  close(): void;
  readonly apiKey: string;
}

const TOKEN_PATH = '/api/open/v3/getToken';
const QUOTA_PATH = '/api/open/v3/faceswap/quota/info';
type Action = (ctx: EmulatorContext, request: Request, body: Record<string, unknown>) => Reply | Promise<Reply>;
const AKOOL_POST: Record<string, Action> = {
  '/interface/detect-api/detect_faces': detectFacesV3,
  '/detect': detectLegacy,
  '/api/open/v3/faceswap/live/create': (ctx, _r, b) => createLive(ctx, b),
  '/api/open/v3/faceswap/live/update': (ctx, _r, b) => updateLive(ctx, b),
  '/api/open/v3/faceswap/live/close': (ctx, _r, b) => closeLive(ctx, b),
  '/api/open/v3/faceswap/live/info': (ctx, _r, b) => liveInfo(ctx, b),
};

function initialReadings(options: EmulatorOptions): EmulatorReadings {
  const readings = pickReadings(options.readings ?? {}, DEFAULT_READINGS);
  if (options.statusDelayMs !== undefined && options.readings?.queueMs === undefined) readings.queueMs = options.statusDelayMs;
  return readings;
}

function createContext(options: EmulatorOptions): EmulatorContext {
  const apiKey = options.apiKey ?? 'emulator-api-key';
  const clock = options.now ?? Date.now;
  const ctx: EmulatorContext = {
    options,
    apiKey,
    clientId: options.clientId ?? 'emulator-client-id',
    clientSecret: options.clientSecret ?? apiKey,
    appId: options.appId ?? randomBytes(16).toString('hex'),
    appCertificate: randomBytes(16).toString('hex'),
    mountPath: (options.mountPath ?? '').replace(/\/+$/, ''),
    maxImageBytes: options.maxImageBytes ?? 16 * MiB,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    now: () => clock() + ctx.clockOffsetMs,
    clockOffsetMs: 0,
    credit: options.credit ?? 36_000,
    readings: initialReadings(options),
    faults: pickFaults({ ...options.faults }),
    detections: 0,
    sessions: new Map(),
    tokens: new Set(),
    faces: new Map(),
    hanging: new Set(),
    contexts: new WeakMap(),
  };
  return ctx;
}

/** One AKOOL-path call: faults first, then auth, then the route. */
async function akool(ctx: EmulatorContext, request: Request, path: string): Promise<Reply | Response> {
  const fault = await applyFaults(ctx, path);
  if (fault) return fault;
  if (request.method === 'GET' && path === QUOTA_PATH) return quota(ctx, request);
  const action = AKOOL_POST[path];
  if (request.method !== 'POST' || (!action && path !== TOKEN_PATH)) return new Reply(404, { code: 404, msg: 'Not Found' });
  const body = await readBody(request, Math.ceil(ctx.maxImageBytes / 3) * 4 + MiB);
  if (body instanceof Reply) return body;
  if (path === TOKEN_PATH) return getToken(ctx, body);
  const code = authCode(ctx, request);
  if (code !== 1000) return isDetectPath(path) ? detectErrorForAuth(ctx, code) : authFailure(ctx, code);
  return action!(ctx, request, body);
}

function detectErrorForAuth(ctx: EmulatorContext, code: number): Reply {
  const reply = authFailure(ctx, code);
  const { msg } = reply.body as { msg: string };
  return new Reply(reply.status, { error_code: code, error_msg: msg });
}

const PREFLIGHT_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'content-type, x-api-key, authorization',
  'access-control-max-age': '600',
};

function faceCrop(ctx: EmulatorContext, path: string): Response {
  const crop = ctx.faces.get(path.slice('/faces/'.length).replace(/\.jpg$/, ''));
  if (!crop) return new Response('not found', { status: 404, headers: { 'access-control-allow-origin': '*' } });
  return new Response(new Uint8Array(crop), {
    headers: { 'content-type': 'image/jpeg', 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=604800' },
  });
}

function controlAnswer(reply: Reply): Response {
  return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const ctx = createContext(options);
  const initialCredit = ctx.credit;

  const setFaults = (next: EmulatorFaults) => {
    ctx.faults = pickFaults(next);
    if (!ctx.faults.hang) for (const release of [...ctx.hanging]) release();
  };
  const configure = (config: { credit?: unknown; statusDelayMs?: unknown }) => {
    if (typeof config.credit === 'number' && Number.isFinite(config.credit)) ctx.credit = config.credit;
    if (typeof config.statusDelayMs === 'number' && config.statusDelayMs >= 0) ctx.readings = { ...ctx.readings, queueMs: config.statusDelayMs };
  };
  const reset = () => {
    ctx.sessions.clear();
    ctx.tokens.clear();
    ctx.faces.clear();
    ctx.credit = initialCredit;
    ctx.readings = initialReadings(options);
    ctx.clockOffsetMs = 0;
    ctx.detections = 0;
    setFaults({});
  };
  const actions = { setFaults, configure, reset };

  async function handle(request: Request, context?: EmulatorRequestContext): Promise<Response> {
    if (context) ctx.contexts.set(request, context);
    const url = new URL(request.url);
    const { mountPath } = ctx;
    if (mountPath && url.pathname !== mountPath && !url.pathname.startsWith(mountPath + '/')) {
      return toResponse(new Reply(404, { code: 404, msg: 'Not Found' }));
    }
    const path = url.pathname.slice(mountPath.length) || '/';
    // Control routes are for tests and operators, never for other origins: no CORS header, so a foreign page
    // can neither read them nor pass a preflight (and a POST must be JSON, which needs one).
    if (path.startsWith('/__emulator/')) return controlAnswer(await control(ctx, actions, request, path.slice('/__emulator'.length)));
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: PREFLIGHT_HEADERS });
    try {
      if (request.method === 'GET' && path.startsWith('/faces/')) return faceCrop(ctx, path);
      const answer = await akool(ctx, request, path);
      if (!(answer instanceof Response)) return toResponse(answer);
      answer.headers.set('access-control-allow-origin', '*');
      return answer;
    } catch (error) {
      return toResponse(new Reply(500, { code: 500, msg: `Emulator failure: ${(error as Error).message}` }));
    }
  }

  return {
    handle,
    sessions: () => [...ctx.sessions.values()].map((s) => snapshot(ctx, s)),
    state: () => state(ctx),
    setFaults,
    configure,
    setReadings: (readings) => {
      ctx.readings = pickReadings(readings, ctx.readings);
    },
    advanceClock: (ms) => {
      if (ms > 0) ctx.clockOffsetMs += ms;
    },
    endSession: (sessionId) => {
      const session = ctx.sessions.get(sessionId);
      if (session) endSession(ctx, session, 'ended');
      return Boolean(session);
    },
    reset,
    warmUp: async () => {
      await loadDetector();
    },
    close() {
      for (const release of [...ctx.hanging]) release();
    },
    apiKey: ctx.apiKey,
  };
}

export interface RunningEmulator extends Emulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` (AKOOL's paths sit at its root). */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves the emulator on its own port (0 = any free port). */
export async function startEmulator(options: EmulatorOptions & { port?: number; host?: string } = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const emulator = createEmulator(options);
  const server = createServer(toNodeListener((request) => emulator.handle(request)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    ...emulator,
    url,
    server,
    close: async () => {
      emulator.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
