import { engineAssetUrls, type EngineAssetUrls } from '../engine/assets.js';
import { FaceSwapEngine, SourceFaceError, type EngineOptions } from '../engine/engine.js';
import { webgl2Available } from '../engine/renderer.js';
import { abortError, FaceswapError } from '../core/errors.js';
import type { FaceSource, RtcCredentials } from '../core/protocol.js';
import { EventSource } from '../core/emitter.js';
import type { LocalMedia, RtcTransport, RtcTransportEventMap, TransportConnectionState, TransportOptions, TransportStats } from './transport.js';
import { DEFAULT_JOIN_TIMEOUT_MS } from './transport.js';

export interface LocalTransportOptions extends TransportOptions, EngineOptions {
  /**
   * Base URL under which the engine's files are hosted (default `/faceswap-engine/`): `human/human.esm.js`,
   * `human-models/`, `tfjs-wasm/` and `mesh-model/`, copied or routed from node_modules (see src/server/engine-assets.ts).
   */
  assetBaseUrl?: string;
  /** Exact URLs per asset, overriding `assetBaseUrl` (for example straight from `/node_modules/`). */
  assetUrls?: Partial<EngineAssetUrls>;
}

/** Why the face model did not load: WebGL2 missing (for example headless Firefox), or its files not hosted where assetBaseUrl points. */
function engineLoadError(error: unknown): FaceswapError {
  if (error instanceof FaceswapError) return error;
  if (error instanceof Error && /WebGL/.test(error.message)) return new FaceswapError('unsupported-browser', undefined, { cause: error });
  return new FaceswapError('swap-failed', 'The face model could not be loaded.', { cause: error });
}

/**
 * The `local` engine behind the same contract as Agora's transport: no network; "joining" loads the face
 * model, "publishing" starts the in-browser swap of the camera, and the "remote" video is the swapped canvas
 * track. Until a source face is set, camera frames pass through unchanged.
 */
export class LocalTransport extends EventSource<RtcTransportEventMap> implements RtcTransport {
  readonly engine = 'local' as const;
  readonly #options: LocalTransportOptions;
  #engine: FaceSwapEngine | null = null;
  #connection: TransportConnectionState = 'disconnected';
  #source: FaceSource | null = null;
  /** The source image the engine has (or is analysing), so join does not analyse a prepared one again. */
  #applied: { engine: FaceSwapEngine; path: string; done: Promise<void> } | null = null;
  #left = false;

  constructor(options: LocalTransportOptions = {}) {
    super();
    this.#options = options;
  }

  /** The engine runs in this page, so there is no channel to join: the credentials are not needed. */
  async join(_credentials: RtcCredentials, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw abortError('The join was cancelled.');
    this.#left = false;
    this.#setConnection('connecting');
    let engine: FaceSwapEngine;
    try {
      // Prepared ahead (see prepare): the model is loaded or loading already.
      engine = this.#engine ?? this.#createEngine();
    } catch (error) {
      this.#setConnection('disconnected');
      throw error;
    }

    let onAbort = () => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        engine.ready,
        new Promise<never>((_, reject) => {
          onAbort = () => reject(abortError('The join was cancelled.'));
          signal.addEventListener('abort', onAbort, { once: true });
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new FaceswapError('rtc-join-timeout', 'The face model did not load in time.')),
            this.#options.joinTimeoutMs ?? DEFAULT_JOIN_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (error) {
      this.#release();
      this.#setConnection('disconnected');
      if (this.#left || (error instanceof DOMException && error.name === 'AbortError')) throw abortError('The join was cancelled.');
      if (error instanceof FaceswapError) throw error;
      throw engineLoadError(error);
    } finally {
      signal.removeEventListener('abort', onAbort);
      clearTimeout(timer);
    }
    if (this.#left) throw abortError('The join was cancelled.');
    this.#setConnection('connected');
    if (this.#source) await this.#applySource(this.#source).catch((error: FaceswapError) => this.events.emit('error', error));
  }

  /**
   * Loads the face model and the source face ahead of `join`, without the camera or any network session, so
   * that Start then waits only for the camera and the first landmarks. `leave` releases what it loaded.
   * Rejects with the error `join` would have given (`unsupported-browser`, `no-face`, ...).
   */
  async prepare(source: FaceSource): Promise<void> {
    this.#source = source;
    const engine = this.#engine ?? this.#createEngine();
    try {
      await engine.ready;
    } catch (error) {
      if (this.#engine === engine) this.#release();
      throw engineLoadError(error);
    }
    if (this.#engine === engine && this.#source === source) await this.#applySource(source);
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
    const { fps, width, height, ...engine } = stats;
    return { fps: Math.round(fps), width, height, engine };
  }

  async leave(): Promise<void> {
    this.#left = true;
    this.#release();
    this.#setConnection('disconnected');
  }

  /** Gives the engine `source`; the same image applied (or being applied) already is not analysed again. */
  #applySource(source: FaceSource): Promise<void> {
    const engine = this.#engine;
    if (!engine) return Promise.resolve();
    if (this.#applied?.engine === engine && this.#applied.path === source.path) return this.#applied.done;
    const done = engine.setSource(source.path).catch((error: unknown) => {
      if (this.#applied?.done === done) this.#applied = null;
      if (error instanceof SourceFaceError) throw new FaceswapError('no-face', undefined, { cause: error });
      throw new FaceswapError('invalid-source', 'The source image could not be loaded.', { cause: error });
    });
    this.#applied = { engine, path: source.path, done };
    return done;
  }

  /** Starts loading the face model (a worker); throws `unsupported-browser` where the engine cannot run. */
  #createEngine(): FaceSwapEngine {
    if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined' || !webgl2Available()) {
      throw new FaceswapError('unsupported-browser');
    }
    const urls = { ...engineAssetUrls(this.#options.assetBaseUrl), ...this.#options.assetUrls };
    let engine: FaceSwapEngine;
    try {
      engine = new FaceSwapEngine(urls, this.#options);
    } catch (error) {
      throw new FaceswapError('unsupported-browser', undefined, { cause: error });
    }
    this.#engine = engine;
    engine.onFirstFrame = () => {
      this.events.emit('remote-video', engine.track);
      this.events.emit('first-frame');
    };
    engine.onError = (error) => this.events.emit('error', new FaceswapError('swap-failed', undefined, { cause: error }));
    return engine;
  }

  #release(): void {
    this.#engine?.dispose();
    this.#engine = null;
    this.#applied = null;
  }

  #setConnection(state: TransportConnectionState): void {
    if (state === this.#connection) return;
    this.#connection = state;
    this.events.emit('connection', { state });
  }
}
