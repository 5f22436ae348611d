#!/usr/bin/env node
// Screenshots of the demo page in each main state, for the README: `node scripts/screenshots.mjs`.
// Starts `npm start`'s server on a free port (local engine, bundled AKOOL emulator), drives headless
// Chromium with the fake camera (the generated face video when present) and writes docs/demo-*.png.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clickDeep, launchChromium, pickGalleryFace, startDemoServer, waitForState } from './demo-driver.mjs';

const docs = fileURLToPath(new URL('../docs/', import.meta.url));
mkdirSync(docs, { recursive: true });
const GROUP_PHOTO = fileURLToPath(new URL('../node_modules/@vladmandic/face-api/demo/sample1.jpg', import.meta.url));

const server = await startDemoServer();
const browser = await launchChromium({ width: 1280, height: 900 });
const failures = [];
const emulator = (path, init) => fetch(new URL(path, server.controlUrl), init);

async function shot(name, page, settleMs = 600) {
  await new Promise((resolve) => setTimeout(resolve, settleMs)); // let transitions and the video settle
  await page.screenshot({ path: `${docs}demo-${name}.png` });
  console.log(`docs/demo-${name}.png`);
}

/** A transient state: taken at once, and refused if the session moved on before the picture was taken. */
async function transientShot(name, page, state) {
  await waitForState(page, state, 60_000);
  await shot(name, page, 0);
  const now = await page.$eval('faceswap-session', (el) => el.getAttribute('state'));
  if (now !== state) throw new Error(`the session left "${state}" (now "${now}") before the screenshot`);
}

async function freshPage({ dark = false, lang = 'en' } = {}) {
  const page = await browser.newPage();
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: dark ? 'dark' : 'light' }]);
  await page.goto(server.url, { waitUntil: 'load' });
  if (lang !== 'en') await page.select('#lang', lang);
  await page.waitForSelector('face-source-picker >>> [part~=thumbnail]');
  return page;
}

async function attempt(label, run) {
  try {
    await run();
  } catch (error) {
    failures.push(`${label}: ${error.message}`);
    console.error(`${label} failed: ${error.message}`);
  }
}

try {
  await attempt('idle', async () => shot('idle', await freshPage()));

  await attempt('several faces', async () => {
    const page = await freshPage();
    const input = await page.waitForSelector('face-source-picker >>> input[type=file]');
    await input.uploadFile(GROUP_PHOTO);
    await page.waitForSelector('face-source-picker[status="choosing"]', { timeout: 60_000 });
    await shot('choose-face', page);
  });

  await attempt('live', async () => {
    const page = await freshPage();
    await pickGalleryFace(page, 0);
    await clickDeep(page, 'faceswap-session >>> [part~=start-button]');
    await transientShot('connecting', page, 'connecting');
    await waitForState(page, 'live', 150_000);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await shot('live', page);
    await clickDeep(page, 'faceswap-session >>> [part~=start-button]');
    await waitForState(page, 'ended', 30_000);
    await shot('ended', page);
  });

  await attempt('error', async () => {
    await emulator('faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ forceCode: 1104, paths: ['/faceswap/live/create'] }),
    });
    try {
      const page = await freshPage();
      await pickGalleryFace(page, 2);
      await clickDeep(page, 'faceswap-session >>> [part~=start-button]');
      await page.waitForSelector('faceswap-session[state="error"]', { timeout: 60_000 });
      await shot('error', page);
    } finally {
      await emulator('faults', { method: 'DELETE' });
    }
  });

  await attempt('arabic, dark', async () => {
    const page = await freshPage({ dark: true, lang: 'ar' });
    await pickGalleryFace(page, 1);
    await shot('arabic-dark', page);
  });
} finally {
  await browser.close();
  await server.stop();
}
if (failures.length > 0) {
  console.error(`\n${failures.length} screenshot(s) failed:\n${failures.join('\n')}`);
  process.exit(1);
}
