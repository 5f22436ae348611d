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
  /** This package's `models` (the face mesh with attention, MESH_MODEL_FILE). */
  meshModel: 'mesh-model/',
} as const;

/**
 * The face-mesh model the engine prefers, in this package's `models` folder: MediaPipe's mesh with attention, whose
 * lips and eyes are refined by their own heads (converted to TensorFlow.js by PINTO and vladmandic; see
 * models/README.md). human's plain mesh, which the engine falls back to, opens its lips too little: on the webcam
 * clip's open-mouth frames its gap was a median 0.69 of face-api's (0.97 with attention), so the photo's lips were
 * drawn over an open mouth.
 */
export const MESH_MODEL_FILE = 'facemesh-attention-pinto.json';
