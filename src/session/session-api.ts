import type { FaceswapErrorInfo, FaceSource, EngineChoice, EngineName, RtcCredentials, SessionGrant, SessionState } from '../core/protocol.js';
import type { RtcTransport, TransportOptions, TransportStats, TransportFactory } from '../rtc/transport.js';
import type { VideoConfig } from '../core/video.js';

/**
 * The contract of the session core (`SessionController`, which uses the browser only through
 * `SessionPlatform` and the `MediaStream` constructor). `<faceswap-session>` owns one controller and offers
 * its children a narrower facade (`FaceswapSessionHost` in `src/controllers/session-context.ts`).
 */

/** Media figures of the swapped video, as the transport measures them; fields it cannot measure stay undefined. */
export type SessionStats = TransportStats;

export type CameraFacing = 'user' | 'environment';

/** What a `tokenProvider` is asked for; it answers with the same shape as `POST {endpoint}/sessions`. */
export interface TokenProviderRequest {
  source: FaceSource;
  signal: AbortSignal;
}
export type TokenProvider = (request: TokenProviderRequest) => Promise<SessionGrant>;

export interface SessionOptions {
  /** Base URL of the token endpoint (`token-endpoint` attribute). */
  tokenEndpoint?: string;
  tokenProvider?: TokenProvider;
  /** Literal RTC credentials: no token endpoint involved (engine must then be `akool` or is taken as such). */
  credentials?: RtcCredentials;
  engine: EngineChoice;
  camera: CameraFacing;
  /** Exact camera device to use; overrides `camera` when set. */
  cameraDeviceId?: string;
  mic: boolean;
  /** Play the swap worker's audio when it sends any. */
  remoteAudio?: boolean;
  video: VideoConfig;
  /** Longest wait for the swapped video once the swap service says the session is ready (default 60000). */
  swapTimeoutMs: number;
  /** Longest time the swap service may keep a session queued before it counts as `swap-timeout` (default 180000). */
  queueTimeoutMs: number;
  /** Status poll period (through the heartbeat) while the session is queued (default 2500). */
  statusPollMs: number;
  /** Own RTC join timeout (default 15000). */
  joinTimeoutMs: number;
  /** Heartbeat period towards the token endpoint (default 15000). */
  heartbeatMs: number;
  /**
   * The visitor chose a face but has not confirmed the right to use it: `start()` then ends in `error` with
   * `consent-required`, before the camera opens or any request is made.
   */
  consentPending?: boolean;
}

export interface SessionSnapshot {
  state: SessionState;
  error: FaceswapErrorInfo | null;
  /** The engine of the current or last session (known after credentials arrive). */
  engine: EngineName | null;
  sessionId: string | null;
  source: FaceSource | null;
  /** The visitor's own camera stream (for a picture-in-picture preview), while the camera is on. */
  localStream: MediaStream | null;
  /** The swapped video track, while one is being received. Kept during `reconnecting`. */
  remoteTrack: MediaStreamTrack | null;
  /** Facing of the active camera when known (`user` mirrors the preview). */
  facing: CameraFacing | null;
  micEnabled: boolean;
  /** Milliseconds since the state last changed to `waiting` (for "waiting for the swap" overlays). */
  waitingSince: number | null;
  /** The swap service has queued the session and has not yet said it is ready (shown while `waiting`). */
  queued: boolean;
  /** Remote playback was blocked by autoplay policy until a user gesture. */
  autoplayBlocked: boolean;
}

export interface SessionEventMap {
  /** Fired on every real state change. */
  'state-change': { state: SessionState; previous: SessionState };
  error: FaceswapErrorInfo;
  /** Any field of the snapshot changed (tracks, source, mic, autoplay flag ...). */
  change: SessionSnapshot;
  /** The RTC token ends soon (the transport's warning); the session then ends with `rtc-token-expired`. */
  'token-will-expire': void;
}

export interface SessionControllerApi {
  readonly snapshot: SessionSnapshot;
  /** Options may be changed at any time; they apply to the next `start()` (except `mic`: live). */
  options: SessionOptions;

  on<K extends keyof SessionEventMap>(type: K, listener: (detail: SessionEventMap[K]) => void): () => void;

  /** Start with the current source. Ignored while a session runs. Never rejects: failures end in `error`. */
  start(): Promise<void>;
  /** Stop and close the server session; cancels a join in progress. Never rejects. */
  stop(): Promise<void>;
  /** Set the source; while a session runs it is sent to the server and applied without reconnecting. */
  setSource(source: FaceSource | null): Promise<void>;
  /** Switch to the given device, or toggle front/back when no id is given. */
  switchCamera(deviceId?: string): Promise<void>;
  setMicEnabled(enabled: boolean): Promise<void>;
  getStats(): Promise<SessionStats>;
  /**
   * `picture` with a signed C2PA manifest when the token endpoint signs for the running session (its grant said
   * `c2pa: true`), else `picture` itself. Rejects with a `FaceswapError` when the endpoint fails to sign.
   */
  signSnapshot(picture: Blob): Promise<Blob>;
  /** Stop everything and drop every listener; the controller is unusable afterwards. */
  dispose(): Promise<void>;
}

/** Browser facilities the controller needs, injectable so the state machine runs under test. */
export interface SessionPlatform {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  fetch: typeof fetch;
  sendBeacon?(url: string, body: string): boolean;
  /** Subscribe to page teardown (`pagehide`); returns the unsubscribe function. */
  onPageHide?(listener: () => void): () => void;
  transportFactory: TransportFactory;
  /**
   * A transport to prepare before Start for a session on `engine` (see `RtcTransport.prepare`), or null when
   * that engine has nothing to load ahead. A platform with its own `transportFactory` and without this gets
   * none prepared.
   */
  prepareTransport?(engine: EngineName, options?: TransportOptions): Promise<RtcTransport | null>;
  now(): number;
}
