import type { FaceswapError } from '../core/errors.js';
import type { VideoConfig } from '../core/video.js';
import type { EngineName, FaceSource, RtcCredentials } from '../core/protocol.js';
import type { EngineStats } from '../engine/engine.js';

/** The media path of one session: AgoraTransport (AKOOL cloud) or LocalTransport (in-browser engine). */

/** Connection as the transport sees it; the controller maps it onto session states. */
export type TransportConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** Periodic figures for the stats overlay; fields the transport cannot measure stay undefined. */
export interface TransportStats {
  /** Frames per second of the swapped video as received. */
  fps?: number;
  width?: number;
  height?: number;
  /** Round-trip time to the media server, in milliseconds. */
  rttMs?: number;
  /** Share of packets lost on the receiving side, 0..1. */
  packetLoss?: number;
  /** The in-browser engine's own figures (the `local` engine only): face tracking rate and per-frame cost. */
  engine?: Omit<EngineStats, 'fps' | 'width' | 'height'>;
}

/** The visitor's captured media, owned by the controller (the transport never stops these tracks). */
export interface LocalMedia {
  video: MediaStreamTrack;
  audio?: MediaStreamTrack;
}

export interface RtcTransportEventMap {
  /** The swapped video track, or `null` when the remote side stopped publishing it. */
  'remote-video': MediaStreamTrack | null;
  /** The first frame of the swapped video was decoded (the session is live). */
  'first-frame': void;
  /** With `disconnected`, `error` is the cause, which each transport maps from its own vendor's reasons. */
  connection: { state: TransportConnectionState; error?: FaceswapError };
  'token-will-expire': void;
  'token-expired': void;
  /** Playback of remote media was blocked by the browser's autoplay policy until a user gesture. */
  'autoplay-failed': void;
  /** A failure after `join` resolved (for example the connection could not be recovered). */
  error: FaceswapError;
}

export type RtcTransportListener<K extends keyof RtcTransportEventMap> = (detail: RtcTransportEventMap[K]) => void;

export interface RtcTransport {
  readonly engine: EngineName;

  on<K extends keyof RtcTransportEventMap>(type: K, listener: RtcTransportListener<K>): void;
  off<K extends keyof RtcTransportEventMap>(type: K, listener: RtcTransportListener<K>): void;

  /**
   * Join the channel. Rejects with a FaceswapError (`rtc-join-timeout`, `rtc-credentials`,
   * `uid-conflict`, ...). When `signal` aborts, the join is cancelled and the promise rejects with an
   * `AbortError` DOMException, never with a FaceswapError.
   */
  join(credentials: RtcCredentials, signal: AbortSignal): Promise<void>;

  /** Send the visitor's media. May be called again with new tracks (camera switch, mic on/off). */
  publish(media: LocalMedia): Promise<void>;

  /**
   * The source face changed. AKOOL applies it server-side (no-op here); the local engine loads the
   * face from `source.path` and uses it from the next frame on.
   */
  setSource(source: FaceSource): Promise<void>;

  /**
   * Optional: load ahead of `join` what a session with `source` will need (the local engine: its face model
   * and the source face), without the camera or any network session. `leave` releases it. A rejection only
   * means nothing was prepared; `join` then reports the error itself.
   */
  prepare?(source: FaceSource): Promise<void>;

  getStats(): Promise<TransportStats>;

  /** Leave and release everything the transport created. Safe to call more than once and during `join`. */
  leave(): Promise<void>;
}

/** How long a transport waits for its join when the controller names no limit. */
export const DEFAULT_JOIN_TIMEOUT_MS = 15_000;

/** Settings the controller hands to a transport it creates (additive: a transport may ignore any of them). */
export interface TransportOptions {
  /** Give up joining after this long: leave and reject with `rtc-join-timeout`. */
  joinTimeoutMs?: number;
  /** Play the swap worker's audio when it sends any (off by default: it is usually the visitor's own voice). */
  remoteAudio?: boolean;
  /** Encoder settings for the published camera (AKOOL's recommendation by default). */
  video?: VideoConfig;
}

/** Chooses and constructs the transport for an engine; lets tests inject fakes. */
export type TransportFactory = (engine: EngineName, options?: TransportOptions) => Promise<RtcTransport>;
