// Time to live: from start() to the first swapped frame (state `live`) on the local engine with the face-video
// fake camera, and from start() to `connecting` on the Agora transport (camera + credentials), plus, on the cold
// first run, from start() to the Agora SDK chunk loaded. First run cold (models, SDK), then warm runs.
// Prints JSON. Run: node bench/time-to-live.mjs [--runs 4]
import puppeteer from 'puppeteer-core';
import { ensureTestCamera, machine, round } from './lib/common.mjs';

const runs = Number(process.argv.includes('--runs') ? process.argv[process.argv.indexOf('--runs') + 1] : 4);
ensureTestCamera();
const { bundlePages, startSite, CHROMIUM, CHROMIUM_ARGS, FACE_CAMERA_ARG, root } = await import('./lib/site.ts');
const files = await bundlePages({ 'time-to-live': `${root}/bench/pages/time-to-live.ts` });
const site = await startSite({
  html: '<!doctype html><meta charset="utf-8"><body><script type="module" src="/assets/time-to-live.js"></script>',
  files,
});
const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, FACE_CAMERA_ARG] });
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(site.origin);
  await page.waitForFunction('typeof window.runTimeToLive === "function"');
  const result = await page.evaluate((n) => window.runTimeToLive({ runs: n }), runs);
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const summary = (values) => ({ firstMs: round(values[0], 0), warmMedianMs: round(median(values.slice(1)), 0), allMs: values.map((v) => round(v, 0)) });
  const output = {
    benchmark: 'time-to-live',
    localEngine: { until: 'live (first swapped frame)', camera: 'fake camera playing test/fixtures/generated/face.y4m', ...summary(result.local) },
    agoraTransport: {
      until: 'connecting (camera + credentials from the token endpoint)',
      ...summary(result.agora),
      firstStartToSdkLoadedMs: round(result.sdk.loadedMs, 0),
      sdkChunkBytes: result.sdk.bytes,
    },
    openSessionsAfter: site.emulator.state().openSessions,
    machine: machine(await browser.version()),
  };
  console.log(JSON.stringify(output, null, 2));
} finally {
  await browser.close();
  await site.close();
}
