import { FaceswapError } from '../core/errors.js';
import {
  ERROR_CODES,
  type DetectRequest,
  type DetectResponse,
  type EngineName,
  type FaceSource,
  type FaceswapErrorCode,
  type HeartbeatResponse,
  type SessionGrant,
  type SignResponse,
} from '../core/protocol.js';

/** Client for the token-endpoint protocol (README.md, "Token-endpoint protocol"). Every failure becomes a FaceswapError. */

const DEFAULT_TIMEOUT_MS = 15_000;
const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

export class EndpointClient {
  readonly #base: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(endpoint: string, fetchImpl: typeof fetch = globalThis.fetch, timeoutMs = DEFAULT_TIMEOUT_MS) {
    this.#base = endpoint.replace(/\/+$/, '');
    // A bare `fetch` reference loses its `this` (Illegal invocation) when called as a method.
    this.#fetch = (input, init) => fetchImpl(input, init);
    this.#timeoutMs = timeoutMs;
  }

  async createSession(source: FaceSource, signal?: AbortSignal): Promise<SessionGrant> {
    const grant = await this.#post<SessionGrant>('/sessions', { source }, signal);
    if (!isGrant(grant)) throw new FaceswapError('upstream-error', 'The token endpoint answered with an unexpected session shape.');
    return grant;
  }

  async updateSource(sessionId: string, sessionKey: string, source: FaceSource, signal?: AbortSignal): Promise<void> {
    await this.#post(`${sessionPath(sessionId)}/source`, { sessionKey, source }, signal);
  }

  heartbeat(sessionId: string, sessionKey: string, signal?: AbortSignal): Promise<HeartbeatResponse> {
    return this.#post<HeartbeatResponse>(`${sessionPath(sessionId)}/heartbeat`, { sessionKey }, signal);
  }

  /** A snapshot (`data:` URL) with a signed C2PA manifest added by the endpoint (grants with `c2pa: true`). */
  sign(sessionId: string, sessionKey: string, image: string, signal?: AbortSignal): Promise<SignResponse> {
    return this.#post<SignResponse>(`${sessionPath(sessionId)}/sign`, { sessionKey, image }, signal);
  }

  /** `keepalive` lets the request outlive a navigation that starts right after it. */
  async close(sessionId: string, sessionKey: string): Promise<void> {
    await this.#post(`${sessionPath(sessionId)}/close`, { sessionKey }, undefined, true);
  }

  /** URL and text body for `navigator.sendBeacon` on `pagehide` (the server accepts the JSON as text/plain). */
  closeBeacon(sessionId: string, sessionKey: string): { url: string; body: string } {
    return { url: this.#base + `${sessionPath(sessionId)}/close`, body: JSON.stringify({ sessionKey }) };
  }

  /** The engine the endpoint grants sessions on (`GET /health`), or null when it does not say. */
  async engine(signal?: AbortSignal): Promise<EngineName | null> {
    const response = await this.#fetch(this.#base + '/health', { signal, credentials: 'same-origin' });
    const body = (await response.json().catch(() => undefined)) as { engine?: unknown } | undefined;
    return response.ok && (body?.engine === 'local' || body?.engine === 'akool') ? body.engine : null;
  }

  detect(body: DetectRequest, signal?: AbortSignal): Promise<DetectResponse> {
    return this.#post<DetectResponse>('/detect', body, signal);
  }

  async #post<T>(path: string, body: unknown, signal?: AbortSignal, keepalive = false): Promise<T> {
    signal?.throwIfAborted();
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.#timeoutMs);
    const forwardAbort = () => timeout.abort();
    signal?.addEventListener('abort', forwardAbort, { once: true });
    try {
      let response: Response;
      try {
        response = await this.#fetch(this.#base + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: timeout.signal,
          keepalive,
          credentials: 'same-origin',
        });
      } catch (error) {
        signal?.throwIfAborted();
        throw new FaceswapError('endpoint-unreachable', undefined, { cause: error });
      }
      const payload: unknown = await response.json().catch(() => undefined);
      signal?.throwIfAborted();
      if (!response.ok) throw errorFromResponse(response.status, payload);
      if (payload === undefined) throw new FaceswapError('endpoint-unreachable', 'The token endpoint did not answer with JSON.');
      return payload as T;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forwardAbort);
    }
  }
}

/** `POST {endpoint}/detect` for the source picker. */
export function detectFaces(endpoint: string, body: DetectRequest, signal?: AbortSignal, fetchImpl: typeof fetch = globalThis.fetch): Promise<DetectResponse> {
  return new EndpointClient(endpoint, fetchImpl).detect(body, signal);
}

/** Maps an error answer: the body's stable code when present, otherwise the HTTP status. */
export function errorFromResponse(status: number, payload: unknown): FaceswapError {
  const body = (payload as { error?: { code?: unknown; message?: unknown; upstreamCode?: unknown } } | undefined)?.error;
  if (body && typeof body.code === 'string' && KNOWN_CODES.has(body.code)) {
    const options = typeof body.upstreamCode === 'number' ? { upstreamCode: body.upstreamCode } : {};
    const message = typeof body.message === 'string' && body.message ? body.message : undefined;
    return new FaceswapError(body.code as FaceswapErrorCode, message, options);
  }
  return new FaceswapError(codeForStatus(status), `The token endpoint answered HTTP ${status}.`);
}

function codeForStatus(status: number): FaceswapErrorCode {
  if (status === 429) return 'rate-limited';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 413) return 'payload-too-large';
  // Anything else without our error body is not our endpoint answering (wrong URL, proxy page, server down).
  return 'endpoint-unreachable';
}

function sessionPath(sessionId: string): string {
  return `/sessions/${encodeURIComponent(sessionId)}`;
}

function isGrant(value: unknown): value is SessionGrant {
  const grant = value as Partial<SessionGrant> | undefined;
  return (
    typeof grant?.sessionId === 'string' &&
    typeof grant.sessionKey === 'string' &&
    (grant.engine === 'akool' || grant.engine === 'local') &&
    typeof grant.rtc === 'object' &&
    grant.rtc !== null &&
    typeof grant.rtc.channel === 'string' &&
    typeof grant.rtc.token === 'string'
  );
}
