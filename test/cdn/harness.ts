// Shared by the Node tests that open built artefacts in a real browser (test/node/storybook-render.test.ts,
// test/node/cdn-flow.test.ts): a static file server on loopback and headless Chromium with a fake camera.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CHROMIUM, chromiumArgs } from '../../scripts/chromium.mjs';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** URL prefix (`/` or `/assets/`) -> folder on disk. The longest matching prefix wins. */
export type Mounts = Record<string, string>;

/** Handles a request first (for example a token endpoint); answers `false` to fall through to the files. */
export type Middleware = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

function fileFor(mounts: Mounts, pathname: string): string | undefined {
  const prefix = Object.keys(mounts)
    .filter((p) => pathname.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix === undefined) return undefined;
  const base = resolve(mounts[prefix]);
  const target = normalize(join(base, decodeURIComponent(pathname.slice(prefix.length))));
  if (!target.startsWith(base)) return undefined;
  if (existsSync(target) && statSync(target).isDirectory()) return join(target, 'index.html');
  return target;
}

/** Serve `mounts` on 127.0.0.1 (a free port). Unknown paths answer 404. */
export async function startStaticServer(mounts: Mounts, middleware?: Middleware): Promise<StaticServer> {
  const server: Server = createServer(async (req, res) => {
    try {
      if (middleware && (await middleware(req, res))) return;
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      const file = fileFor(mounts, pathname);
      if (!file || !existsSync(file) || !statSync(file).isFile()) {
        // Browsers ask for /favicon.ico on their own; its absence is not a failure of the page under test.
        if (pathname === '/favicon.ico') return void res.writeHead(204).end();
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': statSync(file).size,
        'cache-control': 'no-store',
      });
      createReadStream(file).pipe(res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Headless Chromium with a fake camera (a synthetic pattern, or `fakeVideo`, a .y4m/.mjpeg file). */
export function launchChromium(options: { fakeVideo?: string; autoplay?: boolean } = {}): Promise<Browser> {
  const args = chromiumArgs({ autoplay: options.autoplay !== false });
  if (options.fakeVideo) args.push(`--use-file-for-fake-video-capture=${options.fakeVideo}`);
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, args, protocolTimeout: 120_000 });
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const cdnFile = join(root, 'dist/cdn/faceswap-elements.js');
const faceVideo = join(root, 'test/fixtures/generated/face.y4m');

export function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Builds dist/cdn when a source is newer than it. */
export function ensureCdnBuild(): void {
  const built = existsSync(cdnFile) ? statSync(cdnFile).mtimeMs : 0;
  const sources = Math.max(newestMtime(join(root, 'src')), newestMtime(join(root, 'vite.cdn.config.ts')));
  if (built > sources) return;
  const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '-c', 'vite.cdn.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(result.status, 0, `CDN build failed:\n${result.stdout}\n${result.stderr}`);
}

/** The face video camera when it can be made (ffmpeg), else Chromium's synthetic pattern. */
export function cameraVideo(): string | undefined {
  if (!existsSync(faceVideo)) spawnSync(process.execPath, ['scripts/make-test-camera.mjs'], { cwd: root, stdio: 'ignore', timeout: 120_000 });
  return existsSync(faceVideo) ? faceVideo : undefined;
}
