// Benchmark of the in-browser engine at 640x480 in headless Chromium with the face-video fake camera:
// output fps delivered to a player <video>, landmark updates/s, per-frame main-thread processing time, and the
// identity share (face-api's recognition model: output face closer to the source than to the camera person).
// Prints one JSON object. Run: node --import tsx bench/engine.ts [--seconds 20] [--shots DIR] [--baseline]
// [--passthrough] [--max-landmark-fps N] [--backend auto|wasm|webgl] [--samples N] [--camera FILE.y4m]
// (--baseline: the player shows the raw camera, no engine: the ceiling this machine allows right now, and a
// control for the identity check, which must then be near 0; --passthrough: the engine without a source face,
// i.e. the output path alone).
// Fields: outputFps = presented frames of the visible player <video> (requestVideoFrameCallback) per second;
// landmarkUpdatesPerSecond = landmark results with a face; frameProcessingMs = main-thread wall time from a
// camera frame's arrival to its output frame being written (landmark hand-off, face warp, YUV blend or canvas
// draw; GPU and worker time run alongside); landmarkModelMsMedian = worker wall time per landmark run;
// machine.browserCpuMsPerOutputFrame = CPU of the whole Chromium process tree per output frame (all threads,
// GPU process included), the figure least disturbed by other load on the machine.
import { spawnSync } from 'node:child_process';
import { CHROMIUM, chromiumArgs } from '../scripts/chromium.mjs';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { engineAssetRoutes } from '../src/server/engine-assets.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const seconds = Number(arg('--seconds') ?? 20);
const shotsDir = arg('--shots');

const made = spawnSync(process.execPath, [join(root, 'scripts/make-test-camera.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
if (made.status !== 0) process.exit(1);
const cameraFile = arg('--camera') ?? join(root, 'test/fixtures/generated/face.y4m');

const bundle = await build({
  entryPoints: [join(root, 'bench/engine-page.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  write: false,
  tsconfig: join(root, 'tsconfig.json'),
});
const script = bundle.outputFiles[0].text;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.bin': 'application/octet-stream',
  '.jpg': 'image/jpeg', '.html': 'text/html',
};
const routes = [
  ...engineAssetRoutes(),
  { prefix: '/node_modules/', dir: join(root, 'node_modules') },
  { prefix: '/fixtures/', dir: join(root, 'test/fixtures/generated') },
];
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><body style="margin:0"><script type="module" src="/bench.js"></script>');
    return;
  }
  if (path === '/bench.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    return;
  }
  for (const { prefix, dir } of routes) {
    if (!path.startsWith(prefix)) continue;
    const file = normalize(join(dir, path.slice(prefix.length)));
    if (file.startsWith(dir) && existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
      return;
    }
  }
  res.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** CPU milliseconds (user + system) used so far by a process and all its descendants, from /proc. */
function treeCpuMs(rootPid: number): number {
  const procs = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The process ended while we looked.
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of procs) {
      if (tree.has(pid) || !tree.has(p.ppid)) continue;
      tree.add(pid);
      grew = true;
    }
  }
  let ticks = 0;
  for (const pid of tree) ticks += procs.get(pid)?.ticks ?? 0;
  return ticks * 10; // USER_HZ is 100 on Linux
}

const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [...chromiumArgs(), `--use-file-for-fake-video-capture=${cameraFile}`],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.setViewport({ width: 800, height: 600 });
  await page.goto(origin);
  if (process.env.SKIPREF) await page.evaluate('window.SKIPREF = true');
  await page.waitForFunction('typeof window.runBench === "function"');
  // The page calls these around its measuring window: the browser's CPU use over exactly that window.
  const pid = browser.process()?.pid;
  const window: { cpuMs?: number; wallMs?: number; load?: number } = {};
  let cpuStart = 0;
  let wallStart = 0;
  await page.exposeFunction('benchWindow', (phase: string) => {
    if (!pid) return;
    if (phase === 'start') {
      cpuStart = treeCpuMs(pid);
      wallStart = Date.now();
    } else {
      window.cpuMs = treeCpuMs(pid) - cpuStart;
      window.wallMs = Date.now() - wallStart;
      window.load = loadavg()[0];
    }
  });
  const { result, shots } = (await page.evaluate(
    (opts) => (window as unknown as { runBench(o: unknown): Promise<unknown> }).runBench(opts),
    { seconds, sourceUrl: '/fixtures/source-face.jpg', samples: Number(arg('--samples') ?? 40), baseline: process.argv.includes('--baseline'), passthrough: process.argv.includes('--passthrough'), maxLandmarkFps: Number(arg('--max-landmark-fps') ?? 0) || undefined, landmarkBackend: arg('--backend') },
  )) as { result: Record<string, unknown>; shots: string[] };
  if (shotsDir) {
    mkdirSync(shotsDir, { recursive: true });
    shots.forEach((s, i) => writeFileSync(join(shotsDir, `output-${i}.png`), Buffer.from(s.split(',')[1], 'base64')));
  }
  const frames = Number(result.outputFps) * Number(result.seconds);
  const machine = {
    cores: (await import('node:os')).cpus().length,
    // Other work on the machine during the run: with a load above the core count the figures above are floors.
    loadAverage1m: window.load === undefined ? undefined : Math.round(window.load * 10) / 10,
    browserCoresUsed: window.cpuMs && window.wallMs ? Math.round((window.cpuMs / window.wallMs) * 100) / 100 : undefined,
    browserCpuMsPerOutputFrame: window.cpuMs && frames ? Math.round(window.cpuMs / frames) : undefined,
  };
  console.log(JSON.stringify({ engine: process.argv.includes('--baseline') ? 'none (raw camera)' : 'local', browser: await browser.version(), ...result, machine }, null, 2));
} finally {
  await browser.close();
  server.close();
}
