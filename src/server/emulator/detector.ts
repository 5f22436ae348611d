/**
 * Real face detection for the AKOOL emulator: @vladmandic/face-api (SSD MobileNet v1 + 68-point landmarks) on
 * the tfjs wasm backend, with the models and wasm binaries that ship inside the npm packages (nothing is
 * downloaded). Loaded once, lazily, on the first detection; detections run one at a time.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';

/** Longest side the detector sees; bigger photos are downscaled first (memory peaks at ~650 MB on 1920 px). */
const DETECT_MAX_SIDE = 1024;
const MIN_CONFIDENCE = 0.5;
const MAX_FACES = 10;

export type Point = [number, number];

export interface FaceGeometry {
  /** Corners `[x1, y1, x2, y2]` in the oriented image's pixels. */
  region: [number, number, number, number];
  /** Left eye, right eye, nose tip, mouth centre, left mouth corner, right mouth corner (image-left first). */
  points: [Point, Point, Point, Point, Point, Point];
  score: number;
}

export interface DetectionResult {
  /** Size of the image after EXIF rotation, which is the frame every coordinate refers to. */
  width: number;
  height: number;
  /** Largest face first. */
  faces: FaceGeometry[];
  /** The EXIF-rotated image, so crops can be cut from the same frame. */
  oriented: Sharp;
}

export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}

// face-api has no type-clean ESM entry for the wasm build; only the few members used here are typed.
interface FaceApiLandmarks {
  positions: Array<{ x: number; y: number }>;
}
interface FaceApiResult {
  detection: { score: number; box: { x: number; y: number; width: number; height: number } };
  landmarks: FaceApiLandmarks;
}
interface TfTensor {
  dispose(): void;
}
interface FaceApi {
  tf: {
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    tensor3d(data: Uint8Array, shape: [number, number, number], dtype: 'int32'): TfTensor;
  };
  nets: {
    ssdMobilenetv1: { loadFromDisk(path: string): Promise<void> };
    faceLandmark68Net: { loadFromDisk(path: string): Promise<void> };
  };
  SsdMobilenetv1Options: new (o: { minConfidence: number; maxResults: number }) => unknown;
  detectAllFaces(input: TfTensor, options: unknown): { withFaceLandmarks(): Promise<FaceApiResult[]> };
}

let loading: Promise<FaceApi> | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Loads the models (once). Safe to call early to warm up; later calls reuse the same promise. */
export function loadDetector(): Promise<FaceApi> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(): Promise<FaceApi> {
  const require = createRequire(import.meta.url);
  // The wasm backend's emscripten glue installs process handlers that re-throw every uncaught error,
  // which would turn any later unrelated error into a crash; keep only the handlers that were there before.
  const before = {
    uncaughtException: new Set(process.listeners('uncaughtException')),
    unhandledRejection: new Set(process.listeners('unhandledRejection')),
  };
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(path: string, usePlatformFetch?: boolean): void };
  wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
  await faceapi.tf.setBackend('wasm');
  await faceapi.tf.ready();
  for (const listener of process.listeners('uncaughtException')) {
    if (!before.uncaughtException.has(listener)) process.removeListener('uncaughtException', listener);
  }
  for (const listener of process.listeners('unhandledRejection')) {
    if (!before.unhandledRejection.has(listener)) process.removeListener('unhandledRejection', listener);
  }
  const modelDir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  return faceapi;
}

const mean = (points: Array<{ x: number; y: number }>): Point => [
  points.reduce((s, p) => s + p.x, 0) / points.length,
  points.reduce((s, p) => s + p.y, 0) / points.length,
];

/** The 6 AKOOL points from the 68-point (iBUG) layout, scaled back to the full image. */
function akoolPoints(positions: Array<{ x: number; y: number }>, scale: number): FaceGeometry['points'] {
  const at = (p: Point): Point => [p[0] * scale, p[1] * scale];
  const pt = (i: number): Point => at([positions[i]!.x, positions[i]!.y]);
  return [at(mean(positions.slice(36, 42))), at(mean(positions.slice(42, 48))), pt(30), at(mean(positions.slice(48, 60))), pt(48), pt(54)];
}

/** Finds the faces in an encoded image (JPEG, PNG, WebP, GIF, ...), honouring EXIF orientation. */
export function detectFaces(image: Uint8Array): Promise<DetectionResult> {
  const run = queue.then(() => detectNow(image));
  queue = run.catch(() => undefined);
  return run;
}

async function detectNow(image: Uint8Array): Promise<DetectionResult> {
  const faceapi = await loadDetector();
  const oriented = sharp(image, { failOn: 'error' }).rotate();
  let pixels: { data: Buffer; info: OutputInfo };
  let meta: Metadata;
  try {
    meta = await sharp(image).metadata();
    pixels = await oriented
      .clone()
      .resize({ width: DETECT_MAX_SIDE, height: DETECT_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new ImageDecodeError(`The image could not be decoded: ${(error as Error).message}`);
  }
  const swapped = (meta.orientation ?? 1) >= 5;
  const width = (swapped ? meta.height : meta.width) ?? pixels.info.width;
  const height = (swapped ? meta.width : meta.height) ?? pixels.info.height;
  const scale = width / pixels.info.width;

  const tensor = faceapi.tf.tensor3d(new Uint8Array(pixels.data), [pixels.info.height, pixels.info.width, 3], 'int32');
  let results: FaceApiResult[];
  try {
    results = await faceapi
      .detectAllFaces(tensor, new faceapi.SsdMobilenetv1Options({ minConfidence: MIN_CONFIDENCE, maxResults: MAX_FACES }))
      .withFaceLandmarks();
  } finally {
    tensor.dispose();
  }

  const faces = results
    .map((r): FaceGeometry => {
      const { x, y, width: w, height: h } = r.detection.box;
      const x1 = Math.max(0, x * scale);
      const y1 = Math.max(0, y * scale);
      return {
        region: [x1, y1, Math.min(width, (x + w) * scale), Math.min(height, (y + h) * scale)],
        points: akoolPoints(r.landmarks.positions, scale),
        score: r.detection.score,
      };
    })
    .sort((a, b) => area(b.region) - area(a.region));
  return { width, height, faces, oriented };
}

const area = (r: FaceGeometry['region']): number => (r[2] - r[0]) * (r[3] - r[1]);
