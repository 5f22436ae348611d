/**
 * `createFaceswapHandler`: the token endpoint of design section 4 as a WHATWG `(Request) => Promise<Response>`.
 * Only WHATWG APIs (fetch, Request/Response, crypto.subtle, TextEncoder, timers), so the same handler runs
 * in Node (through `toNodeListener`), Deno, Bun and edge runtimes. The AKOOL credentials stay on the
 * server: no answer carries them, and nothing here logs them.
 */
import { ERROR_MESSAGES, FaceswapError } from '../core/errors.js';
import type {
  DetectResponse,
  EngineName,
  ErrorBody,
  FaceSource,
  FaceswapErrorCode,
  HeartbeatResponse,
  OkResponse,
  RtcCredentials,
  SessionGrant,
} from '../core/protocol.js';
import { AkoolClient, AkoolError, type AkoolAuth } from './akool-client.js';
import { corsHeaders, isOriginAllowed, preflightHeaders, type AllowedOrigins } from './cors.js';
import { facesFromDetect } from './detect-result.js';
import { RateLimiter, type RateLimit } from './rate-limit.js';
import { SessionKeys, randomSecret } from './session-key.js';
import { MemorySessionStore, type CloseReason, type SessionRecord, type SessionStore } from './session-store.js';
import {
  SMALL_BODY_LIMIT,
  detectBodyLimit,
  isPlausibleSessionId,
  parseDetectRequest,
  parseSessionKey,
  parseSource,
  readJsonBody,
} from './validation.js';

/** What the host passes along with each request (the node adapter fills `clientAddress` from the socket). */
export interface HandlerContext {
  clientAddress?: string;
}

export interface FaceswapHandlerOptions {
  /** AKOOL credentials: `{apiKey}` (sent as `x-api-key`), or `{clientId, clientSecret}` (getToken, Bearer). */
  auth: AkoolAuth;
  /** AKOOL OpenAPI base URL. Default `https://openapi.akool.com`; point it at the emulator for `local`. */
  baseUrl?: string;
  /** detect_faces URL. Default `{baseUrl}/interface/detect-api/detect_faces`. */
  detectUrl?: string;
  /** Timeout of each AKOOL call. Default 15 s. */
  upstreamTimeoutMs?: number;
  /** The `fetch` used for AKOOL calls. */
  fetch?: typeof fetch;
  /** Path prefix the handler answers under. Default `/api/faceswap`. */
  basePath?: string;
  /**
   * Secret for `sessionKey` HMACs (at least 16 bytes). Required in production and shared by every instance;
   * without one, a random per-process secret is used (sessions do not survive a restart) and a warning is logged once.
   */
  secret?: string | Uint8Array;
  /** Origins allowed to call cross-origin, or `'*'`. Same-origin calls are always allowed. Default none. */
  allowedOrigins?: AllowedOrigins;
  /** Largest uploaded image (decoded bytes); larger ones get 413. Default 8 MiB. */
  maxImageBytes?: number;
  /** A session with no heartbeat for this long is closed. Default 45 s. */
  heartbeatTimeoutMs?: number;
  /** Maximum session length; the AKOOL RTC token lasts about an hour. Default 55 min. */
  maxSessionMs?: number;
  /** Session creations per client address. Default 10 a minute; `false` turns it off. */
  sessionRateLimit?: RateLimit | false;
  /** Detections per client address. Default 30 a minute; `false` turns it off. */
  detectRateLimit?: RateLimit | false;
  /**
   * The caller's address, for rate limits. Default: `context.clientAddress` (the socket address under
   * `toNodeListener`). Behind a proxy, read your proxy's header here (e.g. the last `x-forwarded-for` hop).
   */
  clientAddress?: (request: Request, context: HandlerContext | undefined) => string | undefined;
  /** Engine reported to the browser: `akool` (Agora, real AKOOL) or `local` (in-browser engine, emulator). Default `akool`. */
  engine?: EngineName;
  /** Where sessions are tracked. Default an in-memory store (one instance). */
  store?: SessionStore;
  /** How often the reaper looks for abandoned and over-long sessions. Default 5 s; 0 disables the timer (call `reap()` yourself). */
  reaperIntervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Where warnings go. Default `console`. Never receives credentials. */
  logger?: Pick<Console, 'warn' | 'error'>;
}

export interface FaceswapHandler {
  (request: Request, context?: HandlerContext): Promise<Response>;
  /** Closes every session due now (no heartbeat, or past its maximum length); resolves their ids. */
  reap(): Promise<string[]>;
  /** Stops the reaper timer. Open sessions stay open at AKOOL. */
  close(): void;
  readonly engine: EngineName;
  readonly basePath: string;
  readonly store: SessionStore;
  readonly client: AkoolClient;
}

const MiB = 1024 * 1024;
/** Closed records are kept this long, so a late or repeated close still answers ok. */
const CLOSED_RETENTION_MS = 10 * 60_000;
/** The status lookup on a heartbeat must not hold the heartbeat up for the full upstream timeout. */
const STATUS_TIMEOUT_MS = 5_000;

let warnedNoSecret = false;

export function createFaceswapHandler(options: FaceswapHandlerOptions): FaceswapHandler {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? console;
  const basePath = (options.basePath ?? '/api/faceswap').replace(/\/+$/, '');
  const engine: EngineName = options.engine ?? 'akool';
  const allowedOrigins = options.allowedOrigins ?? [];
  const maxImageBytes = options.maxImageBytes ?? 8 * MiB;
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 45_000;
  const maxSessionMs = options.maxSessionMs ?? 55 * 60_000;
  const reaperIntervalMs = options.reaperIntervalMs ?? 5_000;
  const store = options.store ?? new MemorySessionStore();
  const client = new AkoolClient({
    auth: options.auth,
    baseUrl: options.baseUrl,
    detectUrl: options.detectUrl,
    timeoutMs: options.upstreamTimeoutMs,
    fetch: options.fetch,
  });
  if (options.secret === undefined && !warnedNoSecret) {
    warnedNoSecret = true;
    logger.warn('faceswap: no `secret` given; using a random one, so sessions will not survive a restart or span instances.');
  }
  const keys = new SessionKeys(options.secret ?? randomSecret());
  const limiter = (limit: RateLimit | false | undefined, fallback: RateLimit) =>
    limit === false ? undefined : new RateLimiter(limit ?? fallback, now);
  const sessionLimiter = limiter(options.sessionRateLimit, { max: 10, windowMs: 60_000 });
  const detectLimiter = limiter(options.detectRateLimit, { max: 30, windowMs: 60_000 });
  const addressOf = options.clientAddress ?? ((_request: Request, context: HandlerContext | undefined) => context?.clientAddress);

  let reaperTimer: ReturnType<typeof setInterval> | undefined;
  let closedHandler = false;

  /** Started with the first request rather than at construction: edge runtimes forbid timers at module scope. */
  function startReaper(): void {
    if (reaperTimer !== undefined || reaperIntervalMs <= 0 || closedHandler) return;
    reaperTimer = setInterval(() => {
      reap().catch((error: unknown) => logger.error(`faceswap: reaper pass failed: ${describe(error)}`));
    }, reaperIntervalMs);
    (reaperTimer as { unref?: () => void }).unref?.();
  }

  /** Closes a session at AKOOL once (across instances, through the store's claim). */
  async function closeSession(sessionId: string, reason: CloseReason): Promise<boolean> {
    if (!(await store.claimClose(sessionId, reason, now()))) return false;
    try {
      await client.closeLive(sessionId);
    } catch (error) {
      // 1003: AKOOL no longer knows the session, so there is nothing left to close.
      if (error instanceof AkoolError && error.upstreamCode === 1003) return true;
      await store.releaseClose(sessionId);
      throw error;
    }
    return true;
  }

  async function reap(): Promise<string[]> {
    const at = now();
    const closed: string[] = [];
    for (const sessionId of await store.listDue(at, heartbeatTimeoutMs)) {
      const record = await store.get(sessionId);
      if (!record) continue;
      const reason: CloseReason = record.expiresAt <= at ? 'max-length' : 'heartbeat-timeout';
      try {
        if (await closeSession(sessionId, reason)) closed.push(sessionId);
      } catch (error) {
        logger.warn(`faceswap: closing session ${sessionId} (${reason}) failed, will retry: ${describe(error)}`);
      }
    }
    await store.purgeClosed(at - CLOSED_RETENTION_MS);
    return closed;
  }

  function rateLimited(limiterFor: RateLimiter | undefined, request: Request, context: HandlerContext | undefined): number {
    return limiterFor ? limiterFor.take(addressOf(request, context) ?? 'unknown') : 0;
  }

  async function detect(request: Request): Promise<DetectResponse> {
    const input = parseDetectRequest(await readJsonBody(request, detectBodyLimit(maxImageBytes)), maxImageBytes);
    const reply =
      input.kind === 'image'
        ? await client.detectFaces({ img: input.base64, single_face: input.singleFace, return_face_url: true })
        : await client.detectFaces({ url: input.url, single_face: input.singleFace });
    const faces = facesFromDetect(reply, input);
    if (faces.length === 0) throw new FaceswapError('no-face', 'No face was found in the image.');
    // The handler never fetches a caller's URL, so a URL image's size is unknown: 0 says so.
    return { faces, width: input.kind === 'image' ? input.info.width : 0, height: input.kind === 'image' ? input.info.height : 0 };
  }

  async function createSession(request: Request): Promise<SessionGrant> {
    const source = parseSource((await readJsonBody(request, SMALL_BODY_LIMIT)).source);
    const live = await client.createLive({ sourceImage: [source] });
    const createdAt = now();
    const record: SessionRecord = {
      sessionId: live._id,
      createdAt,
      lastHeartbeatAt: createdAt,
      expiresAt: createdAt + maxSessionMs,
      closed: false,
      status: live.faceswap_status,
    };
    try {
      await store.create(record);
    } catch (error) {
      // An untracked session would bill until AKOOL drops it; close it rather than hand it out.
      await client.closeLive(live._id).catch(() => undefined);
      throw error;
    }
    const rtc: RtcCredentials = {
      appId: live.app_id ?? '',
      channel: live.channel_id,
      uid: numericUid(live.front_user_id),
      token: live.front_rtc_token,
    };
    if (live.algorithm_user_id !== undefined && live.algorithm_user_id !== '') rtc.remoteUid = numericUid(live.algorithm_user_id);
    return {
      sessionId: live._id,
      sessionKey: await keys.sign(live._id),
      engine,
      status: live.faceswap_status,
      rtc,
      expiresAt: new Date(record.expiresAt).toISOString(),
    };
  }

  /** Checks the key before anything else, so a wrong key learns nothing about whether the session exists. */
  async function ownedSession(sessionId: string, body: Record<string, unknown>): Promise<SessionRecord> {
    const sessionKey = parseSessionKey(body);
    if (!(await keys.verify(sessionId, sessionKey))) throw new FaceswapError('forbidden', 'The sessionKey does not match this session.');
    const record = await store.get(sessionId);
    if (!record) throw new FaceswapError('not-found', 'The session does not exist or has been forgotten.');
    return record;
  }

  async function ensureOpen(record: SessionRecord): Promise<void> {
    if (!record.closed && record.expiresAt <= now()) await closeSession(record.sessionId, 'max-length');
    const current = record.closed ? record : await store.get(record.sessionId);
    if (!current || current.closed) {
      throw new FaceswapError('conflict', `The session is closed (${current?.closeReason ?? record.closeReason ?? 'closed'}).`);
    }
  }

  async function updateSource(sessionId: string, request: Request): Promise<OkResponse> {
    const body = await readJsonBody(request, SMALL_BODY_LIMIT);
    const record = await ownedSession(sessionId, body);
    const source: FaceSource = parseSource(body.source);
    await ensureOpen(record);
    await client.updateLive(sessionId, [source]);
    return { ok: true };
  }

  async function heartbeat(sessionId: string, request: Request): Promise<HeartbeatResponse> {
    const record = await ownedSession(sessionId, await readJsonBody(request, SMALL_BODY_LIMIT));
    await ensureOpen(record);
    let status: number | undefined;
    try {
      const info = await client.liveInfo(sessionId, STATUS_TIMEOUT_MS);
      const value = info?.faceswap_status ?? info?.status;
      if (typeof value === 'number') status = value;
    } catch {
      // The status call is undocumented; a failing one must not end a healthy session.
    }
    const updated = await store.touch(sessionId, now(), status);
    if (!updated || updated.closed) throw new FaceswapError('conflict', 'The session is closed.');
    return { status: updated.status ?? record.status ?? 1, expiresAt: new Date(updated.expiresAt).toISOString() };
  }

  async function closeByClient(sessionId: string, request: Request): Promise<OkResponse> {
    const record = await ownedSession(sessionId, await readJsonBody(request, SMALL_BODY_LIMIT));
    if (!record.closed) await closeSession(sessionId, 'client');
    return { ok: true };
  }

  async function route(request: Request, context: HandlerContext | undefined): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== basePath && !url.pathname.startsWith(basePath + '/')) {
      throw new FaceswapError('not-found', 'No such endpoint.');
    }
    const path = url.pathname.slice(basePath.length) || '/';
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS') {
      if (!isOriginAllowed(request, allowedOrigins)) throw new FaceswapError('forbidden', 'This origin is not allowed.');
      return new Response(null, { status: 204, headers: preflightHeaders(request, allowedOrigins) });
    }
    if (!isOriginAllowed(request, allowedOrigins)) throw new FaceswapError('forbidden', 'This origin is not allowed.');

    if (path === '/health') {
      requireMethod(method, 'GET');
      return json(200, { ok: true, engine });
    }
    if (path === '/detect') {
      requireMethod(method, 'POST');
      const wait = rateLimited(detectLimiter, request, context);
      if (wait > 0) return rateLimitAnswer(wait);
      return json(200, await detect(request));
    }
    if (path === '/sessions') {
      requireMethod(method, 'POST');
      const wait = rateLimited(sessionLimiter, request, context);
      if (wait > 0) return rateLimitAnswer(wait);
      return json(200, await createSession(request));
    }
    const match = /^\/sessions\/([^/]+)\/(source|heartbeat|close)$/.exec(path);
    if (match) {
      requireMethod(method, 'POST');
      // Not percent-decoded: a plausible id has no escapes, and decoding a malformed escape (`%E0%A4%A`) throws.
      const sessionId = match[1]!;
      if (!isPlausibleSessionId(sessionId)) throw new FaceswapError('not-found', 'The session does not exist.');
      const action = match[2];
      if (action === 'source') return json(200, await updateSource(sessionId, request));
      if (action === 'heartbeat') return json(200, await heartbeat(sessionId, request));
      return json(200, await closeByClient(sessionId, request));
    }
    throw new FaceswapError('not-found', 'No such endpoint.');
  }

  const handler = async (request: Request, context?: HandlerContext): Promise<Response> => {
    // Any request starts the reaper, not only a create: with a shared store, an instance that only ever
    // receives heartbeats (or restarted with sessions in the store) must still close abandoned sessions.
    startReaper();
    let response: Response;
    try {
      response = await route(request, context);
    } catch (error) {
      response = errorAnswer(error, logger);
    }
    for (const [name, value] of Object.entries(corsHeaders(request, allowedOrigins))) response.headers.set(name, value);
    return response;
  };

  return Object.assign(handler, {
    reap,
    close() {
      closedHandler = true;
      if (reaperTimer !== undefined) clearInterval(reaperTimer);
      reaperTimer = undefined;
    },
    engine,
    basePath,
    store,
    client,
  });
}

class MethodNotAllowed extends FaceswapError {
  constructor(readonly allow: string) {
    super('bad-request', `Use ${allow} for this endpoint.`);
  }
}

function requireMethod(method: string, allowed: string): void {
  if (method !== allowed) throw new MethodNotAllowed(allowed);
}

/** AKOOL uids are numeric strings; Agora wants a number for an integer uid. */
function numericUid(uid: string): number | string {
  return /^\d{1,10}$/.test(uid) && Number(uid) < 2 ** 32 ? Number(uid) : uid;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

function rateLimitAnswer(retryAfterSeconds: number): Response {
  return errorJson(429, 'rate-limited', ERROR_MESSAGES['rate-limited'], undefined, { 'retry-after': String(retryAfterSeconds) });
}

function errorJson(status: number, code: FaceswapErrorCode, message: string, upstreamCode?: number, headers?: Record<string, string>): Response {
  const body: ErrorBody = { error: { code, message } };
  if (upstreamCode !== undefined) body.error.upstreamCode = upstreamCode;
  return json(status, body, headers);
}

/** HTTP status for an error (design section 4). */
export function httpStatusFor(error: FaceswapError): number {
  if (error instanceof MethodNotAllowed) return 405;
  if (error instanceof AkoolError) {
    if (error.kind === 'timeout') return 504;
    if (error.kind === 'network') return 503;
    if (error.kind !== 'business') return 502;
  }
  switch (error.code) {
    case 'bad-request':
    case 'invalid-source':
    case 'no-face':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'payload-too-large':
      return 413;
    case 'rate-limited':
    case 'quota-exhausted':
      return 429;
    default:
      return 502;
  }
}

function errorAnswer(error: unknown, logger: Pick<Console, 'error'>): Response {
  if (error instanceof FaceswapError) {
    const headers: Record<string, string> = error instanceof MethodNotAllowed ? { allow: error.allow } : {};
    return errorJson(httpStatusFor(error), error.code, error.message, error.upstreamCode, headers);
  }
  logger.error(`faceswap: unexpected error: ${describe(error)}`);
  return errorJson(500, 'upstream-error', 'The token endpoint failed unexpectedly.');
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
