// Copies the local engine's files into public/faceswap-engine/, where the in-page engine loads them from.
import { cpSync, rmSync } from 'node:fs';
import { engineAssetRoutes } from 'faceswap-elements/server/engine-assets';

for (const { prefix, dir } of engineAssetRoutes()) {
  rmSync(`public${prefix}`, { recursive: true, force: true });
  cpSync(dir, `public${prefix}`, { recursive: true, filter: (source) => !source.endsWith('.map') });
}
