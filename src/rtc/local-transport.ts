import { engineAssetUrls, type EngineAssetUrls } from '../engine/assets.js';
import { FaceSwapEngine, SourceFaceError, type EngineOptions, type EngineStats } from '../engine/engine.js';
import { webgl2Available } from '../engine/renderer.js';
import { FaceswapError } from '../core/errors.js';
import type { FaceSource, RtcCredentials } from '../core/protocol.js';
import { Emitter } from '../core/emitter.js';
import type {
  LocalMedia,
  RtcTransport,
  RtcTransportEventMap,
  RtcTransportListener,
  TransportConnectionState,
  TransportOptions,
  TransportStats,
} from './transport.js';

export interface LocalTransportOptions extends TransportOptions, EngineOptions {
  /**
   * Base URL under which the engine's files are hosted (default `/faceswap-engine/`): `human/human.esm.js`,
   * `human-models/` and `tfjs-wasm/`, copied or routed from node_modules (see src/server/engine-assets.ts).
   */
  assetBaseUrl?: string;
  /** Exact URLs per asset, overriding `assetBaseUrl` (for example straight from `/node_modules/`). */
  assetUrls?: Partial<EngineAssetUrls>;
}

function abortError(): DOMException {
  return new DOMException('The join was cancelled.', 'AbortError');
}

/**
 * The `local` engine behind the same contract as Agora's transport: no network; "joining" loads the face
 * model, "publishing" starts the in-browser swap of the camera, and the "remote" video is the swapped canvas
 * track. Until a source face is set, camera frames pass through unchanged.
 */
export class LocalTransport implements RtcTransport {
  readonly engine = 'local' as const;
  readonly #options: LocalTransportOptions;
  readonly #events = new Emitter<RtcTransportEventMap>();
  #engine: FaceSwapEngine | null = null;
  #connection: TransportConnectionState = 'disconnected';
  #source: FaceSource | null = null;
  #left = false;

  constructor(options: LocalTransportOptions = {}) {
    this.#options = options;
  }

  on<K extends keyof RtcTransportEventMap>(type: K, listener: RtcTransportListener<K>): void {
    this.#events.on(type, listener);
  }

  off<K extends keyof RtcTransportEventMap>(type: K, listener: RtcTransportListener<K>): void {
    this.#events.off(type, listener);
  }

  async join(credentials: RtcCredentials, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw abortError();
    if (!credentials || typeof credentials !== 'object' || typeof credentials.channel !== 'string') {
      throw new FaceswapError('rtc-credentials', 'The local engine needs session credentials with a channel.');
    }
    if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined' || !webgl2Available()) {
      throw new FaceswapError('unsupported-browser');
    }
    this.#left = false;
    this.#setConnection('connecting');
    const urls = { ...engineAssetUrls(this.#options.assetBaseUrl), ...this.#options.assetUrls };
    let engine: FaceSwapEngine;
    try {
      engine = new FaceSwapEngine(urls, this.#options);
    } catch (error) {
      this.#setConnection('disconnected');
      throw new FaceswapError('unsupported-browser', undefined, { cause: error });
    }
    this.#engine = engine;
    engine.onFirstFrame = () => {
      this.#events.emit('remote-video', engine.track);
      this.#events.emit('first-frame');
    };
    engine.onError = (error) => this.#events.emit('error', new FaceswapError('swap-failed', undefined, { cause: error }));

    let onAbort = () => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        engine.ready,
        new Promise<never>((_, reject) => {
          onAbort = () => reject(abortError());
          signal.addEventListener('abort', onAbort, { once: true });
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new FaceswapError('rtc-join-timeout', 'The face model did not load in time.')), this.#options.joinTimeoutMs ?? 30000);
        }),
      ]);
    } catch (error) {
      this.#release();
      this.#setConnection('disconnected');
      if (this.#left || (error instanceof DOMException && error.name === 'AbortError')) throw abortError();
      if (error instanceof FaceswapError) throw error;
      // WebGL2 is missing (for example headless Firefox), or the model files did not load (not hosted where
      // assetBaseUrl points).
      if (error instanceof Error && /WebGL/.test(error.message)) throw new FaceswapError('unsupported-browser', undefined, { cause: error });
      throw new FaceswapError('swap-failed', 'The face model could not be loaded.', { cause: error });
    } finally {
      signal.removeEventListener('abort', onAbort);
      clearTimeout(timer);
    }
    if (this.#left) throw abortError();
    this.#setConnection('connected');
    if (this.#source) await this.#applySource(this.#source).catch((error: FaceswapError) => this.#events.emit('error', error));
  }

  async publish(media: LocalMedia): Promise<void> {
    if (!this.#engine) throw new FaceswapError('rtc-disconnected', 'Publish before join.');
    this.#engine.start(media.video);
  }

  async setSource(source: FaceSource): Promise<void> {
    this.#source = source;
    if (this.#engine && this.#connection === 'connected') await this.#applySource(source);
  }

  async getStats(): Promise<TransportStats> {
    const stats = this.#engine?.stats();
    if (!stats) return {};
    return { fps: Math.round(stats.fps), width: stats.width, height: stats.height };
  }

  /** The engine's own figures (landmark rate, per-frame cost), beyond the RtcTransport contract; for benchmarks. */
  engineStats(): EngineStats | null {
    return this.#engine?.stats() ?? null;
  }

  /** Main-thread milliseconds per output frame since the last call; for benchmarks. */
  takeFrameTimings(): number[] {
    return this.#engine?.takeFrameTimings() ?? [];
  }

  async leave(): Promise<void> {
    this.#left = true;
    this.#release();
    this.#setConnection('disconnected');
  }

  async #applySource(source: FaceSource): Promise<void> {
    try {
      await this.#engine?.setSource(source.path);
    } catch (error) {
      if (error instanceof SourceFaceError) throw new FaceswapError('no-face', undefined, { cause: error });
      throw new FaceswapError('invalid-source', 'The source image could not be loaded.', { cause: error });
    }
  }

  #release(): void {
    this.#engine?.dispose();
    this.#engine = null;
  }

  #setConnection(state: TransportConnectionState): void {
    if (state === this.#connection) return;
    this.#connection = state;
    this.#events.emit('connection', { state });
  }
}
