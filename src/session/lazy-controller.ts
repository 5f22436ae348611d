import { EventSource } from '../core/emitter.js';
import type { TransportStats } from '../rtc/transport.js';
import { DEFAULT_SESSION_OPTIONS, idleSnapshot } from './defaults.js';
import { FaceswapError, isFaceswapError } from '../core/errors.js';
import type { FaceSource } from '../core/protocol.js';
import type { SessionControllerApi, SessionEventMap, SessionOptions, SessionSnapshot } from './session-api.js';

const EVENT_TYPES: ReadonlyArray<keyof SessionEventMap> = ['state-change', 'error', 'change', 'token-will-expire'];

/**
 * Stands in for a `SessionController` whose module is loaded with `import()` when a session first needs it,
 * so a page that only shows the elements does not load the session core. Until then it answers as an idle
 * controller does (the same snapshot and options); listeners are kept and then follow the real controller;
 * every call that needs the controller waits for it and reaches it in the order the calls were made.
 */
export class LazySessionController extends EventSource<SessionEventMap> implements SessionControllerApi {
  readonly #initialOptions: Partial<SessionOptions>;
  readonly #idle: SessionSnapshot;
  readonly #create: (options: Partial<SessionOptions>) => Promise<SessionControllerApi>;
  #options: SessionOptions;
  #loading: Promise<SessionControllerApi> | null = null;
  #controller: SessionControllerApi | null = null;
  #disposed = false;

  /**
   * @param options What the controller is created with (as for `new SessionController(options)`).
   * @param create Loads the controller module and creates the controller with these options.
   */
  constructor(options: Partial<SessionOptions>, create: (options: Partial<SessionOptions>) => Promise<SessionControllerApi>) {
    super();
    this.#initialOptions = options;
    this.#options = { ...DEFAULT_SESSION_OPTIONS, ...options };
    this.#idle = idleSnapshot(this.#options.mic);
    this.#create = create;
  }

  get snapshot(): SessionSnapshot {
    return this.#controller?.snapshot ?? this.#idle;
  }

  get options(): SessionOptions {
    return this.#controller?.options ?? this.#options;
  }

  set options(options: SessionOptions) {
    if (this.#controller) this.#controller.options = options;
    else this.#options = options;
  }

  async start(): Promise<void> {
    if (!this.#disposed) await this.#call((controller) => controller.start());
  }

  /** Nothing can run before the controller was asked for, so there is then nothing to stop. */
  async stop(): Promise<void> {
    if (this.#loading) await this.#call((controller) => controller.stop());
  }

  async setSource(source: FaceSource | null): Promise<void> {
    await this.#call((controller) => controller.setSource(source));
  }

  async switchCamera(deviceId?: string): Promise<void> {
    await this.#call((controller) => controller.switchCamera(deviceId));
  }

  async setMicEnabled(enabled: boolean): Promise<void> {
    await this.#call((controller) => controller.setMicEnabled(enabled));
  }

  async getStats(): Promise<TransportStats> {
    return (this.#loading && (await this.#call((controller) => controller.getStats()))) || {};
  }

  /** Nothing signs before a session ran, so the picture stays as it is until the controller exists. */
  async signSnapshot(picture: Blob): Promise<Blob> {
    return this.#controller ? this.#controller.signSnapshot(picture) : picture;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    if (this.#loading) await this.#call((controller) => controller.dispose());
    this.events.clear();
  }

  /** Runs `task` on the controller once it is there; a module that failed to load was reported already. */
  async #call<T>(task: (controller: SessionControllerApi) => Promise<T>): Promise<T | undefined> {
    let controller: SessionControllerApi;
    try {
      controller = await this.#load();
    } catch {
      return undefined;
    }
    return task(controller);
  }

  #load(): Promise<SessionControllerApi> {
    this.#loading ??= this.#create(this.#initialOptions).then(
      (controller) => {
        // Options changed while the module loaded apply as they would have to a controller created at once.
        controller.options = this.#options;
        for (const type of EVENT_TYPES) {
          controller.on(type, (detail) => (this.events.emit as (type: keyof SessionEventMap, detail: unknown) => void)(type, detail));
        }
        this.#controller = controller;
        return controller;
      },
      (error: unknown) => {
        // Like any other failed request: reported, and the next call tries again (the session stays idle).
        this.#loading = null;
        const failure = isFaceswapError(error) ? error : new FaceswapError('endpoint-unreachable', undefined, { cause: error });
        this.events.emit('error', failure.toJSON());
        throw error;
      },
    );
    return this.#loading;
  }
}
