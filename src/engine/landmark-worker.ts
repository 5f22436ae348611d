import type { EngineAssetUrls } from './assets.js';

/**
 * Face landmarks off the main thread: a module Worker running @vladmandic/human's face mesh (BlazeFace
 * detector + 468-point mesh) on tfjs's wasm CPU backend, which measured faster on machines without a GPU
 * than MediaPipe's WebGL path (measured in bench/engine.ts). The worker body is serialised
 * from a function so it runs the same under any bundler or dev server; it imports human from the asset URL.
 */

export interface FaceLandmarks {
  /** x0, y0, x1, y1, ... in the pixels of the analysed image (468 points). */
  points: Float32Array;
  /** z0, z1, ...: depth in the same pixels, growing away from the camera. */
  depth: Float32Array;
  /**
   * r0, g0, b0, r1, ... (0..1): the image's colour averaged over a square around each point, about a tenth of
   * the face wide: the face's low-frequency colour and shading, for local colour matching.
   */
  vertexColour: Float32Array;
  /**
   * Per vertex, 0..1: the share of that colour square inside the picture. A source photo cropped tightly (its
   * forehead cut off at the edge, or a tight crop padded onto a plain card) has mesh vertices where it shows no
   * face; those must not be drawn. Camera frames: inside the frame.
   */
  coverage: Float32Array;
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
// The model library is loaded at run time from the asset URL; its module has no types here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare function importModule(url: string): Promise<any>;

/** Runs inside the worker: must not reference anything outside its own body (except `importModule`). */
function landmarkWorkerMain(): void {
  type HumanLike = {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tfjs as the library bundles it, untyped here
    tf: any;
    faceTriangulation: number[];
    faceUVMap: [number, number][];
    config: { cacheSensitivity: number; face: { detector: { rotation: boolean; skipFrames: number; skipTime: number } } };
    load(): Promise<void>;
    detect(input: unknown): Promise<{ face: FaceResult[] }>;
  };
  type FaceResult = { mesh: number[][]; meshRaw: number[][]; boxRaw: number[]; faceScore: number; score: number };
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
   * Extra mesh runs on a source photo. Only the last runs on the crop the previous one's landmarks give: human
   * compares a picture with the last one stored, and a detection with cacheSensitivity 0 stores none, so the
   * first extra run still sees a change (from the previous camera frame, or the unturned photo) and detects again.
   */
  const SOURCE_REFINE_PASSES = 2;
  /** Any cache sensitivity above 0 lets the same photo reuse the last landmarks' crop. */
  const SOURCE_REFINE_SENSITIVITY = 0.7;
  /** A face tilted more than this (radians) is turned upright for its mesh. */
  const MIN_UPRIGHT_ROLL = 0.12;
  /**
   * The camera's face is turned upright by the roll its last mesh had, as a photo's is (see photoFace), and the
   * detector's own rotation is never used: on a turned head it put the crop 25 degrees off (photo-three-quarter),
   * and the mesh followed. The turn is kept until the roll has moved this far (radians) from it: each change moves
   * the picture the mesh model sees (see View).
   */
  const UPRIGHT_STEP = 0.05;
  /**
   * human's tracking runs the mesh on a crop its last landmarks give, re-centred every frame but sized as its
   * detector last found the face; each detector run moves the crop, and the mesh settles over the next frames.
   * Re-detecting every 30 frames, as before, with the detector's rotation, made a still face's landmarks move
   * 0.018 eye distances per frame on average (photo-three-quarter; 0.005 now). So the detector runs only when
   * the face is lost, a frame looks like a cut (see human-config.ts), the view has drifted off the face (see
   * VIEW_DRIFT_LIMIT) or the face no longer fits its crop even scaled: its size in the view this far (log scale:
   * 16 %) off its size on the crop beyond what VIEW_SCALE_LIMIT scales away. Its size is the eye corners' distance
   * in 3D, which a head turn does not shrink.
   */
  const CROP_SCALE_LIMIT = 0.15;
  /**
   * A face that grows or shrinks in a crop of fixed size is read too close to the crop's size: leaning back
   * 15 %, its mesh shrank 5 % and put the mouth a fifth of an eye distance low (photo-lean). So the picture the
   * model sees is scaled to keep the face at its size on the crop, rescaled when its mesh is this far off that
   * (log scale): each change moves the picture the model sees, as a turn does (UPRIGHT_STEP).
   */
  const VIEW_SCALE_STEP = 0.02;
  /** The picture is scaled at most this far either way (log scale: 2.7x); beyond, the detector finds a new crop. */
  const VIEW_SCALE_LIMIT = 1;
  /**
   * A re-view keeps the face where the model last saw it, but between re-views the face moves in the view as far as
   * in the picture times the view's scale, and turned: once it lies this share of the picture's width away from its
   * own place in the picture, the view starts afresh, unscaled and centred on the face, with the detector, before
   * the face can leave the view while it is still in the picture.
   */
  const VIEW_DRIFT_LIMIT = 0.1;
  /**
   * human re-centres the tracked crop every frame as centre ± size / 2, so its width, unchanged in size, still
   * differs in the last bits on many frames, while a detector run rounds it to whole pixels: only a change larger
   * than this share means the detector ran.
   */
  const CROP_WIDTH_ROUNDING = 1e-6;
  /**
   * How the mesh model sees a face: the analysed picture turned by -roll and scaled by `scale` about the face's
   * centre (cx, cy), which lands at (px, py): where the model last saw it when the view changed.
   */
  type View = { roll: number; scale: number; cx: number; cy: number; px: number; py: number };
  /**
   * The tracked camera face: the view its next frame is seen in; the detector's crop width (it changes, beyond
   * rounding, only when the detector runs) and the face's size on it, in the view's pixels; `redetect` asks for
   * the detector on the next frame. Null: no face tracked.
   */
  let cameraFace: { view: View; cropWidth: number; cropSize: number; redetect: boolean } | null = null;
  let viewCanvas: OffscreenCanvas | null = null;

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

  /** Largest difference (any channel, 0..255) from the card's colour for a row or column to count as card. */
  const CARD_TOLERANCE = 12;
  /** Pixels kept clear of the picture's edge (JPEG ringing along a crop). */
  const CARD_MARGIN = 2;

  /**
   * The picture inside a photo: [x0, y0, x1, y1) without the rows and columns along its edges that are one flat
   * colour (the card a tight crop is padded onto; a studio backdrop above the head goes too, which is harmless).
   */
  function pictureBox(data: ImageData): [number, number, number, number] {
    const { width, height, data: px } = data;
    const flat = (x0: number, y0: number, dx: number, dy: number, n: number) => {
      const o0 = (y0 * width + x0) * 4;
      for (let k = 1; k < n; k++) {
        const o = ((y0 + k * dy) * width + x0 + k * dx) * 4;
        if (
          Math.abs(px[o] - px[o0]) > CARD_TOLERANCE ||
          Math.abs(px[o + 1] - px[o0 + 1]) > CARD_TOLERANCE ||
          Math.abs(px[o + 2] - px[o0 + 2]) > CARD_TOLERANCE
        ) {
          return false;
        }
      }
      return true;
    };
    let top = 0;
    let bottom = height;
    let left = 0;
    let right = width;
    while (top < bottom - 1 && flat(0, top, 1, 0, width)) top++;
    while (bottom - 1 > top && flat(0, bottom - 1, 1, 0, width)) bottom--;
    while (left < right - 1 && flat(left, top, 0, 1, bottom - top)) left++;
    while (right - 1 > left && flat(right - 1, top, 0, 1, bottom - top)) right--;
    const margin = (edge: number, limit: number) => (edge === limit ? 0 : CARD_MARGIN);
    return [left + margin(left, 0), top + margin(top, 0), right - margin(right, width), bottom - margin(bottom, height)];
  }

  /**
   * Mean colour over a square around each point (a 5 x 5 grid of samples), its side a tenth of the face width, and
   * the share of the square inside `box` (see FaceLandmarks.coverage).
   */
  function vertexColours(data: ImageData, points: Float32Array, depth: Float32Array, box: [number, number, number, number]) {
    // The face width in 3D (cheek to cheek), so a turned face samples the same share of it.
    const width = Math.hypot(points[454 * 2] - points[234 * 2], points[454 * 2 + 1] - points[234 * 2 + 1], depth[454] - depth[234]);
    const step = Math.max(1, width / 40);
    const [x0, y0, x1, y1] = box;
    const colours = new Float32Array(468 * 3);
    const coverage = new Float32Array(468);
    for (let v = 0; v < 468; v++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let inside = 0;
      for (let j = -2; j <= 2; j++) {
        const sy = Math.round(points[v * 2 + 1] + j * step);
        const y = Math.min(data.height - 1, Math.max(0, sy));
        for (let i = -2; i <= 2; i++) {
          const sx = Math.round(points[v * 2] + i * step);
          const x = Math.min(data.width - 1, Math.max(0, sx));
          const o = (y * data.width + x) * 4;
          r += data.data[o];
          g += data.data[o + 1];
          b += data.data[o + 2];
          if (sx >= x0 && sx < x1 && sy >= y0 && sy < y1) inside++;
        }
      }
      colours[v * 3] = r / (25 * 255);
      colours[v * 3 + 1] = g / (25 * 255);
      colours[v * 3 + 2] = b / (25 * 255);
      coverage[v] = inside / 25;
    }
    return { colours, coverage };
  }

  /** Landmarks and depth of a face result, in the analysed image's pixels. */
  function meshOf(face: FaceResult, imageWidth: number) {
    const points = new Float32Array(468 * 2);
    const depth = new Float32Array(468);
    // The model's z is in pixels of its square crop; meshRaw's z is that over the crop size, and boxRaw's
    // width is the crop's share of the image width: together, z in the image's pixels.
    const zScale = face.boxRaw[2] * imageWidth;
    for (let i = 0; i < 468; i++) {
      points[i * 2] = face.mesh[i][0];
      points[i * 2 + 1] = face.mesh[i][1];
      depth[i] = face.meshRaw[i][2] * zScale;
    }
    return { points, depth, score: face.faceScore || face.score };
  }

  /** The face in `tensor` detected afresh, then refined: the mesh runs again on the crop its own landmarks give, as tracking does for video. */
  async function refinedFace(h: HumanLike, tensor: unknown, rotation: boolean): Promise<FaceResult | undefined> {
    h.config.face.detector.rotation = rotation;
    h.config.cacheSensitivity = 0;
    let result = await h.detect(tensor);
    for (let pass = 0; pass < SOURCE_REFINE_PASSES && result.face[0]; pass++) {
      h.config.cacheSensitivity = SOURCE_REFINE_SENSITIVITY;
      result = await h.detect(tensor);
    }
    const face = result.face[0];
    return face && face.mesh.length >= 468 ? face : undefined;
  }

  /**
   * The mesh of a still photo. The mesh model fits an upright face far better than a tilted one, and the
   * detector's own estimate of the tilt (from its eye keypoints) is poor on a turned head: so a first mesh
   * gives the tilt from its eye corners, the photo is turned upright around the face, the mesh is found
   * again there and turned back.
   */
  async function photoFace(h: HumanLike, data: ImageData) {
    const first = tensorOf(h, data, (tensor) => refinedFace(h, tensor, true));
    const face = await first;
    if (!face) return null;
    const mesh = meshOf(face, data.width);
    const { roll, cx, cy } = poseOf(mesh.points, mesh.depth);
    if (Math.abs(roll) < MIN_UPRIGHT_ROLL) return mesh;
    const view = { roll, scale: 1, cx, cy, px: cx, py: cy };
    const again = await tensorOf(h, seenIn(data, view), (tensor) => refinedFace(h, tensor, false));
    if (!again) return mesh;
    return fromView(meshOf(again, data.width), view);
  }

  /** The in-plane roll of a mesh (its eye corners' line), its centre and its eye corners' distance in 3D. */
  function poseOf(p: Float32Array, depth: Float32Array) {
    let cx = 0;
    let cy = 0;
    for (let i = 0; i < 468; i++) {
      cx += p[i * 2] / 468;
      cy += p[i * 2 + 1] / 468;
    }
    const dx = p[263 * 2] - p[33 * 2];
    const dy = p[263 * 2 + 1] - p[33 * 2 + 1];
    return { roll: Math.atan2(dy, dx), cx, cy, size: Math.hypot(dx, dy, depth[263] - depth[33]) };
  }

  /** The analysed picture (in `canvas`) as `view` sees it. */
  function seenIn(data: ImageData, view: View): ImageData {
    if (!viewCanvas || viewCanvas.width !== data.width || viewCanvas.height !== data.height) {
      viewCanvas = new OffscreenCanvas(data.width, data.height);
    }
    const vctx = viewCanvas.getContext('2d', { willReadFrequently: true })!;
    vctx.setTransform(1, 0, 0, 1, 0, 0);
    vctx.clearRect(0, 0, data.width, data.height);
    vctx.translate(view.px, view.py);
    vctx.rotate(-view.roll);
    vctx.scale(view.scale, view.scale);
    vctx.translate(-view.cx, -view.cy);
    vctx.drawImage(canvas!, 0, 0);
    return vctx.getImageData(0, 0, data.width, data.height);
  }

  /** Where the point (x, y) of the analysed picture lies in `view`. */
  function inView(view: View, x: number, y: number): [number, number] {
    const cos = Math.cos(view.roll) * view.scale;
    const sin = Math.sin(view.roll) * view.scale;
    const dx = x - view.cx;
    const dy = y - view.cy;
    return [view.px + cos * dx + sin * dy, view.py - sin * dx + cos * dy];
  }

  /** A mesh found in `view`, taken back to the analysed picture (depth too: it is in pixels). */
  function fromView<T extends { points: Float32Array; depth: Float32Array }>(mesh: T, view: View): T {
    const cos = Math.cos(view.roll) / view.scale;
    const sin = Math.sin(view.roll) / view.scale;
    for (let i = 0; i < 468; i++) {
      const x = mesh.points[i * 2] - view.px;
      const y = mesh.points[i * 2 + 1] - view.py;
      mesh.points[i * 2] = view.cx + cos * x - sin * y;
      mesh.points[i * 2 + 1] = view.cy + sin * x + cos * y;
      mesh.depth[i] /= view.scale;
    }
    return mesh;
  }

  /**
   * The camera frame's mesh: tracked on a view that keeps the face upright and at its size on the crop, the
   * detector run only when needed (see CROP_SCALE_LIMIT).
   */
  async function cameraMesh(h: HumanLike, data: ImageData) {
    const tracked = cameraFace;
    const detector = h.config.face.detector;
    detector.rotation = false;
    detector.skipFrames = detector.skipTime = tracked && !tracked.redetect ? Number.MAX_SAFE_INTEGER : 0;
    const view = tracked?.view;
    const picture = view && (view.roll || view.scale !== 1 || view.px !== view.cx || view.py !== view.cy) ? seenIn(data, view) : data;
    const face = await tensorOf(h, picture, async (tensor) => (await h.detect(tensor)).face[0]);
    if (!face || face.mesh.length < 468) {
      cameraFace = null;
      return null;
    }
    const mesh = meshOf(face, data.width);
    if (view) fromView(mesh, view);
    const now = poseOf(mesh.points, mesh.depth);
    const scale = view?.scale ?? 1;
    // Another crop width: the detector ran (asked, or on a cut), and the face's size is taken afresh on its crop.
    const cropWidth = face.boxRaw[2];
    const cropSize = tracked && !tracked.redetect && Math.abs(cropWidth / tracked.cropWidth - 1) < CROP_WIDTH_ROUNDING ? tracked.cropSize : now.size * scale;
    // The next view: turned and scaled afresh only when the face has moved that far from this one, about the
    // face's centre, which stays where the model saw it (where human's tracked crop expects it).
    const wantRoll = Math.abs(now.roll) >= MIN_UPRIGHT_ROLL ? now.roll : 0;
    const wantScale = Math.min(Math.exp(VIEW_SCALE_LIMIT), Math.max(Math.exp(-VIEW_SCALE_LIMIT), cropSize / now.size));
    const turned = Math.abs(now.roll - (view?.roll ?? 0)) >= UPRIGHT_STEP;
    const rescaled = Math.abs(Math.log(wantScale / scale)) >= VIEW_SCALE_STEP;
    let next = view ?? { roll: 0, scale: 1, cx: now.cx, cy: now.cy, px: now.cx, py: now.cy };
    if (turned || rescaled) {
      const [px, py] = view ? inView(view, now.cx, now.cy) : [now.cx, now.cy];
      next = { roll: turned ? wantRoll : next.roll, scale: rescaled ? wantScale : scale, cx: now.cx, cy: now.cy, px, py };
    }
    const [vx, vy] = inView(next, now.cx, now.cy);
    const drifted = Math.hypot(vx - now.cx, vy - now.cy) > VIEW_DRIFT_LIMIT * data.width;
    const outgrown = Math.abs(Math.log((now.size * next.scale) / cropSize)) > CROP_SCALE_LIMIT;
    if (drifted || outgrown) next = { roll: wantRoll, scale: 1, cx: now.cx, cy: now.cy, px: now.cx, py: now.cy };
    cameraFace = { view: next, cropWidth, cropSize, redetect: drifted || outgrown };
    return mesh;
  }

  async function tensorOf<T>(h: HumanLike, data: ImageData, use: (tensor: unknown) => Promise<T>): Promise<T> {
    const tensor = h.tf.browser.fromPixels(data);
    try {
      return await use(tensor);
    } finally {
      tensor.dispose();
    }
  }

  async function landmarks(image: ImageBitmap | VideoFrame, fresh: boolean) {
    const h = human!;
    const { data, scale } = pixels(image, fresh ? Infinity : CAMERA_ANALYSIS_WIDTH);
    // A still photo must not reuse the camera's tracked face box (and vice versa): it is detected afresh.
    const sensitivity = h.config.cacheSensitivity;
    try {
      let mesh;
      if (fresh) {
        // Detected afresh (cacheSensitivity 0), then refined on its own crop; the camera detects afresh after it.
        h.config.face.detector.skipFrames = h.config.face.detector.skipTime = Number.MAX_SAFE_INTEGER;
        cameraFace = null;
        mesh = await photoFace(h, data);
      } else {
        mesh = await cameraMesh(h, data);
      }
      if (!mesh) return null;
      const { points, depth, score } = mesh;
      // Only a photo can be a crop on a card; a camera frame is picture to its edges.
      const box: [number, number, number, number] = fresh ? pictureBox(data) : [0, 0, data.width, data.height];
      const { colours: vertexColour, coverage } = vertexColours(data, points, depth, box);
      for (let i = 0; i < points.length; i++) points[i] /= scale;
      for (let i = 0; i < depth.length; i++) depth[i] /= scale;
      return { points, depth, vertexColour, coverage, score };
    } finally {
      h.config.cacheSensitivity = sensitivity;
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
          const transfer = face ? [face.points.buffer, face.depth.buffer, face.vertexColour.buffer, face.coverage.buffer] : [];
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
