import { FaceswapError } from '../core/errors.js';
import type { EngineName, FaceSource, RtcCredentials } from '../core/protocol.js';
import { EventSource } from '../core/emitter.js';
import type {
  LocalMedia,
  RtcTransport,
  RtcTransportEventMap,
  RtcTransportListener,
  TransportConnectionState,
  TransportOptions,
  TransportStats,
} from './transport.js';

/**
 * A scriptable RtcTransport for tests and Storybook: no network, no SDK. With `remote: 'echo'` the "swapped"
 * video is a clone of the published camera track, so a whole session runs offline.
 */
export interface FakeTransportOptions extends TransportOptions {
  engine?: EngineName;
  /** How long `join` takes before it resolves or fails. */
  joinDelayMs?: number;
  /** `join` rejects with this after `joinDelayMs`. */
  joinError?: FaceswapError;
  /** Report the connection as `disconnected` just before `join` rejects with `joinError` (as LocalTransport does). */
  disconnectOnJoinError?: boolean;
  /** `join` never settles on its own (like the Agora SDK offline); with `joinTimeoutMs` it rejects `rtc-join-timeout`. */
  joinHangs?: boolean;
  /** `echo`: deliver a clone of the published camera as the remote video; `none`: never deliver one. */
  remote?: 'echo' | 'none';
  /** Delay between delivering the remote track and reporting its first frame. */
  firstFrameDelayMs?: number;
}

export class FakeTransport extends EventSource<RtcTransportEventMap> implements RtcTransport {
  readonly engine: EngineName;
  /** Every method call, in order: `join`, `publish`, `setSource`, `getStats`, `leave`. */
  readonly calls: string[] = [];
  credentials: RtcCredentials | null = null;
  readonly published: LocalMedia[] = [];
  readonly sources: FaceSource[] = [];
  /** Every remote track delivered, so tests can check that all of them were stopped. */
  readonly delivered: MediaStreamTrack[] = [];
  joined = false;
  left = false;

  readonly #options: FakeTransportOptions;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #remoteTrack: MediaStreamTrack | null = null;
  #echoedTrack: MediaStreamTrack | null = null;
  #cancelJoin: (() => void) | null = null;
  /** The listeners registered, by event type (what `listenerCount` reports). */
  readonly #attached = new Map<keyof RtcTransportEventMap, Set<unknown>>();

  constructor(options: FakeTransportOptions = {}) {
    super();
    this.#options = options;
    this.engine = options.engine ?? 'akool';
  }

  override on<K extends keyof RtcTransportEventMap>(type: K, listener: RtcTransportListener<K>): () => void {
    const listeners = this.#attached.get(type) ?? new Set();
    this.#attached.set(type, listeners.add(listener));
    return super.on(type, listener);
  }

  override off<K extends keyof RtcTransportEventMap>(type: K, listener: RtcTransportListener<K>): void {
    this.#attached.get(type)?.delete(listener);
    super.off(type, listener);
  }

  /** Listeners still registered (a controller must leave none behind). */
  listenerCount(): number {
    return [...this.#attached.values()].reduce((total, listeners) => total + listeners.size, 0);
  }

  /** The remote track this fake delivered last (stopped on `leave`). */
  get remoteTrack(): MediaStreamTrack | null {
    return this.#remoteTrack;
  }

  join(credentials: RtcCredentials, signal: AbortSignal): Promise<void> {
    this.calls.push('join');
    this.credentials = credentials;
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: unknown) => {
        signal.removeEventListener('abort', onAbort);
        this.#cancelJoin = null;
        if (error === undefined) {
          this.joined = true;
          resolve();
        } else reject(error);
      };
      const onAbort = () => finish(new DOMException('The join was cancelled.', 'AbortError'));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort);
      this.#cancelJoin = onAbort;
      const { joinHangs, joinTimeoutMs, joinDelayMs = 0, joinError } = this.#options;
      if (joinHangs) {
        if (joinTimeoutMs !== undefined) this.#later(joinTimeoutMs, () => finish(new FaceswapError('rtc-join-timeout')));
        return;
      }
      this.#later(joinDelayMs, () => {
        if (joinError && this.#options.disconnectOnJoinError) this.emitConnection('disconnected');
        finish(joinError);
      });
    });
  }

  async publish(media: LocalMedia): Promise<void> {
    this.calls.push('publish');
    if (!this.joined || this.left) throw new Error('FakeTransport: publish before join');
    this.published.push(media);
    if (this.#options.remote === 'echo' && media.video !== this.#echoedTrack) {
      const firstDelivery = this.#remoteTrack === null;
      this.#echoedTrack = media.video;
      this.deliverRemote(media.video.clone());
      if (firstDelivery) this.#later(this.#options.firstFrameDelayMs ?? 0, () => this.emitFirstFrame());
    }
  }

  async setSource(source: FaceSource): Promise<void> {
    this.calls.push('setSource');
    this.sources.push(source);
  }

  /** Network figures the fake reports with its stats, as the Agora cloud measures them (none by default). */
  network: Pick<TransportStats, 'rttMs' | 'packetLoss'> = {};

  async getStats(): Promise<TransportStats> {
    this.calls.push('getStats');
    const settings = this.#remoteTrack?.getSettings();
    return settings ? { fps: settings.frameRate, width: settings.width, height: settings.height, ...this.network } : {};
  }

  async leave(): Promise<void> {
    this.calls.push('leave');
    this.left = true;
    this.#cancelJoin?.();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#remoteTrack?.stop();
  }

  /** Deliver a remote track (which this fake then owns and stops on `leave`), or `null` for "unpublished". */
  deliverRemote(track: MediaStreamTrack | null): void {
    if (this.#remoteTrack && this.#remoteTrack !== track) this.#remoteTrack.stop();
    this.#remoteTrack = track;
    if (track) this.delivered.push(track);
    this.events.emit('remote-video', track);
  }

  emitFirstFrame(): void {
    this.events.emit('first-frame');
  }

  /** Reports a connection change; `error` is the cause of a `disconnected` (as a real transport maps it). */
  emitConnection(state: TransportConnectionState, error?: FaceswapError): void {
    this.events.emit('connection', error === undefined ? { state } : { state, error });
  }

  emitTokenWillExpire(): void {
    this.events.emit('token-will-expire');
  }

  emitTokenExpired(): void {
    this.events.emit('token-expired');
  }

  emitAutoplayFailed(): void {
    this.events.emit('autoplay-failed');
  }

  /** A failure after join (what a transport reports when the connection cannot be recovered). */
  failWith(error: FaceswapError): void {
    this.events.emit('error', error);
  }

  #later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.add(timer);
  }
}
