import { DEFAULT_ENGINE_ASSET_BASE, ENGINE_ASSET_FOLDERS, MESH_MODEL_FILE } from '../core/engine-assets.js';

/**
 * Where the in-browser engine loads its model code, weights and wasm binaries from. Nothing comes from a CDN:
 * a site that uses the local engine hosts these four folders from its own node_modules and this package (see
 * src/server/engine-assets.ts for the routes `npm start` serves).
 */
export interface EngineAssetUrls {
  /** The ESM bundle of @vladmandic/human (node_modules/@vladmandic/human/dist/human.esm.js). */
  humanModule: string;
  /** Folder of human's models (node_modules/@vladmandic/human/models/), ending in `/`. */
  humanModels: string;
  /** Folder of the tfjs wasm binaries (node_modules/@tensorflow/tfjs-backend-wasm/dist/), ending in `/`. */
  tfjsWasm: string;
  /**
   * The face mesh with attention (this package's models/facemesh-attention-pinto.json), run on each source photo
   * for its lips and its eyes' places. Optional: without it (`meshModel: undefined`), or where it cannot be fetched,
   * the source photo is used with human's plain mesh alone.
   */
  meshModel?: string;
}

export { DEFAULT_ENGINE_ASSET_BASE };

/**
 * A page that cannot run code before the elements load (a CMS plugin, the CDN drop-in) names the base on any
 * element, usually its script tag (Shoelace's `data-shoelace` pattern):
 * `<script type="module" src="…/faceswap-elements.js" data-faceswap-engine-assets="/static/engine/">`.
 * Read when a session starts, so the tag may come after the elements.
 */
export const ENGINE_ASSETS_ATTRIBUTE = 'data-faceswap-engine-assets';

function pageAssetBase(): string | undefined {
  return globalThis.document?.querySelector(`[${ENGINE_ASSETS_ATTRIBUTE}]`)?.getAttribute(ENGINE_ASSETS_ATTRIBUTE) || undefined;
}

/** The layout below one base URL (`ENGINE_ASSET_FOLDERS`, which the server's routes follow too). */
export function engineAssetUrls(base: string = pageAssetBase() ?? DEFAULT_ENGINE_ASSET_BASE): EngineAssetUrls {
  const root = new URL(base.endsWith('/') ? base : `${base}/`, globalThis.location?.href).href;
  return {
    humanModule: `${root}${ENGINE_ASSET_FOLDERS.human}human.esm.js`,
    humanModels: `${root}${ENGINE_ASSET_FOLDERS.humanModels}`,
    tfjsWasm: `${root}${ENGINE_ASSET_FOLDERS.tfjsWasm}`,
    meshModel: `${root}${ENGINE_ASSET_FOLDERS.meshModel}${MESH_MODEL_FILE}`,
  };
}

/** The same files straight from a dev server that serves the repository root (web-test-runner, Vite). */
export function nodeModulesAssetUrls(nodeModules = '/node_modules/'): EngineAssetUrls {
  const root = new URL(nodeModules, globalThis.location?.href).href;
  return {
    humanModule: `${root}@vladmandic/human/dist/human.esm.js`,
    humanModels: `${root}@vladmandic/human/models/`,
    tfjsWasm: `${root}@tensorflow/tfjs-backend-wasm/dist/`,
    // The repository's own folder, beside node_modules.
    meshModel: new URL(`../models/${MESH_MODEL_FILE}`, root).href,
  };
}
