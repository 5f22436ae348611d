/**
 * A second, independent face-recognition model for the identity metric: @vladmandic/human's `description`
 * model (faceres, a different network and training from face-api's). It runs in its own module worker,
 * because human bundles its own copy of tfjs, which must not share a page with face-api's.
 */
import { faceMeshConfig } from '../../../src/engine/human-config.js';

const HUMAN = '/node_modules/@vladmandic/human/dist/human.esm.js';
const MODELS = '/node_modules/@vladmandic/human/models/';
const WASM = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

function workerSource(origin: string): string {
  const config = {
    ...faceMeshConfig({ urls: { tfjsWasm: origin + WASM, humanModels: origin + MODELS }, maxDetected: 1, tracking: false, rotation: true, description: true }),
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
        const face = result.face[0];
        self.postMessage({ id, embedding: face && face.embedding && face.embedding.length ? Array.from(face.embedding) : null });
      } catch (error) {
        self.postMessage({ id, embedding: null, error: String(error) });
      }
    };`;
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, (embedding: Float32Array | null) => void>();

/** The recognition embedding of the (largest) face in `canvas`, or null when the model finds none. */
export function humanEmbedding(canvas: HTMLCanvasElement): Promise<Float32Array | null> {
  if (!worker) {
    const url = URL.createObjectURL(new Blob([workerSource(location.origin)], { type: 'text/javascript' }));
    worker = new Worker(url, { type: 'module' });
    worker.onmessage = ({ data }: MessageEvent<{ id: number; embedding: number[] | null }>) => {
      pending.get(data.id)?.(data.embedding ? Float32Array.from(data.embedding) : null);
      pending.delete(data.id);
    };
  }
  const image = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, canvas.width, canvas.height);
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    worker!.postMessage({ id, image });
  });
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
  for (const resolve of pending.values()) resolve(null);
  pending.clear();
}
