/**
 * The token-endpoint protocol and the session vocabulary, shared by the
 * browser code and the server handler. Pure types and constants: no DOM, no Node APIs.
 */

/** Session states, in the order a healthy session moves through them. */
export const SESSION_STATES = ['idle', 'preparing', 'connecting', 'waiting', 'live', 'reconnecting', 'ending', 'ended', 'error'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** Stable error codes: the only values `error.code` ever takes, in the browser and on the wire. */
export const ERROR_CODES = [
  'camera-denied',
  'camera-not-found',
  'camera-in-use',
  'insecure-context',
  'unsupported-browser',
  'endpoint-unreachable',
  'unauthorized',
  'quota-exhausted',
  'invalid-source',
  'no-face',
  'rate-limited',
  'upstream-error',
  'rtc-join-timeout',
  'rtc-credentials',
  'rtc-disconnected',
  'rtc-token-expired',
  'uid-conflict',
  'swap-timeout',
  'swap-failed',
  // The visitor has not confirmed the right to use the uploaded or photographed face (refused before any request).
  'consent-required',
  // Server-side protocol errors (bad request shape, unknown session, wrong key, too large, wrong state).
  'bad-request',
  'not-found',
  'forbidden',
  'payload-too-large',
  'conflict',
] as const;
export type FaceswapErrorCode = (typeof ERROR_CODES)[number];

/** What `faceswap-error` carries and what `SessionController.error` holds. */
export interface FaceswapErrorInfo {
  code: FaceswapErrorCode;
  /** A fatal error needs a change by the visitor or the site (new source, permission, credit) before a retry helps. */
  fatal: boolean;
  /** Human text in English; elements show the translated message for `code` instead. */
  message: string;
  /** AKOOL's business code when the error came from AKOOL. */
  upstreamCode?: number;
}

/** The error body every token-endpoint failure answers with. */
export interface ErrorBody {
  error: { code: FaceswapErrorCode; message: string; upstreamCode?: number };
}

/** A face AKOOL can swap in: `path` is a URL AKOOL can fetch, `opts` its 4-point landmark string. */
export interface FaceSource {
  path: string;
  /** `"x1,y1:x2,y2:x3,y3:x4,y4"`: left eye, right eye, nose tip, left mouth corner, in `path`'s pixels. */
  opts: string;
}

export type EngineName = 'akool' | 'local';
export type EngineChoice = 'auto' | EngineName;

/** Agora credentials (the `rtc` object of `POST /sessions`). `appId` may be empty: it is then read from the token. */
export interface RtcCredentials {
  appId: string;
  channel: string;
  uid: number | string;
  token: string;
  /** The uid whose video is the swapped output (AKOOL's `algorithm_user_id`). */
  remoteUid?: number | string;
}

// ---- POST {endpoint}/detect
export interface DetectRequest {
  url?: string;
  /** `data:image/(jpeg|png|webp);base64,...` */
  image?: string;
  singleFace?: boolean;
}
export interface DetectedFace {
  /** `[x, y, width, height]` in the pixels of the submitted image. */
  box: [number, number, number, number];
  /** 4-point landmark string in the pixels of the submitted image. */
  landmarks: string;
  /** What to send as the session's source for this face. */
  source: FaceSource;
}
export interface DetectResponse {
  faces: DetectedFace[];
  width: number;
  height: number;
}

/**
 * Where the swap service is with a session, as the token endpoint names it (AKOOL's `faceswap_status` 1..4):
 * `queued` waiting for a swap worker, `ready` the worker takes the camera, `ended` closed by the service,
 * `failed` the worker failed.
 */
export const SWAP_STATUSES = ['queued', 'ready', 'ended', 'failed'] as const;
export type SwapStatus = (typeof SWAP_STATUSES)[number];

// ---- POST {endpoint}/sessions
export interface CreateSessionRequest {
  source: FaceSource;
}
export interface SessionGrant {
  sessionId: string;
  /** HMAC of `sessionId` under the server secret; proves ownership on source/heartbeat/close. */
  sessionKey: string;
  engine: EngineName;
  status: SwapStatus;
  rtc: RtcCredentials;
  /** ISO 8601 time after which the server closes the session regardless of heartbeats. */
  expiresAt: string;
  /** `true` when the endpoint signs snapshots (`POST /sessions/{id}/sign` adds a C2PA manifest); absent otherwise. */
  c2pa?: boolean;
}

// ---- POST {endpoint}/sessions/{id}/source | heartbeat | close
export interface SourceUpdateRequest {
  sessionKey: string;
  source: FaceSource;
}
export interface SessionKeyRequest {
  sessionKey: string;
}
export interface HeartbeatResponse {
  status: SwapStatus;
  expiresAt: string;
}
export interface OkResponse {
  ok: true;
}

// ---- POST {endpoint}/sessions/{id}/sign (offered when the grant says `c2pa: true`)
export interface SignRequest {
  sessionKey: string;
  /** The snapshot, `data:image/(png|jpeg);base64,...`. */
  image: string;
}
export interface SignResponse {
  /** The same picture with a signed C2PA manifest, as a data URL of the same type. */
  image: string;
}

/** The 4-point landmark string AKOOL uses: four `x,y` pairs of non-negative numbers joined by `:`. */
export const LANDMARKS_PATTERN = /^\d+(\.\d+)?,\d+(\.\d+)?(:\d+(\.\d+)?,\d+(\.\d+)?){3}$/;

/** Whether two sources name the same face (the same image and landmarks). */
export function sameSource(a: FaceSource | null, b: FaceSource | null): boolean {
  return a === b || (!!a && !!b && a.path === b.path && a.opts === b.opts);
}
