// The quality benchmark's page (bundled by bench/engine.ts --quality): analyses a test camera once, then runs
// the engine on it with each source face and measures the output against the negative controls. Face analyses
// that do not depend on the engine come in from, and go back to, the on-disk cache of bench/lib/quality-matrix.ts.
import { nodeModulesAssetUrls } from '../src/engine/assets.js';
import type { FaceInfo } from '../test/browser/face/face-check.js';
import {
  analyseCamera,
  analyseSource,
  landmarkModelsDisagreement,
  measurePair,
  type AnalysisCache,
  type CameraAnalysis,
  type SourceAnalysis,
} from '../test/browser/face/quality-run.js';

/** How the page analyses each camera and source (the matrix runner adds the picture size). */
export interface PageOptions {
  bursts: number;
  burstLength: number;
  secondModel: boolean;
  controls: boolean;
  maxFrames?: number;
  /** These frames analysed instead of the bursts. */
  frames?: number[];
  /** These frames analysed besides the bursts (a camera's catalogue entry lists them: its blinks). */
  alsoFrames?: number[];
  realtime: boolean;
}

/** An AnalysisCache as JSON: typed arrays as plain arrays. */
type StoredFace = { box: FaceInfo['box']; landmarks: number[]; descriptor: number[] };
export type StoredAnalyses = Record<string, { face: StoredFace | null; embedding: number[] | null }>;

function toCache(stored: StoredAnalyses): AnalysisCache {
  const cache: AnalysisCache = new Map();
  for (const [key, { face, embedding }] of Object.entries(stored)) {
    cache.set(key, {
      face: face && { box: face.box, landmarks: Float32Array.from(face.landmarks), descriptor: Float32Array.from(face.descriptor) },
      embedding: embedding && Float32Array.from(embedding),
    });
  }
  return cache;
}

function fromCache(cache: AnalysisCache): StoredAnalyses {
  const stored: StoredAnalyses = {};
  for (const [key, { face, embedding }] of cache) {
    stored[key] = {
      face: face && { box: face.box, landmarks: Array.from(face.landmarks), descriptor: Array.from(face.descriptor) },
      embedding: embedding && Array.from(embedding),
    };
  }
  return stored;
}

const cameras = new Map<string, CameraAnalysis>();
const sources = new Map<string, SourceAnalysis>();

/** Analyses camera `name` (one camera is kept at a time: each holds its whole clip). */
async function qualityCamera(name: string, url: string, options: PageOptions, stored: StoredAnalyses) {
  cameras.clear();
  const cache = toCache(stored);
  const camera = await analyseCamera(name, url, { ...options, cache });
  cameras.set(name, camera);
  return {
    frames: camera.video.frameCount,
    sampled: camera.sampled.length,
    inputFaces: [...camera.inputs.values()].filter((f) => f.face).length,
    analyses: fromCache(cache),
  };
}

function sideBySide(input: HTMLCanvasElement, output: HTMLCanvasElement, width: number): string {
  const scale = width / 2 / input.width;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = Math.round(input.height * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(input, 0, 0, canvas.width / 2, canvas.height);
  ctx.drawImage(output, canvas.width / 2, 0, canvas.width / 2, canvas.height);
  return canvas.toDataURL('image/png');
}

async function qualitySource(name: string, url: string, options: PageOptions, stored: StoredAnalyses) {
  const cache = toCache(stored);
  sources.set(name, await analyseSource(name, url, options.secondModel, cache));
  return fromCache(cache);
}

async function qualityPair(
  cameraName: string,
  sourceName: string,
  options: PageOptions & { pictureWidth: number },
  storedPaste: StoredAnalyses,
  withPaste: boolean,
) {
  const camera = cameras.get(cameraName);
  const source = sources.get(sourceName);
  if (!camera || !source) throw new Error(`${cameraName} x ${sourceName}: camera and source are analysed first`);
  const pasteCache = toCache(storedPaste);
  const { result, worst } = await measurePair(camera, source, nodeModulesAssetUrls(), options.secondModel, undefined, pasteCache, withPaste);
  return {
    result,
    worst: worst ? { index: worst.index, png: sideBySide(worst.input, worst.output, options.pictureWidth) } : null,
    pasteAnalyses: fromCache(pasteCache),
  };
}

/** The two landmark models' disagreement on camera `name`'s analysed frames (analysed by qualityCamera first). */
async function qualityLandmarkModels(name: string) {
  const camera = cameras.get(name);
  if (!camera) throw new Error(`${name}: the camera is analysed first`);
  return landmarkModelsDisagreement(camera);
}

Object.assign(window, { qualityCamera, qualitySource, qualityPair, qualityLandmarkModels });
