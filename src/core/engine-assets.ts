/**
 * The layout of the in-browser engine's files below one base URL: what the server routes
 * (`src/server/engine-assets.ts`) and what the engine loads (`src/engine/assets.ts`) agree on.
 */

/** The prefix under which `npm start` (and a production site) serves the engine assets. */
export const DEFAULT_ENGINE_ASSET_BASE = '/faceswap-engine/';

/** The folders below the base, each ending in `/`. */
export const ENGINE_ASSET_FOLDERS = {
  /** @vladmandic/human's `dist` (its ESM bundle `human.esm.js`). */
  human: 'human/',
  /** @vladmandic/human's `models`. */
  humanModels: 'human-models/',
  /** @tensorflow/tfjs-backend-wasm's `dist` (the wasm binaries). */
  tfjsWasm: 'tfjs-wasm/',
  /** This package's `models` (MESH_MODEL_FILE). */
  meshModel: 'mesh-model/',
} as const;

/**
 * MediaPipe's face mesh with attention, in this package's `models` folder (models/README.md): its own heads refine
 * the lips and eyes, which human's plain mesh sets off on some photos. The engine runs it once per source photo, for
 * the photo's lips and its eyes' places.
 */
export const MESH_MODEL_FILE = 'facemesh-attention-pinto.json';
