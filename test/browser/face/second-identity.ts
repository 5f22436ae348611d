/**
 * A second, independent face-recognition model for the identity metric: @vladmandic/human's `description`
 * model (faceres, a different network and training from face-api's). It runs in its own module worker,
 * because human bundles its own copy of tfjs, which must not share a page with face-api's. The same run gives
 * human's face mesh, the engine's landmark model detecting afresh, to compare with face-api's landmarks.
 */
import { faceMeshConfig } from '../../../src/engine/human-config.js';
import { chooseFace, type FaceChoice, type FaceInfo } from './face-check.js';

const HUMAN = '/node_modules/@vladmandic/human/dist/human.esm.js';
const MODELS = '/node_modules/@vladmandic/human/models/';
const WASM = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

function workerSource(origin: string): string {
  const config = {
    ...faceMeshConfig({ urls: { tfjsWasm: origin + WASM, humanModels: origin + MODELS }, maxDetected: 4, tracking: false, rotation: true, description: true }),
    backend: 'wasm',
  };
  return `
    import { Human } from '${origin}${HUMAN}';
    const human = new Human(${JSON.stringify(config)});
    const ready = human.load();
    self.onmessage = async ({ data: { id, image } }) => {
      try {
        await ready;
        const result = await human.detect(image);
        const faces = result.face.map((f) => ({ box: f.box, embedding: f.embedding && f.embedding.length ? Array.from(f.embedding) : null, mesh: f.mesh.flatMap((p) => [p[0], p[1]]) }));
        self.postMessage({ id, faces });
      } catch (error) {
        self.postMessage({ id, faces: [], error: String(error) });
      }
    };`;
}

let worker: Worker | null = null;
let nextId = 1;
type EmbeddedFace = { box: FaceInfo['box']; embedding: number[] | null; mesh: number[] };
const pending = new Map<number, (faces: EmbeddedFace[]) => void>();

/** The faces human finds in `canvas`, with their recognition embeddings and 468-point meshes. */
async function humanFaces(canvas: HTMLCanvasElement): Promise<EmbeddedFace[]> {
  if (!worker) {
    const url = URL.createObjectURL(new Blob([workerSource(location.origin)], { type: 'text/javascript' }));
    worker = new Worker(url, { type: 'module' });
    worker.onmessage = ({ data }: MessageEvent<{ id: number; faces: EmbeddedFace[] }>) => {
      pending.get(data.id)?.(data.faces);
      pending.delete(data.id);
    };
  }
  const image = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, canvas.width, canvas.height);
  const id = nextId++;
  return new Promise<EmbeddedFace[]>((resolve) => {
    pending.set(id, resolve);
    worker!.postMessage({ id, image });
  });
}

/** The recognition embedding of the face in `canvas` that `choice` asks for (see FaceChoice), or null when the model finds none. */
export async function humanEmbedding(canvas: HTMLCanvasElement, choice: FaceChoice = {}): Promise<Float32Array | null> {
  const faces = (await humanFaces(canvas)).filter((f) => f.embedding);
  const face = chooseFace(faces, (f) => f.box, choice);
  return face ? Float32Array.from(face.embedding!) : null;
}

/** human's 468-point face mesh (x0 y0 x1 y1 ...) of the face in `canvas` that `choice` asks for, or null. */
export async function humanMesh(canvas: HTMLCanvasElement, choice: FaceChoice = {}): Promise<Float32Array | null> {
  const face = chooseFace(await humanFaces(canvas), (f) => f.box, choice);
  return face ? Float32Array.from(face.mesh) : null;
}

/** Cosine distance (0 = same direction, 2 = opposite) between two embeddings. */
export function cosineDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return 1 - dot / Math.sqrt(na * nb || 1);
}

export function stopSecondIdentity(): void {
  worker?.terminate();
  worker = null;
  for (const resolve of pending.values()) resolve([]);
  pending.clear();
}
