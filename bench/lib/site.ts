// A small site for the browser benchmarks and the CSP test: a page bundled with esbuild (code-split, so the
// Agora SDK and the engine stay lazy chunks, as in a real site), the token endpoint on the `local` engine at
// /api/faceswap and on the `akool` engine at /api/faceswap-akool, the AKOOL emulator in-process at
// /akool-emulator, the local engine's model files, and the generated test fixtures. Loopback only.
import { chromiumArgs } from '../../scripts/chromium.mjs';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createEmulator, type Emulator } from '../../src/server/emulator/server.js';
import { engineAssetRoutes } from '../../src/server/engine-assets.js';
import { createFaceswapHandler, type FaceswapHandler } from '../../src/server/handler.js';
import { toNodeListener } from '../../src/server/node-adapter.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const EMULATOR_MOUNT = '/akool-emulator';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.html': 'text/html; charset=utf-8',
  '.map': 'application/json',
};

/** Bundles page scripts with code splitting; answers URL path → file text (under `/assets/`). */
export async function bundlePages(entries: Record<string, string>): Promise<Map<string, string>> {
  const outdir = join(root, '.bench-out');
  const result = await build({
    entryPoints: entries,
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    outdir,
    tsconfig: join(root, 'tsconfig.json'),
    conditions: ['production', 'browser'],
    logLevel: 'error',
  });
  return new Map(result.outputFiles.map((file) => [`/assets/${relative(outdir, file.path).split(sep).join('/')}`, file.text]));
}

export interface Site {
  origin: string;
  emulator: Emulator;
  handlers: FaceswapHandler[];
  /** Every request path the server answered, in order (the CSP test checks nothing came from elsewhere). */
  requests: string[];
  close(): Promise<void>;
}

export async function startSite(options: { html: string; files: Map<string, string>; headers?: Record<string, string> }): Promise<Site> {
  const emulator = createEmulator({ mountPath: EMULATOR_MOUNT, statusDelayMs: 200 });
  let origin = '';
  const emulatorFetch: typeof fetch = async (input, init) => emulator.handle(new Request(input, init), { publicUrl: origin + EMULATOR_MOUNT });
  const handlers = (['local', 'akool'] as const).map((engine) =>
    createFaceswapHandler({
      auth: { apiKey: emulator.apiKey },
      baseUrl: `http://127.0.0.1${EMULATOR_MOUNT}`,
      fetch: emulatorFetch,
      basePath: engine === 'local' ? '/api/faceswap' : '/api/faceswap-akool',
      engine,
      secret: 'bench-secret-0123456789abcdef',
      sessionRateLimit: false,
      detectRateLimit: false,
      logger: { warn: () => undefined, error: (message: string) => console.error(message) },
    }),
  );
  const [localListener, akoolListener] = handlers.map((handler) => toNodeListener(handler));
  const emulatorListener = toNodeListener((request) => emulator.handle(request, { publicUrl: origin + EMULATOR_MOUNT }));
  const staticRoutes = [...engineAssetRoutes(), { prefix: '/fixtures/', dir: join(root, 'test/fixtures/generated') }];
  const requests: string[] = [];

  const serveFile = (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
    for (const { prefix, dir } of staticRoutes) {
      if (!path.startsWith(prefix)) continue;
      const file = normalize(join(dir, path.slice(prefix.length)));
      if (!file.startsWith(resolve(dir) + sep) || !existsSync(file) || !statSync(file).isFile()) break;
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
      return true;
    }
    return false;
  };

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const under = (prefix: string) => path === prefix || path.startsWith(prefix + '/');
    if (under('/api/faceswap')) return localListener!(req, res);
    if (under('/api/faceswap-akool')) return akoolListener!(req, res);
    if (under(EMULATOR_MOUNT)) return emulatorListener(req, res);
    if (path === '/') {
      res.writeHead(200, { 'content-type': TYPES['.html']!, ...options.headers }).end(options.html);
      return;
    }
    const file = options.files.get(path);
    if (file !== undefined) {
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(file);
      return;
    }
    if (!serveFile(req, res, path)) res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    emulator,
    handlers,
    requests,
    async close() {
      for (const handler of handlers) handler.close();
      emulator.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

export { CHROMIUM, FACE_CAMERA_ARG } from '../../scripts/chromium.mjs';
export const CHROMIUM_ARGS = chromiumArgs();
