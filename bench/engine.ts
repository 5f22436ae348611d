// Benchmark of the in-browser engine in headless Chromium. Two modes, each printing one JSON object.
//
// Quality (--quality): every test camera x source face (scripts/make-test-camera.mjs makes both), frames paired
// exactly, with the metrics and negative controls of test/browser/face/quality-run.ts. One pair quickly:
//   node --import tsx bench/engine.ts --quality --camera webcam-talking --source ada --bursts 4
// Options: --camera a,b / --source x,y (default: all), --bursts N (analysed runs of --burst-length frames per
// clip, default 8 x 2, plus the frames a camera's catalogue entry lists: franck-blink's blinks), --analyse 110-130
// (these frames instead), --frames N (only each camera's first N frames), --no-controls (the engine alone, no
// negative controls), --no-second-model (skip human's recognition model), --out FILE (the JSON, too),
// --pictures DIR (side-by-side input | output PNG of each pair's worst frame, --picture-width px wide, default 640),
// --markdown (a results table),
// --realtime (frames at most at the camera's pace even when the landmark model falls behind, each once the one
// before came out, which the engine holds about one landmark run: the figures then depend on the machine's load; by
// default each frame waits for the model, see recordEngine in quality-run.ts).
// Analyses that do not depend on the engine and every pair's result are kept under
// test/fixtures/generated/quality/cache (bench/lib/quality-matrix.ts): a run skips the pairs already measured on
// the same engine, so an interrupted run continues where it stopped (--fresh measures them again).
// The whole matrix for the README, niced, resumable: nice -n 10 node --import tsx bench/engine.ts --quality --matrix
// (--matrix: every camera x source; writes docs/quality/matrix.json and the README's table between its markers,
// the pairs not measured yet listed as such; --stored with it measures nothing, only collects stored results).
// The pairs run in rounds that each meet every camera and every source once; the static-paste control (as costly
// as the engine's own analysis) runs in the first round only, unless --paste-every-pair.
// --landmark-models (with --quality, no engine run): per camera, how far face-api's landmarks (the alignment
// metric's reference) and human's mesh (the engine's landmark model, detecting afresh) disagree on the analysed
// input frames themselves, in eye distances over the 51 inner points (p95 over all 68 beside it): the finest
// alignment the metric can judge there.
//
// Speed (default): 640x480 with the face-video fake camera: output fps delivered to a player <video>, landmark
// updates/s, per-frame main-thread processing time, and the identity share (face-api's recognition model:
// output face closer to the source than to the camera person).
// Run: node --import tsx bench/engine.ts [--seconds 20] [--shots DIR] [--baseline]
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
import { cpus, loadavg } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { engineAssetRoutes } from '../src/server/engine-assets.js';
import { buildMatrix, markdownTable, MATRIX_JSON, rangeFrames, runMatrix, updateReadme, writeMatrix, type MatrixOptions } from './lib/quality-matrix.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const quality = process.argv.includes('--quality');
const seconds = Number(arg('--seconds') ?? 20);
const shotsDir = arg('--shots');

const made = spawnSync(process.execPath, [join(root, 'scripts/make-test-camera.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
if (made.status !== 0) process.exit(1);
const cameraFile = quality ? join(root, 'test/fixtures/generated/face.y4m') : (arg('--camera') ?? join(root, 'test/fixtures/generated/face.y4m'));

const bundle = await build({
  entryPoints: [join(root, quality ? 'bench/engine-quality-page.ts' : 'bench/engine-page.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  write: false,
  tsconfig: join(root, 'tsconfig.json'),
});
const script = bundle.outputFiles[0].text;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.jpg': 'image/jpeg',
  '.html': 'text/html',
  '.y4m': 'application/octet-stream',
};
const routes = [
  ...engineAssetRoutes(),
  { prefix: '/node_modules/', dir: join(root, 'node_modules') },
  { prefix: '/fixtures/', dir: join(root, 'test/fixtures/generated') },
  // nodeModulesAssetUrls() takes the mesh model from the repository's models/, beside node_modules.
  { prefix: '/models/', dir: join(root, 'models') },
];
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  if (path === '/') {
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><meta charset="utf-8"><body style="margin:0"><script type="module" src="/bench.js"></script>');
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
  for (let grew = true; grew;) {
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
  // Face analysis of a whole camera runs in one call: no protocol timeout.
  protocolTimeout: 0,
  args: [...chromiumArgs(), `--use-file-for-fake-video-capture=${cameraFile}`],
});
if (quality) {
  try {
    await runQuality();
  } finally {
    await browser.close();
    server.close();
  }
  process.exit(0);
}

try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.setViewport({ width: 800, height: 600 });
  await page.goto(origin);
  if (process.env.SKIPREF) await page.evaluate('window.SKIPREF = true');
  await page.waitForFunction('typeof window.runBench === "function"');
  // The page calls these around its measuring window: the browser's CPU use over exactly that window.
  const pid = browser.process()?.pid;
  // Not named `window`: the page functions below refer to the page's own `window`.
  const cpuWindow: { cpuMs?: number; wallMs?: number; load?: number } = {};
  let cpuStart = 0;
  let wallStart = 0;
  await page.exposeFunction('benchWindow', (phase: string) => {
    if (!pid) return;
    if (phase === 'start') {
      cpuStart = treeCpuMs(pid);
      wallStart = Date.now();
    } else {
      cpuWindow.cpuMs = treeCpuMs(pid) - cpuStart;
      cpuWindow.wallMs = Date.now() - wallStart;
      cpuWindow.load = loadavg()[0];
    }
  });
  const { result, shots } = (await page.evaluate((opts) => (window as unknown as { runBench(o: unknown): Promise<unknown> }).runBench(opts), {
    seconds,
    sourceUrl: '/fixtures/source-face.jpg',
    samples: Number(arg('--samples') ?? 40),
    baseline: process.argv.includes('--baseline'),
    passthrough: process.argv.includes('--passthrough'),
    maxLandmarkFps: Number(arg('--max-landmark-fps') ?? 0) || undefined,
    landmarkBackend: arg('--backend'),
  })) as { result: Record<string, unknown>; shots: string[] };
  if (shotsDir) {
    mkdirSync(shotsDir, { recursive: true });
    shots.forEach((s, i) => writeFileSync(join(shotsDir, `output-${i}.png`), Buffer.from(s.split(',')[1], 'base64')));
  }
  const frames = Number(result.outputFps) * Number(result.seconds);
  const machine = {
    cores: cpus().length,
    // Other work on the machine during the run: with a load above the core count the figures above are floors.
    loadAverage1m: cpuWindow.load === undefined ? undefined : Math.round(cpuWindow.load * 10) / 10,
    browserCoresUsed: cpuWindow.cpuMs && cpuWindow.wallMs ? Math.round((cpuWindow.cpuMs / cpuWindow.wallMs) * 100) / 100 : undefined,
    browserCpuMsPerOutputFrame: cpuWindow.cpuMs && frames ? Math.round(cpuWindow.cpuMs / frames) : undefined,
  };
  console.log(
    JSON.stringify(
      { engine: process.argv.includes('--baseline') ? 'none (raw camera)' : 'local', browser: await browser.version(), ...result, machine },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  server.close();
}

/** The --quality mode: every selected camera x source pair, as described at the top of this file. */
async function runQuality(): Promise<void> {
  const catalogue = JSON.parse(readFileSync(join(root, 'test/fixtures/generated/quality/catalogue.json'), 'utf8')) as {
    cameras: Array<{ name: string; file: string; shows: string; analyse?: Array<[number, number]> }>;
    sources: Array<{ name: string; file: string; kind: string }>;
  };
  const pick = <T extends { name: string }>(list: T[], flag: string) => {
    const wanted = arg(flag)?.split(',');
    const chosen = wanted ? wanted.map((name) => list.find((x) => x.name === name)).filter((x): x is T => x !== undefined) : list;
    if (wanted && chosen.length !== wanted.length)
      throw new Error(`${flag}: unknown name in ${wanted.join(',')} (known: ${list.map((x) => x.name).join(', ')})`);
    return chosen;
  };
  const matrixMode = process.argv.includes('--matrix');
  if (matrixMode && (arg('--camera') || arg('--source'))) throw new Error('--matrix measures the whole catalogue: no --camera or --source');
  const cameras = pick(catalogue.cameras, '--camera');
  const sources = pick(catalogue.sources, '--source');
  const options: MatrixOptions = {
    bursts: Number(arg('--bursts') ?? 8),
    burstLength: Number(arg('--burst-length') ?? 2),
    secondModel: !process.argv.includes('--no-second-model'),
    controls: !process.argv.includes('--no-controls'),
    maxFrames: arg('--frames') ? Number(arg('--frames')) : undefined,
    frames: arg('--analyse') ? frameRanges(arg('--analyse')!) : undefined,
    realtime: process.argv.includes('--realtime'),
    pictureWidth: Number(arg('--picture-width') ?? 640),
  };
  const picturesDir = arg('--pictures');
  if (picturesDir) mkdirSync(picturesDir, { recursive: true });
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(origin);
  await page.waitForFunction('typeof window.qualityPair === "function"');
  const browserVersion = await browser.version();
  if (process.argv.includes('--landmark-models')) {
    const disagreement: Record<string, unknown> = {};
    for (const camera of cameras) {
      const url = `/fixtures/quality/${camera.file}`;
      await page.evaluate((n, u, o) => (window as any).qualityCamera(n, u, o, {}), camera.name, url, {
        ...options,
        controls: false,
        alsoFrames: rangeFrames(camera.analyse),
      });
      disagreement[camera.name] = await page.evaluate((n) => (window as any).qualityLandmarkModels(n), camera.name);
      console.error(`${camera.name}: ${JSON.stringify(disagreement[camera.name])}`);
    }
    console.log(JSON.stringify({ mode: 'landmark-models', browser: browserVersion, options, cameras: disagreement }, null, 2));
    return;
  }
  const records = await runMatrix({
    root,
    page,
    browserVersion,
    cameras,
    sources,
    options,
    picturesDir,
    fresh: process.argv.includes('--fresh'),
    measure: !process.argv.includes('--stored'),
    pasteEveryPair: process.argv.includes('--paste-every-pair'),
  });
  const matrix = buildMatrix(root, options, cameras, sources, records);
  if (matrixMode) {
    // Every pair this run or an earlier one measured on this engine, the rest listed as not measured.
    writeMatrix(root, matrix);
    updateReadme(root, matrix);
    console.error(`${MATRIX_JSON} and README.md: ${matrix.measured} pairs measured, ${matrix.notMeasured.length} not`);
  }
  const json = JSON.stringify(
    { mode: 'quality', browser: browserVersion, options, pairs: records, machine: { cores: cpus().length, loadAverage1m: Math.round(loadavg()[0] * 10) / 10 } },
    null,
    2,
  );
  if (arg('--out')) writeFileSync(arg('--out')!, `${json}\n`);
  console.log(json);
  if (process.argv.includes('--markdown')) console.error(markdownTable(matrix));
}

/** "116-124,146-154" -> the frame indices of those inclusive ranges. */
function frameRanges(spec: string): number[] {
  return rangeFrames(
    spec.split(',').map((range) => {
      const [from, to = from] = range.split('-').map(Number);
      return [from, to];
    }),
  );
}
