import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ENGINE_ASSET_BASE, ENGINE_ASSET_FOLDERS } from '../core/engine-assets.js';

/**
 * Static routes for the in-browser (`local`) engine's files, all from npm packages: nothing is fetched from a
 * CDN at run time. A site that uses the local engine in production must host these four folders, copied or
 * routed from its node_modules, under one base URL (default `/faceswap-engine/`, or the `assetBaseUrl` given
 * to LocalTransport):
 *   {base}human/        node_modules/@vladmandic/human/dist       (human.esm.js: face detector + mesh code)
 *   {base}human-models/ node_modules/@vladmandic/human/models     (blazeface.*, facemesh.*: ~2.2 MB used)
 *   {base}tfjs-wasm/    node_modules/@tensorflow/tfjs-backend-wasm/dist  (*.wasm, served as application/wasm)
 *   {base}mesh-model/   node_modules/faceswap-elements/models     (facemesh-attention-pinto.*: 2.7 MB, a source photo's lips and eyes)
 */
export { DEFAULT_ENGINE_ASSET_BASE };

export interface StaticRoute {
  /** URL path prefix, starting and ending with `/`. */
  prefix: string;
  /** Absolute folder whose files answer under `prefix`. */
  dir: string;
}

const require = createRequire(import.meta.url);

/** The installed package's folder (found from its entry point: some packages do not export package.json). */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || !dir.endsWith(join('node_modules', name))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot locate the ${name} package folder`);
    dir = parent;
  }
  return dir;
}

export function engineAssetRoutes(base = DEFAULT_ENGINE_ASSET_BASE): StaticRoute[] {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  const human = packageDir('@vladmandic/human');
  const wasm = packageDir('@tensorflow/tfjs-backend-wasm');
  return [
    { prefix: `${prefix}${ENGINE_ASSET_FOLDERS.human}`, dir: join(human, 'dist') },
    { prefix: `${prefix}${ENGINE_ASSET_FOLDERS.humanModels}`, dir: join(human, 'models') },
    { prefix: `${prefix}${ENGINE_ASSET_FOLDERS.tfjsWasm}`, dir: join(wasm, 'dist') },
    // This package's own folder: two levels up from src/server/ and from dist/server/ alike.
    { prefix: `${prefix}${ENGINE_ASSET_FOLDERS.meshModel}`, dir: fileURLToPath(new URL('../../models/', import.meta.url)) },
  ];
}
