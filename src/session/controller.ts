import { base64ToBytes, bytesToBase64 } from '../core/base64.js';
import { EventSource } from '../core/emitter.js';
import type { LocalMedia, RtcTransport, RtcTransportEventMap, RtcTransportListener, TransportStats } from '../rtc/transport.js';
import { capture, trackFacing } from './capture.js';
import { EndpointClient } from './endpoint-client.js';
import { DEFAULT_SESSION_OPTIONS, idleSnapshot } from './defaults.js';
import { FaceswapError, isFaceswapError } from '../core/errors.js';
import { browserPlatform } from './platform.js';
import {
  sameSource,
  type EngineName,
  type FaceSource,
  type FaceswapErrorInfo,
  type RtcCredentials,
  type SessionGrant,
  type SessionState,
  type SwapStatus,
} from '../core/protocol.js';
import type { CameraFacing, SessionControllerApi, SessionEventMap, SessionOptions, SessionPlatform, SessionSnapshot } from './session-api.js';

/**
 * The session state machine (states and transitions in `TRANSITIONS`). It renders nothing: the camera, fetch and
 * transports come from `SessionPlatform`, and it builds `MediaStream`s for the elements to show.
 */

/** Consecutive transient heartbeat failures tolerated before the session is given up. */
const HEARTBEAT_FAILURES_TOLERATED = 3;
/** Heartbeat answers that mean the server no longer holds this session for us. */
const SESSION_GONE_CODES = new Set(['not-found', 'conflict', 'forbidden', 'unauthorized']);

/** Allowed transitions; anything else (typically a late callback of a finished run) is ignored. */
const TRANSITIONS: Record<SessionState, readonly SessionState[]> = {
  idle: ['preparing'],
  preparing: ['connecting', 'ending', 'error'],
  connecting: ['waiting', 'ending', 'error'],
  waiting: ['live', 'reconnecting', 'ending', 'error'],
  live: ['waiting', 'reconnecting', 'ending', 'error'],
  reconnecting: ['live', 'waiting', 'ending', 'error'],
  ending: ['ended'],
  ended: ['preparing'],
  error: ['preparing'],
};

/** A session the token endpoint issued: the only kind we heartbeat and close. */
interface IssuedSession {
  client: EndpointClient;
  id: string;
  key: string;
  /** The endpoint signs this session's snapshots (`c2pa: true` in the grant). */
  signs: boolean;
}

/** Everything one `start()` created; a stopped run's late callbacks see `finished` and do nothing. */
interface Run {
  readonly abort: AbortController;
  finished: boolean;
  media: LocalMedia | null;
  facing: CameraFacing;
  transport: RtcTransport | null;
  joined: boolean;
  published: boolean;
  issued: IssuedSession | null;
  /** The source the server and transport were last given. */
  appliedSource: FaceSource | null;
  firstFrame: boolean;
  /** What the swap service last said about the session; literal credentials count as `ready`. */
  swapStatus: SwapStatus;
  watchdog: ReturnType<typeof setTimeout> | undefined;
  heartbeat: ReturnType<typeof setTimeout> | undefined;
  heartbeatFailures: number;
  /** Camera switches and mic toggles run one after another. */
  mediaQueue: Promise<unknown>;
  cleanups: Array<() => void>;
}

type ReleaseMode = 'stop' | 'error' | 'pagehide';

/** A transport made ready for the chosen source before Start (see #prepare); the next run takes it. */
interface PreparedTransport {
  readonly abort: AbortController;
  /** Null when there is nothing to prepare (not the local engine, or it cannot run here). */
  readonly transport: Promise<RtcTransport | null>;
}

export class SessionController extends EventSource<SessionEventMap> implements SessionControllerApi {
  options: SessionOptions;

  readonly #platform: SessionPlatform;
  #snapshot: SessionSnapshot;
  #run: Run | null = null;
  /** The teardown in progress (or the last one); a new start waits for it. */
  #teardown: Promise<void> = Promise.resolve();
  #prepared: PreparedTransport | null = null;
  #disposed = false;

  constructor(options: Partial<SessionOptions> = {}, platform: Partial<SessionPlatform> = {}) {
    super();
    this.options = { ...DEFAULT_SESSION_OPTIONS, ...options };
    this.#platform = { ...browserPlatform(), ...platform };
    // Transports of the caller's own making are not mixed with a prepared default one.
    if (platform.transportFactory && !platform.prepareTransport) delete this.#platform.prepareTransport;
    this.#snapshot = idleSnapshot(this.options.mic);
  }

  get snapshot(): SessionSnapshot {
    return this.#snapshot;
  }

  async start(): Promise<void> {
    if (this.#disposed || (this.#run && !this.#run.finished)) return;
    await this.#teardown;
    if (this.#disposed || this.#run) return;
    const run = this.#createRun();
    this.#run = run;
    try {
      await this.#execute(run);
    } catch (error) {
      this.#fail(run, error);
    }
  }

  async stop(): Promise<void> {
    this.#releasePrepared();
    const run = this.#run;
    if (!run) return;
    if (run.finished) return this.#teardown;
    this.#setState('ending');
    await this.#release(run, 'stop');
    this.#setState('ended');
  }

  /**
   * A refused source keeps the session running on the previous face: the source reverts and an `error`
   * event reports why, without a state change. Never rejects.
   */
  async setSource(source: FaceSource | null): Promise<void> {
    const previous = this.#snapshot.source;
    if (sameSource(previous, source)) return;
    this.#update({ source });
    const run = this.#run;
    if ((!run || run.finished) && source) this.#prepare(source);
    // Before join the new source is picked up by #applySource on the way to `waiting`.
    if (!run || run.finished || !run.joined || !source) return;
    try {
      await this.#applySource(run, source);
    } catch (error) {
      if (run.finished) return;
      if (this.#snapshot.source === source) this.#update({ source: run.appliedSource });
      this.#reportRecoverable(error, 'upstream-error');
    }
  }

  /** A camera that cannot be opened leaves the current one on (reported as an `error` event). Never rejects. */
  async switchCamera(deviceId?: string): Promise<void> {
    const run = this.#run;
    const current = run?.facing ?? this.#snapshot.facing ?? this.options.camera;
    const facing: CameraFacing = deviceId ? current : current === 'user' ? 'environment' : 'user';
    const remember = () => {
      const { cameraDeviceId: _previousDevice, ...withoutDevice } = this.options;
      this.options = deviceId ? { ...this.options, cameraDeviceId: deviceId } : { ...withoutDevice, camera: facing };
    };
    if (!run || run.finished || !run.media) return remember();
    await this.#queueMedia(run, async () => {
      const stream = await this.#captureDuringRun({ video: { config: this.options.video, facing, deviceId } });
      const video = stream?.getVideoTracks()[0];
      if (!video) return;
      if (run.finished || !run.media) return video.stop();
      const old = run.media.video;
      run.media = { ...run.media, video };
      run.facing = trackFacing(video) ?? facing;
      this.#watchTrackEnded(run, video);
      try {
        if (run.published) await run.transport?.publish(run.media);
      } finally {
        old.stop(); // also when publishing failed: the session then ends and releases only run.media
      }
      remember();
      this.#update({ localStream: new MediaStream([video]), facing: run.facing });
    });
  }

  /** A microphone that cannot be opened leaves the mic off (reported as an `error` event). Never rejects. */
  async setMicEnabled(enabled: boolean): Promise<void> {
    const run = this.#run;
    const remember = () => {
      this.options = { ...this.options, mic: enabled };
      this.#update({ micEnabled: enabled });
    };
    if (!run || run.finished || !run.media) return remember();
    await this.#queueMedia(run, async () => {
      if (!run.media || run.finished || Boolean(run.media.audio) === enabled) return;
      if (enabled) {
        const audio = (await this.#captureDuringRun({ audio: true }))?.getAudioTracks()[0];
        if (!audio) return;
        if (run.finished || !run.media) return audio.stop();
        run.media = { ...run.media, audio };
        if (run.published) await run.transport?.publish(run.media);
      } else {
        const { audio, ...videoOnly } = run.media;
        run.media = videoOnly;
        try {
          if (run.published) await run.transport?.publish(run.media);
        } finally {
          audio?.stop();
        }
      }
      remember();
    });
  }

  async getStats(): Promise<TransportStats> {
    const transport = this.#run?.finished === false ? this.#run.transport : null;
    return transport ? transport.getStats() : {};
  }

  async signSnapshot(picture: Blob): Promise<Blob> {
    const issued = this.#run?.finished === false ? this.#run.issued : null;
    if (!issued?.signs) return picture;
    const image = `data:${picture.type};base64,${bytesToBase64(new Uint8Array(await picture.arrayBuffer()))}`;
    const signed = await issued.client.sign(issued.id, issued.key, image);
    const prefix = `data:${picture.type};base64,`;
    if (!signed.image?.startsWith(prefix)) throw new FaceswapError('upstream-error', 'The token endpoint answered the signing with another kind of file.');
    return new Blob([base64ToBytes(signed.image.slice(prefix.length))], { type: picture.type });
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.stop();
    this.events.clear();
  }

  // ---- one run: preparing -> connecting -> waiting (-> live via 'first-frame')

  async #execute(run: Run): Promise<void> {
    this.#setState('preparing', { error: null, autoplayBlocked: false, engine: null, sessionId: null, micEnabled: this.options.mic });
    if (this.options.consentPending) throw new FaceswapError('consent-required');
    const pageHide = this.#platform.onPageHide?.(() => this.#onPageHide(run));
    if (pageHide) run.cleanups.push(pageHide);

    const [, credentials] = await Promise.all([this.#acquireCamera(run), this.#obtainCredentials(run)]);
    if (run.finished || !run.media) return;

    this.#setState('connecting');
    const transport = (await this.#takePrepared(credentials.engine)) ?? (await this.#platform.transportFactory(credentials.engine, this.#transportOptions()));
    if (run.finished) return void transport.leave();
    run.transport = transport;
    this.#listen(run, transport);
    await transport.join(credentials.rtc, run.abort.signal);
    if (run.finished) return;
    run.joined = true;

    await this.#applySource(run, this.#snapshot.source);
    if (run.finished || !run.media) return;
    await transport.publish(run.media);
    if (run.finished) return;
    run.published = true;

    this.#setState('waiting', { waitingSince: this.#platform.now(), queued: run.swapStatus === 'queued' });
    this.#startWatchdog(run);
    if (run.issued) this.#scheduleHeartbeat(run, run.issued);
    if (run.firstFrame) this.#goLive(run);
  }

  async #acquireCamera(run: Run): Promise<void> {
    const { video: config, camera, cameraDeviceId, mic } = this.options;
    const stream = await capture(this.#platform, { video: { config, facing: camera, deviceId: cameraDeviceId }, audio: mic });
    const [video] = stream.getVideoTracks();
    const [audio] = stream.getAudioTracks();
    if (run.finished || !video) {
      // Stopped while the permission prompt was open: release what arrived late.
      for (const track of stream.getTracks()) track.stop();
      if (!video && !run.finished) throw new FaceswapError('camera-not-found');
      return;
    }
    run.media = audio ? { video, audio } : { video };
    run.facing = trackFacing(video) ?? camera;
    this.#watchTrackEnded(run, video);
    this.#update({ localStream: new MediaStream([video]), facing: run.facing, micEnabled: Boolean(audio) });
  }

  async #obtainCredentials(run: Run): Promise<{ engine: EngineName; rtc: RtcCredentials }> {
    const { credentials, tokenProvider, tokenEndpoint, engine } = this.options;
    if (credentials) return { engine: engine === 'local' ? 'local' : 'akool', rtc: credentials };

    const source = this.#snapshot.source;
    if (!tokenProvider && !tokenEndpoint) {
      throw new FaceswapError('unauthorized', 'No token endpoint, token provider or credentials are configured.');
    }
    if (!source) throw new FaceswapError('invalid-source', 'Choose a source face before starting.');
    const signal = run.abort.signal;
    let grant: SessionGrant;
    if (tokenProvider) {
      grant = await tokenProvider({ source, signal });
    } else {
      const client = new EndpointClient(tokenEndpoint!, this.#platform.fetch);
      // Not cancelled by stop: the server may create the session anyway, and only its answer lets us close it.
      grant = await client.createSession(source);
      const issued = { client, id: grant.sessionId, key: grant.sessionKey, signs: grant.c2pa === true };
      if (run.finished) {
        // Stopped while the request was in flight: the server session exists, so close it now.
        void client.close(issued.id, issued.key).catch(() => {});
        throw new DOMException('The session was stopped.', 'AbortError');
      }
      run.issued = issued;
    }
    if (run.finished) throw new DOMException('The session was stopped.', 'AbortError');
    run.appliedSource = source;
    const chosen: EngineName = engine === 'auto' ? grant.engine : engine;
    this.#update({ engine: chosen, sessionId: grant.sessionId });
    if (grant.status === 'failed') throw new FaceswapError('swap-failed');
    run.swapStatus = grant.status === 'queued' ? 'queued' : 'ready';
    return { engine: chosen, rtc: grant.rtc };
  }

  /** Brings the server and the transport to the current source (used at join and on `setSource`). */
  async #applySource(run: Run, source: FaceSource | null): Promise<void> {
    if (!source) return;
    if (run.issued && !sameSource(source, run.appliedSource)) {
      await run.issued.client.updateSource(run.issued.id, run.issued.key, source, run.abort.signal);
    }
    if (run.finished) return;
    await run.transport?.setSource(source);
    run.appliedSource = source;
  }

  // ---- transport events

  #listen(run: Run, transport: RtcTransport): void {
    const handlers: { [K in keyof RtcTransportEventMap]: (detail: RtcTransportEventMap[K]) => void } = {
      'remote-video': (track) => {
        this.#update({ remoteTrack: track });
        if (track) return;
        // The swap worker stopped publishing: wait for it again, under the watchdog.
        run.firstFrame = false;
        if (this.#snapshot.state === 'live' && this.#setState('waiting', { waitingSince: this.#platform.now() })) {
          this.#startWatchdog(run);
        }
      },
      'first-frame': () => {
        run.firstFrame = true;
        if (this.#snapshot.state === 'waiting') this.#goLive(run);
      },
      connection: ({ state, error: cause }) => {
        const current = this.#snapshot.state;
        if (state === 'reconnecting' && (current === 'waiting' || current === 'live')) this.#setState('reconnecting');
        else if (state === 'connected' && current === 'reconnecting') {
          if (run.firstFrame) this.#goLive(run);
          else this.#setState('waiting');
        } else if (state === 'disconnected') {
          const error = cause ?? new FaceswapError('rtc-disconnected');
          if (run.joined) return this.#fail(run, error);
          // A transport whose join fails may report the drop first; the join's own rejection, which follows
          // in the same task, names the real cause and wins. A join still pending after that ends here.
          const timer = setTimeout(() => this.#fail(run, error), 0);
          run.cleanups.push(() => clearTimeout(timer));
        }
      },
      'token-will-expire': () => this.events.emit('token-will-expire'),
      'token-expired': () => this.#fail(run, new FaceswapError('rtc-token-expired')),
      'autoplay-failed': () => this.#update({ autoplayBlocked: true }),
      error: (error) => this.#fail(run, error),
    };
    for (const type of Object.keys(handlers) as Array<keyof RtcTransportEventMap>) {
      // Each handler ignores everything once its run has finished.
      const handler: RtcTransportListener<typeof type> = (detail) => {
        if (!run.finished) (handlers[type] as (d: unknown) => void)(detail);
      };
      transport.on(type, handler);
      run.cleanups.push(() => transport.off(type, handler));
    }
  }

  #goLive(run: Run): void {
    clearTimeout(run.watchdog);
    run.swapStatus = 'ready'; // the worker's video is the proof
    this.#setState('live', { waitingSince: null, queued: false });
  }

  /**
   * While the swap service queues the session, only the queue limit runs; the swapped-video limit starts when
   * it says the session is ready (the video arriving goes live either way).
   */
  #startWatchdog(run: Run): void {
    clearTimeout(run.watchdog);
    const queued = run.swapStatus === 'queued';
    const limit = queued ? this.options.queueTimeoutMs : this.options.swapTimeoutMs;
    const message = queued ? `The face swap service kept the session queued for ${Math.round(limit / 1000)} s.` : undefined;
    run.watchdog = setTimeout(() => this.#fail(run, new FaceswapError('swap-timeout', message)), limit);
  }

  /** A status from a heartbeat: `ready` ends the queue, `failed` and `ended` end the session. */
  #onSwapStatus(run: Run, status: SwapStatus): void {
    if (status === 'failed') return this.#fail(run, new FaceswapError('swap-failed'));
    if (status === 'ended') {
      this.#setState('ending');
      void this.#release(run, 'stop').then(() => this.#setState('ended'));
      return;
    }
    if (status !== 'ready' || run.swapStatus !== 'queued') return;
    run.swapStatus = 'ready';
    this.#update({ queued: false });
    if (this.#snapshot.state === 'waiting' && !run.firstFrame) this.#startWatchdog(run);
  }

  #scheduleHeartbeat(run: Run, issued: IssuedSession): void {
    // While queued, the heartbeat doubles as the status poll.
    const delay = run.swapStatus === 'queued' ? Math.min(this.options.statusPollMs, this.options.heartbeatMs) : this.options.heartbeatMs;
    run.heartbeat = setTimeout(async () => {
      try {
        const answer = await issued.client.heartbeat(issued.id, issued.key, run.abort.signal);
        run.heartbeatFailures = 0;
        if (run.finished) return;
        this.#onSwapStatus(run, answer.status);
      } catch (error) {
        if (run.finished) return;
        const failure = toFaceswapError(error, 'endpoint-unreachable');
        run.heartbeatFailures += 1;
        if (SESSION_GONE_CODES.has(failure.code) || run.heartbeatFailures >= HEARTBEAT_FAILURES_TOLERATED) {
          return this.#fail(run, failure);
        }
      }
      if (!run.finished) this.#scheduleHeartbeat(run, issued);
    }, delay);
  }

  #watchTrackEnded(run: Run, track: MediaStreamTrack): void {
    // `ended` fires when the device goes away or permission is revoked, never for our own stop().
    const onEnded = () => {
      if (run.media?.video === track) {
        this.#fail(run, new FaceswapError('camera-not-found', 'The camera stopped delivering video.'));
      }
    };
    track.addEventListener('ended', onEnded);
    run.cleanups.push(() => track.removeEventListener('ended', onEnded));
  }

  #onPageHide(run: Run): void {
    if (run.finished || run !== this.#run) return;
    this.#setState('ending');
    void this.#release(run, 'pagehide').then(() => this.#setState('ended'));
  }

  // ---- ending a run

  #fail(run: Run, error: unknown): void {
    // A finished run's failures are the echo of its own cancellation (aborted fetch, aborted join).
    if (run.finished || run !== this.#run) return;
    const info = toFaceswapError(error, 'upstream-error').toJSON();
    void this.#release(run, 'error');
    this.#setState('error', { error: info });
    this.events.emit('error', info);
  }

  /**
   * Everything a run holds is released here, on every exit path. Local tracks stop synchronously (the
   * camera light goes off at once); leaving the channel and closing the server session follow.
   */
  #release(run: Run, mode: ReleaseMode): Promise<void> {
    run.finished = true;
    run.abort.abort();
    clearTimeout(run.watchdog);
    clearTimeout(run.heartbeat);
    for (const cleanup of run.cleanups.splice(0)) cleanup();
    if (run.media) for (const track of [run.media.video, run.media.audio]) track?.stop();
    run.media = null;
    this.#update({ localStream: null, remoteTrack: null, waitingSince: null, queued: false });

    const { transport, issued } = run;
    const beaconSent = mode === 'pagehide' && issued !== null && this.#sendCloseBeacon(issued);
    this.#teardown = (async () => {
      await transport?.leave().catch(() => {});
      if (issued && !beaconSent) await issued.client.close(issued.id, issued.key).catch(() => {});
      if (this.#run === run) this.#run = null;
    })();
    return this.#teardown;
  }

  #sendCloseBeacon(issued: IssuedSession): boolean {
    const { url, body } = issued.client.closeBeacon(issued.id, issued.key);
    return this.#platform.sendBeacon?.(url, body) ?? false;
  }

  // ---- before Start

  /**
   * While the visitor is still choosing (a source is set, no session runs), the transport of the engine the
   * session will run on is created now and prepares for the source (the local engine loads its face model
   * and analyses the face), so Start waits only for the camera and the first landmarks. The engine is the
   * `engine` option, or with `auto` what the token endpoint says it grants (`GET /health`). Never touches
   * the camera. Best effort: whatever fails here is left for the run to meet and report.
   */
  #prepare(source: FaceSource): void {
    if (this.#disposed) return;
    if (this.#prepared) {
      void this.#prepared.transport.then((transport) => transport?.prepare?.(source)).catch(() => {});
      return;
    }
    const prepareTransport = this.#platform.prepareTransport;
    if (!prepareTransport) return;
    const abort = new AbortController();
    const transport = (async () => {
      const engine = await this.#expectedEngine(abort.signal);
      const created = engine && !abort.signal.aborted ? await prepareTransport(engine, this.#transportOptions()) : null;
      if (created && abort.signal.aborted) {
        void created.leave().catch(() => {});
        return null;
      }
      void created?.prepare?.(source).catch(() => {});
      return created;
    })().catch(() => null);
    this.#prepared = { abort, transport };
  }

  /** The engine the next session will run on, when that is known before it starts. */
  async #expectedEngine(signal: AbortSignal): Promise<EngineName | null> {
    const { engine, credentials, tokenProvider, tokenEndpoint } = this.options;
    if (engine !== 'auto') return engine;
    if (credentials || tokenProvider || !tokenEndpoint) return null;
    return new EndpointClient(tokenEndpoint, this.#platform.fetch).engine(signal);
  }

  /** The prepared transport, when it is for `engine`; any other is released. */
  async #takePrepared(engine: EngineName): Promise<RtcTransport | null> {
    const prepared = this.#prepared;
    this.#prepared = null;
    const transport = await prepared?.transport;
    if (!transport) return null;
    if (transport.engine === engine) return transport;
    void transport.leave().catch(() => {});
    return null;
  }

  #releasePrepared(): void {
    const prepared = this.#prepared;
    this.#prepared = null;
    prepared?.abort.abort();
    void prepared?.transport.then((transport) => transport?.leave()).catch(() => {});
  }

  // ---- helpers

  #transportOptions() {
    const { joinTimeoutMs, video, remoteAudio } = this.options;
    return remoteAudio ? { joinTimeoutMs, video, remoteAudio } : { joinTimeoutMs, video };
  }

  #createRun(): Run {
    return {
      abort: new AbortController(),
      finished: false,
      media: null,
      facing: this.options.camera,
      transport: null,
      joined: false,
      published: false,
      issued: null,
      appliedSource: null,
      firstFrame: false,
      swapStatus: 'ready',
      watchdog: undefined,
      heartbeat: undefined,
      heartbeatFailures: 0,
      mediaQueue: Promise.resolve(),
      cleanups: [],
    };
  }

  /** Media changes run one at a time; a failure to publish the change ends the session. */
  #queueMedia(run: Run, task: () => Promise<void>): Promise<void> {
    run.mediaQueue = run.mediaQueue.then(task).catch((error: unknown) => this.#fail(run, error));
    return run.mediaQueue as Promise<void>;
  }

  /** Capture for a running session; a failure is reported and answers null (the session goes on). */
  async #captureDuringRun(request: Parameters<typeof capture>[1]): Promise<MediaStream | null> {
    try {
      return await capture(this.#platform, request);
    } catch (error) {
      this.#reportRecoverable(error, 'camera-not-found');
      return null;
    }
  }

  /** An error the session survives: reported as a non-fatal `error` event, with no state change. */
  #reportRecoverable(error: unknown, fallback: FaceswapErrorInfo['code']): void {
    this.events.emit('error', { ...toFaceswapError(error, fallback).toJSON(), fatal: false });
  }

  /**
   * Applies a guarded transition, together with the snapshot fields that belong to it (one `change`);
   * returns false and changes nothing when the transition is not allowed.
   */
  #setState(next: SessionState, patch: Partial<SessionSnapshot> = {}): boolean {
    const previous = this.#snapshot.state;
    if (!TRANSITIONS[previous].includes(next)) return false;
    this.#update({ ...patch, state: next });
    this.events.emit('state-change', { state: next, previous });
    return true;
  }

  #update(patch: Partial<SessionSnapshot>): void {
    const current = this.#snapshot as unknown as Record<string, unknown>;
    const changed = Object.entries(patch).some(([key, value]) => current[key] !== value);
    if (!changed) return;
    this.#snapshot = { ...this.#snapshot, ...patch };
    this.events.emit('change', this.#snapshot);
  }
}

function toFaceswapError(error: unknown, fallback: FaceswapErrorInfo['code']): FaceswapError {
  if (isFaceswapError(error)) return error;
  return new FaceswapError(fallback, undefined, { cause: error });
}
