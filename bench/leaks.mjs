// Leaks: 200 mount/start/stop/unmount cycles of a whole session in Chromium (bench/pages/leaks.ts), then
//   - live MediaStreamTracks left: every track the page creates (getUserMedia, captureStream, clone) is
//     recorded by a wrapper installed before any page script runs; must be 0;
//   - JS heap growth: CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage, after 10 warm-up cycles
//     and after the measured ones;
//   - listeners left on window and document: CDP DOMDebugger.getEventListeners, before and after;
//   - sessions left open at the (emulated) AKOOL.
// Prints JSON. Run: node bench/leaks.mjs [--cycles 200]
import puppeteer from 'puppeteer-core';
import { machine, round } from './lib/common.mjs';

const cycles = Number(process.argv.includes('--cycles') ? process.argv[process.argv.indexOf('--cycles') + 1] : 200);
const WARM_UP = 10;
const { bundlePages, startSite, CHROMIUM, CHROMIUM_ARGS, root } = await import('./lib/site.ts');
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
  window.__tracks = () => ({ created: tracks.length, live: tracks.filter((t) => t.readyState === 'live').length });
}

const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
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

  await page.evaluate((n) => window.runCycles(n), WARM_UP);
  const heapBefore = await heap();
  const listenersBefore = await listeners();
  const run = await page.evaluate((n) => window.runCycles(n), cycles);
  const heapAfter = await heap();
  const listenersAfter = await listeners();
  const tracks = await page.evaluate(() => window.__tracks());
  const added = (before, after) => {
    const left = [...after];
    for (const type of before) left.splice(left.indexOf(type), left.indexOf(type) >= 0 ? 1 : 0);
    return left;
  };
  const output = {
    benchmark: 'leaks',
    workload: `${cycles} cycles of mount <faceswap-session> (+ player + picker) → start → live → stop → unmount, real token endpoint, FakeTransport echo; ${WARM_UP} warm-up cycles first`,
    cycles,
    secondsPerCycle: round(run.ms / cycles / 1000, 3),
    liveTracksLeft: tracks.live,
    tracksCreated: tracks.created,
    heap: {
      beforeBytes: heapBefore,
      afterBytes: heapAfter,
      growthBytes: heapAfter - heapBefore,
      growthPerCycleBytes: round((heapAfter - heapBefore) / cycles, 0),
      note: 'CDP Runtime.getHeapUsage after two HeapProfiler.collectGarbage',
    },
    listeners: {
      window: { before: listenersBefore.window.length, after: listenersAfter.window.length, added: added(listenersBefore.window, listenersAfter.window) },
      document: { before: listenersBefore.document.length, after: listenersAfter.document.length, added: added(listenersBefore.document, listenersAfter.document) },
    },
    openSessionsAfter: site.emulator.state().openSessions,
    machine: machine(await browser.version()),
  };
  console.log(JSON.stringify(output, null, 2));
} finally {
  await browser.close();
  await site.close();
}
