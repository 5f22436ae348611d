/**
 * Runs the in-browser engine over a test camera (.y4m, see y4m-camera.ts) with one source face and measures
 * the output with quality-metrics.ts, next to the negative controls that must fail the metrics:
 * - `raw`: the camera passed through (fails identity);
 * - `paste`: the source photo's face, unwarped, pasted at one fixed place over the face (fails alignment,
 *   expression and seams; passes identity by construction);
 * - `blanked`: the face filled with its mean colour (fails detection);
 * - `shaken`: the camera frame shifted by up to 6 px and its brightness changed by up to 12 % at random each
 *   frame, as a flickering swap would look (fails temporal stability);
 * - `mirrored`: the engine's own meshes drawn from a mirrored source, every triangle flipped (fails folds);
 * - `gained`: the camera frame with the middle of its face mask brightened by one global gain, a hard edge half
 *   way across the border ring (fails seams; judged on seams only, its faces are the input's).
 * Used by bench/engine.ts (every camera x source) and test/browser/face/quality.test.ts (a subset).
 */
import type { EngineAssetUrls } from '../../../src/engine/assets.js';
import { FaceSwapEngine, type DrawnMesh } from '../../../src/engine/engine.js';
import { FACE_OVAL } from '../../../src/engine/mesh.js';
import { analyseFace, boxDistance, loadImage, meanDescriptor, type FaceChoice, type FaceInfo } from './face-check.js';
import {
  faceContour,
  foldedArea,
  landmarkError,
  meshAs68,
  percentile,
  mirroredSource,
  qualityMetrics,
  round,
  scalePolygon,
  summariseFolds,
  type AnalysedFrame,
  type MaskBorder,
  type PairedFrame,
  type QualityMetrics,
} from './quality-metrics.js';
import { humanEmbedding, humanMesh } from './second-identity.js';
import { frameCanvas, loadY4m, type Y4mVideo } from './y4m-camera.js';

type TrackGenerator = MediaStreamTrack & { writable: WritableStream<VideoFrame> };
type TrackProcessor = { readable: ReadableStream<VideoFrame> };
const scope = globalThis as unknown as {
  MediaStreamTrackGenerator: new (init: { kind: 'video' }) => TrackGenerator;
  MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack }) => TrackProcessor;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Indices of `bursts` runs of `length` consecutive frames spread evenly over `frameCount` frames. */
export function sampledFrames(frameCount: number, bursts: number, length: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < bursts; b++) {
    const start = Math.floor(((b + 0.5) * frameCount) / bursts - length / 2);
    for (let k = 0; k < length; k++) out.push(Math.min(frameCount - 1, Math.max(0, start + k)));
  }
  return [...new Set(out)];
}

export interface EngineRecording {
  /** Output canvases of the sampled frames. */
  outputs: Map<number, HTMLCanvasElement>;
  /** Drawn meshes of the sampled frames (absent: no face drawn). */
  meshes: Map<number, DrawnMesh>;
  /** Per clip frame: folded and drawn area, or null when no face was drawn. */
  folds: Array<{ folded: number; drawn: number } | null>;
  mirroredFolds: Array<{ folded: number; drawn: number } | null>;
  /** Per clip frame: the opacity the face was drawn with (0: not drawn, the camera shows). */
  opacity: number[];
  /** Clip frames whose output never came. */
  missing: number;
  /** Frames of the first camera image the engine needed before it showed the full swap. */
  warmupFrames: number;
  /** Wall-clock seconds for the clip, and the engine's landmark rate meanwhile. */
  seconds: number;
  landmarkFps: number;
}

/**
 * Feeds every frame of `video` to a new engine swapping in `sourceUrl`, at most at the video's frame rate and
 * one frame at a time (the next frame goes in once the previous one came out), so no frame is dropped and
 * each output frame is paired with its input by timestamp. Unless `realtime`, a frame also waits until the
 * landmark model is done with the previous one, and the engine holds each frame until its own landmarks are in
 * (measureEveryFrame): every frame is measured, as on a machine with a core free for the model (about 20 runs a
 * second here), so what is measured is the method, not how busy the machine was.
 */
export async function recordEngine(
  video: Y4mVideo,
  sourceUrl: string,
  sampled: Set<number>,
  urls: EngineAssetUrls,
  realtime = false,
): Promise<EngineRecording> {
  const engine = new FaceSwapEngine(urls, { measureEveryFrame: !realtime });
  const input = new scope.MediaStreamTrackGenerator({ kind: 'video' });
  const writer = input.writable.getWriter();
  const waiters = new Map<number, (frame: VideoFrame | null) => void>();
  let reader: ReadableStreamDefaultReader<VideoFrame> | null = null;
  const read = async (r: ReadableStreamDefaultReader<VideoFrame>) => {
    for (;;) {
      const { value } = await r.read().catch(() => ({ value: undefined }));
      if (!value) return;
      const waiter = waiters.get(value.timestamp);
      waiters.delete(value.timestamp);
      if (waiter) waiter(value);
      else value.close();
    }
  };
  const period = 1000 / video.fps;
  let tick = 0;
  let lastPush = -Infinity;
  /** Sends frame `index` with a fresh timestamp; resolves with its output frame (null if none came in time). */
  const push = async (index: number, timeoutMs: number): Promise<{ frame: VideoFrame | null; timestamp: number }> => {
    const wait = lastPush + period - performance.now();
    if (wait > 0) await sleep(wait);
    for (const until = performance.now() + 5000; !realtime && engine.measuring && performance.now() < until;) await sleep(2);
    const timestamp = Math.round(tick++ * period * 1000);
    const out = new Promise<VideoFrame | null>((resolve) => {
      waiters.set(timestamp, resolve);
      setTimeout(() => waiters.delete(timestamp) && resolve(null), timeoutMs);
    });
    lastPush = performance.now();
    await writer.write(video.frame(index, timestamp));
    if (!reader && engine.track) {
      reader = new scope.MediaStreamTrackProcessor({ track: engine.track }).readable.getReader();
      void read(reader);
    }
    return { frame: await out, timestamp };
  };
  try {
    await engine.ready;
    await engine.setSource(sourceUrl);
    await engine.sourceSettled;
    // Without it the run would measure the plain mesh's features unnoticed (a page that does not serve the model).
    if (urls.meshModel && !engine.stats().sourceRefined) throw new Error(`the mesh with attention did not refine ${sourceUrl}`);
    engine.start(input);
    // Warm-up on the first image until the swap is fully shown (model warm, tracking locked), at most 15 s.
    let warmupFrames = 0;
    const warmupUntil = performance.now() + 15000;
    while (performance.now() < warmupUntil) {
      const { frame } = await push(0, 2000);
      frame?.close();
      warmupFrames++;
      const mesh = engine.lastDrawnMesh();
      if (mesh && Math.max(...mesh.alpha) >= 0.999 && engine.stats().landmarkFps > 0) break;
    }
    const recording: EngineRecording = {
      outputs: new Map(),
      meshes: new Map(),
      folds: [],
      mirroredFolds: [],
      opacity: [],
      missing: 0,
      warmupFrames,
      seconds: 0,
      landmarkFps: 0,
    };
    const started = performance.now();
    const rates: number[] = [];
    for (let i = 0; i < video.frameCount; i++) {
      const { frame, timestamp } = await push(i, 5000);
      if (!frame) {
        recording.missing++;
        recording.folds.push(null);
        recording.mirroredFolds.push(null);
        recording.opacity.push(0);
        continue;
      }
      const drawn = engine.lastDrawnMesh();
      const mesh = drawn && drawn.frameTimestamp === timestamp ? drawn : null;
      recording.folds.push(mesh ? foldedArea(mesh) : null);
      recording.mirroredFolds.push(mesh ? foldedArea(mirroredSource(mesh)) : null);
      recording.opacity.push(mesh ? Math.max(...mesh.alpha) : 0);
      if (sampled.has(i)) {
        recording.outputs.set(i, frameCanvas(frame));
        if (mesh) recording.meshes.set(i, mesh);
      }
      frame.close();
      if (i % 20 === 0) rates.push(engine.stats().landmarkFps);
    }
    recording.seconds = (performance.now() - started) / 1000;
    recording.landmarkFps = rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length);
    return recording;
  } finally {
    engine.dispose();
    await writer.close().catch(() => undefined);
    input.stop();
    await (reader as ReadableStreamDefaultReader<VideoFrame> | null)?.cancel().catch(() => undefined);
    for (const resolve of waiters.values()) resolve(null);
  }
}

/**
 * Face analyses by key (`input:12`, `paste:12`, ...) of images that do not depend on the engine: bench/engine.ts
 * --quality keeps them on disk, keyed by the files analysed and this code, so a camera or source is analysed once.
 */
export type AnalysisCache = Map<string, Omit<AnalysedFrame, 'canvas'>>;

/**
 * face-api's analysis of the face in `canvas` that `choice` asks for (see FaceChoice); `identity` adds its
 * descriptor and, with `secondModel`, human's embedding of the same face. With a `cache`, the analysis stored
 * under `key` is taken, or the new one stored there.
 */
async function analyse(
  canvas: HTMLCanvasElement,
  secondModel: boolean,
  identity = true,
  choice: FaceChoice = {},
  cache?: AnalysisCache,
  key = '',
): Promise<AnalysedFrame> {
  const cached = cache?.get(key);
  if (cached) return { canvas, ...cached };
  const face = await analyseFace(canvas, identity, choice);
  const embedding = face && identity && secondModel ? await humanEmbedding(canvas, { near: face.box, within: MATCH_WITHIN }) : null;
  cache?.set(key, { face, embedding });
  return { canvas, face, embedding };
}

/**
 * An output (or control) frame's face is the one at the input frame's face, its centre at most this many face
 * sizes away: a second person in the frame is never compared with the camera person. No face there: none found.
 */
const MATCH_WITHIN = 0.5;

/** The face in `canvas` at the place of `input`'s face (see MATCH_WITHIN); the largest face when the input has none. */
function analyseAt(
  canvas: HTMLCanvasElement,
  input: AnalysedFrame,
  secondModel: boolean,
  identity = true,
  cache?: AnalysisCache,
  key = '',
): Promise<AnalysedFrame> {
  return analyse(canvas, secondModel, identity, input.face ? { near: input.face.box, within: MATCH_WITHIN } : {}, cache, key);
}

/** Everything about one camera that does not depend on the source: its frames, faces and the source-free controls. */
export interface CameraAnalysis {
  name: string;
  video: Y4mVideo;
  sampled: number[];
  inputs: Map<number, AnalysedFrame>;
  camera: Float32Array;
  cameraEmbedding: Float32Array | null;
  /** Where the paste control puts the source face: the median input face box, grown. */
  pasteBox: FaceInfo['box'] | null;
  controls: Record<'raw' | 'blanked' | 'shaken', Map<number, AnalysedFrame>>;
  realtime: boolean;
}

function drawn(from: HTMLCanvasElement, draw: (ctx: CanvasRenderingContext2D) => void): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = from.width;
  canvas.height = from.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  draw(ctx);
  return canvas;
}

/** A deterministic pseudo-random number in [-1, 1) for frame `i` and channel `k`. */
function noise(i: number, k: number): number {
  const x = Math.sin(i * 12.9898 + k * 78.233) * 43758.5453;
  return (x - Math.floor(x)) * 2 - 1;
}

function blanked(input: AnalysedFrame): HTMLCanvasElement {
  return drawn(input.canvas, (ctx) => {
    ctx.drawImage(input.canvas, 0, 0);
    if (!input.face) return;
    const contour = faceContour(input.face.landmarks);
    const [x, y, w, h] = input.face.box;
    const centre = ctx.getImageData(Math.round(x + w * 0.3), Math.round(y + h * 0.4), Math.max(1, Math.round(w * 0.4)), Math.max(1, Math.round(h * 0.3))).data;
    const sum = [0, 0, 0];
    for (let o = 0; o < centre.length; o += 4) for (let k = 0; k < 3; k++) sum[k] += centre[o + k];
    const n = centre.length / 4;
    ctx.fillStyle = `rgb(${sum.map((v) => Math.round(v / n)).join(',')})`;
    ctx.beginPath();
    for (let i = 0; i < contour.length; i += 2) ctx.lineTo(contour[i], contour[i + 1]);
    ctx.closePath();
    ctx.fill();
  });
}

function shaken(input: AnalysedFrame, index: number): HTMLCanvasElement {
  return drawn(input.canvas, (ctx) => {
    ctx.filter = `brightness(${1 + 0.12 * noise(index, 2)})`;
    ctx.drawImage(input.canvas, Math.round(6 * noise(index, 0)), Math.round(6 * noise(index, 1)));
  });
}

export interface CameraOptions {
  /** Analysed frames: `bursts` runs of `burstLength` consecutive frames. */
  bursts: number;
  burstLength: number;
  secondModel: boolean;
  /** Only the first `maxFrames` frames of the camera (default all). */
  maxFrames?: number;
  /** Analyse these frames instead of the bursts. */
  frames?: number[];
  /** Analyse these frames besides the bursts (where the camera shows something brief: a blink). */
  alsoFrames?: number[];
  /** Prepare the source-free negative controls (default true). */
  controls?: boolean;
  /** Feed the engine at the camera's pace whatever the landmark model keeps up with (see recordEngine). */
  realtime?: boolean;
  /** Analyses of this camera's frames and controls from an earlier run, added to as frames are analysed. */
  cache?: AnalysisCache;
}

export async function analyseCamera(name: string, url: string, options: CameraOptions): Promise<CameraAnalysis> {
  const video = await loadY4m(url, options.maxFrames);
  const bursts = sampledFrames(video.frameCount, options.bursts, options.burstLength);
  const also = (options.alsoFrames ?? []).filter((i) => i < video.frameCount);
  const sampled = options.frames ?? [...new Set([...bursts, ...also])].sort((a, b) => a - b);
  const inputs = new Map<number, AnalysedFrame>();
  const controls: CameraAnalysis['controls'] = { raw: inputs, blanked: new Map(), shaken: new Map() };
  // One camera person throughout: the largest face first, then the face nearest the last one found.
  let last: FaceInfo['box'] | undefined;
  for (const i of sampled) {
    const input = await analyse(video.canvas(i), options.secondModel, true, { near: last }, options.cache, `input:${i}`);
    inputs.set(i, input);
    last = input.face?.box ?? last;
  }
  for (const i of options.controls === false ? [] : sampled) {
    const input = inputs.get(i)!;
    controls.blanked.set(i, await analyseAt(blanked(input), input, false, false, options.cache, `blanked:${i}`));
    controls.shaken.set(i, await analyseAt(shaken(input, i), input, false, false, options.cache, `shaken:${i}`));
  }
  const faces = [...inputs.values()].filter((f) => f.face);
  const embeddings = faces.map((f) => f.embedding).filter((e): e is Float32Array => e !== null);
  const median = (k: number) => [...faces.map((f) => f.face!.box[k])].sort((a, b) => a - b)[Math.floor(faces.length / 2)];
  let pasteBox: FaceInfo['box'] | null = null;
  if (faces.length) {
    const [x, y, w, h] = [0, 1, 2, 3].map(median);
    pasteBox = [x - w * 0.1, y - h * 0.1, w * 1.2, h * 1.2];
  }
  return {
    name,
    video,
    sampled,
    inputs,
    camera: faces.length ? meanDescriptor(faces.map((f) => f.face!.descriptor)) : new Float32Array(128),
    cameraEmbedding: embeddings.length ? meanDescriptor(embeddings) : null,
    pasteBox,
    controls,
    realtime: options.realtime === true,
  };
}

/**
 * How far the two landmark models disagree on a camera's own analysed frames: face-api's landmarks (the alignment
 * metric's reference) against human's mesh detected afresh (the engine's landmark model) read as 68 landmarks
 * (meshAs68), in eye distances, over the 51 inner points as the alignment metric (and over all 68). The metric cannot
 * judge the engine's placement of the face more finely than this: the engine draws the source where its own model
 * puts the face.
 */
export async function landmarkModelsDisagreement(
  camera: CameraAnalysis,
): Promise<{ frames: number; median: number | null; p95: number | null; p95WithJaw: number | null }> {
  const errors: number[] = [];
  const withJaw: number[] = [];
  for (const i of camera.sampled) {
    const input = camera.inputs.get(i)!;
    if (!input.face) continue;
    const mesh = await humanMesh(input.canvas, { near: input.face.box, within: MATCH_WITHIN });
    if (!mesh) continue;
    const read = meshAs68(mesh);
    errors.push(landmarkError(read, input.face.landmarks));
    withJaw.push(landmarkError(read, input.face.landmarks, { withJaw: true }));
  }
  return { frames: errors.length, median: round(percentile(errors, 0.5)), p95: round(percentile(errors, 0.95)), p95WithJaw: round(percentile(withJaw, 0.95)) };
}

export interface SourceAnalysis {
  name: string;
  url: string;
  image: HTMLImageElement;
  face: FaceInfo;
  embedding: Float32Array | null;
}

export async function analyseSource(name: string, url: string, secondModel: boolean, cache?: AnalysisCache): Promise<SourceAnalysis> {
  const image = await loadImage(url);
  const canvas = drawn(Object.assign(document.createElement('canvas'), { width: image.naturalWidth, height: image.naturalHeight }), (ctx) =>
    ctx.drawImage(image, 0, 0),
  );
  const analysed = await analyse(canvas, secondModel, true, {}, cache, 'source');
  if (!analysed.face) throw new Error(`no face found in the source ${name}`);
  return { name, url, image, face: analysed.face, embedding: analysed.embedding };
}

/** A hard-edged rectangle: camera just outside its edge, the pasted face just inside. */
function rectangleBorder([x, y, w, h]: FaceInfo['box']): MaskBorder {
  const rect = Float32Array.of(x, y, x + w, y, x + w, y + h, x, y + h);
  return { outer: scalePolygon(rect, 1.04), inner: scalePolygon(rect, 0.96) };
}

/**
 * A feathered face mask from its contour: the engine's mask is zero on the mesh's face oval and reaches full
 * strength an eighth of the face width inside it (src/engine/mesh.ts featherWeights), about 0.75x the contour.
 */
function featheredBorder(contour: Float32Array): MaskBorder {
  return { outer: contour, inner: scalePolygon(contour, 0.75) };
}

/** Brightening of the `gained` control: a quarter, about what one global gain gets wrong across a face's lighting. */
const CONTROL_GAIN = 1.25;

/** The `gained` control's frame: the input with its face (inside the middle of the mask's border ring) brightened. */
function gainedMask(input: AnalysedFrame): AnalysedFrame {
  const canvas = drawn(input.canvas, (ctx) => {
    ctx.drawImage(input.canvas, 0, 0);
    if (!input.face) return;
    const polygon = scalePolygon(faceContour(input.face.landmarks), 0.875);
    ctx.beginPath();
    for (let i = 0; i < polygon.length; i += 2) ctx.lineTo(polygon[i], polygon[i + 1]);
    ctx.closePath();
    ctx.clip();
    ctx.filter = `brightness(${CONTROL_GAIN})`;
    ctx.drawImage(input.canvas, 0, 0);
  });
  return { canvas, face: input.face, embedding: input.embedding };
}

/**
 * Whether the engine swapped another person than `input`'s analysed face: its mesh lies further than MATCH_WITHIN
 * from that face, and face-api finds a different face of the input frame at the mesh. A mesh drawn away from every
 * face (misplaced) is not this: that frame stays in, and fails the per-face metrics.
 */
async function swappedAnotherFace(mesh: DrawnMesh, input: AnalysedFrame): Promise<boolean> {
  if (!input.face) return false;
  const away = (box: FaceInfo['box']) => boxDistance(input.face!.box, box) > MATCH_WITHIN;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const i of FACE_OVAL) {
    [minX, maxX] = [Math.min(minX, mesh.points[i * 2]), Math.max(maxX, mesh.points[i * 2])];
    [minY, maxY] = [Math.min(minY, mesh.points[i * 2 + 1]), Math.max(maxY, mesh.points[i * 2 + 1])];
  }
  const drawn: FaceInfo['box'] = [minX, minY, maxX - minX, maxY - minY];
  if (!away(drawn)) return false;
  const there = await analyseFace(input.canvas, false, { near: drawn, within: MATCH_WITHIN });
  return there !== null && away(there.box);
}

function oval(mesh: DrawnMesh): MaskBorder {
  return featheredBorder(Float32Array.from(FACE_OVAL.flatMap((i) => [mesh.points[i * 2], mesh.points[i * 2 + 1]])));
}

export interface PairResult {
  camera: string;
  source: string;
  engine: QualityMetrics & { warmupFrames: number; missingFrames: number; fadedClipFrames: number; clipFrames: number; seconds: number; landmarkFps: number };
  /** Absent when the camera was analysed without controls; `paste` null when that control was left out. */
  controls: (Record<'raw' | 'blanked' | 'shaken' | 'mirrored' | 'gained', QualityMetrics> & { paste: QualityMetrics | null }) | null;
  /** Per metric: true when every control meant to fail it does (see the module comment). */
  controlsFail: Record<string, boolean | null>;
}

/** Which controls must fail which metric (`pass` key of QualityMetrics). */
const MUST_FAIL: Array<[keyof QualityMetrics['pass'], Array<keyof NonNullable<PairResult['controls']>>]> = [
  ['detected', ['blanked']],
  ['landmarks', ['paste']],
  ['mouth', ['paste']],
  ['eyes', ['paste']],
  ['folds', ['mirrored']],
  ['seams', ['paste', 'gained']],
  ['jitter', ['shaken']],
  ['identity', ['raw']],
];

export interface PairOutput {
  result: PairResult;
  /** Side-by-side input | output of the sampled frame where the engine's landmark error was largest. */
  worst: { index: number; input: HTMLCanvasElement; output: HTMLCanvasElement } | null;
}

export async function measurePair(
  camera: CameraAnalysis,
  source: SourceAnalysis,
  urls: EngineAssetUrls,
  secondModel: boolean,
  /** Measure the negative controls too (default: when the camera was analysed with them). */
  withControls = camera.controls.blanked.size > 0,
  /** Analyses of this pair's paste control from an earlier run (it does not depend on the engine). */
  pasteCache?: AnalysisCache,
  /** Measure the static-paste control (the costliest: every sampled frame analysed again) with the others. */
  withPaste = withControls,
): Promise<PairOutput> {
  const sampled = new Set(camera.sampled);
  const recording = await recordEngine(camera.video, source.url, sampled, urls, camera.realtime);
  const ids = { source: source.face, sourceEmbedding: source.embedding, camera: camera.camera, cameraEmbedding: camera.cameraEmbedding };

  const enginePairs: PairedFrame[] = [];
  for (const i of camera.sampled) {
    const output = recording.outputs.get(i);
    if (!output) continue;
    const mesh = recording.meshes.get(i);
    enginePairs.push({
      index: i,
      input: camera.inputs.get(i)!,
      output: await analyseAt(output, camera.inputs.get(i)!, secondModel),
      mask: mesh ? oval(mesh) : null,
      faded: recording.opacity[i] < 0.999,
      elsewhere: mesh !== undefined && (await swappedAnotherFace(mesh, camera.inputs.get(i)!)),
    });
  }
  const engine = qualityMetrics(enginePairs, ids, summariseFolds(recording.folds));

  const contourOf = (f: AnalysedFrame) => (f.face ? featheredBorder(faceContour(f.face.landmarks)) : null);
  const controlPairs = (outputs: Map<number, AnalysedFrame>, mask: (i: number) => MaskBorder | null): PairedFrame[] =>
    camera.sampled.map((i) => ({ index: i, input: camera.inputs.get(i)!, output: outputs.get(i)!, mask: mask(i), faded: false }));

  const paste = new Map<number, AnalysedFrame>();
  const box = camera.pasteBox;
  const [sx, sy, sw, sh] = source.face.box;
  for (const i of withControls && withPaste ? camera.sampled : []) {
    const input = camera.inputs.get(i)!;
    const canvas = drawn(input.canvas, (ctx) => {
      ctx.drawImage(input.canvas, 0, 0);
      if (box) ctx.drawImage(source.image, sx - sw * 0.1, sy - sh * 0.1, sw * 1.2, sh * 1.2, ...box);
    });
    paste.set(i, await analyseAt(canvas, input, secondModel, true, pasteCache, `paste:${i}`));
  }
  const controls: PairResult['controls'] = withControls
    ? {
        raw: qualityMetrics(
          controlPairs(camera.controls.raw, (i) => contourOf(camera.inputs.get(i)!)),
          ids,
          null,
        ),
        paste: withPaste
          ? qualityMetrics(
              controlPairs(paste, () => (box ? rectangleBorder(box) : null)),
              ids,
              null,
            )
          : null,
        blanked: qualityMetrics(
          controlPairs(camera.controls.blanked, (i) => contourOf(camera.inputs.get(i)!)),
          ids,
          null,
        ),
        shaken: qualityMetrics(
          controlPairs(camera.controls.shaken, (i) => contourOf(camera.inputs.get(i)!)),
          ids,
          null,
        ),
        mirrored: qualityMetrics([], ids, summariseFolds(recording.mirroredFolds)),
        gained: qualityMetrics(
          camera.sampled.map((i) => ({
            index: i,
            input: camera.inputs.get(i)!,
            output: gainedMask(camera.inputs.get(i)!),
            mask: contourOf(camera.inputs.get(i)!),
            faded: false,
          })),
          ids,
          null,
        ),
      }
    : null;
  const controlsFail: PairResult['controlsFail'] = {};
  for (const [metric, names] of controls ? MUST_FAIL : []) {
    const verdicts = names.map((n) => controls![n]?.pass[metric] ?? null);
    controlsFail[metric] = verdicts.some((v) => v === null) ? null : verdicts.every((v) => v === false);
  }

  let worst: PairOutput['worst'] = null;
  let worstError = -1;
  for (const p of enginePairs) {
    if (!p.input.face) continue;
    const err = p.output.face ? landmarkError(p.output.face.landmarks, p.input.face.landmarks) : Infinity;
    if (err > worstError) [worstError, worst] = [err, { index: p.index, input: p.input.canvas, output: p.output.canvas }];
  }
  const faded = recording.opacity.filter((o) => o < 0.999).length;
  return {
    result: {
      camera: camera.name,
      source: source.name,
      engine: {
        ...engine,
        warmupFrames: recording.warmupFrames,
        missingFrames: recording.missing,
        fadedClipFrames: faded,
        clipFrames: camera.video.frameCount,
        seconds: Math.round(recording.seconds * 10) / 10,
        landmarkFps: Math.round(recording.landmarkFps * 10) / 10,
      },
      controls,
      controlsFail,
    },
    worst,
  };
}

export { loadY4m };
