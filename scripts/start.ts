/**
 * `npm start`: the demo page (Vite, root `demo/`) and the token endpoint (`/api/faceswap`) on one port.
 *   - AKOOL_API_KEY unset: the AKOOL emulator runs in-process under `/akool-emulator` (so face crops are
 *     same-origin) and the page runs on the in-browser `local` engine.
 *   - AKOOL_API_KEY set: real AKOOL (AKOOL_BASE_URL to override) and the `akool` engine over Agora.
 * Also: PORT (default 5173), HOST (default: every interface), FACESWAP_SECRET (sessionKey HMAC secret),
 * ALLOWED_ORIGINS (`*` or a comma-separated list of extra origins allowed to call the endpoint).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer as createVite } from 'vite';
import { createEmulator } from '../src/server/emulator/server.js';
import { createFaceswapHandler } from '../src/server/handler.js';
import { toNodeListener } from '../src/server/node-adapter.js';

const ENDPOINT = '/api/faceswap';
const EMULATOR_MOUNT = '/akool-emulator';
const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? 5173);
const host = process.env.HOST || undefined;
const apiKey = process.env.AKOOL_API_KEY || undefined;

const allowedOrigins = (() => {
  const value = process.env.ALLOWED_ORIGINS?.trim();
  if (!value) return [];
  return value === '*' ? ('*' as const) : value.split(',').map((s) => s.trim()).filter(Boolean);
})();

// The browser's own address for this request, so emulator face URLs point where the browser can load them.
const browserBase = new AsyncLocalStorage<string>();
const emulator = apiKey ? undefined : createEmulator({ mountPath: EMULATOR_MOUNT });

const handler = createFaceswapHandler({
  auth: { apiKey: apiKey ?? emulator!.apiKey },
  baseUrl: apiKey ? process.env.AKOOL_BASE_URL || undefined : `http://127.0.0.1:${port}${EMULATOR_MOUNT}`,
  // The emulator is called in-process: no loopback hop, and the public URL cannot be forged over HTTP.
  fetch: emulator
    ? async (input, init) => emulator.handle(new Request(input, init), { publicUrl: browserBase.getStore() })
    : undefined,
  engine: apiKey ? 'akool' : 'local',
  // The emulator demo needs no stable secret; a real deployment should set FACESWAP_SECRET.
  secret: process.env.FACESWAP_SECRET || (emulator ? randomBytes(32) : undefined),
  allowedOrigins,
});
const handlerListener = toNodeListener(handler);
const emulatorListener = emulator && toNodeListener((request) => emulator.handle(request));

/** Static routes of the in-browser engine's model files, when the engine ships them. */
const assetRoutes: Array<{ prefix: string; dir: string }> = existsSync(join(root, 'src/server/engine-assets.ts'))
  ? ((await import('../src/server/engine-assets.js' as string)) as { engineAssetRoutes(): Array<{ prefix: string; dir: string }> }).engineAssetRoutes()
  : [];

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.data': 'application/octet-stream',
  '.tflite': 'application/octet-stream',
  '.binarypb': 'application/octet-stream',
};

function serveAsset(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
  const route = assetRoutes.find((r) => pathname.startsWith(r.prefix));
  if (!route) return false;
  const file = normalize(join(route.dir, decodeURIComponent(pathname.slice(route.prefix.length))));
  if (!file.startsWith(resolve(route.dir) + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return true;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': statSync(file).size,
    'cache-control': 'public, max-age=3600',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
  return true;
}

const server = createServer();
const vite = await createVite({
  root: join(root, 'demo'),
  configFile: false,
  appType: 'mpa',
  server: { middlewareMode: true, hmr: { server }, fs: { allow: [root] } },
});

server.on('request', (req: IncomingMessage, res: ServerResponse) => {
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (pathname === ENDPOINT || pathname.startsWith(ENDPOINT + '/')) {
    browserBase.run(`http://${req.headers.host ?? 'localhost'}${EMULATOR_MOUNT}`, () => handlerListener(req, res));
    return;
  }
  if (emulatorListener && (pathname === EMULATOR_MOUNT || pathname.startsWith(EMULATOR_MOUNT + '/'))) {
    emulatorListener(req, res);
    return;
  }
  if (serveAsset(req, res, pathname)) return;
  vite.middlewares(req, res);
});

await new Promise<void>((resolveListen, reject) => {
  server.once('error', reject);
  server.listen(port, host, () => resolveListen());
});

const mode = apiKey ? 'engine akool, real AKOOL' : 'engine local, AKOOL emulator at ' + EMULATOR_MOUNT;
const { port: actualPort } = server.address() as AddressInfo; // PORT=0 picks a free port
console.log(`faceswap-elements demo: http://localhost:${actualPort}/  (token endpoint ${ENDPOINT}; ${mode})`);

// Load the face detector now so the first upload in the demo does not wait for it.
emulator?.warmUp().catch((error: unknown) => console.error(`Face detector failed to load: ${(error as Error).message}`));

const stop = () => {
  handler.close();
  emulator?.close();
  server.closeAllConnections();
  void vite.close().finally(() => server.close(() => process.exit(0)));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
