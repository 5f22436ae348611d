/**
 * Typed client for AKOOL's Live Face Swap OpenAPI. WHATWG APIs only (fetch, AbortController), so it runs on
 * Node and on edge runtimes. It never logs, and no error it throws carries a credential or a token.
 */
import { FaceswapError } from '../core/errors.js';
import type { FaceswapErrorCode, SwapStatus } from '../core/protocol.js';
import type {
  AkoolEnvelope,
  CreateLiveRequest,
  DetectFacesRequest,
  DetectFacesResponse,
  GetTokenResponse,
  LegacyDetectRequest,
  LegacyDetectResponse,
  LiveInfo,
  LiveSession,
  QuotaInfo,
  SourceImage,
} from './akool-types.js';

export const AKOOL_BASE_URL = 'https://openapi.akool.com';
export const AKOOL_LEGACY_DETECT_URL = 'https://sg3.akool.com/detect';
const DETECT_PATH = '/interface/detect-api/detect_faces';
/** Timeout of each AKOOL call unless the caller gives one. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** `x-api-key` (recommended by AKOOL), or the legacy `clientId`/`clientSecret` pair exchanged for a Bearer token. */
export type AkoolAuth = { apiKey: string } | { clientId: string; clientSecret: string };

export interface AkoolClientOptions {
  auth: AkoolAuth;
  /** Origin (and optional path prefix) of the OpenAPI. Default `https://openapi.akool.com`. */
  baseUrl?: string;
  /** Full URL of detect_faces. Default `{baseUrl}/interface/detect-api/detect_faces`. */
  detectUrl?: string;
  /** Full URL of the legacy detect. Default `https://sg3.akool.com/detect`. */
  legacyDetectUrl?: string;
  /** Per-call timeout, including reading the body. Default 15 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** How an AKOOL call failed; the handler picks the HTTP status from it. `config`: no usable credentials were given. */
export type AkoolFailureKind = 'business' | 'http' | 'timeout' | 'network' | 'malformed' | 'config';

/** A failed AKOOL call: a `FaceswapError` with the stable code plus what AKOOL said. */
export class AkoolError extends FaceswapError {
  override name = 'AkoolError';
  readonly kind: AkoolFailureKind;
  /** The AKOOL path that failed, e.g. `/api/open/v3/faceswap/live/create`. */
  readonly endpoint: string;
  readonly httpStatus?: number;

  constructor(
    code: FaceswapErrorCode,
    message: string,
    details: { kind: AkoolFailureKind; endpoint: string; upstreamCode?: number; httpStatus?: number; cause?: unknown },
  ) {
    super(code, message, { upstreamCode: details.upstreamCode, cause: details.cause });
    this.kind = details.kind;
    this.endpoint = details.endpoint;
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
  }
}

function hasCredentials(auth: AkoolAuth | undefined): boolean {
  const fields = auth as Partial<Record<'apiKey' | 'clientId' | 'clientSecret', unknown>> | undefined;
  const filled = (value: unknown) => typeof value === 'string' && value !== '';
  return fields !== undefined && (filled(fields.apiKey) || (filled(fields.clientId) && filled(fields.clientSecret)));
}

/**
 * AKOOL business code (its global error-code list) → stable code. The stable code decides `fatal` and the
 * token endpoint's HTTP status: a face AKOOL refuses is the visitor's to change, an account problem the site
 * owner's, "too frequent" passes, "not found" means the session is gone.
 */
export function codeForAkool(upstreamCode: number): FaceswapErrorCode {
  switch (upstreamCode) {
    case 1003: // parameter error
    case 1007: // too many faces
      return 'invalid-source';
    case 1101: // invalid or expired authorization
    case 1102: // no authorization
    case 1004: // requires verification
    case 1009: // permission denied
    case 1200: // account banned
      return 'unauthorized';
    case 1104: // insufficient quota
    case 1006: // insufficient quota balance
    case 1103: // not paid
    case 1213: // requires a subscription
    case 1221: // not subscribed
      return 'quota-exhausted';
    case 1005: // operation too frequent
      return 'rate-limited';
    case 1008: // content does not exist
    case 1014:
      return 'not-found';
    default:
      return 'upstream-error';
  }
}

/** The JSON object a body holds, or undefined when it is not JSON or not an object. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** AKOOL codes that mean it no longer knows the session: closing it again has nothing left to do. */
export function isGoneCode(upstreamCode: number | undefined): boolean {
  return upstreamCode === 1003 || upstreamCode === 1008 || upstreamCode === 1014;
}

/**
 * AKOOL's `faceswap_status` by name: 1 Queuing, 2 Processing (the browser may connect), 3 Success (over),
 * 4 Failed. An unknown value is taken as still queued: the browser keeps waiting, within its queue limit.
 */
export function swapStatusFor(faceswapStatus: unknown): SwapStatus {
  switch (faceswapStatus) {
    case 2:
      return 'ready';
    case 3:
      return 'ended';
    case 4:
      return 'failed';
    default:
      return 'queued';
  }
}

/** Detect APIs answer `error_code: 1` with a message; a missing face is the visitor's problem, not AKOOL's. */
const NO_FACE_MESSAGE = /no face|face not (found|detected)|not detect(ed)? (any )?face|0 faces/i;

interface CallOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  timeoutMs?: number;
  /** Skip auth headers (getToken). */
  anonymous?: boolean;
}

export class AkoolClient {
  readonly baseUrl: string;
  readonly detectUrl: string;
  readonly legacyDetectUrl: string;
  private readonly auth: AkoolAuth;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private token: Promise<string> | undefined;
  /** `/live/info` answered HTTP 404: this AKOOL has no status call, so it is not asked again. */
  private liveInfoMissing = false;

  /**
   * Missing credentials are not refused here but on the first AKOOL call (an `AkoolError` of kind `config`):
   * a handler built at module scope must load where the key is absent, as in `next build`.
   */
  constructor(options: AkoolClientOptions) {
    this.auth = options.auth;
    this.baseUrl = (options.baseUrl ?? AKOOL_BASE_URL).replace(/\/+$/, '');
    this.detectUrl = options.detectUrl ?? this.baseUrl + DETECT_PATH;
    this.legacyDetectUrl = options.legacyDetectUrl ?? AKOOL_LEGACY_DETECT_URL;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * Exchanges `clientId`/`clientSecret` for a Bearer token (cached; AKOOL says it lasts over a year).
   * Accepts both documented shapes, `{code, token}` and `{code, data: {token}}`.
   */
  async getToken(): Promise<string> {
    if (!this.auth || !('clientId' in this.auth)) throw new TypeError('getToken needs clientId and clientSecret');
    const { clientId, clientSecret } = this.auth;
    this.token ??= this.call<GetTokenResponse>(this.baseUrl + '/api/open/v3/getToken', {
      body: { clientId, clientSecret },
      anonymous: true,
    }).then((reply) => {
      expectCode(reply, '/api/open/v3/getToken');
      const token = reply.token ?? reply.data?.token;
      if (typeof token !== 'string' || token === '') {
        throw new AkoolError('upstream-error', 'AKOOL getToken answered without a token', {
          kind: 'malformed',
          endpoint: '/api/open/v3/getToken',
        });
      }
      return token;
    });
    try {
      return await this.token;
    } catch (error) {
      this.token = undefined;
      throw error;
    }
  }

  /** detect_faces (V3). A non-zero `error_code` throws: `no-face` when no face was found, else `invalid-source`. */
  async detectFaces(request: DetectFacesRequest, timeoutMs?: number): Promise<DetectFacesResponse> {
    const reply = await this.authed<DetectFacesResponse>(this.detectUrl, { body: request, timeoutMs });
    expectDetectSuccess(reply, DETECT_PATH);
    return reply;
  }

  /** The legacy sg3 detect (deprecated by AKOOL, kept for accounts that still use it). */
  async detectLegacy(request: LegacyDetectRequest, timeoutMs?: number): Promise<LegacyDetectResponse> {
    const reply = await this.authed<LegacyDetectResponse>(this.legacyDetectUrl, { body: request, timeoutMs });
    expectDetectSuccess(reply, '/detect');
    return reply;
  }

  async createLive(request: CreateLiveRequest, timeoutMs?: number): Promise<LiveSession> {
    const path = '/api/open/v3/faceswap/live/create';
    const reply = await this.authed<AkoolEnvelope<LiveSession>>(this.baseUrl + path, { body: request, timeoutMs });
    expectCode(reply, path);
    const data = reply.data;
    if (!data || typeof data._id !== 'string' || typeof data.front_rtc_token !== 'string' || typeof data.channel_id !== 'string') {
      throw new AkoolError('upstream-error', 'AKOOL create answered without session data', { kind: 'malformed', endpoint: path });
    }
    return data;
  }

  async updateLive(sessionId: string, sourceImage: SourceImage[]): Promise<void> {
    const path = '/api/open/v3/faceswap/live/update';
    expectCode(await this.authed<AkoolEnvelope>(this.baseUrl + path, { body: { _id: sessionId, sourceImage } }), path);
  }

  async closeLive(sessionId: string): Promise<void> {
    const path = '/api/open/v3/faceswap/live/close';
    expectCode(await this.authed<AkoolEnvelope>(this.baseUrl + path, { body: { _id: sessionId } }), path);
  }

  /**
   * The undocumented `/live/info` status call. Resolves `null` when the endpoint does not exist (HTTP 404)
   * or AKOOL answers "not found", so callers can fall back to the status create returned.
   */
  async liveInfo(sessionId: string, timeoutMs?: number): Promise<LiveInfo | null> {
    const path = '/api/open/v3/faceswap/live/info';
    if (this.liveInfoMissing) return null;
    let reply: AkoolEnvelope<LiveInfo>;
    try {
      reply = await this.authed<AkoolEnvelope<LiveInfo>>(this.baseUrl + path, { body: { _id: sessionId }, timeoutMs });
    } catch (error) {
      if (!(error instanceof AkoolError) || error.httpStatus !== 404) throw error;
      // A 404 without an AKOOL code (≥ 1000) is the path missing; one with a code is about this one session.
      if ((error.upstreamCode ?? 0) < 1000) this.liveInfoMissing = true;
      return null;
    }
    if (reply.code !== 1000 && (reply.code === 1008 || /not ?found/i.test(reply.msg ?? ''))) return null;
    expectCode(reply, path);
    return reply.data ?? null;
  }

  /** Remaining credit: `GET /api/open/v3/faceswap/quota/info`. */
  async quotaInfo(): Promise<QuotaInfo> {
    const path = '/api/open/v3/faceswap/quota/info';
    const reply = await this.authed<AkoolEnvelope<QuotaInfo>>(this.baseUrl + path, { method: 'GET' });
    expectCode(reply, path);
    if (typeof reply.data?.credit !== 'number') {
      throw new AkoolError('upstream-error', 'AKOOL quota answered without credit', { kind: 'malformed', endpoint: path });
    }
    return reply.data;
  }

  /** Calls with auth; a Bearer token that AKOOL rejects (1101) is fetched again once. */
  private async authed<T>(url: string, options: CallOptions): Promise<T> {
    const reply = await this.call<T>(url, options);
    if ('clientId' in this.auth && (reply as { code?: number }).code === 1101 && this.token) {
      this.token = undefined;
      return this.call<T>(url, options);
    }
    return reply;
  }

  private async call<T>(url: string, options: CallOptions): Promise<T> {
    const endpoint = new URL(url).pathname;
    if (!hasCredentials(this.auth)) {
      throw new AkoolError('unauthorized', 'No AKOOL credentials are configured: give auth a non-empty apiKey, or clientId and clientSecret.', {
        kind: 'config',
        endpoint,
      });
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (!options.anonymous) {
      if ('apiKey' in this.auth) headers['x-api-key'] = this.auth.apiKey;
      else headers.authorization = `Bearer ${await this.getToken()}`;
    }
    const controller = new AbortController();
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      let response: Response;
      try {
        response = await untilAborted(
          this.fetchImpl(url, {
            method: options.method ?? 'POST',
            headers,
            body: options.body === undefined ? undefined : JSON.stringify(options.body),
            signal: controller.signal,
          }),
          controller.signal,
        );
      } catch (error) {
        throw this.transportError(error, controller.signal, endpoint, timeoutMs);
      }
      let text: string;
      try {
        text = await untilAborted(response.text(), controller.signal);
      } catch (error) {
        throw this.transportError(error, controller.signal, endpoint, timeoutMs);
      }
      const parsed = parseJsonObject(text);
      const isObject = parsed !== undefined;
      if (!response.ok) {
        // AKOOL documents detect failures as HTTP 400/500 with error_code/error_msg.
        const errorCode = isObject ? (parsed as { error_code?: unknown }).error_code : undefined;
        if (typeof errorCode === 'number' && errorCode !== 0) throw detectFailure(parsed as DetectErrorBody, endpoint, response.status);
        // AKOOL may put a business code into an HTTP error body; that code says more than the status.
        const code = isObject ? (parsed as { code?: unknown }).code : undefined;
        if (typeof code === 'number' && code !== 1000) {
          throw new AkoolError(codeForAkool(code), akoolMessage(endpoint, code, (parsed as { msg?: unknown }).msg), {
            kind: 'business',
            endpoint,
            upstreamCode: code,
            httpStatus: response.status,
          });
        }
        throw new AkoolError('upstream-error', `AKOOL ${endpoint} answered HTTP ${response.status}`, {
          kind: 'http',
          endpoint,
          httpStatus: response.status,
        });
      }
      if (!isObject) {
        throw new AkoolError('upstream-error', `AKOOL ${endpoint} answered with a body that is not a JSON object`, {
          kind: 'malformed',
          endpoint,
          httpStatus: response.status,
        });
      }
      return parsed as T;
    } finally {
      clearTimeout(timer);
    }
  }

  private transportError(error: unknown, signal: AbortSignal, endpoint: string, timeoutMs: number): AkoolError {
    if (signal.aborted) {
      return new AkoolError('upstream-error', `AKOOL ${endpoint} did not answer within ${timeoutMs} ms`, {
        kind: 'timeout',
        endpoint,
        cause: error,
      });
    }
    return new AkoolError('upstream-error', `AKOOL ${endpoint} could not be reached`, { kind: 'network', endpoint, cause: error });
  }
}

function akoolMessage(endpoint: string, code: number, msg: unknown): string {
  const text = typeof msg === 'string' && msg !== '' ? `: ${msg.slice(0, 200)}` : '';
  return `AKOOL ${endpoint} answered code ${code}${text}`;
}

function expectCode(reply: { code?: unknown; msg?: unknown }, endpoint: string): void {
  if (reply.code === 1000) return;
  if (typeof reply.code !== 'number') {
    throw new AkoolError('upstream-error', `AKOOL ${endpoint} answered without a business code`, { kind: 'malformed', endpoint });
  }
  throw new AkoolError(codeForAkool(reply.code), akoolMessage(endpoint, reply.code, reply.msg), {
    kind: 'business',
    endpoint,
    upstreamCode: reply.code,
  });
}

type DetectErrorBody = { error_code?: unknown; error_msg?: unknown; code?: unknown; msg?: unknown };

function expectDetectSuccess(reply: DetectErrorBody, endpoint: string): void {
  // Auth failures on the detect host may come as a session-style `code`.
  if (typeof reply.code === 'number' && reply.code !== 1000 && reply.error_code === undefined) {
    expectCode(reply, endpoint);
  }
  if (reply.error_code === 0) return;
  if (typeof reply.error_code !== 'number') {
    throw new AkoolError('upstream-error', `AKOOL ${endpoint} answered without error_code`, { kind: 'malformed', endpoint });
  }
  throw detectFailure(reply, endpoint);
}

/** A detect `error_code` (in an HTTP 200 or a 400/500): a missing face, a photo AKOOL refused, or an account code. */
function detectFailure(reply: DetectErrorBody, endpoint: string, httpStatus?: number): AkoolError {
  const upstreamCode = reply.error_code as number;
  const text = typeof reply.error_msg === 'string' ? reply.error_msg : '';
  const code: FaceswapErrorCode = upstreamCode >= 1000 ? codeForAkool(upstreamCode) : NO_FACE_MESSAGE.test(text) ? 'no-face' : 'invalid-source';
  const message = `AKOOL ${endpoint} answered error_code ${upstreamCode}${text ? `: ${text.slice(0, 200)}` : ''}`;
  return new AkoolError(code, message, { kind: 'business', endpoint, upstreamCode, ...(httpStatus === undefined ? {} : { httpStatus }) });
}

/** Rejects when `signal` aborts even if a custom `fetch` ignores it (an in-process emulator does), so the timeout holds. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
