import type {
  ConnectionDisconnectedReason,
  ConnectionState,
  IAgoraRTC,
  IAgoraRTCClient,
  IAgoraRTCRemoteUser,
  ILocalAudioTrack,
  ILocalVideoTrack,
  IRemoteVideoTrack,
  UID,
} from 'agora-rtc-sdk-ng';
import { abortError, FaceswapError } from '../core/errors.js';
import { DEFAULT_VIDEO_PRESET, VIDEO_PRESETS, type VideoConfig } from '../core/video.js';
import type { FaceswapErrorCode, FaceSource, RtcCredentials } from '../core/protocol.js';
import { loadAgora } from './agora-loader.js';
import { appIdFromToken } from '../core/app-id.js';
import { EventSource } from '../core/emitter.js';
import type { LocalMedia, RtcTransport, RtcTransportEventMap, TransportOptions, TransportStats } from './transport.js';
import { DEFAULT_JOIN_TIMEOUT_MS } from './transport.js';

/**
 * RtcTransport over the Agora Web SDK 4.x, for AKOOL's cloud swap. Behaviour follows what
 * measurements of the SDK showed: its join never settles offline (own timeout), a leave during join
 * rejects it with OPERATION_ABORTED (a cancellation, not a failure), CAN_NOT_GET_GATEWAY_SERVER means the
 * credentials are wrong (no retry), handlers go on before join, subscribing is idempotent.
 */

export interface AgoraTransportOptions extends TransportOptions {
  /** Must match the swap worker's channel profile; AKOOL's reference demo uses `rtc`. */
  mode?: 'rtc' | 'live';
  /** VP8 by default: iOS 15.1 crashes sending H.264 (Agora's known issue). */
  codec?: 'vp8' | 'h264' | 'vp9' | 'av1';
  /**
   * Agora's log level (0 debug ... 4 none). The setting is page-global, shared with any other Agora use on the
   * host page, so it is left alone unless given.
   */
  logLevel?: 0 | 1 | 2 | 3 | 4;
  /** Also switch off the SDK's telemetry posts (page-global too: only when asked). */
  disableEventReport?: boolean;
  /** How long the expected swap uid may stay silent before the only other video publisher is taken instead. */
  videoUidGraceMs?: number;
  /** Loads the SDK; tests pass a stand-in for the Agora cloud. */
  loadSdk?: () => Promise<IAgoraRTC>;
}

const DEFAULT_VIDEO: VideoConfig = VIDEO_PRESETS[DEFAULT_VIDEO_PRESET];
const DEFAULT_VIDEO_UID_GRACE_MS = 3_000;
/** Agora uids are 32-bit unsigned integers; larger numeric strings stay strings. */
const MAX_NUMERIC_UID = 2 ** 32 - 1;
/** How often to look for the first received frame of the swapped video. */
const FIRST_FRAME_POLL_MS = 200;

/** Agora join failures as session codes. */
const JOIN_ERROR_CODES: Record<string, FaceswapErrorCode> = {
  CAN_NOT_GET_GATEWAY_SERVER: 'rtc-credentials',
  INVALID_PARAMS: 'rtc-credentials',
  TOKEN_EXPIRE: 'rtc-token-expired',
  UID_CONFLICT: 'uid-conflict',
  NOT_SUPPORTED: 'unsupported-browser',
  WEB_SECURITY_RESTRICT: 'insecure-context',
  NETWORK_ERROR: 'rtc-join-timeout',
  NETWORK_TIMEOUT: 'rtc-join-timeout',
  NETWORK_RESPONSE_ERROR: 'rtc-join-timeout',
  TIMEOUT: 'rtc-join-timeout',
  WS_ABORT: 'rtc-join-timeout',
  WS_DISCONNECT: 'rtc-join-timeout',
  WS_ERR: 'rtc-join-timeout',
};

export class AgoraTransport extends EventSource<RtcTransportEventMap> implements RtcTransport {
  readonly engine = 'akool' as const;

  readonly #options: AgoraTransportOptions;
  #sdk: IAgoraRTC | null = null;
  #client: IAgoraRTCClient | null = null;
  #left = false;
  #leaving: Promise<void> | null = null;
  #connection: ConnectionState = 'DISCONNECTED';
  /** `algorithm_user_id` when known; otherwise the first remote user that publishes video is adopted. */
  #swapUid: string | null = null;
  #swapUidFixed = false;
  /** Video publishers other than the expected swap uid, by uid (the fallback when that uid sends nothing). */
  #otherPublishers = new Map<string, IAgoraRTCRemoteUser>();
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  #graceOver = false;
  #remoteVideo: IRemoteVideoTrack | null = null;
  #subscribing = new Set<string>();
  #firstFramePoll: ReturnType<typeof setInterval> | undefined;
  #localVideo: ILocalVideoTrack | null = null;
  #localAudio: ILocalAudioTrack | null = null;
  /** What the controller handed in, compared as given (the SDK may hand back a processed track). */
  #published: Partial<LocalMedia> = {};
  #onAutoplayFailed = () => this.events.emit('autoplay-failed');

  constructor(options: AgoraTransportOptions = {}) {
    super();
    this.#options = options;
  }

  async join(credentials: RtcCredentials, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.#client || this.#left) throw new Error('AgoraTransport: join may be called once');
    const sdk = await (this.#options.loadSdk ?? loadAgora)();
    signal.throwIfAborted();
    if (this.#left) throw abortError('The join was cancelled.');
    this.#sdk = sdk;
    configureSdk(sdk, this.#options);
    if (!sdk.checkSystemRequirements()) throw new FaceswapError('unsupported-browser');

    const appId = credentials.appId || (await appIdFromToken(credentials.token));
    if (!appId) throw new FaceswapError('rtc-credentials', 'No Agora App ID was given and none could be read from the token.');
    signal.throwIfAborted();
    if (this.#left) throw abortError('The join was cancelled.');
    if (credentials.remoteUid !== undefined && credentials.remoteUid !== '') {
      this.#swapUid = String(credentials.remoteUid);
      this.#swapUidFixed = true;
    }

    const mode = this.#options.mode ?? 'rtc';
    // In live mode only hosts publish, and the browser has to publish its camera.
    const client = sdk.createClient({ mode, codec: this.#options.codec ?? 'vp8', ...(mode === 'live' ? { role: 'host' } : {}) });
    this.#client = client;
    this.#listen(sdk, client); // before join: user-published for users already in the channel follows at once
    await this.#joinWithin(client, appId, credentials, signal);
  }

  async publish(media: LocalMedia): Promise<void> {
    const sdk = this.#sdk;
    const client = this.#client;
    if (!sdk || !client || this.#left) throw new Error('AgoraTransport: publish before join');
    const stale: Array<ILocalVideoTrack | ILocalAudioTrack> = [];
    const fresh: Array<ILocalVideoTrack | ILocalAudioTrack> = [];

    if (this.#published.video !== media.video) {
      const video = { ...DEFAULT_VIDEO, ...this.#options.video };
      const track = sdk.createCustomVideoTrack({ mediaStreamTrack: media.video, ...video });
      track.on('track-ended', () => this.events.emit('error', new FaceswapError('camera-not-found', 'The camera stopped delivering video.')));
      if (this.#localVideo) stale.push(this.#localVideo);
      this.#localVideo = track;
      fresh.push(track);
    }
    if (this.#published.audio !== media.audio) {
      if (this.#localAudio) stale.push(this.#localAudio);
      this.#localAudio = media.audio ? sdk.createCustomAudioTrack({ mediaStreamTrack: media.audio, encoderConfig: 'music_standard' }) : null;
      if (this.#localAudio) fresh.push(this.#localAudio);
    }
    this.#published = { ...media };
    // One video track per client: the replaced camera goes off the channel before the new one goes on.
    if (stale.length) await client.unpublish(stale);
    closeTracks(stale);
    if (fresh.length && !this.#left) await client.publish(fresh);
  }

  /** AKOOL applies a new source server-side (the token endpoint's `/source` call); nothing to do here. */
  async setSource(_source: FaceSource): Promise<void> {}

  async getStats(): Promise<TransportStats> {
    const remote = this.#remoteVideo?.getStats();
    const rtc = this.#client?.getRTCStats();
    if (!remote) return rtc ? { rttMs: rtc.RTT } : {};
    return {
      fps: remote.receiveFrameRate ?? remote.decodeFrameRate,
      width: remote.receiveResolutionWidth || undefined,
      height: remote.receiveResolutionHeight || undefined,
      rttMs: rtc?.RTT,
      // The SDK's lost / (received + lost) since subscribing: 0..1 already, and NaN (0 / 0) before the first packet.
      packetLoss: Number.isFinite(remote.packetLossRate) ? remote.packetLossRate : undefined,
    };
  }

  leave(): Promise<void> {
    this.#leaving ??= this.#leave();
    return this.#leaving;
  }

  async #leave(): Promise<void> {
    this.#left = true;
    clearInterval(this.#firstFramePoll);
    clearTimeout(this.#graceTimer);
    this.#otherPublishers.clear();
    this.#sdk?.off('autoplay-failed', this.#onAutoplayFailed);
    const client = this.#client;
    client?.removeAllListeners();
    this.#remoteVideo?.removeAllListeners();
    this.#remoteVideo = null;
    // The controller owns (and has already stopped) the MediaStreamTracks under these custom tracks.
    closeTracks([this.#localVideo, this.#localAudio]);
    this.#localVideo = this.#localAudio = null;
    // `leave` also cancels a join in progress (which then rejects OPERATION_ABORTED).
    await client?.leave().catch(() => {});
  }

  #joinWithin(client: IAgoraRTCClient, appId: string, credentials: RtcCredentials, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = () => {
        settle(abortError('The join was cancelled.'));
        void this.leave();
      };
      // The SDK retries the gateway forever when Agora is unreachable: give up on our own.
      const timer = setTimeout(() => {
        settle(new FaceswapError('rtc-join-timeout'));
        void this.leave();
      }, this.#options.joinTimeoutMs ?? DEFAULT_JOIN_TIMEOUT_MS);
      signal.addEventListener('abort', onAbort, { once: true });
      client.join(appId, credentials.channel, credentials.token, agoraUid(credentials.uid)).then(
        () => settle(this.#left ? abortError('The join was cancelled.') : undefined),
        (error: unknown) => settle(this.#left ? abortError('The join was cancelled.') : joinError(error)),
      );
    });
  }

  #listen(sdk: IAgoraRTC, client: IAgoraRTCClient): void {
    client.on('user-published', (user: IAgoraRTCRemoteUser, mediaType: 'audio' | 'video' | 'datachannel') => {
      if (!this.#isSwapUser(user)) {
        if (mediaType === 'video') this.#noteOtherPublisher(client, user);
        return;
      }
      if (mediaType === 'video') void this.#subscribeVideo(client, user);
      else if (mediaType === 'audio' && this.#options.remoteAudio) {
        void client.subscribe(user, 'audio').then(
          (track) => track.play(),
          () => {},
        );
      }
    });
    client.on('user-unpublished', (user: IAgoraRTCRemoteUser, mediaType: string) => {
      if (mediaType === 'video') this.#otherPublishers.delete(String(user.uid));
      if (mediaType === 'video' && this.#isSwapUser(user)) this.#dropRemoteVideo();
    });
    client.on('user-left', (user: IAgoraRTCRemoteUser) => {
      this.#otherPublishers.delete(String(user.uid));
      if (!this.#isSwapUser(user)) return;
      this.#dropRemoteVideo();
      // Without a known worker uid, whoever publishes next is the worker.
      if (!this.#swapUidFixed) this.#swapUid = null;
    });
    client.on('connection-state-change', (current: ConnectionState, _previous: ConnectionState, reason?: ConnectionDisconnectedReason) => {
      this.#connection = current;
      if (this.#left) return;
      if (current === 'CONNECTED') this.events.emit('connection', { state: 'connected' });
      else if (current === 'RECONNECTING') this.events.emit('connection', { state: 'reconnecting' });
      else if (current === 'CONNECTING') this.events.emit('connection', { state: 'connecting' });
      else if (current === 'DISCONNECTED') {
        this.events.emit('connection', { state: 'disconnected', error: disconnectError(reason) });
      }
    });
    client.on('token-privilege-will-expire', () => this.events.emit('token-will-expire'));
    client.on('token-privilege-did-expire', () => this.events.emit('token-expired'));
    // Never assign the page-global `onAutoplayFailed`: that would overwrite the host page's handler.
    sdk.on('autoplay-failed', this.#onAutoplayFailed);
  }

  /**
   * A video publisher that is not the expected swap uid. AKOOL's docs never say which uid sends the swapped
   * video: when the expected one has sent nothing after a short grace and exactly one other uid publishes
   * video, that one is the swap worker.
   */
  #noteOtherPublisher(client: IAgoraRTCClient, user: IAgoraRTCRemoteUser): void {
    this.#otherPublishers.set(String(user.uid), user);
    const adoptIfAlone = () => {
      this.#graceOver = true;
      if (this.#left || this.#remoteVideo || this.#otherPublishers.size !== 1) return;
      const [only] = this.#otherPublishers.values();
      this.#swapUid = String(only!.uid);
      this.#otherPublishers.clear();
      void this.#subscribeVideo(client, only!);
    };
    if (this.#graceOver) return adoptIfAlone();
    this.#graceTimer ??= setTimeout(adoptIfAlone, this.#options.videoUidGraceMs ?? DEFAULT_VIDEO_UID_GRACE_MS);
  }

  #isSwapUser(user: IAgoraRTCRemoteUser): boolean {
    if (this.#swapUid === null) return true;
    return String(user.uid) === this.#swapUid;
  }

  async #subscribeVideo(client: IAgoraRTCClient, user: IAgoraRTCRemoteUser): Promise<void> {
    const uid = String(user.uid);
    // `user-published` repeats after mute/unmute and reconnects; one subscribe at a time per user.
    if (this.#subscribing.has(uid)) return;
    this.#subscribing.add(uid);
    try {
      const track = await client.subscribe(user, 'video');
      if (this.#left) return;
      this.#swapUid ??= uid;
      if (uid !== this.#swapUid) return void client.unsubscribe(user, 'video').catch(() => {});
      if (track !== this.#remoteVideo) this.#attachRemoteVideo(track);
    } catch {
      // The SDK rejects a subscribe when the publisher unpublishes meanwhile or the connection is being
      // re-established (or we left): the publisher's next `user-published` subscribes again, and the
      // session's swap limit covers a worker that never comes back.
    } finally {
      this.#subscribing.delete(uid);
    }
  }

  #attachRemoteVideo(track: IRemoteVideoTrack): void {
    this.#remoteVideo?.removeAllListeners();
    this.#remoteVideo = track;
    this.events.emit('remote-video', track.getMediaStreamTrack());
    // After a re-subscribe or a codec change the SDK swaps the underlying MediaStreamTrack.
    track.on('track-updated', (mediaStreamTrack: MediaStreamTrack) => this.events.emit('remote-video', mediaStreamTrack));
    this.#watchFirstFrame(track);
  }

  /**
   * The player renders the MediaStreamTrack in its own <video>, so the SDK's `first-frame-decoded` (which
   * needs the SDK's own `play()`) does not fire. The receiver's stats say when the first frame arrived: a
   * decoded resolution appears. `first-frame-decoded` still counts if someone else plays the track.
   */
  #watchFirstFrame(track: IRemoteVideoTrack): void {
    clearInterval(this.#firstFramePoll);
    let reported = false;
    const report = () => {
      if (reported || this.#left || track !== this.#remoteVideo) return;
      reported = true;
      clearInterval(this.#firstFramePoll);
      this.events.emit('first-frame');
    };
    track.on('first-frame-decoded', report);
    this.#firstFramePoll = setInterval(() => {
      const stats = track.getStats();
      if (stats.receiveResolutionWidth > 0 || (stats.decodeFrameRate ?? 0) > 0) report();
    }, FIRST_FRAME_POLL_MS);
  }

  #dropRemoteVideo(): void {
    // While the SDK reconnects, keep the last frame on screen; the track comes back with the connection.
    if (!this.#remoteVideo || this.#connection === 'RECONNECTING') return;
    clearInterval(this.#firstFramePoll);
    this.#remoteVideo.removeAllListeners();
    this.#remoteVideo = null;
    this.events.emit('remote-video', null);
  }
}

/** Page-global SDK settings, changed only when the site asks: the host page may use Agora itself. */
function configureSdk(sdk: IAgoraRTC, options: AgoraTransportOptions): void {
  // Undocumented switch: stops the telemetry posts that start before join.
  if (options.disableEventReport) {
    (sdk as unknown as { setParameter?: (key: string, value: unknown) => void }).setParameter?.('ENABLE_EVENT_REPORT', false);
  }
  if (options.logLevel !== undefined) sdk.setLogLevel(options.logLevel);
}

/**
 * AKOOL sends uids as numeric strings; Agora wants one uid type per channel, and the demos use numbers. A
 * number only fits up to 2^32 - 1: a larger numeric string is passed as a string uid.
 */
export function agoraUid(uid: number | string): UID {
  const numeric = typeof uid === 'number' ? uid : /^\d{1,10}$/.test(uid) ? Number(uid) : NaN;
  if (Number.isInteger(numeric) && numeric >= 0 && numeric <= MAX_NUMERIC_UID) return numeric;
  return String(uid);
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/** Only the Agora code goes into the message: Agora's own text can quote request details. */
function joinError(error: unknown): FaceswapError {
  const code = errorCode(error);
  // The gateway answers an expired token with CAN_NOT_GET_GATEWAY_SERVER "dynamic key or token timeout":
  // a new session helps, the credentials were not wrong.
  const expired = code === 'CAN_NOT_GET_GATEWAY_SERVER' && /timeout|expired/i.test(String((error as { message?: unknown } | null)?.message ?? ''));
  return new FaceswapError(expired ? 'rtc-token-expired' : (JOIN_ERROR_CODES[code] ?? 'rtc-disconnected'), `Joining the video channel failed (${code}).`);
}

/** Agora's reason for a dropped connection, as the session's error. */
function disconnectError(reason: ConnectionDisconnectedReason | undefined): FaceswapError {
  if (reason === 'UID_CONFLICT') return new FaceswapError('uid-conflict');
  if (reason === 'TOKEN_EXPIRE') return new FaceswapError('rtc-token-expired');
  return new FaceswapError('rtc-disconnected', reason ? `The video connection was lost (${reason}).` : undefined);
}

function closeTracks(tracks: Array<ILocalVideoTrack | ILocalAudioTrack | null>): void {
  for (const track of tracks) {
    if (!track) continue;
    track.removeAllListeners();
    track.close();
  }
}
