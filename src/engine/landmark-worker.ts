import type { EngineAssetUrls } from './assets.js';

/**
 * Face landmarks off the main thread: a module Worker running @vladmandic/human's face mesh (BlazeFace
 * detector + 468-point mesh) on tfjs's wasm CPU backend, which measured faster on machines without a GPU
 * than MediaPipe's WebGL path (see /work/shared/reference/local-engine.md). The worker body is serialised
 * from a function so it runs the same under any bundler or dev server; it imports human from the asset URL.
 */

/** Mean and standard deviation per RGB channel (0..1) over the face region. */
export interface ColourStats {
  mean: [number, number, number];
  std: [number, number, number];
}

export interface FaceLandmarks {
  /** x0, y0, x1, y1, ... in the pixels of the analysed image (468 points). */
  points: Float32Array;
  colour: ColourStats;
  /** The mesh model's confidence, 0..1. */
  score: number;
}

/** Where the landmark models run: `auto` takes WebGL on a hardware GPU, else wasm (CPU). */
export type LandmarkBackend = 'auto' | 'wasm' | 'webgl';

export type WorkerRequest =
  | { type: 'init'; urls: EngineAssetUrls; config: Record<string, unknown>; backend: LandmarkBackend }
  | { type: 'frame'; id: number; image: ImageBitmap | VideoFrame }
  | { type: 'source'; id: number; image: ImageBitmap };

export type WorkerReply =
  | { type: 'ready'; triangles: Uint16Array; uv: Float32Array; backend: string }
  | { type: 'frame'; id: number; face: FaceLandmarks | null; ms: number }
  | { type: 'source'; id: number; face: FaceLandmarks | null }
  | { type: 'error'; id?: number; message: string };

/** Provided to the worker body by the source that createLandmarkWorker() builds around it. */
declare function importModule(url: string): Promise<any>;

/** Runs inside the worker: must not reference anything outside its own body (except `importModule`). */
function landmarkWorkerMain(): void {
  type HumanLike = {
    tf: any;
    faceTriangulation: number[];
    faceUVMap: [number, number][];
    config: { cacheSensitivity: number };
    load(): Promise<void>;
    detect(input: unknown): Promise<{ face: Array<{ mesh: number[][]; faceScore: number; score: number }> }>;
  };
  const scope = self as unknown as {
    onmessage: ((event: MessageEvent) => void) | null;
    postMessage(message: unknown, transfer?: Transferable[]): void;
  };
  let human: HumanLike | null = null;
  let canvas: OffscreenCanvas | null = null;
  let ctx: OffscreenCanvasRenderingContext2D | null = null;
  let queue: Promise<void> = Promise.resolve();
  // Camera frames are analysed at most this wide: the mesh model sees a 192 px face crop anyway, and the
  // full-frame steps (pixel copy, tensor conversion, change detection) cost in proportion to the pixels.
  const CAMERA_ANALYSIS_WIDTH = 480;

  /**
   * Pixels of `image`, at most `maxWidth` wide (drawn once; the same pixels feed the model and the colour
   * statistics), and the factor that maps them back to the image's own pixels.
   */
  function pixels(image: ImageBitmap | VideoFrame, maxWidth: number): { data: ImageData; scale: number } {
    const fullWidth = 'displayWidth' in image ? image.displayWidth : image.width;
    const fullHeight = 'displayHeight' in image ? image.displayHeight : image.height;
    const scale = Math.min(1, maxWidth / fullWidth);
    const width = Math.round(fullWidth * scale);
    const height = Math.round(fullHeight * scale);
    if (!canvas || canvas.width !== width || canvas.height !== height) {
      canvas = new OffscreenCanvas(width, height);
      ctx = canvas.getContext('2d', { willReadFrequently: true });
    }
    ctx!.drawImage(image, 0, 0, width, height);
    image.close();
    return { data: ctx!.getImageData(0, 0, width, height), scale };
  }

  /** Colour statistics sampled at the mesh vertices and triangle centroids, which cover the face evenly. */
  function colourStats(data: ImageData, points: Float32Array, triangles: number[]) {
    const sum = [0, 0, 0];
    const sq = [0, 0, 0];
    let n = 0;
    const sample = (x: number, y: number) => {
      const xi = Math.min(data.width - 1, Math.max(0, Math.round(x)));
      const yi = Math.min(data.height - 1, Math.max(0, Math.round(y)));
      const o = (yi * data.width + xi) * 4;
      for (let c = 0; c < 3; c++) {
        const v = data.data[o + c] / 255;
        sum[c] += v;
        sq[c] += v * v;
      }
      n++;
    };
    for (let i = 0; i < points.length; i += 2) sample(points[i], points[i + 1]);
    for (let t = 0; t < triangles.length; t += 3) {
      const a = triangles[t] * 2;
      const b = triangles[t + 1] * 2;
      const c = triangles[t + 2] * 2;
      sample((points[a] + points[b] + points[c]) / 3, (points[a + 1] + points[b + 1] + points[c + 1]) / 3);
    }
    const mean = sum.map((s) => s / n) as [number, number, number];
    const std = sq.map((s, c) => Math.sqrt(Math.max(1e-6, s / n - mean[c] * mean[c]))) as [number, number, number];
    return { mean, std };
  }

  async function landmarks(image: ImageBitmap | VideoFrame, fresh: boolean) {
    const h = human!;
    const { data, scale } = pixels(image, fresh ? Infinity : CAMERA_ANALYSIS_WIDTH);
    const tensor = h.tf.browser.fromPixels(data);
    // A still photo must not reuse the camera's tracked face box (and vice versa): a fresh detection.
    const sensitivity = h.config.cacheSensitivity;
    if (fresh) h.config.cacheSensitivity = 0;
    try {
      const result = await h.detect(tensor);
      const face = result.face[0];
      if (!face || face.mesh.length < 468) return null;
      const points = new Float32Array(468 * 2);
      for (let i = 0; i < 468; i++) {
        points[i * 2] = face.mesh[i][0];
        points[i * 2 + 1] = face.mesh[i][1];
      }
      const colour = colourStats(data, points, h.faceTriangulation);
      for (let i = 0; i < points.length; i++) points[i] /= scale;
      return { points, colour, score: face.faceScore || face.score };
    } finally {
      h.config.cacheSensitivity = sensitivity;
      tensor.dispose();
    }
  }

  /**
   * A hardware GPU runs the models faster through WebGL; software GL (SwiftShader, llvmpipe) is far slower
   * than wasm SIMD on the CPU, which measured 2-3x faster on such machines.
   */
  function hardwareGpu(): boolean {
    try {
      const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
      if (!gl) return false;
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      return !/swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
    } catch {
      return false;
    }
  }

  async function init(urls: EngineAssetUrls, config: Record<string, unknown>, preferred: LandmarkBackend) {
    // `importModule` is defined by the worker source around this body (see createLandmarkWorker).
    const mod = await importModule(urls.humanModule);
    const backend = preferred === 'auto' ? (hardwareGpu() ? 'webgl' : 'wasm') : preferred;
    const h: HumanLike = new mod.Human({ ...config, backend });
    await h.load();
    if (backend === 'webgl' && h.tf.getBackend() !== 'webgl' && preferred === 'auto') {
      // WebGL could not start in this worker: the CPU path instead.
      return init(urls, config, 'wasm');
    }
    human = h;
    scope.postMessage({
      type: 'ready',
      triangles: Uint16Array.from(h.faceTriangulation),
      uv: Float32Array.from(h.faceUVMap.flat()),
      backend: String(h.tf.getBackend()),
    });
  }

  scope.onmessage = (event: MessageEvent) => {
    const msg = event.data as {
      type: string;
      id?: number;
      image?: ImageBitmap | VideoFrame;
      urls?: EngineAssetUrls;
      config?: Record<string, unknown>;
      backend?: LandmarkBackend;
    };
    // One job at a time: the model is not re-entrant and its tracking cache expects frames in order.
    queue = queue.then(async () => {
      try {
        if (msg.type === 'init') {
          await init(msg.urls!, msg.config!, msg.backend ?? 'auto');
        } else if (msg.type === 'frame' || msg.type === 'source') {
          const started = performance.now();
          const face = await landmarks(msg.image!, msg.type === 'source');
          const transfer = face ? [face.points.buffer] : [];
          scope.postMessage({ type: msg.type, id: msg.id, face, ms: performance.now() - started }, transfer);
        }
      } catch (error) {
        msg.image?.close();
        scope.postMessage({ type: 'error', id: msg.id, message: String((error as Error)?.message ?? error) });
      }
    });
  };
}

/** Starts the landmark worker. Its body is this module's `landmarkWorkerMain`, so no separate file is served. */
export function createLandmarkWorker(): Worker {
  // The dynamic import lives in this string, not in the function body: a dev server that rewrites dynamic
  // imports (Vite's `__vite__injectQuery`) would otherwise put a reference to its own helper into the body,
  // which does not exist inside the worker.
  const source = `const importModule = (url) => import(url);\n(${landmarkWorkerMain.toString()})();`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url, { type: 'module', name: 'faceswap-landmarks' });
  // The script is fetched asynchronously; release the URL once the worker has spoken.
  worker.addEventListener('message', () => URL.revokeObjectURL(url), { once: true });
  worker.addEventListener('error', () => URL.revokeObjectURL(url), { once: true });
  return worker;
}
