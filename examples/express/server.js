// One Express 5 server: the page, the drop-in build from node_modules, the local engine's files and the token
// endpoint. AKOOL_API_KEY and FACESWAP_SECRET are secrets; AKOOL_BASE_URL with FACESWAP_ENGINE=local points the
// endpoint at an AKOOL emulator (`npx faceswap-elements emulator`) and the browser at the in-page engine.
import express from 'express';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { createFaceswapHandler, toNodeListener } from 'faceswap-elements/server';
import { engineAssetRoutes } from 'faceswap-elements/server/engine-assets';

const require = createRequire(import.meta.url);
const local = process.env.FACESWAP_ENGINE === 'local';
const faceswap = createFaceswapHandler({
  auth: { apiKey: process.env.AKOOL_API_KEY ?? '' },
  secret: process.env.FACESWAP_SECRET,
  baseUrl: process.env.AKOOL_BASE_URL || undefined,
  engine: local ? 'local' : 'akool',
});

const app = express();
// Mounted before any body parser: the handler reads the request body itself.
app.use('/api/faceswap', toNodeListener(faceswap));
app.use('/faceswap-elements', express.static(dirname(require.resolve('faceswap-elements/cdn'))));
if (local) for (const { prefix, dir } of engineAssetRoutes()) app.use(prefix, express.static(dir));
app.use(express.static('public'));

const server = app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`Listening on http://${address}:${port}`);
});
process.on('SIGTERM', () => {
  faceswap.close(); // stops the reaper
  server.close();
  server.closeAllConnections();
});
