/**
 * The session routes of the token endpoint (create, source, heartbeat, close) and the reaper that closes
 * abandoned and over-long sessions. Every function takes the handler's resolved configuration.
 */
import { appIdFromToken } from '../core/app-id.js';
import { FaceswapError } from '../core/errors.js';
import { bytesToBase64 } from '../core/base64.js';
import type { EngineName, FaceSource, HeartbeatResponse, OkResponse, RtcCredentials, SessionGrant, SignResponse } from '../core/protocol.js';
import { AkoolError, isGoneCode, swapStatusFor, type AkoolClient } from './akool-client.js';
import { RetryLater, describe } from './http-answers.js';
import type { RateLimiter } from './rate-limit.js';
import type { SessionCaps } from './session-caps.js';
import type { SessionKeys } from './session-key.js';
import type { LiveSession } from './akool-types.js';
import type { CloseReason, SessionRecord, SessionStore } from './session-store.js';
import type { C2paSigner } from './c2pa-signing.js';
import { SMALL_BODY_LIMIT, detectBodyLimit, parseSessionKey, parseSignRequest, parseSource, readJsonBody } from './validation.js';

/** What the session routes need from the handler. */
export interface SessionRouteConfig {
  client: AkoolClient;
  store: SessionStore;
  keys: SessionKeys;
  engine: EngineName;
  now: () => number;
  logger: Pick<Console, 'warn' | 'error'>;
  heartbeatTimeoutMs: number;
  maxSessionMs: number;
  caps: SessionCaps;
  /** How long a visitor waits for create; a create still running then is awaited up to `lateCreateTimeoutMs`. */
  upstreamTimeoutMs: number;
  lateCreateTimeoutMs: number;
  /** Per session, keyed by its id. */
  sourceLimiter?: RateLimiter;
  heartbeatLimiter?: RateLimiter;
  /** Signs snapshots when the site configured a certificate (`c2pa` option); the grant then says `c2pa: true`. */
  signer?: C2paSigner;
  signLimiter?: RateLimiter;
  maxImageBytes: number;
}

/** Closed records are kept this long, so a late or repeated close still answers ok. */
const CLOSED_RETENTION_MS = 10 * 60_000;
/** AKOOL `faceswap_status` values of a session that is over. */
const ENDED = 3;
const FAILED = 4;
/** The status lookup on a heartbeat must not hold the heartbeat up for the full upstream timeout. */
const STATUS_TIMEOUT_MS = 5_000;

/** Closes a session at AKOOL once (across instances, through the store's claim). */
export async function closeSession(config: SessionRouteConfig, sessionId: string, reason: CloseReason): Promise<boolean> {
  if (!(await config.store.claimClose(sessionId, reason, config.now()))) {
    config.caps.closed(sessionId);
    return false;
  }
  try {
    await config.client.closeLive(sessionId);
  } catch (error) {
    // AKOOL no longer knows the session (it ended it itself, or it was closed before): nothing left to close.
    if (!(error instanceof AkoolError && isGoneCode(error.upstreamCode))) {
      await config.store.releaseClose(sessionId);
      throw error;
    }
  }
  config.caps.closed(sessionId);
  return true;
}

/** Closes every session due now (no heartbeat, or past its maximum length); resolves their ids. */
export async function reap(config: SessionRouteConfig): Promise<string[]> {
  const { store, logger } = config;
  const at = config.now();
  const closed: string[] = [];
  for (const sessionId of await store.listDue(at, config.heartbeatTimeoutMs)) {
    const record = await store.get(sessionId);
    if (!record) continue;
    const reason: CloseReason = record.expiresAt <= at ? 'max-length' : 'heartbeat-timeout';
    try {
      if (await closeSession(config, sessionId, reason)) closed.push(sessionId);
    } catch (error) {
      logger.warn(`faceswap: closing session ${sessionId} (${reason}) failed, will retry: ${describe(error)}`);
    }
  }
  await store.purgeClosed(at - CLOSED_RETENTION_MS);
  return closed;
}

/**
 * Creates a session for `visitor` within the caps. A create AKOOL has not answered by `upstreamTimeoutMs`
 * gets 504, but is still awaited (its place still taken) so the session it opens late is closed, not billed;
 * `waitUntil` (the runtime's, see `HandlerContext`) keeps that wait alive after the 504 is sent.
 */
export async function createSession(
  config: SessionRouteConfig,
  request: Request,
  visitor: string,
  waitUntil?: (promise: Promise<unknown>) => void,
): Promise<SessionGrant> {
  const source = parseSource((await readJsonBody(request, SMALL_BODY_LIMIT)).source);
  const release = await config.caps.reserve(visitor);
  const creating = config.client.createLive({ sourceImage: [source] }, config.lateCreateTimeoutMs);
  let live: LiveSession | 'timeout';
  try {
    live = await within(creating, config.upstreamTimeoutMs);
  } catch (error) {
    release();
    throw error;
  }
  if (live === 'timeout') {
    const closing = closeLateSession(config, creating).finally(release);
    waitUntil?.(closing);
    const endpoint = '/api/open/v3/faceswap/live/create';
    throw new AkoolError('upstream-error', `AKOOL ${endpoint} did not answer within ${config.upstreamTimeoutMs} ms`, { kind: 'timeout', endpoint });
  }
  try {
    const grant = await grantFor(config, live);
    config.caps.opened(live._id, visitor);
    return grant;
  } finally {
    release();
  }
}

/** The promise's value, or `'timeout'` if it has not settled within `ms` (the promise keeps running). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The visitor got 504 already: whatever session the create opens now is closed at once. */
async function closeLateSession(config: SessionRouteConfig, creating: Promise<LiveSession>): Promise<void> {
  let live: LiveSession;
  try {
    live = await creating;
  } catch {
    return; // it failed or never answered: nothing was opened that we could name
  }
  try {
    await config.client.closeLive(live._id);
    config.logger.warn(`faceswap: closed session ${live._id}, which AKOOL created after the visitor's request timed out`);
  } catch (error) {
    config.logger.error(`faceswap: could not close late session ${live._id}: ${describe(error)}`);
  }
}

async function grantFor(config: SessionRouteConfig, live: LiveSession): Promise<SessionGrant> {
  const { client, store } = config;
  const createdAt = config.now();
  const record: SessionRecord = {
    sessionId: live._id,
    createdAt,
    lastHeartbeatAt: createdAt,
    expiresAt: createdAt + config.maxSessionMs,
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
    // Resolved here once for every browser: an empty app_id is read from the token (no inflate needed there).
    appId: live.app_id || (await appIdFromToken(live.front_rtc_token)) || '',
    channel: live.channel_id,
    uid: numericUid(live.front_user_id),
    token: live.front_rtc_token,
  };
  if (live.algorithm_user_id !== undefined && live.algorithm_user_id !== '') rtc.remoteUid = numericUid(live.algorithm_user_id);
  config.signer?.warmUp();
  return {
    sessionId: live._id,
    sessionKey: await config.keys.sign(live._id),
    engine: config.engine,
    status: swapStatusFor(live.faceswap_status),
    rtc,
    expiresAt: new Date(record.expiresAt).toISOString(),
    ...(config.signer ? { c2pa: true } : {}),
  };
}

/** Checks the key before anything else, so a wrong key learns nothing about whether the session exists. */
async function ownedSession(config: SessionRouteConfig, sessionId: string, body: Record<string, unknown>): Promise<SessionRecord> {
  const sessionKey = parseSessionKey(body);
  if (!(await config.keys.verify(sessionId, sessionKey))) throw new FaceswapError('forbidden', 'The sessionKey does not match this session.');
  const record = await config.store.get(sessionId);
  if (!record) throw new FaceswapError('not-found', 'The session does not exist or has been forgotten.');
  return record;
}

async function ensureOpen(config: SessionRouteConfig, record: SessionRecord): Promise<void> {
  if (!record.closed && record.expiresAt <= config.now()) await closeSession(config, record.sessionId, 'max-length');
  const current = record.closed ? record : await config.store.get(record.sessionId);
  if (!current || current.closed) {
    throw new FaceswapError('conflict', `The session is closed (${current?.closeReason ?? record.closeReason ?? 'closed'}).`);
  }
}

/** Counts one call on the session's budget (after its key was checked, so a forger spends nobody's budget). */
function spend(limiter: RateLimiter | undefined, sessionId: string, what: string): void {
  const wait = limiter?.take(sessionId) ?? 0;
  if (wait > 0) throw new RetryLater(wait, `Too many ${what} calls for this session; wait ${wait} s.`);
}

export async function updateSource(config: SessionRouteConfig, sessionId: string, request: Request): Promise<OkResponse> {
  const body = await readJsonBody(request, SMALL_BODY_LIMIT);
  const record = await ownedSession(config, sessionId, body);
  const source: FaceSource = parseSource(body.source);
  await ensureOpen(config, record);
  spend(config.sourceLimiter, sessionId, 'source');
  await config.client.updateLive(sessionId, [source]);
  return { ok: true };
}

export async function heartbeat(config: SessionRouteConfig, sessionId: string, request: Request): Promise<HeartbeatResponse> {
  const record = await ownedSession(config, sessionId, await readJsonBody(request, SMALL_BODY_LIMIT));
  await ensureOpen(config, record);
  spend(config.heartbeatLimiter, sessionId, 'heartbeat');
  let status: number | undefined;
  try {
    const info = await config.client.liveInfo(sessionId, STATUS_TIMEOUT_MS);
    const value = info?.faceswap_status ?? info?.status;
    if (typeof value === 'number') status = value;
  } catch {
    // The status call is undocumented; a failing one must not end a healthy session.
  }
  const updated = await config.store.touch(sessionId, config.now(), status);
  if (!updated || updated.closed) throw new FaceswapError('conflict', 'The session is closed.');
  if (status === ENDED || status === FAILED) {
    // AKOOL ended it: release the record (and the visitor's place) now; this heartbeat tells the page.
    await closeSession(config, sessionId, 'ended-upstream').catch((error: unknown) => {
      config.logger.warn(`faceswap: releasing ended session ${sessionId} failed, the reaper will retry: ${describe(error)}`);
    });
  }
  return { status: swapStatusFor(updated.status ?? record.status), expiresAt: new Date(updated.expiresAt).toISOString() };
}

/** Adds a signed C2PA manifest to a snapshot of an open session (only where the site configured signing). */
export async function signSnapshot(config: SessionRouteConfig, sessionId: string, request: Request): Promise<SignResponse> {
  if (!config.signer) throw new FaceswapError('not-found', 'This endpoint does not sign snapshots.');
  const body = await readJsonBody(request, detectBodyLimit(config.maxImageBytes));
  const record = await ownedSession(config, sessionId, body);
  await ensureOpen(config, record);
  const { type, bytes } = parseSignRequest(body, config.maxImageBytes);
  spend(config.signLimiter, sessionId, 'sign');
  return { image: `data:${type};base64,${bytesToBase64(await config.signer.sign(bytes, type))}` };
}

export async function closeByClient(config: SessionRouteConfig, sessionId: string, request: Request): Promise<OkResponse> {
  const record = await ownedSession(config, sessionId, await readJsonBody(request, SMALL_BODY_LIMIT));
  if (!record.closed) await closeSession(config, sessionId, 'client');
  return { ok: true };
}

/** AKOOL uids are numeric strings; Agora wants a number for an integer uid. */
function numericUid(uid: string): number | string {
  return /^\d{1,10}$/.test(uid) && Number(uid) < 2 ** 32 ? Number(uid) : uid;
}
