// Leaks: 200 mount/start/stop/unmount cycles of a whole session in Chromium (bench/pages/leaks.ts), then
//   - live MediaStreamTracks left: every track the page creates (getUserMedia, captureStream, clone) is
//     recorded by a wrapper installed before any page script runs; must be 0;
//   - JS heap growth: CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage, after 10 warm-up cycles
//     and after the measured ones;
//   - listeners left on window and document: CDP DOMDebugger.getEventListeners, before and after;
//   - sessions left open at the (emulated) AKOOL.
// The same again on the real local engine (fewer cycles: each runs the face mesh to a first swapped frame),
// also counting Web Workers started and not terminated.
// Prints JSON. Run: node bench/leaks.mjs [--cycles 200] [--local-cycles 20]
import puppeteer from 'puppeteer-core';
import { ensureTestCamera, machine, round } from './lib/common.mjs';

ensureTestCamera();

const arg = (name, fallback) => Number(process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const cycles = arg('--cycles', 200);
const localCycles = arg('--local-cycles', 20);
const WARM_UP = 10;
const { bundlePages, startSite, CHROMIUM, CHROMIUM_ARGS, FACE_CAMERA_ARG, root } = await import('./lib/site.ts');
const files = await bundlePages({ leaks: `${root}/bench/pages/leaks.ts` });
const site = await startSite({ html: '<!doctype html><meta charset="utf-8"><body><script type="module" src="/assets/leaks.js"></script>', files });

/** Installed before the page's own scripts: remembers every MediaStreamTrack that comes into being. */
function trackTracks() {
  const tracks = [];
  const remember = (stream) => {
    for (const track of stream.getTracks()) tracks.push(track);
    return stream;
  };
  const getUserMedia = MediaDevices.prototype.getUserMedia;
  MediaDevices.prototype.getUserMedia = async function (...args) {
    return remember(await getUserMedia.apply(this, args));
  };
  const captureStream = HTMLCanvasElement.prototype.captureStream;
  HTMLCanvasElement.prototype.captureStream = function (...args) {
    return remember(captureStream.apply(this, args));
  };
  const clone = MediaStreamTrack.prototype.clone;
  MediaStreamTrack.prototype.clone = function () {
    const copy = clone.call(this);
    tracks.push(copy);
    return copy;
  };
  const workers = new Set();
  let workersCreated = 0;
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      workersCreated += 1;
      workers.add(this);
    }
    terminate() {
      workers.delete(this);
      super.terminate();
    }
  };
  window.__tracks = () => ({ created: tracks.length, live: tracks.filter((t) => t.readyState === 'live').length, workersCreated, workersAlive: workers.size });
}

const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, FACE_CAMERA_ARG] });
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.evaluateOnNewDocument(trackTracks);
  const cdp = await page.createCDPSession();
  await page.goto(site.origin);
  await page.waitForFunction('typeof window.runCycles === "function"');

  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const listeners = async () => {
    const count = async (expression) => {
      const { result } = await cdp.send('Runtime.evaluate', { expression });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
      await cdp.send('Runtime.releaseObject', { objectId: result.objectId });
      return listeners.map((l) => l.type);
    };
    return { window: await count('window'), document: await count('document') };
  };

  const added = (before, after) => {
    const left = [...after];
    for (const type of before) if (left.includes(type)) left.splice(left.indexOf(type), 1);
    return left;
  };
  /** Warm-up cycles, then the measured ones, between two full GCs. */
  const measure = async (count, engine, warmUp) => {
    const tracksBefore = await page.evaluate(() => window.__tracks());
    await page.evaluate((n, e) => window.runCycles(n, e), warmUp, engine);
    const heapBefore = await heap();
    const listenersBefore = await listeners();
    const run = await page.evaluate((n, e) => window.runCycles(n, e), count, engine);
    const heapAfter = await heap();
    const listenersAfter = await listeners();
    const tracks = await page.evaluate(() => window.__tracks());
    return {
      cycles: count,
      warmUpCycles: warmUp,
      secondsPerCycle: round(run.ms / count / 1000, 3),
      liveTracksLeft: tracks.live,
      tracksCreated: tracks.created - tracksBefore.created,
      workersCreated: tracks.workersCreated - tracksBefore.workersCreated,
      workersAlive: tracks.workersAlive,
      heap: {
        beforeBytes: heapBefore,
        afterBytes: heapAfter,
        growthBytes: heapAfter - heapBefore,
        growthPerCycleBytes: round((heapAfter - heapBefore) / count, 0),
      },
      listeners: {
        window: { before: listenersBefore.window.length, after: listenersAfter.window.length, added: added(listenersBefore.window, listenersAfter.window) },
        document: {
          before: listenersBefore.document.length,
          after: listenersAfter.document.length,
          added: added(listenersBefore.document, listenersAfter.document),
        },
      },
    };
  };
  const fake = await measure(cycles, 'fake', WARM_UP);
  const local = localCycles > 0 ? await measure(localCycles, 'local', 2) : null;
  const output = {
    benchmark: 'leaks',
    workload: 'cycles of mount <faceswap-session> (+ player + picker) → start → live → stop → unmount against the real token endpoint',
    fakeTransport: { transport: 'FakeTransport echo (controller, elements, camera, endpoint client)', ...fake },
    localEngine: local && { transport: 'LocalTransport (engine worker, WebGL, canvas capture), face-video fake camera', ...local },
    heapNote: 'CDP Runtime.getHeapUsage after two HeapProfiler.collectGarbage; listeners by CDP DOMDebugger.getEventListeners',
    openSessionsAfter: site.emulator.state().openSessions,
    machine: machine(await browser.version()),
  };
  console.log(JSON.stringify(output, null, 2));
} finally {
  await browser.close();
  await site.close();
}
