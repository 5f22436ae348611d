/** JSON answers of the token endpoint and the HTTP status of each error code. */
import { ERROR_MESSAGES, FaceswapError } from '../core/errors.js';
import type { ErrorBody, FaceswapErrorCode } from '../core/protocol.js';
import { AkoolError } from './akool-client.js';

/** A known path called with the wrong method: 405 with an `Allow` header. */
export class MethodNotAllowed extends FaceswapError {
  constructor(readonly allow: string) {
    super('bad-request', `Use ${allow} for this endpoint.`);
  }
}

/** Over a limit: 429 (or 503 when the whole server is busy) with a `Retry-After` header. */
export class RetryLater extends FaceswapError {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
    readonly status: 429 | 503 = 429,
  ) {
    super('rate-limited', message);
  }
}

export function requireMethod(method: string, allowed: string): void {
  if (method !== allowed) throw new MethodNotAllowed(allowed);
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export function rateLimitAnswer(retryAfterSeconds: number): Response {
  return errorJson(429, 'rate-limited', ERROR_MESSAGES['rate-limited'], undefined, { 'retry-after': String(retryAfterSeconds) });
}

function errorJson(status: number, code: FaceswapErrorCode, message: string, upstreamCode?: number, headers?: Record<string, string>): Response {
  const body: ErrorBody = { error: { code, message } };
  if (upstreamCode !== undefined) body.error.upstreamCode = upstreamCode;
  return json(status, body, headers);
}

/** HTTP status for an error (the README lists them per route). */
export function httpStatusFor(error: FaceswapError): number {
  if (error instanceof MethodNotAllowed) return 405;
  if (error instanceof RetryLater) return error.status;
  if (error instanceof AkoolError) {
    if (error.kind === 'config') return 500;
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

export function errorAnswer(error: unknown, logger: Pick<Console, 'error'>): Response {
  if (error instanceof AkoolError && error.kind === 'config') logger.error(`faceswap: ${error.message}`);
  if (error instanceof FaceswapError) {
    const headers: Record<string, string> =
      error instanceof MethodNotAllowed ? { allow: error.allow } : error instanceof RetryLater ? { 'retry-after': String(error.retryAfterSeconds) } : {};
    return errorJson(httpStatusFor(error), error.code, error.message, error.upstreamCode, headers);
  }
  logger.error(`faceswap: unexpected error: ${describe(error)}`);
  return errorJson(500, 'upstream-error', 'The token endpoint failed unexpectedly.');
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
