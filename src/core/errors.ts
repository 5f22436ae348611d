import type { FaceswapErrorCode, FaceswapErrorInfo } from './protocol.js';

/** English text for each code; the elements translate by code, so this is the fallback and the log text. */
export const ERROR_MESSAGES: Record<FaceswapErrorCode, string> = {
  'camera-denied': 'Camera access was denied.',
  'camera-not-found': 'No camera was found.',
  'camera-in-use': 'The camera is in use by another application.',
  'insecure-context': 'The camera needs a secure (https) page.',
  'unsupported-browser': 'This browser cannot run a live face swap.',
  'endpoint-unreachable': 'The face swap service could not be reached.',
  unauthorized: 'The face swap service rejected the credentials.',
  'quota-exhausted': 'The face swap credit is used up.',
  'invalid-source': 'The source face was not accepted.',
  'no-face': 'No face was found in the image.',
  'rate-limited': 'Too many requests; try again shortly.',
  'upstream-error': 'The face swap service failed.',
  'rtc-join-timeout': 'Connecting to the video service timed out.',
  'rtc-credentials': 'The video service rejected the session credentials.',
  'rtc-disconnected': 'The video connection was lost.',
  'rtc-token-expired': 'The session reached its time limit.',
  'uid-conflict': 'This session is already open somewhere else.',
  'swap-timeout': 'The swapped video did not arrive in time.',
  'swap-failed': 'The face swap failed.',
  'consent-required': 'Confirm that you have the right to use this face before starting.',
  'bad-request': 'The request was not valid.',
  'not-found': 'The session does not exist.',
  forbidden: 'The request was not allowed.',
  'payload-too-large': 'The image is too large.',
  conflict: 'The session is not in a state that allows this.',
};

/**
 * Errors that a plain retry cannot fix: the visitor or the site owner must change something first
 * (grant the camera, pick another face, add credit, fix the configuration).
 */
const FATAL_CODES: ReadonlySet<FaceswapErrorCode> = new Set<FaceswapErrorCode>([
  'camera-denied',
  'camera-not-found',
  'insecure-context',
  'unsupported-browser',
  'unauthorized',
  'quota-exhausted',
  'invalid-source',
  'no-face',
  'consent-required',
  'rtc-credentials',
  'bad-request',
  'forbidden',
  'payload-too-large',
]);

export function isFatalCode(code: FaceswapErrorCode): boolean {
  return FATAL_CODES.has(code);
}

/** A typed error with a stable `code`; what every layer throws and what `faceswap-error` reports. */
export class FaceswapError extends Error implements FaceswapErrorInfo {
  override name = 'FaceswapError';
  readonly code: FaceswapErrorCode;
  readonly fatal: boolean;
  readonly upstreamCode?: number;

  constructor(code: FaceswapErrorCode, message: string = ERROR_MESSAGES[code], options: { fatal?: boolean; upstreamCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fatal = options.fatal ?? isFatalCode(code);
    if (options.upstreamCode !== undefined) this.upstreamCode = options.upstreamCode;
  }

  toJSON(): FaceswapErrorInfo {
    const info: FaceswapErrorInfo = { code: this.code, fatal: this.fatal, message: this.message };
    if (this.upstreamCode !== undefined) info.upstreamCode = this.upstreamCode;
    return info;
  }
}

export function isFaceswapError(value: unknown): value is FaceswapError {
  return value instanceof FaceswapError;
}

/** The rejection of work cancelled through an AbortSignal (a cancellation, never a FaceswapError). */
export function abortError(message = 'The operation was cancelled.'): DOMException {
  return new DOMException(message, 'AbortError');
}
