/**
 * Test-side face analysis with an independent model: face-api's SSD detector, 68-point landmarks and its
 * 128-d recognition descriptor (models shipped in @vladmandic/face-api, served from /node_modules/).
 */
export const FACE_API = '/node_modules/@vladmandic/face-api/dist/face-api.esm.js';
const MODELS = '/node_modules/@vladmandic/face-api/model';
const WASM = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

/** Where the test server has the quality catalogue (cameras and sources) that scripts/make-test-camera.mjs makes. */
const CATALOGUE = '/test/fixtures/generated/quality/';
export const cameraUrl = (name: string): string => `${CATALOGUE}cameras/${name}.y4m`;
export const sourceUrl = (name: string): string => `${CATALOGUE}sources/${name}.jpg`;

export interface FaceInfo {
  /** [x, y, width, height] in the analysed image's pixels. */
  box: [number, number, number, number];
  /** face-api's 68 landmarks (iBUG 300-W order) in the image's pixels: x0 y0 x1 y1 ... */
  landmarks: Float32Array;
  descriptor: Float32Array;
}

let api: Promise<any> | null = null;

async function load() {
  const url: string = FACE_API;
  const faceapi = await import(/* @vite-ignore */ url);
  faceapi.tf.setWasmPaths(WASM);
  await faceapi.tf.setBackend('wasm');
  await faceapi.tf.ready();
  await faceapi.nets.ssdMobilenetv1.loadFromUri(MODELS);
  await faceapi.nets.faceLandmark68Net.loadFromUri(MODELS);
  await faceapi.nets.faceRecognitionNet.loadFromUri(MODELS);
  return faceapi;
}

/**
 * Where to look for the face when an image shows several: `near` a box of another frame (the matching input
 * frame's face, or the same camera's previous face), the nearest face by box centre; `within` caps that distance
 * in sizes of `near` (its larger side), beyond which there is no matching face. Without `near`, the largest face.
 */
export interface FaceChoice {
  near?: FaceInfo['box'];
  within?: number;
}

/** How far the centre of `box` lies from the centre of `near`, in sizes of `near` (its larger side). */
export function boxDistance(near: FaceInfo['box'], box: FaceInfo['box']): number {
  const [nx, ny, nw, nh] = near;
  const [x, y, w, h] = box;
  return Math.hypot(x + w / 2 - (nx + nw / 2), y + h / 2 - (ny + nh / 2)) / Math.max(nw, nh);
}

/** The face of `faces` that `choice` asks for (see FaceChoice), or null. */
export function chooseFace<T>(faces: T[], boxOf: (face: T) => FaceInfo['box'], choice: FaceChoice = {}): T | null {
  const { near, within = Infinity } = choice;
  let best: T | null = null;
  let bestScore = Infinity;
  for (const face of faces) {
    const box = boxOf(face);
    let score = -box[2] * box[3];
    if (near) {
      score = boxDistance(near, box);
      if (score > within) continue;
    }
    if (score < bestScore) [best, bestScore] = [face, score];
  }
  return best;
}

/** The [x, y, width, height] of one of face-api's results. */
export const detectionBox = (result: any): FaceInfo['box'] => {
  const { x, y, width, height } = result.detection.box;
  return [x, y, width, height];
};

/** `image` turned by `radians` about (`cx`, `cy`), on a canvas of its size, grown by `margin` px of black on each side. */
export function turnedImage(image: HTMLCanvasElement | HTMLImageElement, radians: number, cx: number, cy: number, margin = 0): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = (image instanceof HTMLImageElement ? image.naturalWidth : image.width) + 2 * margin;
  canvas.height = (image instanceof HTMLImageElement ? image.naturalHeight : image.height) + 2 * margin;
  const ctx = canvas.getContext('2d')!;
  if (margin > 0) ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.translate(cx + margin, cy + margin);
  ctx.rotate(radians);
  ctx.translate(-cx, -cy);
  ctx.drawImage(image, 0, 0);
  return canvas;
}

/**
 * The face in `image` that `choice` asks for (by default the largest), or null. Without `describe` the
 * descriptor is left empty (saves the recognition model's run).
 */
export async function analyseFace(image: HTMLCanvasElement | HTMLImageElement, describe = true, choice: FaceChoice = {}): Promise<FaceInfo | null> {
  api ??= load();
  const faceapi = await api;
  const results = await faceapi.detectAllFaces(image, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 })).withFaceLandmarks();
  const best = chooseFace(results as any[], detectionBox, choice);
  if (!best) return null;
  const b = best.detection.box;
  const landmarks = Float32Array.from(best.landmarks.positions.flatMap((p: { x: number; y: number }) => [p.x, p.y]));
  return { box: [b.x, b.y, b.width, b.height], landmarks, descriptor: describe ? await faceDescriptor(image, landmarks) : new Float32Array(0) };
}

/**
 * face-api's descriptor of the face with these 68 landmarks, taken from the image turned so that the eyes lie
 * level (`upright`, the default) and grown on each side with black by the face's size (`padded`, the default), so
 * that its chip never runs past the edge. Its recognition net is a port of dlib's, which is fed faces turned upright;
 * face-api crops the unturned box instead, so a head rolled 25° read as a different person: on `photo-roll` the
 * swapped face came out nearer the camera person than the source in the rolled half of the frames, where a second
 * model (human's, which turns the face itself) found it nearer the source in every frame.
 */
export async function faceDescriptor(
  image: HTMLCanvasElement | HTMLImageElement,
  landmarks: Float32Array,
  { upright = true, padded = true } = {},
): Promise<Float32Array> {
  api ??= load();
  const faceapi = await api;
  const eye = (first: number) => {
    let x = 0;
    let y = 0;
    for (let i = first; i < first + 6; i++) [x, y] = [x + landmarks[i * 2] / 6, y + landmarks[i * 2 + 1] / 6];
    return [x, y];
  };
  const [[lx, ly], [rx, ry]] = [eye(36), eye(42)];
  const [cx, cy] = [(lx + rx) / 2, (ly + ry) / 2];
  const angle = upright ? Math.atan2(ry - ly, rx - lx) : 0;
  // Black beyond the picture, as dlib pads a chip: face-api clips a chip at the image's edge and then centres what is
  // left, so a face cut by the edge was read shifted (photo-edge's half face lay 0.61 to 0.63 from her whole face).
  const xs = landmarks.filter((_, i) => i % 2 === 0);
  const ys = landmarks.filter((_, i) => i % 2 === 1);
  const margin = padded ? Math.ceil(Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys))) : 0;
  const turned = turnedImage(image, -angle, cx, cy, margin);
  const { width, height } = turned;
  const [cos, sin] = [Math.cos(-angle), Math.sin(-angle)];
  const points = [];
  for (let i = 0; i < landmarks.length; i += 2) {
    const [dx, dy] = [landmarks[i] - cx, landmarks[i + 1] - cy];
    points.push(new faceapi.Point((margin + cx + dx * cos - dy * sin) / width, (margin + cy + dx * sin + dy * cos) / height));
  }
  const chipBox = new faceapi.FaceLandmarks68(points, { width, height }).align(null, { useDlibAlignment: true });
  const [chip] = await faceapi.extractFaces(turned, [chipBox]);
  return faceapi.computeFaceDescriptor(chip);
}

export function descriptorDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}

/** The element-wise mean of several descriptors: a steadier identity than any one frame. */
export function meanDescriptor(list: Float32Array[]): Float32Array {
  const out = new Float32Array(list[0].length);
  for (const d of list) for (let i = 0; i < out.length; i++) out[i] += d[i] / list.length;
  return out;
}

export function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error(`cannot load ${url}`));
    img.src = url;
  });
}

/** Copies the current frame of a video (attached or not) into a new canvas. */
export function snapshot(video: HTMLVideoElement): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d', { willReadFrequently: true })!.drawImage(video, 0, 0);
  return canvas;
}

/** Resolves on the next `count` presented frames of `video`. */
export function frames(video: HTMLVideoElement, count = 1): Promise<void> {
  return new Promise((resolve) => {
    let left = count;
    const tick = () => (--left <= 0 ? resolve() : video.requestVideoFrameCallback(tick));
    video.requestVideoFrameCallback(tick);
  });
}

/** Mean absolute RGB difference (0..255) of two same-size canvases inside (`inside`) or outside a box. */
export function meanDifference(a: HTMLCanvasElement, b: HTMLCanvasElement, box: [number, number, number, number], inside: boolean): number {
  const da = a.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, a.width, a.height).data;
  const db = b.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, b.width, b.height).data;
  const [bx, by, bw, bh] = box;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < a.height; y += 2) {
    for (let x = 0; x < a.width; x += 2) {
      const inBox = x >= bx && x < bx + bw && y >= by && y < by + bh;
      if (inBox !== inside) continue;
      const o = (y * a.width + x) * 4;
      sum += Math.abs(da[o] - db[o]) + Math.abs(da[o + 1] - db[o + 1]) + Math.abs(da[o + 2] - db[o + 2]);
      n += 3;
    }
  }
  return n ? sum / n : 0;
}

export function grow(box: FaceInfo['box'], factor: number): FaceInfo['box'] {
  const [x, y, w, h] = box;
  return [x - (w * (factor - 1)) / 2, y - (h * (factor - 1)) / 2, w * factor, h * factor];
}

export interface FramePair {
  /** The camera frame the output frame was made from (best match outside the face). */
  input: HTMLCanvasElement;
  output: HTMLCanvasElement;
  /** The face in `input`, found by face-api. */
  face: FaceInfo | null;
}

type TrackProcessor = new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> };
// Taken at load: a test may hide it from the engine to exercise the engine's fallbacks.
const Processor = (globalThis as unknown as { MediaStreamTrackProcessor: TrackProcessor }).MediaStreamTrackProcessor;

/** Keeps the last `keep` frames of a track as canvases (every frame: a processor skips none). */
class FrameRecorder {
  readonly frames: HTMLCanvasElement[] = [];
  received = 0;
  readonly #clone: MediaStreamTrack;
  readonly #reader: ReadableStreamDefaultReader<VideoFrame>;

  constructor(track: MediaStreamTrack, keep: number) {
    this.#clone = track.clone();
    const reader = new Processor({ track: this.#clone }).readable.getReader();
    this.#reader = reader;
    void (async () => {
      for (;;) {
        const { value: frame } = await reader.read().catch(() => ({ value: undefined }));
        if (!frame) return;
        const canvas = document.createElement('canvas');
        canvas.width = frame.displayWidth;
        canvas.height = frame.displayHeight;
        canvas.getContext('2d', { willReadFrequently: true })!.drawImage(frame, 0, 0);
        frame.close();
        this.frames.push(canvas);
        this.received++;
        if (this.frames.length > keep) this.frames.shift();
      }
    })();
  }

  async next(count: number): Promise<HTMLCanvasElement> {
    const target = this.received + count;
    while (this.received < target) await new Promise((r) => setTimeout(r, 20));
    return this.frames[this.frames.length - 1];
  }

  stop(): void {
    void this.#reader.cancel().catch(() => undefined);
    this.#clone.stop();
  }
}

/**
 * Samples output frames and pairs each with the camera frame it was made from. The camera moves (zoom, pan)
 * and the output lags it by a variable number of frames, so every camera frame of the last ~2 s is kept and
 * the one that matches the output best outside the face is taken. Both sides are read the same way (track
 * processor, 2D canvas), so pixels the engine left alone compare equal.
 */
export async function samplePairs(camera: MediaStreamTrack, output: MediaStreamTrack, count: number): Promise<FramePair[]> {
  const cameraFrames = new FrameRecorder(camera, 40);
  const outputFrames = new FrameRecorder(output, 1);
  const pairs: FramePair[] = [];
  try {
    for (let i = 0; i < count; i++) {
      // Face analysis blocks this thread (and so the engine) for a while: let the output settle first.
      const out = await outputFrames.next(10);
      const candidates = [...cameraFrames.frames];
      const face = await analyseFace(candidates[candidates.length - 1]);
      const region = face ? grow(face.box, 1.6) : ([0, 0, 0, 0] as FaceInfo['box']);
      let best = candidates[0];
      let bestDiff = Infinity;
      for (const c of candidates) {
        const d = meanDifference(c, out, region, false);
        if (d < bestDiff) [best, bestDiff] = [c, d];
      }
      pairs.push({ input: best, output: out, face: await analyseFace(best) });
    }
  } finally {
    cameraFrames.stop();
    outputFrames.stop();
  }
  return pairs;
}
