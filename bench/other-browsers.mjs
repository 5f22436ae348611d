// The demo page of `npm start` in Firefox ESR and WebKitGTK, headed under Xvfb (their headless modes have no
// WebGL2; under Xvfb Mesa's llvmpipe gives it), measured as bench/demo-page.mjs measures Chromium: a gallery
// face, Start, frames presented by the player's <video> per second, Start to first swapped frame, browser CPU
// per frame. Their fake cameras show no face, so the camera is the webcam clip (test/fixtures/media) played in
// the page and captured from a canvas at 20 fps (that drawing is counted in the browser's CPU too). The clip
// goes into the page as data (npm start serves nothing outside demo/, src/ and node_modules/: the clip's URL was
// refused, so play() rejected: "The operation is not supported" in WebKitGTK, "not suitable" in Firefox), as VP8
// WebM made here with ffmpeg (WebKitGTK's GStreamer here has no H.264 decoder), 12 s long and looped: a 30 s one
// (3.7 MB) failed to play in WebKitGTK ("Invalid header" from matroskademux once GStreamer buffers the blob to a
// temporary file), while 5 and 12 s ones (0.6 and 1.4 MB) play.
// A browser the engine cannot run in must end in `unsupported-browser`, which is reported as such.
// Prints JSON. Run: xvfb-run -a node bench/other-browsers.mjs [--browsers firefox,webkit] [--seconds 10]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { loadavg } from 'node:os';
import puppeteer from 'puppeteer-core';
import { remote } from 'webdriverio';
import { freePort, startDemoServer } from '../scripts/demo-driver.mjs';
import { machine, root, round } from './lib/common.mjs';

const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const browsers = arg('--browsers', 'firefox,webkit').split(',');
const seconds = Number(arg('--seconds', 10));
const thinkMs = Number(arg('--think-ms', 1500));
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
if (!process.env.DISPLAY) throw new Error('run under an X server: xvfb-run -a node bench/other-browsers.mjs');

/** CPU seconds (user + system) of `pid` and every process below it. */
function treeCpuSeconds(pid) {
  const children = new Map();
  const cpu = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (!children.has(Number(fields[1]))) children.set(Number(fields[1]), []);
      children.get(Number(fields[1])).push(Number(entry));
      cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // exited meanwhile
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const next = stack.pop();
    total += cpu.get(next) ?? 0;
    stack.push(...(children.get(next) ?? []));
  }
  return total;
}

/**
 * Runs in the page (serialised, so self-contained): the clip as camera, the first gallery face, Start, then
 * the figures. Resolves with the result, or with `{error}` when the session fails (e.g. unsupported-browser).
 */
async function visit({ clipBase64, clipType, platformUrl, thinkMs: think, seconds: window_ }) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const until = async (check, what, ms = 180000) => {
    const end = performance.now() + ms;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (performance.now() > end) throw new Error(`timed out: ${what}`);
      await sleep(20);
    }
  };
  await until(() => customElements.get('faceswap-session') && customElements.get('face-source-picker'), 'elements defined');
  const session = document.querySelector('faceswap-session');
  const picker = document.querySelector('face-source-picker');
  const player = document.querySelector('faceswap-player');
  // The camera: the clip drawn into a canvas, captured at 20 fps.
  const clip = document.createElement('video');
  clip.src = URL.createObjectURL(new Blob([Uint8Array.from(atob(clipBase64), (c) => c.charCodeAt(0))], { type: clipType }));
  clip.muted = true;
  clip.loop = true;
  clip.playsInline = true;
  await clip.play();
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 480;
  const ctx = canvas.getContext('2d');
  let drawing = true;
  const draw = () => {
    if (!drawing) return;
    ctx.drawImage(clip, 0, 0, 640, 480);
    setTimeout(draw, 50);
  };
  draw();
  const stream = canvas.captureStream(20);
  const transports = [];
  const kept = (create) => async (engine, options) => {
    const transport = await create(engine, options);
    if (transport) transports.push(transport);
    return transport;
  };
  const { browserPlatform } = await import(platformUrl);
  const { transportFactory, prepareTransport } = browserPlatform();
  session.platform = {
    getUserMedia: async () => new MediaStream([stream.getVideoTracks()[0].clone()]),
    transportFactory: kept(transportFactory),
    prepareTransport: kept(prepareTransport),
  };
  await until(() => picker.shadowRoot?.querySelector('[part~=thumbnail]'), 'gallery');
  picker.shadowRoot.querySelector('[part~=thumbnail]').click();
  await until(() => picker.getAttribute('status') === 'selected' || picker.getAttribute('status') === 'error', 'face chosen');
  if (picker.getAttribute('status') === 'error') throw new Error('the picker failed to detect the gallery face');
  await sleep(think);
  const video = player.shadowRoot.querySelector('video.video');
  const started = performance.now();
  session.shadowRoot.querySelector('[part~=start-button]').click();
  const firstSwap = await until(() => {
    if (session.state === 'error') return { failure: session.details.error?.code ?? 'error' };
    return transports
      .at(-1)
      ?.getStats()
      .then((stats) => (stats.engine?.swapping ? { ms: performance.now() - started } : null));
  }, 'first swapped frame');
  if (firstSwap.failure) {
    drawing = false;
    return { failure: firstSwap.failure };
  }
  await sleep(2000);
  let frames = 0;
  let counting = true;
  const count = () => {
    if (!counting) return;
    frames++;
    video.requestVideoFrameCallback(count);
  };
  video.requestVideoFrameCallback(count);
  window.__benchMark = 'counting';
  const from = performance.now();
  await sleep(window_ * 1000);
  counting = false;
  const elapsed = performance.now() - from;
  const { width, height, engine: stats } = await transports.at(-1).getStats();
  await session.stop();
  drawing = false;
  return {
    startToFirstSwapMs: firstSwap.ms,
    frames,
    elapsedMs: elapsed,
    landmarkFps: stats.landmarkFps,
    landmarkBackend: stats.landmarkBackend,
    sourceRefined: stats.sourceRefined,
    resolution: `${width}x${height}`,
    trackProcessor: typeof MediaStreamTrackProcessor !== 'undefined',
  };
}

/** Runs `visit` in the page while CPU of the browser's process tree (rooted at `pid`) is read around the counting window. */
async function measure(pid, runVisit) {
  const before = { cpu: treeCpuSeconds(pid), at: Date.now() };
  const result = await runVisit();
  const cpuSeconds = treeCpuSeconds(pid) - before.cpu;
  if (result.failure) return { error: result.failure };
  return {
    startToFirstSwapMs: round(result.startToFirstSwapMs, 0),
    presentedFps: round((result.frames * 1000) / result.elapsedMs),
    // Whole visit (load, model, Start, window): an upper bound of the cost per presented frame.
    cpuMsPerFrameWholeVisit: round((cpuSeconds * 1000) / Math.max(1, result.frames), 1),
    landmarkFps: round(result.landmarkFps),
    landmarkBackend: result.landmarkBackend,
    sourceRefined: result.sourceRefined,
    resolution: result.resolution,
    trackProcessor: result.trackProcessor,
  };
}

async function firefox(url, options) {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: false,
    protocolTimeout: 600_000,
    extraPrefsFirefox: { 'media.autoplay.default': 0, 'media.autoplay.blocking_policy': 0 },
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 860 });
    await page.goto(url, { timeout: 300_000 });
    const result = await measure(browser.process().pid, () => page.evaluate(visit, options));
    return { version: await browser.version(), ...result };
  } finally {
    await browser.close();
  }
}

async function webkit(url, options) {
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 1500));
    const browser = await remote({
      hostname: '127.0.0.1',
      port,
      path: '/',
      logLevel: 'error',
      connectionRetryTimeout: 600_000,
      capabilities: {
        browserName: 'MiniBrowser',
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation', '--enable-media-stream=true', '--enable-mock-capture-devices=true'] },
      },
    });
    try {
      await browser.setTimeout({ script: 600_000, pageLoad: 300_000 });
      await browser.url(url);
      const version = await browser.execute(() => navigator.userAgent);
      // WebKitWebDriver has no asynchronous script execution: the visit is started, then its result polled.
      const result = await measure(driver.pid, async () => {
        await browser.execute(
          (source, opts) => {
            window.__benchResult = null;
            new Function(`return ${source}`)()(opts).then(
              (value) => (window.__benchResult = value),
              (error) => (window.__benchResult = { failure: String(error?.message ?? error) }),
            );
          },
          visit.toString(),
          options,
        );
        // As JSON text: webdriverio takes an object with an `error` key in a script's result for a driver error.
        for (;;) {
          const text = await browser.execute(() => JSON.stringify(window.__benchResult ?? null));
          const value = JSON.parse(text);
          if (value) return value;
          await new Promise((r) => setTimeout(r, 500));
        }
      });
      return { version, ...result };
    } finally {
      await browser.deleteSession().catch(() => {});
    }
  } finally {
    // WebKitWebDriver can outlive SIGTERM (one was left running after a refused script): killed outright after 3 s.
    driver.kill();
    setTimeout(() => driver.exitCode === null && driver.kill('SIGKILL'), 3000).unref();
  }
}

const clip = `${root}test/fixtures/media/webcam-talking.mp4`;
if (!existsSync(clip)) throw new Error(`${clip} is missing`);
const webm = `${root}test/fixtures/generated/webcam-talking-vp8-12s.webm`;
if (!existsSync(webm)) {
  const args = [
    '-v',
    'error',
    '-y',
    '-i',
    clip,
    '-t',
    '12',
    '-an',
    '-vf',
    'scale=640:480',
    '-c:v',
    'libvpx',
    '-b:v',
    '1M',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-f',
    'webm',
    `${webm}.part`,
  ];
  if (spawnSync('ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) throw new Error('ffmpeg could not make the VP8 clip');
  renameSync(`${webm}.part`, webm); // only a whole file is ever taken for the clip
}
const server = await startDemoServer();
const results = {};
try {
  const image = `data:image/jpeg;base64,${readFileSync(`${root}demo/faces/ada.jpg`).toString('base64')}`;
  await fetch(new URL('/api/faceswap/detect', server.url), { method: 'POST', body: JSON.stringify({ image, singleFace: true }) });
  // The clip goes into the page as data: npm start serves nothing outside demo/, src/ and node_modules/.
  const options = {
    clipBase64: readFileSync(webm).toString('base64'),
    clipType: 'video/webm',
    platformUrl: `/@fs${root}src/session/platform.ts`,
    thinkMs,
    seconds,
  };
  for (const name of browsers) {
    const load = round(loadavg()[0], 2);
    try {
      // Firefox refused the VP8 WebM ("not suitable") and plays the H.264 mp4; WebKitGTK the other way round.
      const clipOptions = name === 'firefox' ? { clipBase64: readFileSync(clip).toString('base64'), clipType: 'video/mp4' } : {};
      const result = await (name === 'firefox' ? firefox : webkit)(server.url, { ...options, ...clipOptions });
      results[name] = { loadAverage1m: load, ...result };
    } catch (error) {
      results[name] = { loadAverage1m: load, failed: String(error?.message ?? error).split('\n')[0] };
    }
    process.stderr.write(`${name}: ${JSON.stringify(results[name])}\n`);
  }
} finally {
  await server.stop();
}
console.log(
  JSON.stringify(
    {
      benchmark: 'other-browsers',
      camera: 'webcam clip drawn to a canvas, captureStream(20)',
      thinkMs,
      windowSeconds: seconds,
      ...results,
      machine: machine(),
    },
    null,
    2,
  ),
);
