// Copies the drop-in build and the local engine's files into public/, which the Worker serves as static assets.
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { engineAssetRoutes } from 'faceswap-elements/server/engine-assets';

const require = createRequire(import.meta.url);
const copies = [{ prefix: '/faceswap-elements/', dir: dirname(require.resolve('faceswap-elements/cdn')) }, ...engineAssetRoutes()];
for (const { prefix, dir } of copies) {
  rmSync(`public${prefix}`, { recursive: true, force: true });
  cpSync(dir, `public${prefix}`, { recursive: true, filter: (source) => !source.endsWith('.map') });
}
