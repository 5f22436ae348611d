// Speed as the visitor sees it: the demo page of `npm start` (scripts/start.ts) in Chromium whose fake camera
// plays the real webcam clip, the player visible with its preview and stats, a gallery face chosen, Start.
// Reports, per run (each in a fresh browser, so the model is loaded cold every time):
//   - startToFirstSwapMs: the Start click to the first frame the player's <video> presents with the face
//     swapped in (requestVideoFrameCallback on that <video>, the engine's own `swapping` flag for the frame).
//     Start is pressed once the face model the session prepares when the face is chosen is ready (a visitor
//     looks at the page for a few seconds; `prewarmMs` says how long that took) plus --think-ms, or after
//     --think-ms alone with --cold-start;
//   - presentedFps: frames the player's <video> presented per second over the measuring window;
//   - cpuMsPerFrame: CPU time of every browser process (/proc/<pid>/stat utime + stime) over the window, divided
//     by the frames presented (all cores: on this 2-core machine 100 ms per frame at 20 fps is both cores full);
//   - the engine's landmark rate and main-thread cost per frame, and the 1-minute load average before the run.
//   - sessionClosedAfterTabMs: the visit ends with the tab closed while live; how long until the emulator saw the
//     session closed (the pagehide beacon). `sessionLeftOpen` (the session id) when not within 10 s; the summary's
//     `sessionsLeftOpen` counts those runs.
// Chromium runs as it does on a computer without a GPU: WebGL on SwiftShader, the page composited in software
// (scripts/chromium.mjs, softwareCompositing). --gl-compositing composites on SwiftShader as well, as the tests'
// Chromium does, which no visitor's browser does and which costs several times the CPU per frame.
// Prints JSON with each run, the best and the median. Run: node bench/demo-page.mjs [--runs 3] [--seconds 10]
//   [--think-ms 1500] [--cold-start] [--gl-compositing] [--run-timeout-s 240]
//   [--no-track-processor] (the fallback path without MediaStreamTrackProcessor and MediaStreamTrackGenerator, as Safari)
//   [--calls] (where the main thread's time goes: wall time of the canvas, WebGL and capture calls the engine
//   makes, per presented frame, measured by wrapping them; the wrapping itself costs a little)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import puppeteer from 'puppeteer-core';
import { CHROMIUM, chromiumArgs } from '../scripts/chromium.mjs';
import { pickGalleryFace, startDemoServer, waitForSessionClosed, waitForState } from '../scripts/demo-driver.mjs';
import { machine, percentile, root, round } from './lib/common.mjs';

const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const runs = Number(arg('--runs', 3));
const seconds = Number(arg('--seconds', 10));
/** Time between choosing the face and pressing Start: a visitor does not press both in the same millisecond. */
const thinkMs = Number(arg('--think-ms', 1500));
const coldStart = process.argv.includes('--cold-start');
const glCompositing = process.argv.includes('--gl-compositing');
const noTrackProcessor = process.argv.includes('--no-track-processor');
/** For finding where the time goes: the player without its preview and stats overlay. */
const barePlayer = process.argv.includes('--bare-player');
const profileCalls = process.argv.includes('--calls');
/** A run that has not reported after this long is ended and reported as failed (the model loads cold in each run). */
const runTimeoutMs = Number(arg('--run-timeout-s', 240)) * 1000 + seconds * 1000;

const WEBCAM_VIDEO = `${root}test/fixtures/generated/webcam-talking.y4m`;
if (!existsSync(WEBCAM_VIDEO)) {
  const made = spawnSync(process.execPath, [`${root}scripts/make-test-camera.mjs`], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (made.status !== 0 || !existsSync(WEBCAM_VIDEO)) throw new Error('scripts/make-test-camera.mjs did not make the webcam camera');
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** user + system CPU seconds in a /proc stat line, and the process or thread name. */
function parseStat(text) {
  // Fields after the name (which may hold spaces) start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    name: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')),
    parent: Number(fields[1]),
    cpu: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
  };
}

/**
 * CPU seconds of each thread of `pid` and every process below it, by `pid/tid`, with its kind: the process
 * type and thread name (`renderer/CrRendererMain`, `gpu-process/VizCompositorThread`, ...).
 */
function treeCpu(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { parent } = parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  const threads = new Map();
  const stack = [pid];
  while (stack.length) {
    const next = stack.pop();
    stack.push(...(children.get(next) ?? []));
    let type = 'browser';
    try {
      type = /--type=(\S+)/.exec(readFileSync(`/proc/${next}/cmdline`, 'utf8').replaceAll('\0', ' '))?.[1] ?? 'browser';
      for (const tid of readdirSync(`/proc/${next}/task`)) {
        const { name, cpu } = parseStat(readFileSync(`/proc/${next}/task/${tid}/stat`, 'utf8'));
        threads.set(`${next}/${tid}`, { kind: `${type}/${name.replace(/\d+$/, '')}`, cpu });
      }
    } catch {
      // exited meanwhile
    }
  }
  return threads;
}

/**
 * The CPU used between two treeCpu readings: total seconds and the busiest thread kinds, in ms per presented
 * frame. Compared thread by thread, so a thread that ended in between (its time gone from /proc) takes nothing
 * off the total; what it used in the window is missed.
 */
function cpuBetween(before, after, frames) {
  const byKind = new Map();
  let seconds = 0;
  for (const [id, { kind, cpu }] of after) {
    const used = cpu - (before.get(id)?.cpu ?? 0);
    seconds += used;
    byKind.set(kind, (byKind.get(kind) ?? 0) + used);
  }
  const perThread = [...byKind]
    .filter(([, cpu]) => cpu > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([key, cpu]) => [key, round((cpu * 1000) / Math.max(1, frames), 1)]);
  return { seconds, busiestThreadsMsPerFrame: Object.fromEntries(perThread) };
}

/**
 * In the page: keeps the transports the session creates (to read the engine's `swapping` flag), the same ones
 * it creates by default; for the fallback run hides MediaStreamTrackProcessor and MediaStreamTrackGenerator.
 */
function instrument(hideProcessor, bare, platformUrl, calls) {
  // Safari has neither: the camera is read through a <video> and the output is a canvas capture.
  if (hideProcessor) {
    delete window.MediaStreamTrackProcessor;
    delete window.MediaStreamTrackGenerator;
  }
  if (calls) wrapCalls();
  // --calls: wraps the main-thread calls a frame's processing makes, adding up their wall time by name in
  // `window.__calls` (for a promise, until it settles). Nested: the page receives this function's text alone.
  function wrapCalls() {
    const totals = (window.__calls = {});
    const wrap = (owner, name, label = name) => {
      const original = owner?.[name];
      if (typeof original !== 'function') return;
      owner[name] = function (...args) {
        const started = performance.now();
        // Drawing calls by what they draw from (a <video>, a WebGL canvas, ...).
        const key = name === 'drawImage' ? `${label}(${args[0]?.constructor?.name})` : label;
        const add = () => {
          const total = (totals[key] ??= { ms: 0, calls: 0 });
          total.ms += performance.now() - started;
          total.calls++;
        };
        const result = original.apply(this, args);
        if (result instanceof Promise) result.then(add, add);
        else add();
        return result;
      };
    };
    for (const name of ['drawImage', 'getImageData', 'putImageData']) wrap(CanvasRenderingContext2D.prototype, name, `2d.${name}`);
    for (const name of ['drawImage', 'getImageData']) wrap(globalThis.OffscreenCanvasRenderingContext2D?.prototype, name, `offscreen2d.${name}`);
    for (const name of ['readPixels', 'texImage2D', 'texSubImage2D', 'drawElements', 'bufferData', 'bufferSubData'])
      wrap(WebGL2RenderingContext.prototype, name, `webgl2.${name}`);
    wrap(globalThis.CanvasCaptureMediaStreamTrack?.prototype, 'requestFrame', 'capture.requestFrame');
    wrap(globalThis, 'createImageBitmap');
    wrap(globalThis.VideoFrame?.prototype, 'copyTo', 'VideoFrame.copyTo');
  }
  if (bare) for (const name of ['preview', 'stats']) document.querySelector('faceswap-player').removeAttribute(name);
  const session = document.querySelector('faceswap-session');
  window.__bench = { transports: [], calls: [] };
  // How long the camera and the token endpoint take after Start (outside the engine, but part of the wait).
  const timed = (name, call) =>
    async function (...args) {
      const started = performance.now();
      try {
        return await call.apply(this, args);
      } finally {
        window.__bench.calls.push({
          name: name === 'fetch' ? `fetch ${new URL(String(args[0]?.url ?? args[0]), location.href).pathname}` : name,
          started,
          ms: performance.now() - started,
        });
      }
    };
  navigator.mediaDevices.getUserMedia = timed('getUserMedia', navigator.mediaDevices.getUserMedia);
  window.fetch = timed('fetch', window.fetch);
  const kept = (create) => async (engine, options) => {
    const transport = await create(engine, options);
    if (transport) window.__bench.transports.push(transport);
    // The session prepares this transport for the chosen face: note when the model and the face are ready.
    const prepare = transport?.prepare?.bind(transport);
    if (prepare) {
      transport.prepare = (source) => {
        const prepared = prepare(source);
        prepared.then(() => (window.__bench.preparedAt = performance.now())).catch(() => undefined);
        return prepared;
      };
    }
    return transport;
  };
  return import(platformUrl).then(({ browserPlatform }) => {
    const { transportFactory, prepareTransport } = browserPlatform();
    session.platform = { transportFactory: kept(transportFactory), prepareTransport: kept(prepareTransport) };
  });
}

/** In the page: presses Start and resolves with the milliseconds until the player presents a swapped frame. */
function startAndTimeFirstSwap() {
  const session = document.querySelector('faceswap-session');
  const player = document.querySelector('faceswap-player');
  const video = player.shadowRoot.querySelector('video.video');
  const button = session.shadowRoot.querySelector('[part~=start-button]');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no swapped frame within 180 s (state ${session.state} ${session.details.error?.code ?? ''})`)), 180_000);
    const started = performance.now();
    const onFrame = async (now) => {
      if (session.state === 'error') reject(new Error(`session error: ${JSON.stringify(session.details.error)}`));
      const stats = await window.__bench.transports.at(-1)?.getStats();
      if (stats?.engine?.swapping) {
        clearTimeout(timer);
        session.removeEventListener('faceswap-state-change', onState);
        const calls = window.__bench.calls.filter((call) => call.started >= started).map((call) => `${call.name} ${Math.round(call.ms)} ms`);
        resolve({ ms: now - started, liveAtMs: window.__bench.liveAt - started, states, calls });
      } else video.requestVideoFrameCallback(onFrame);
    };
    // The player binds its <video> when the swapped track arrives; until then there is nothing to present.
    const watch = () => {
      if (session.state === 'error') reject(new Error(`session error: ${JSON.stringify(session.details.error)}`));
      else if (video.srcObject) video.requestVideoFrameCallback(onFrame);
      else setTimeout(watch, 5);
    };
    session.addEventListener('faceswap-live', () => (window.__bench.liveAt = performance.now()), { once: true });
    // Where the start time goes: when each state was entered, in ms after the click.
    const states = {};
    const onState = (event) => (states[event.detail.state] ??= Math.round(performance.now() - started));
    session.addEventListener('faceswap-state-change', onState);
    button.click();
    watch();
  });
}

/** In the page: counts frames the player's <video> presents from now; `stop()` returns the count and the elapsed time. */
function countPresentedFrames() {
  const video = document.querySelector('faceswap-player').shadowRoot.querySelector('video.video');
  const state = { frames: 0, counting: true, started: performance.now() };
  const count = () => {
    if (!state.counting) return;
    state.frames++;
    video.requestVideoFrameCallback(count);
  };
  video.requestVideoFrameCallback(count);
  window.__bench.counter = state;
  // The engine records each output frame's main-thread work as a User Timing measure named `faceswap-frame`.
  state.frameMs = [];
  const frameMs = (entries) => state.frameMs.push(...entries.filter((entry) => entry.name === 'faceswap-frame').map((entry) => entry.duration));
  state.frameObserver = new PerformanceObserver((list) => frameMs(list.getEntries()));
  state.frameObserver.observe({ type: 'measure' });
  state.takeFrameRecords = () => frameMs(state.frameObserver.takeRecords());
  if (window.__calls) window.__callsBefore = structuredClone(window.__calls);
}

async function stopCounting() {
  const state = window.__bench.counter;
  state.counting = false;
  state.takeFrameRecords();
  state.frameObserver.disconnect();
  const transport = window.__bench.transports.at(-1);
  const stats = (await transport.getStats()).engine ?? {};
  const video = document.querySelector('faceswap-player').shadowRoot.querySelector('video.video');
  return {
    frames: state.frames,
    elapsedMs: performance.now() - state.started,
    frameMs: state.frameMs,
    landmarkFps: stats.landmarkFps,
    landmarkMsMedian: stats.landmarkMsMedian,
    landmarkBackend: stats.landmarkBackend,
    sourceRefined: stats.sourceRefined,
    swapping: stats.swapping,
    width: video.videoWidth,
    height: video.videoHeight,
    trackProcessor: typeof MediaStreamTrackProcessor !== 'undefined',
    // --calls: wall ms per presented frame and calls per presented frame of each wrapped call, over the window.
    calls: window.__calls
      ? Object.fromEntries(
          Object.entries(window.__calls)
            .map(([name, { ms, calls }]) => [name, { ms: ms - (window.__callsBefore[name]?.ms ?? 0), calls: calls - (window.__callsBefore[name]?.calls ?? 0) }])
            .filter(([, { calls }]) => calls > 0)
            .map(([name, { ms, calls }]) => [
              name,
              { msPerFrame: Math.round((ms / Math.max(1, state.frames)) * 10) / 10, callsPerFrame: Math.round((calls / Math.max(1, state.frames)) * 10) / 10 },
            ]),
        )
      : undefined,
    // 1 when the run took the transport prepared while the face was chosen (the model warm), 2 when it made another.
    transportsCreated: window.__bench.transports.length,
  };
}

/**
 * One measured visit; `onBrowser` receives the browser as soon as it is launched (so a stuck run can be ended).
 * The visit ends as a visitor's does, by closing the tab while live: the session must then end on the server
 * (the player's pagehide beacon), or the next runs meet the per-visitor cap on open sessions.
 */
async function once({ url, controlUrl }, onBrowser) {
  const load1m = loadavg()[0];
  const width = 1280;
  const height = 860;
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...chromiumArgs({ softwareCompositing: !glCompositing }), `--window-size=${width},${height}`, `--use-file-for-fake-video-capture=${WEBCAM_VIDEO}`],
    defaultViewport: { width, height },
    // A loaded machine (the figures come with their load average) can make single calls slow; the run's own
    // deadline (runTimeoutMs) ends a run that hangs altogether.
    protocolTimeout: 240_000,
  });
  onBrowser(browser);
  let page;
  let sessionId;
  try {
    page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(url, { waitUntil: 'load', timeout: 300_000 });
    await page.waitForFunction(() => customElements.get('faceswap-player') && customElements.get('face-source-picker'), { timeout: 300_000 });
    await page.evaluate(instrument, noTrackProcessor, barePlayer, `/@fs${root}src/session/platform.ts`, profileCalls);
    // On a loaded machine a click can land before the gallery is ready: tried again while the picker stays empty.
    for (let attempt = 1; ; attempt++) {
      const picked = await pickGalleryFace(page, 0, 90_000).then(
        () => null,
        (error) => error,
      );
      if (!picked) break;
      const status = await page.$eval('face-source-picker', (el) => el.getAttribute('status'));
      if (attempt === 3 || status !== 'empty') throw new Error(`the gallery face was not chosen (picker ${status}): ${picked.message}`);
    }
    const pickedAt = await page.evaluate(() => performance.now());
    if (!coldStart) await page.waitForFunction(() => window.__bench.preparedAt, { timeout: 180_000, polling: 50 });
    const prewarmMs = await page.evaluate((since) => (window.__bench.preparedAt ?? NaN) - since, pickedAt);
    await new Promise((resolve) => setTimeout(resolve, thinkMs));
    const first = await page.evaluate(startAndTimeFirstSwap);
    await waitForState(page, 'live');
    sessionId = await page.$eval('faceswap-session', (el) => el.details.sessionId);
    // Settle: tracking locks on, the first landmark runs warm up.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const pid = browser.process().pid;
    const cpuBefore = treeCpu(pid);
    await page.evaluate(countPresentedFrames);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const counted = await page.evaluate(stopCounting);
    const cpu = cpuBetween(cpuBefore, treeCpu(pid), counted.frames);
    const cpuSeconds = cpu.seconds;
    if (errors.length) throw new Error(`page errors: ${errors.join(' | ')}`);
    const fps = (counted.frames * 1000) / counted.elapsedMs;
    return {
      loadAverage1m: round(load1m, 2),
      prewarmMs: round(prewarmMs, 0),
      startToFirstSwapMs: round(first.ms, 0),
      startToLiveMs: round(first.liveAtMs, 0),
      startStatesMs: first.states,
      startCalls: first.calls,
      transportsCreated: counted.transportsCreated,
      presentedFps: round(fps),
      cpuMsPerFrame: round((cpuSeconds * 1000) / Math.max(1, counted.frames), 1),
      browserCpuCores: round(cpuSeconds / (counted.elapsedMs / 1000), 2),
      busiestThreadsMsPerFrame: cpu.busiestThreadsMsPerFrame,
      landmarkFps: round(counted.landmarkFps),
      landmarkMsMedian: round(counted.landmarkMsMedian),
      landmarkBackend: counted.landmarkBackend,
      sourceRefined: counted.sourceRefined,
      mainThreadMsPerFrame: { median: round(percentile(counted.frameMs, 50), 1), p95: round(percentile(counted.frameMs, 95), 1) },
      swappingAtEnd: counted.swapping,
      resolution: `${counted.width}x${counted.height}`,
      trackProcessor: counted.trackProcessor,
      ...(counted.calls ? { mainThreadCalls: counted.calls } : {}),
      version: await browser.version(),
      ...(await closeTab(page, controlUrl, sessionId)),
    };
  } finally {
    // A run that failed while live still ends its session as a visitor's tab would, so the next runs are not capped.
    if (sessionId && !page.isClosed()) await closeTab(page, controlUrl, sessionId).catch(() => undefined);
    await closeBrowser(browser);
  }
}

/** How long after the tab closed the emulator saw the visit's session closed; `sessionLeftOpen` if not within 10 s. */
async function closeTab(page, controlUrl, sessionId) {
  const closing = performance.now();
  await page.close();
  const closed = (await waitForSessionClosed(controlUrl, sessionId)) !== null;
  return closed ? { sessionClosedAfterTabMs: round(performance.now() - closing, 0) } : { sessionLeftOpen: sessionId };
}

/** Closes the browser, killing its process when close does not finish in 10 s (a crashed target can hang it). */
async function closeBrowser(browser) {
  const closed = browser.close().catch(() => undefined);
  const timedOut = new Promise((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
  if ((await Promise.race([closed, timedOut])) === 'timeout') browser.process()?.kill('SIGKILL');
}

/**
 * `once` under a deadline: a run that hangs (a renderer that crashed mid-call, a target closed under an
 * evaluate) is ended by killing its browser and reported as `{ error }` instead of blocking the benchmark.
 */
async function guardedRun(server) {
  const load1m = loadavg()[0];
  let browser = null;
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`run did not finish within ${runTimeoutMs / 1000} s`)), runTimeoutMs);
  });
  try {
    return await Promise.race([once(server, (launched) => (browser = launched)), deadline]);
  } catch (error) {
    if (browser) browser.process()?.kill('SIGKILL');
    return { loadAverage1m: round(load1m, 2), error: String(error?.message ?? error).split('\n')[0] };
  } finally {
    clearTimeout(timer);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const server = await startDemoServer();
const results = [];
try {
  // A visitor meets a server that has been up a while: its face detector (loading at start) is warm.
  const image = `data:image/jpeg;base64,${readFileSync(`${root}demo/faces/ada.jpg`).toString('base64')}`;
  await fetch(new URL('/api/faceswap/detect', server.url), { method: 'POST', body: JSON.stringify({ image, singleFace: true }) });
  for (let i = 0; i < runs; i++) {
    const result = await guardedRun(server);
    process.stderr.write(`demo-page run ${i + 1}/${runs}: ${JSON.stringify(result)}\n`);
    results.push(result);
  }
} finally {
  await server.stop();
}
const measured = results.filter((r) => !r.error);
const pick = (key) => measured.map((r) => r[key]);
const version = measured[0]?.version;
for (const r of results) delete r.version;
console.log(
  JSON.stringify(
    {
      benchmark: 'demo-page',
      page: 'demo/index.html via scripts/start.ts: <faceswap-player preview stats>, gallery face "Ada", Start',
      camera: 'Chromium fake camera playing test/fixtures/generated/webcam-talking.y4m (640x480, 20 fps)',
      player: barePlayer ? 'without preview and stats (for comparison)' : 'preview and stats',
      compositing: glCompositing ? 'SwiftShader (GL)' : 'software (WebGL alone on SwiftShader, as without a GPU)',
      startAfter: coldStart ? `--think-ms after choosing the face` : 'the prepared face model is ready, then --think-ms',
      path: noTrackProcessor ? 'fallback: MediaStreamTrackProcessor and MediaStreamTrackGenerator deleted from window' : 'MediaStreamTrackProcessor',
      thinkMs,
      windowSeconds: seconds,
      failedRuns: results.length - measured.length,
      sessionsLeftOpen: results.filter((r) => r.sessionLeftOpen).length,
      presentedFps: { best: Math.max(...pick('presentedFps')), median: median(pick('presentedFps')) },
      startToFirstSwapMs: { best: Math.min(...pick('startToFirstSwapMs')), median: median(pick('startToFirstSwapMs')) },
      cpuMsPerFrame: { best: Math.min(...pick('cpuMsPerFrame')), median: median(pick('cpuMsPerFrame')) },
      runs: results,
      machine: machine(version),
    },
    null,
    2,
  ),
);
