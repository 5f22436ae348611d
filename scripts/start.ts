/**
 * `npm start`: the demo page (Vite, root `demo/`) and the token endpoint (`/api/faceswap`) on one port. A local
 * demo: it listens on loopback unless HOST says otherwise, and Vite's dev server is not a production server.
 *   - AKOOL_API_KEY unset: the AKOOL emulator runs in-process (the handler calls it directly, with a random
 *     key). Only its face crops are public (`/akool-emulator/faces/`, so they are same-origin); its control
 *     routes are on a second loopback port behind a random path token, printed at start. The page runs on
 *     the in-browser `local` engine.
 *   - AKOOL_API_KEY set: real AKOOL (AKOOL_BASE_URL to override) and the `akool` engine over Agora.
 * Also: PORT (default 5173), HOST (default 127.0.0.1), PUBLIC_URL (the origin browsers use, default
 * `http://HOST:PORT`; emulator face URLs point there), ALLOWED_HOSTS (extra Host names accepted, comma-separated;
 * loopback names and PUBLIC_URL's are always accepted, anything else is refused against DNS rebinding),
 * FACESWAP_SECRET (sessionKey HMAC secret), ALLOWED_ORIGINS (`*` or a comma-separated list of extra origins
 * allowed to call the endpoint), EMULATOR_CONTROL_PORT (default any free port).
 */
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
const EMULATOR_FACES = `${EMULATOR_MOUNT}/faces/`;
const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? 5173);
const host = process.env.HOST || '127.0.0.1';
const apiKey = process.env.AKOOL_API_KEY || undefined;
const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const allowedOrigins = process.env.ALLOWED_ORIGINS?.trim() === '*' ? ('*' as const) : list(process.env.ALLOWED_ORIGINS);

const emulator = apiKey ? undefined : createEmulator({ mountPath: EMULATOR_MOUNT, apiKey: randomBytes(24).toString('hex') });
/** Set once the port is known (PORT=0 picks one): the origin the emulator's face URLs name. */
let publicUrl = '';

const handler = createFaceswapHandler({
  auth: { apiKey: apiKey ?? emulator!.apiKey },
  baseUrl: apiKey ? process.env.AKOOL_BASE_URL || undefined : `http://emulator.invalid${EMULATOR_MOUNT}`,
  // The emulator is called in-process: its AKOOL paths are on no port, and its public URL comes from configuration.
  fetch: emulator ? async (input, init) => emulator.handle(new Request(input, init), { publicUrl: publicUrl + EMULATOR_MOUNT }) : undefined,
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

/** A request this server refuses before routing: the answer is written, and the caller stops. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function serveAsset(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
  const route = assetRoutes.find((r) => pathname.startsWith(r.prefix));
  if (!route) return false;
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(route.prefix.length));
  } catch {
    throw new Refusal(400, 'Malformed percent-escape in the path.');
  }
  const file = normalize(join(route.dir, relative));
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

/** Host names this server answers to: loopback, PUBLIC_URL's and ALLOWED_HOSTS. Others are DNS rebinding. */
function allowedHosts(): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]', ...list(process.env.ALLOWED_HOSTS).map((h) => h.toLowerCase())]);
  if (process.env.PUBLIC_URL) names.add(new URL(process.env.PUBLIC_URL).hostname);
  return names;
}
const hostNames = allowedHosts();

/** The request's path, after the checks every route shares. */
function checkedPath(req: IncomingMessage): string {
  const method = req.method ?? 'GET';
  if (method === 'TRACE' || method === 'TRACK' || method === 'CONNECT') throw new Refusal(405, 'Method not allowed.');
  let hostname: string;
  try {
    hostname = new URL(`http://${req.headers.host ?? ''}`).hostname.toLowerCase();
  } catch {
    throw new Refusal(400, 'Malformed Host header.');
  }
  if (!hostNames.has(hostname)) throw new Refusal(403, 'This Host is not served here (set ALLOWED_HOSTS or PUBLIC_URL).');
  // A relative base: a raw absolute-form target (`GET http://[::1/x`) must parse or be refused, never throw.
  const target = req.url ?? '/';
  if (!target.startsWith('/')) throw new Refusal(400, 'Only origin-form request targets are served.');
  try {
    return new URL(target, 'http://localhost').pathname;
  } catch {
    throw new Refusal(400, 'Malformed request target.');
  }
}

const server = createServer();
const vite = await createVite({
  root: join(root, 'demo'),
  configFile: false,
  appType: 'mpa',
  // The demo imports src/ and packages; nothing else under the project is served (/@fs/ included).
  server: { middlewareMode: true, hmr: { server }, fs: { allow: [join(root, 'demo'), join(root, 'src'), join(root, 'node_modules')] } },
});

function route(req: IncomingMessage, res: ServerResponse): void {
  const pathname = checkedPath(req);
  if (pathname === ENDPOINT || pathname.startsWith(ENDPOINT + '/')) return handlerListener(req, res);
  if (emulatorListener && pathname.startsWith(EMULATOR_FACES) && (req.method === 'GET' || req.method === 'HEAD')) return emulatorListener(req, res);
  if (pathname === EMULATOR_MOUNT || pathname.startsWith(EMULATOR_MOUNT + '/')) throw new Refusal(404, 'Not found.');
  if (serveAsset(req, res, pathname)) return;
  vite.middlewares(req, res);
}

server.on('request', (req: IncomingMessage, res: ServerResponse) => {
  try {
    route(req, res);
  } catch (error) {
    // One bad request gets an answer; it never ends the process (and the sessions it tracks).
    const status = error instanceof Refusal ? error.status : 500;
    if (!(error instanceof Refusal)) console.error(`request failed: ${(error as Error).message}`);
    if (res.headersSent) res.destroy();
    else
      res
        .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...(status === 405 ? { allow: 'GET, HEAD, POST, OPTIONS' } : {}) })
        .end(`${(error as Error).message}\n`);
  }
});

await new Promise<void>((resolveListen, reject) => {
  server.once('error', reject);
  server.listen(port, host, () => resolveListen());
});
const { port: actualPort } = server.address() as AddressInfo; // PORT=0 picks a free port
publicUrl = (process.env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`).replace(/\/+$/, '');
if (!hostNames.has(new URL(publicUrl).hostname)) hostNames.add(new URL(publicUrl).hostname);

const control = emulator ? await startControlServer(emulator) : undefined;
const mode = apiKey ? 'engine akool, real AKOOL' : 'engine local, in-process AKOOL emulator';
console.log(`faceswap-elements demo: ${publicUrl}/  (token endpoint ${ENDPOINT}; ${mode})`);
if (control) console.log(`AKOOL emulator control (loopback only): ${control.url}`);

/**
 * The emulator's control routes (sessions, faults, credit) on their own loopback port, under a random path
 * token: a web page can neither guess the token nor read the answers (they carry no CORS header).
 */
async function startControlServer(target: NonNullable<typeof emulator>) {
  const token = randomBytes(18).toString('base64url');
  const listener = toNodeListener((request) => {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(`/${token}/__emulator/`)) return Promise.resolve(new Response('not found', { status: 404 }));
    url.pathname = EMULATOR_MOUNT + url.pathname.slice(token.length + 1);
    return target.handle(new Request(url, request));
  });
  const controlServer = createServer((req, res) => {
    if (!(req.url ?? '').startsWith('/')) return void res.writeHead(400).end();
    listener(req, res);
  });
  await new Promise<void>((resolveListen) => controlServer.listen(Number(process.env.EMULATOR_CONTROL_PORT ?? 0), '127.0.0.1', resolveListen));
  const { port: controlPort } = controlServer.address() as AddressInfo;
  return { server: controlServer, url: `http://127.0.0.1:${controlPort}/${token}/__emulator/` };
}

// Load the face detector now so the first upload in the demo does not wait for it.
emulator?.warmUp().catch((error: unknown) => console.error(`Face detector failed to load: ${(error as Error).message}`));

const stop = () => {
  handler.close();
  emulator?.close();
  server.closeAllConnections();
  control?.server.closeAllConnections();
  control?.server.close();
  void vite.close().finally(() => server.close(() => process.exit(0)));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
