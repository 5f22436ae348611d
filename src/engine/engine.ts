import type { EngineAssetUrls } from './assets.js';
import { isVideoFrame, startFrameSource, type FrameSource } from './frame-source.js';
import { faceMeshConfig } from './human-config.js';
import { FaceComposer, type ComposedFace } from './compose.js';
import { createLandmarkWorker, type FaceLandmarks, type LandmarkBackend, type WorkerReply, type WorkerRequest } from './landmark-worker.js';
import { MESH_POINTS, meshTopology, withRefinedFeatures } from './mesh.js';
import { createOutput, type FrameOutput } from './output.js';
import { FaceRenderer, type Box, type MirrorFill } from './renderer.js';
import { LandmarkTracker } from './tracker.js';

/**
 * The in-browser face swap: camera frames in, swapped frames out as a real MediaStreamTrack. Landmarks run
 * in a worker at whatever rate the machine allows; every camera frame is drawn with the mesh measured on it or
 * predicted for its time, held about one landmark run for that (see #onFrame), so the output keeps the camera's
 * frame rate.
 */

export interface EngineStats {
  /** Output frames per second over the last second. */
  fps: number;
  width: number;
  height: number;
  /** Landmark results per second over the last second. */
  landmarkFps: number;
  /** Main-thread milliseconds per output frame (face warp, compositing; not the landmark hand-off), recent median and p95. */
  frameMsMedian: number;
  frameMsP95: number;
  /** Worker milliseconds per landmark run, recent median. */
  landmarkMsMedian: number;
  /** Whether the last drawn frame showed a swapped face. */
  swapping: boolean;
  /** Landmark runs so far that found no face. */
  landmarkMisses: number;
  /** The tfjs backend the landmark models run on (`wasm` or `webgl`); empty until loaded. */
  landmarkBackend: string;
  /**
   * Whether the source face's lips and eyes' places come from the face mesh with attention
   * (EngineAssetUrls.meshModel); false without a source, until that model has answered (see sourceSettled), and
   * where it could not be loaded, found no face, took too long or found another face than the plain mesh.
   */
  sourceRefined: boolean;
}

export interface EngineOptions {
  /**
   * How far the swapped face takes the source's proportions (eyes, nose, mouth) rather than only its skin,
   * 0..1 (default 0.7). The camera's expressions (blinks, mouth) are kept on top of them.
   */
  shapeTransfer?: number;
  /**
   * Upper bound on landmark runs per second (default: as fast as the worker goes). Between runs the mesh is
   * predicted, so a lower bound trades tracking of quick moves for CPU left to the output.
   */
  maxLandmarkFps?: number;
  /** Where the landmark models run (default `auto`: WebGL on a hardware GPU, else wasm on the CPU). */
  landmarkBackend?: LandmarkBackend;
  /**
   * For measuring the method, never for a live camera: a frame handed to the landmark model waits for its result
   * however long the run takes (live, about one usual run), so the figures do not depend on how busy the machine is.
   */
  measureEveryFrame?: boolean;
}

/**
 * The face mesh of one output frame as the renderer drew it: what quality measurements need to find folds
 * (triangles drawn with the opposite orientation to the source's) and the mask's border.
 */
export interface DrawnMesh {
  /** The camera frame's `VideoFrame.timestamp` (µs); the frame time in ms when frames are not VideoFrames. */
  frameTimestamp: number;
  /** Vertex positions in frame pixels: x0 y0 x1 y1 ... */
  points: Float32Array;
  /** The same vertices in the source image's pixels, where the texture is sampled, but as `sourceMirror` says. */
  sourcePoints: Float32Array;
  /**
   * Where the photo hardly shows a part, how much each vertex reads at its counterpart across the face's midline
   * instead, and where that is (in the same pixels): a reflection on purpose, see FaceComposer.mirrorFill in compose.ts.
   */
  sourceMirror: MirrorFill;
  /** Three vertex indices per triangle drawn. */
  triangles: Uint16Array;
  /** Opacity of each vertex as drawn (mask weight times the fade), 0..1. */
  alpha: Float32Array;
}

export class SourceFaceError extends Error {
  override name = 'SourceFaceError';
}

/** Recent events within a sliding window, for rates and percentiles. */
class Window {
  readonly #times: number[] = [];
  readonly #values: number[] = [];
  constructor(readonly spanMs: number) {}
  add(time: number, value = 0): void {
    this.#times.push(time);
    this.#values.push(value);
    while (this.#times.length > 0 && this.#times[0] < time - this.spanMs) {
      this.#times.shift();
      this.#values.shift();
    }
  }
  rate(now: number): number {
    const recent = this.#times.filter((t) => t >= now - this.spanMs).length;
    return (recent * 1000) / this.spanMs;
  }
  percentile(p: number): number {
    if (this.#values.length === 0) return 0;
    const sorted = [...this.#values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }
}

/**
 * The User Timing name of each output frame's main-thread work: DevTools' Performance panel shows these measures,
 * and a `PerformanceObserver` of `measure` entries reads them (bench/engine-page.ts does).
 */
export const FRAME_MEASURE = 'faceswap-frame';
/** The page's timeline keeps every measure until cleared: past this many the engine clears its own (observers saw them). */
const KEPT_FRAME_MEASURES = 1000;

const FADE_PER_MS = 1 / 200;
/** The face is gone (the camera shows through) after this many landmark runs in a row without one. */
const LOST_AFTER_MISSES = 3;
const MAX_SOURCE_SIDE = 1024;
/**
 * Camera frames held at most while their landmarks are measured, and how long at most (see #onFrame). Chromium
 * captures into a pool of 4 buffers (15 on macOS) and drops new frames while all are in use: two held (the one with
 * the landmark worker among them, a clone sharing its buffer) and one waiting in the track processor leave one free.
 */
const MAX_HELD_FRAMES = 2;
const MAX_HOLD_MS = 100;

/** Resolves at performance.now() `timeMs`. */
const delay = (timeMs: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, timeMs - performance.now())));

/**
 * How long a source photo's refinement is waited for (the refiner's worker started, its model loaded and run once: 0.34
 * to 0.83 s on the ten test sources on a 2-core machine) before the photo stays with the plain mesh alone.
 */
const SOURCE_REFINE_TIMEOUT_MS = 10_000;

export class FaceSwapEngine {
  /** The swapped video; null until the first frame is drawn. */
  track: MediaStreamTrack | null = null;
  /** Called once, when the first output frame has been drawn and `track` is set. */
  onFirstFrame: (() => void) | null = null;
  /** Called when the landmark worker fails after loading; frames then pass through unchanged. */
  onError: ((error: Error) => void) | null = null;

  readonly #worker: Worker;
  readonly #ready: Promise<void>;
  readonly #urls: EngineAssetUrls;
  /** The worker running the mesh with attention on source photos (see #refinedPoints), from the first photo on. */
  #refiner: Worker | null = null;
  readonly #refinerPending = new Map<number, (points: Float32Array | null) => void>();
  #sourceRefined = false;
  #sourceSettled: Promise<void> = Promise.resolve();
  readonly #tracker = new LandmarkTracker();
  readonly #outputWindow = new Window(1000);
  readonly #landmarkWindow = new Window(1000);
  readonly #frameMs = new Window(3000);
  readonly #landmarkMs = new Window(3000);
  /** Milliseconds from a frame's hand-off to the landmark worker to its result applied. */
  readonly #landmarkTrip = new Window(3000);
  /** Milliseconds between camera frames. */
  readonly #frameGaps = new Window(2000);
  #lastFrameTime = 0;
  /** The draws of the frames held now, oldest first. */
  readonly #held: Promise<void>[] = [];
  readonly #measureEveryFrame: boolean;
  readonly #pending = new Map<number, (reply: WorkerReply) => void>();
  #renderer: FaceRenderer | null = null;
  #frames: FrameSource | null = null;
  #output: FrameOutput | null = null;
  #composer: FaceComposer | null = null;
  #face = new Float32Array(MESH_POINTS * 2);
  /** Depth of the last measured camera face (it changes slowly; the tracker predicts x and y only). */
  #depth: Float32Array = new Float32Array(MESH_POINTS);
  /** The mesh of the last frame drawn with a face (see lastDrawnMesh), or null. */
  #drawn: Omit<DrawnMesh, 'sourcePoints' | 'sourceMirror'> | null = null;
  #sourcePoints: Float32Array | null = null;
  readonly #shapeTransfer: number;
  readonly #landmarkIntervalMs: number;
  #lastLandmarkDispatch = -Infinity;
  #poseLimit = 1;
  #opacity = 0;
  #lastDraw = 0;
  #width = 0;
  #height = 0;
  #nextId = 1;
  #landmarksBusy = false;
  /** The landmark run in flight (or the last one), settled once its result is applied. */
  #landmarks: Promise<void> = Promise.resolve();
  /** The last frame handed to #draw: frames are drawn in order, each after the one before. */
  #drawing: Promise<void> = Promise.resolve();
  #misses = 0;
  #totalMisses = 0;
  #backend = '';
  #sourceRequest = 0;
  #hasSource = false;
  #swapping = false;
  #disposed = false;
  #measuredFrames = 0;
  #rejectReady: ((error: Error) => void) | null = null;

  constructor(urls: EngineAssetUrls, options: EngineOptions = {}) {
    this.#urls = urls;
    this.#shapeTransfer = Math.min(1, Math.max(0, options.shapeTransfer ?? 0.7));
    this.#landmarkIntervalMs = options.maxLandmarkFps ? 1000 / options.maxLandmarkFps : 0;
    this.#measureEveryFrame = options.measureEveryFrame ?? false;
    this.#worker = createLandmarkWorker();
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#rejectReady = reject;
      const onMessage = (event: MessageEvent<WorkerReply>) => {
        const msg = event.data;
        if (msg.type === 'ready') {
          this.#backend = msg.backend;
          const mesh = meshTopology(msg.triangles, msg.uv);
          this.#composer = new FaceComposer(mesh);
          try {
            this.#renderer = new FaceRenderer(mesh);
            resolve();
          } catch (error) {
            reject(error);
          }
        } else if (msg.type === 'error' && msg.id === undefined) {
          reject(new Error(`face model failed to load: ${msg.message}`));
        } else if ('id' in msg && msg.id !== undefined) {
          this.#pending.get(msg.id)?.(msg);
          this.#pending.delete(msg.id);
        }
      };
      this.#worker.addEventListener('message', onMessage);
      this.#worker.addEventListener('error', (event) => {
        const error = new Error(`face model worker failed: ${event.message}`);
        reject(error);
        if (this.#renderer && !this.#disposed) this.onError?.(error);
      });
    });
    this.#ready.catch(() => undefined);
    // The worker body is serialised, so it cannot import the configuration: it comes with the first message.
    this.#post({
      type: 'init',
      urls,
      config: faceMeshConfig({ urls, maxDetected: 1, tracking: true }),
      backend: options.landmarkBackend ?? 'auto',
    });
  }

  /** Resolves once the model is loaded and WebGL is set up. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  /** Starts (or switches to) processing `track`. The track stays the caller's: it is never stopped here. */
  start(track: MediaStreamTrack): void {
    if (this.#disposed) return;
    this.#frames?.stop();
    this.#frames = startFrameSource(track, (frame, width, height, timeMs) => this.#onFrame(frame, width, height, timeMs));
  }

  /** Loads the face to swap in; resolves once it is used for the next frame. Rejects with SourceFaceError if no face is found. */
  async setSource(url: string, signal?: AbortSignal): Promise<void> {
    const request = ++this.#sourceRequest;
    await this.#ready;
    const response = await fetch(url, { signal, mode: 'cors', credentials: 'omit' });
    if (!response.ok) throw new SourceFaceError(`source image answered ${response.status}`);
    const blob = await response.blob();
    const probe = await createImageBitmap(blob, { imageOrientation: 'from-image' });
    const scale = Math.min(1, MAX_SOURCE_SIDE / Math.max(probe.width, probe.height));
    const image =
      scale < 1
        ? await createImageBitmap(probe, {
            resizeWidth: Math.round(probe.width * scale),
            resizeHeight: Math.round(probe.height * scale),
            resizeQuality: 'high',
          })
        : probe;
    if (image !== probe) probe.close();
    const refined = this.#refinedPoints(await createImageBitmap(image));
    const copy = await createImageBitmap(image);
    const reply = await this.#request({ type: 'source', id: this.#nextId++, image: copy }, [copy]);
    if (reply.type === 'error') {
      image.close();
      throw new SourceFaceError(reply.message);
    }
    const face = reply.type === 'source' ? reply.face : null;
    if (!face) {
      image.close();
      throw new SourceFaceError('no face found in the source image');
    }
    // A newer setSource (or dispose) overtook this one: drop it.
    if (request !== this.#sourceRequest || this.#disposed || !this.#renderer) {
      image.close();
      return;
    }
    this.#useSource(image, face, face.points);
    this.#sourceRefined = false;
    // The photo is swapped with the plain mesh at once and with the refined one once that comes (usually while the
    // visitor is still choosing; a slow link must not hold the swap back for it).
    this.#sourceSettled = refined.then((points) => {
      const features = points && withRefinedFeatures(face.points, points);
      if (!features || request !== this.#sourceRequest || this.#disposed || !this.#renderer) return;
      this.#useSource(image, face, features);
      this.#sourceRefined = true;
    });
    this.#hasSource = true;
  }

  /**
   * Settles once the current source photo's refinement by the mesh with attention has been applied or given up
   * (`stats().sourceRefined` then says which). Quality measurements wait for it; a live swap does not need to.
   */
  get sourceSettled(): Promise<void> {
    return this.#sourceSettled;
  }

  #useSource(image: ImageBitmap, face: FaceLandmarks, points: Float32Array): void {
    // The colours stay those sampled round the plain mesh's vertices: a tenth of the face wide, they barely move.
    this.#composer!.setSource(points, face.depth, face.vertexColour, face.coverage);
    this.#renderer!.setSource({ image, points, cover: this.#composer!.coverRule, mirror: this.#composer!.mirrorFill });
    this.#sourcePoints = points;
  }

  stats(): EngineStats {
    const now = performance.now();
    return {
      fps: this.#outputWindow.rate(now),
      width: this.#width,
      height: this.#height,
      landmarkFps: this.#landmarkWindow.rate(now),
      frameMsMedian: this.#frameMs.percentile(0.5),
      frameMsP95: this.#frameMs.percentile(0.95),
      landmarkMsMedian: this.#landmarkMs.percentile(0.5),
      swapping: this.#swapping,
      landmarkMisses: this.#totalMisses,
      landmarkBackend: this.#backend,
      sourceRefined: this.#sourceRefined,
    };
  }

  /** The face mesh drawn on the last output frame, or null when that frame showed no swapped face. */
  lastDrawnMesh(): DrawnMesh | null {
    const drawn = this.#drawn;
    if (!drawn || !this.#sourcePoints || !this.#composer) return null;
    const { points, weight } = this.#composer.mirrorFill;
    return {
      ...drawn,
      points: drawn.points.slice(),
      sourcePoints: this.#sourcePoints.slice(),
      sourceMirror: { points: points.slice(), weight: weight.slice() },
      triangles: drawn.triangles.slice(),
      alpha: drawn.alpha.slice(),
    };
  }

  /**
   * Whether a camera frame is with the landmark model now. Quality benchmarks hand the next frame in only once it
   * is not, so every frame is measured as on a machine where the model keeps pace with the camera.
   */
  get measuring(): boolean {
    return this.#landmarksBusy;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#rejectReady?.(new Error('engine stopped'));
    this.#frames?.stop();
    this.#frames = null;
    this.#worker.terminate();
    this.#refiner?.terminate();
    this.#refiner = null;
    for (const resolve of this.#refinerPending.values()) resolve(null);
    this.#refinerPending.clear();
    for (const resolve of this.#pending.values()) resolve({ type: 'error', message: 'engine stopped' });
    this.#pending.clear();
    this.#output?.stop();
    this.#output = null;
    this.track = null;
    this.#renderer?.dispose();
    this.#renderer = null;
  }

  /**
   * The source photo's mesh from the face mesh with attention, whose lips and eye heads correct human's plain mesh
   * where it sets a photo's features off (withRefinedFeatures): Ada's right eye lay 0.13 eye distances from where
   * face-api puts it (0.08 refined), and her output's landmark error on webcam2-light was 0.14 at p95. Camera
   * frames keep the plain mesh: the model with attention on every frame reached fewer targets. It runs in a worker of
   * its own (#refinerWorker: human keeps one mesh model per module). Null, and the plain mesh kept, where the model
   * cannot be loaded or finds no face, or has not answered in SOURCE_REFINE_TIMEOUT_MS.
   */
  #refinedPoints(image: ImageBitmap): Promise<Float32Array | null> {
    const worker = this.#refinerWorker();
    if (!worker) {
      image.close();
      return Promise.resolve(null);
    }
    const id = this.#nextId++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    return new Promise<Float32Array | null>((resolve) => {
      this.#refinerPending.set(id, resolve);
      timer = setTimeout(() => resolve(null), SOURCE_REFINE_TIMEOUT_MS);
      // Queued behind the model's loading in the worker, which answers in order.
      worker.postMessage({ type: 'source', id, image } satisfies WorkerRequest, [image]);
    }).finally(() => {
      clearTimeout(timer);
      this.#refinerPending.delete(id);
    });
  }

  /**
   * The refiner, started with the first source photo and kept until dispose, so a visitor who tries several faces loads
   * its model once. Always on wasm: for one run a photo, WebGL's shader compilation would cost more than it saves.
   * Null without a model URL.
   */
  #refinerWorker(): Worker | null {
    const meshModel = this.#urls.meshModel;
    if (!meshModel || this.#disposed) return null;
    if (this.#refiner) return this.#refiner;
    const worker = createLandmarkWorker();
    worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => {
      const msg = event.data;
      if (msg.type === 'source') this.#refinerPending.get(msg.id)?.(msg.face?.points ?? null);
      else if (msg.type === 'error' && msg.id !== undefined) this.#refinerPending.get(msg.id)?.(null);
    });
    // Its script failed: what waits gives up now, and the next photo starts a new one.
    worker.addEventListener('error', () => {
      for (const resolve of this.#refinerPending.values()) resolve(null);
      worker.terminate();
      if (this.#refiner === worker) this.#refiner = null;
    });
    worker.postMessage({
      type: 'init',
      urls: this.#urls,
      config: faceMeshConfig({ urls: this.#urls, maxDetected: 1, tracking: true, meshModel }),
      backend: 'wasm',
    } satisfies WorkerRequest);
    this.#refiner = worker;
    return worker;
  }

  #post(message: WorkerRequest, transfer: Transferable[] = []): void {
    this.#worker.postMessage(message, transfer);
  }

  #request(message: WorkerRequest & { id: number }, transfer: Transferable[]): Promise<WorkerReply> {
    return new Promise((resolve) => {
      if (this.#disposed) {
        resolve({ type: 'error', message: 'engine stopped' });
        return;
      }
      this.#pending.set(message.id, resolve);
      this.#post(message, transfer);
    });
  }

  async #onFrame(frame: CanvasImageSource, width: number, height: number, timeMs: number): Promise<void> {
    if (!this.#renderer || this.#disposed) return;
    if (this.#lastFrameTime) this.#frameGaps.add(timeMs, timeMs - this.#lastFrameTime);
    this.#lastFrameTime = timeMs;
    const dispatched = this.#hasSource && !this.#landmarksBusy && timeMs - this.#lastLandmarkDispatch >= this.#landmarkIntervalMs;
    if (dispatched) {
      this.#lastLandmarkDispatch = timeMs;
      this.#measure(frame, timeMs);
    }
    // While landmarks come in, each VideoFrame is held (a clone shares its pixels) for about one landmark run (holdMs: a
    // frame handed to the model has its own result 9 times in 10 by then) and is then drawn with the mesh measured on it,
    // or, for a frame that came while the model was busy or whose run was late, predicted from the latest run. Drawn at
    // once, each frame's mesh was predicted from a run one or two frames older, and a turning or laughing head left the
    // mask behind (franck-turn, every frame measured: landmark error p95 0.12 to 0.14, held 0.04 to 0.06). Every frame is
    // held as long, so the output keeps the camera's cadence (waiting for late runs as well cost 0.1 to 0.3 of the 20
    // frames presented a second), that much later. measureEveryFrame waits for each frame's own run instead. Where the
    // browser has no VideoFrame, the frame is drawn at once.
    const holdMs = this.#holdMs(timeMs);
    const held = holdMs > 0 && isVideoFrame(frame) ? frame.clone() : null;
    const own = held && dispatched ? this.#landmarks : null;
    const drawing = this.#drawing
      .then(() => held && (this.#measureEveryFrame && own ? own : delay(timeMs + holdMs)))
      .then(() => this.#draw(held ?? frame, width, height, timeMs))
      .finally(() => held?.close());
    this.#drawing = drawing.catch(() => undefined);
    if (!held) return drawing;
    // Frames are drawn in order, so each draw that settles is the oldest held.
    this.#held.push(this.#drawing);
    void this.#drawing.then(() => this.#held.shift());
    // At MAX_HELD_FRAMES the camera waits for the oldest (its newer frames are dropped meanwhile).
    if (this.#held.length >= MAX_HELD_FRAMES) await this.#held[0];
  }

  /**
   * How long a frame arriving at `timeMs` is held: the recent 90th percentile from a frame's hand-off to its landmarks
   * applied, within MAX_HOLD_MS and within the time MAX_HELD_FRAMES - 1 camera frames take (so the held frames never
   * slow the camera); 0 while no landmarks come in (no face, or the worker failed).
   */
  #holdMs(timeMs: number): number {
    if (this.#landmarkWindow.rate(timeMs) === 0) return 0;
    return Math.min(MAX_HOLD_MS, this.#landmarkTrip.percentile(0.9), (MAX_HELD_FRAMES - 1) * this.#frameGaps.percentile(0.5));
  }

  /** Draws `frame` with the face predicted for `timeMs` and writes it to the output track. */
  async #draw(frame: CanvasImageSource, width: number, height: number, timeMs: number): Promise<void> {
    const renderer = this.#renderer;
    if (!renderer || this.#disposed) return;
    const started = performance.now();
    const tracked = this.#tracker.predict(timeMs, this.#face);
    const fresh = tracked && this.#misses < LOST_AFTER_MISSES;
    const dt = this.#lastDraw ? Math.min(100, timeMs - this.#lastDraw) : 0;
    // Towards full opacity while the face is tracked and its pose is within what the warp can show.
    const target = fresh ? this.#poseLimit : 0;
    const step = dt * FADE_PER_MS;
    this.#opacity = Math.min(1, Math.max(0, this.#opacity + Math.max(-step, Math.min(step, target - this.#opacity))));
    if (!fresh && this.#opacity === 0) {
      this.#tracker.reset();
      this.#composer?.resetCamera();
    }
    this.#lastDraw = timeMs;
    let box: Box | null = null;
    let face: ComposedFace | null = null;
    if (renderer.hasSource && tracked && this.#composer) {
      face = this.#composer.compose(this.#face, this.#depth, this.#opacity, this.#shapeTransfer);
      this.#poseLimit = face.poseLimit;
      box = this.#opacity > 0 ? renderer.renderFace(face, width, height) : null;
    }
    if (box && face) {
      const frameTimestamp = isVideoFrame(frame) ? frame.timestamp : timeMs;
      this.#drawn = {
        frameTimestamp,
        points: face.points.slice(),
        triangles: face.indices.slice(0, face.indexCount),
        alpha: face.alpha.slice(),
      };
    } else {
      this.#drawn = null;
    }
    this.#swapping = box !== null;
    const first = !this.#output;
    this.#output ??= createOutput(frame);
    await this.#output.write(frame, width, height, box, renderer);
    if (this.#disposed) return;
    this.#width = width;
    this.#height = height;
    if (first) {
      this.track = this.#output.track;
      this.onFirstFrame?.();
    }
    const ended = performance.now();
    this.#frameMs.add(started, ended - started);
    this.#outputWindow.add(ended);
    performance.measure(FRAME_MEASURE, { start: started, end: ended });
    if (++this.#measuredFrames % KEPT_FRAME_MEASURES === 0) performance.clearMeasures(FRAME_MEASURE);
  }

  /** Hands this frame to the landmark worker (one frame in flight at a time). */
  #measure(frame: CanvasImageSource, timeMs: number): void {
    let image: VideoFrame | Promise<ImageBitmap>;
    if (isVideoFrame(frame)) image = frame.clone();
    else image = createImageBitmap(frame as ImageBitmapSource);
    this.#landmarksBusy = true;
    this.#landmarks = Promise.resolve(image)
      .then((img) => this.#request({ type: 'frame', id: this.#nextId++, image: img }, [img]))
      .then((reply) => this.#onLandmarks(reply, timeMs))
      .catch(() => undefined)
      .finally(() => {
        this.#landmarksBusy = false;
      });
  }

  #onLandmarks(reply: WorkerReply, timeMs: number): void {
    if (reply.type !== 'frame' || this.#disposed) return;
    const now = performance.now();
    this.#landmarkMs.add(now, reply.ms);
    this.#landmarkTrip.add(now, now - timeMs);
    const face: FaceLandmarks | null = reply.face;
    this.#misses = face ? 0 : this.#misses + 1;
    if (!face) this.#totalMisses++;
    if (!face) return;
    this.#landmarkWindow.add(now);
    // A new track (the first face, or another person / a cut): the camera person's shape and colour restart.
    if (this.#tracker.update(face.points, timeMs)) this.#composer?.resetCamera();
    this.#depth = face.depth;
    this.#composer?.updateCamera(face.points, face.depth, face.vertexColour);
  }
}
