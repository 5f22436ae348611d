/**
 * `createFaceswapHandler`: the token endpoint (the protocol in src/core/protocol.ts) as a WHATWG `(Request) => Promise<Response>`.
 * Only WHATWG APIs (fetch, Request/Response, crypto.subtle, TextEncoder, timers), so the same handler runs
 * in Node (through `toNodeListener`), Deno, Bun and edge runtimes. The AKOOL credentials stay on the
 * server: no answer carries them, and nothing here logs them.
 */
import { FaceswapError } from '../core/errors.js';
import type { EngineName } from '../core/protocol.js';
import { AkoolClient, DEFAULT_TIMEOUT_MS, type AkoolAuth } from './akool-client.js';
import { corsHeaders, isOriginAllowed, preflightHeaders, type AllowedOrigins } from './cors.js';
import { Slots, detect, type DetectRouteConfig } from './detect-route.js';
import { describe, errorAnswer, json, rateLimitAnswer, requireMethod } from './http-answers.js';
import { RateLimiter, type RateLimit } from './rate-limit.js';
import { SessionCaps } from './session-caps.js';
import { SessionKeys } from './session-key.js';
import { ProxyTrust, type TrustedProxyList } from './trusted-proxies.js';
import { MemorySessionStore, type SessionStore } from './session-store.js';
import { C2paSigner, type C2paSigningOptions } from './c2pa-signing.js';
import { closeByClient, createSession, heartbeat, reap, signSnapshot, updateSource, type SessionRouteConfig } from './session-routes.js';
import { isPlausibleSessionId } from './validation.js';

export { httpStatusFor } from './http-answers.js';

/** What the host passes along with each request (the node adapter fills `clientAddress` from the socket). */
export interface HandlerContext {
  /** The socket's peer address (the node adapter passes it). */
  clientAddress?: string;
  /**
   * Keeps the runtime alive for work that outlives the response: Workers' and Netlify's `context.waitUntil`,
   * Vercel's `waitUntil` (`@vercel/functions`), Next.js's `after`. On runtimes that stop a request's work once
   * its response is sent, a session AKOOL creates after the visitor's 504 can only be closed through it.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
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
   * Proxies in front of the handler (IP addresses, CIDR ranges, `'loopback'`, `'private'`). Only when the peer
   * (`context.clientAddress`) is one of them are `Forwarded` / `X-Forwarded-For` read for the visitor's
   * address, and `Forwarded: host=` / `X-Forwarded-Host` accepted as the page's own host in the origin check.
   * Default none: the forwarding headers are ignored.
   */
  trustedProxies?: TrustedProxyList;
  /**
   * The caller's address, for rate limits and caps. Default: `context.clientAddress` (the socket address under
   * `toNodeListener`), or the forwarded client when that peer is a `trustedProxies` entry. Where the runtime
   * gives no peer address, return what the platform vouches for (e.g. `cf-connecting-ip` on Cloudflare).
   */
  clientAddress?: (request: Request, context: HandlerContext | undefined) => string | undefined;
  /** Engine reported to the browser: `akool` (Agora, real AKOOL) or `local` (in-browser engine, emulator). Default `akool`. */
  engine?: EngineName;
  /** Where sessions are tracked. Default an in-memory store (one instance). */
  store?: SessionStore;
  /** How often the reaper looks for abandoned and over-long sessions. Default 5 s; 0 disables the timer (call `reap()` yourself). */
  reaperIntervalMs?: number;
  /**
   * Open sessions one visitor (client address, see `clientAddress`) may hold at once; more creates get 429.
   * Default 2. Counted per handler instance.
   */
  maxSessionsPerVisitor?: number;
  /** Open sessions this handler instance holds at once, all visitors together; more creates get 429. Default 20. */
  maxSessions?: number;
  /** Source updates per session (each one is an AKOOL `live/update`). Default 10 a minute; `false` turns it off. */
  sourceUpdateLimit?: RateLimit | false;
  /** Heartbeats per session (each one may ask AKOOL for the status). Default 20 a minute; `false` turns it off. */
  heartbeatLimit?: RateLimit | false;
  /**
   * Signs snapshots with a C2PA manifest (`POST {basePath}/sessions/{id}/sign`, announced by `c2pa: true` in the
   * session grant) with this certificate and key. Needs the optional packages `@trustnxt/c2pa-ts` and
   * `@peculiar/x509`. Default off: snapshots keep their XMP marks only.
   */
  c2pa?: C2paSigningOptions;
  /** Snapshots signed per session. Default 10 a minute; `false` turns it off. */
  signLimit?: RateLimit | false;
  /**
   * How long a create that outlived `upstreamTimeoutMs` (the visitor got 504) is still awaited, so the session
   * AKOOL opens late is closed instead of billed. Default 2 min.
   */
  lateCreateTimeoutMs?: number;
  /** Detections running at once (each holds its upload in memory); more get 503 with Retry-After. Default 4. */
  maxConcurrentDetects?: number;
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

/** The handler's options resolved to their defaults, shared by the route functions. */
interface HandlerConfig extends SessionRouteConfig, DetectRouteConfig {
  basePath: string;
  allowedOrigins: AllowedOrigins;
  reaperIntervalMs: number;
  sessionLimiter?: RateLimiter;
  detectLimiter?: RateLimiter;
  addressOf: (request: Request, context: HandlerContext | undefined) => string | undefined;
  proxies: ProxyTrust;
}

let warnedNoSecret = false;

function resolveConfig(options: FaceswapHandlerOptions): HandlerConfig {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? console;
  if (options.secret === undefined && !warnedNoSecret) {
    warnedNoSecret = true;
    logger.warn('faceswap: no `secret` given; using a random one, so sessions will not survive a restart or span instances.');
  }
  const limiter = (limit: RateLimit | false | undefined, fallback: RateLimit) => (limit === false ? undefined : new RateLimiter(limit ?? fallback, now));
  const store = options.store ?? new MemorySessionStore();
  const proxies = new ProxyTrust(options.trustedProxies ?? [], (entry) =>
    logger.warn(`faceswap: trustedProxies entry ${JSON.stringify(entry)} is not an address or range; ignored.`),
  );
  return {
    now,
    logger,
    basePath: (options.basePath ?? '/api/faceswap').replace(/\/+$/, ''),
    engine: options.engine ?? 'akool',
    allowedOrigins: options.allowedOrigins ?? [],
    maxImageBytes: options.maxImageBytes ?? 8 * MiB,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 45_000,
    maxSessionMs: options.maxSessionMs ?? 55 * 60_000,
    reaperIntervalMs: options.reaperIntervalMs ?? 5_000,
    store,
    caps: new SessionCaps({ perVisitor: options.maxSessionsPerVisitor ?? 2, total: options.maxSessions ?? 20 }, store),
    upstreamTimeoutMs: options.upstreamTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    lateCreateTimeoutMs: Math.max(options.lateCreateTimeoutMs ?? 120_000, options.upstreamTimeoutMs ?? DEFAULT_TIMEOUT_MS),
    detectSlots: new Slots(options.maxConcurrentDetects ?? 4),
    client: new AkoolClient({
      auth: options.auth,
      baseUrl: options.baseUrl,
      detectUrl: options.detectUrl,
      timeoutMs: options.upstreamTimeoutMs,
      fetch: options.fetch,
    }),
    keys: new SessionKeys(options.secret),
    sessionLimiter: limiter(options.sessionRateLimit, { max: 10, windowMs: 60_000 }),
    detectLimiter: limiter(options.detectRateLimit, { max: 30, windowMs: 60_000 }),
    sourceLimiter: limiter(options.sourceUpdateLimit, { max: 10, windowMs: 60_000 }),
    heartbeatLimiter: limiter(options.heartbeatLimit, { max: 20, windowMs: 60_000 }),
    signer: options.c2pa ? new C2paSigner(options.c2pa, logger) : undefined,
    signLimiter: limiter(options.signLimit, { max: 10, windowMs: 60_000 }),
    addressOf: options.clientAddress ?? ((request, context) => proxies.clientAddress(request, context?.clientAddress)),
    proxies,
  };
}

export function createFaceswapHandler(options: FaceswapHandlerOptions): FaceswapHandler {
  const config = resolveConfig(options);
  let reaperTimer: ReturnType<typeof setInterval> | undefined;
  let closedHandler = false;

  /** Started with the first request rather than at construction: edge runtimes forbid timers at module scope. */
  function startReaper(): void {
    if (reaperTimer !== undefined || config.reaperIntervalMs <= 0 || closedHandler) return;
    reaperTimer = setInterval(() => {
      reap(config).catch((error: unknown) => config.logger.error(`faceswap: reaper pass failed: ${describe(error)}`));
    }, config.reaperIntervalMs);
    (reaperTimer as { unref?: () => void }).unref?.();
  }

  const handler = async (request: Request, context?: HandlerContext): Promise<Response> => {
    // Any request starts the reaper, not only a create: with a shared store, an instance that only ever
    // receives heartbeats (or restarted with sessions in the store) must still close abandoned sessions.
    startReaper();
    let response: Response;
    try {
      response = await route(config, request, context);
    } catch (error) {
      response = errorAnswer(error, config.logger);
    }
    const forwardedHost = config.proxies.forwardedHost(request, context?.clientAddress);
    for (const [name, value] of Object.entries(corsHeaders(request, config.allowedOrigins, forwardedHost))) response.headers.set(name, value);
    return response;
  };

  return Object.assign(handler, {
    reap: () => reap(config),
    close() {
      closedHandler = true;
      if (reaperTimer !== undefined) clearInterval(reaperTimer);
      reaperTimer = undefined;
    },
    engine: config.engine,
    basePath: config.basePath,
    store: config.store,
    client: config.client,
  });
}

async function route(config: HandlerConfig, request: Request, context: HandlerContext | undefined): Promise<Response> {
  const { basePath, allowedOrigins } = config;
  const url = new URL(request.url);
  if (url.pathname !== basePath && !url.pathname.startsWith(basePath + '/')) {
    throw new FaceswapError('not-found', 'No such endpoint.');
  }
  const path = url.pathname.slice(basePath.length) || '/';
  const method = request.method.toUpperCase();
  const forwardedHost = config.proxies.forwardedHost(request, context?.clientAddress);
  if (!isOriginAllowed(request, allowedOrigins, forwardedHost)) throw new FaceswapError('forbidden', 'This origin is not allowed.');
  if (method === 'OPTIONS') return new Response(null, { status: 204, headers: preflightHeaders(request, allowedOrigins, forwardedHost) });

  if (path === '/health') {
    requireMethod(method, 'GET');
    return json(200, { ok: true, engine: config.engine });
  }
  if (path === '/detect') {
    requireMethod(method, 'POST');
    const wait = rateLimited(config, config.detectLimiter, request, context);
    if (wait > 0) return rateLimitAnswer(wait);
    return json(200, await detect(config, request));
  }
  if (path === '/sessions') {
    requireMethod(method, 'POST');
    const wait = rateLimited(config, config.sessionLimiter, request, context);
    if (wait > 0) return rateLimitAnswer(wait);
    return json(200, await createSession(config, request, visitorOf(config, request, context), context?.waitUntil));
  }
  const match = /^\/sessions\/([^/]+)\/(source|heartbeat|close|sign)$/.exec(path);
  if (match) {
    requireMethod(method, 'POST');
    return routeSession(config, match[1]!, match[2]!, request);
  }
  throw new FaceswapError('not-found', 'No such endpoint.');
}

/** The per-session routes, `/sessions/{id}/{action}`. */
async function routeSession(config: HandlerConfig, sessionId: string, action: string, request: Request): Promise<Response> {
  // Not percent-decoded: a plausible id has no escapes, and decoding a malformed escape (`%E0%A4%A`) throws.
  if (!isPlausibleSessionId(sessionId)) throw new FaceswapError('not-found', 'The session does not exist.');
  if (action === 'source') return json(200, await updateSource(config, sessionId, request));
  if (action === 'heartbeat') return json(200, await heartbeat(config, sessionId, request));
  if (action === 'sign') return json(200, await signSnapshot(config, sessionId, request));
  return json(200, await closeByClient(config, sessionId, request));
}

function visitorOf(config: HandlerConfig, request: Request, context: HandlerContext | undefined): string {
  return config.addressOf(request, context) ?? 'unknown';
}

function rateLimited(config: HandlerConfig, limiter: RateLimiter | undefined, request: Request, context: HandlerContext | undefined): number {
  return limiter ? limiter.take(visitorOf(config, request, context)) : 0;
}
