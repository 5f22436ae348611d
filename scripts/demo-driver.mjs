// Drives the demo page of `npm start` in headless Chromium: shared by the end-to-end test
// (test/node/e2e-demo.test.ts) and the documentation screenshots (scripts/screenshots.mjs).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM, FACE_CAMERA_ARG, FACE_VIDEO, chromiumArgs } from './chromium.mjs';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { freePort } from './free-port.mjs';

export { freePort };

const root = fileURLToPath(new URL('..', import.meta.url));

/** Starts `scripts/start.ts` on a free port; resolves with its URL, the emulator's control URL and a stop function once it listens. */
export async function startDemoServer({ timeoutMs = 60_000 } = {}) {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1' };
  delete env.AKOOL_API_KEY; // always the local engine and the bundled emulator
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  /** @type {{ url: string, controlUrl: string }} */
  const { url, controlUrl } = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo server did not start:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = /demo: (http:\/\/\S+)/.exec(output);
      const control = /emulator control \(loopback only\): (http:\/\/\S+)/.exec(output);
      if (match && control) {
        clearTimeout(timer);
        resolve({ url: match[1].replace(/\/$/, ''), controlUrl: control[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo server exited with ${code}:\n${output}`));
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return { url, controlUrl, stop, output: () => output };
}

/** Headless Chromium whose fake camera plays the generated face video when it exists (as after `npm test`'s camera step). */
export function launchChromium({ width = 1280, height = 860 } = {}) {
  const args = [...chromiumArgs(), `--window-size=${width},${height}`];
  // DEMO_CAMERA=synthetic keeps Chromium's own test pattern even when the face video exists.
  if (existsSync(FACE_VIDEO) && process.env.DEMO_CAMERA !== 'synthetic') args.push(FACE_CAMERA_ARG);
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, args, defaultViewport: { width, height } });
}

/** Clicks an element inside shadow roots (`>>>` pierces them). */
export async function clickDeep(page, selector) {
  const handle = await page.waitForSelector(selector, { visible: true });
  await handle.click();
  await handle.dispose();
}

export const sessionState = (page) => page.$eval('faceswap-session', (el) => el.getAttribute('state'));

/** Waits for a session state; fails at once with the session's error when it lands in `error` instead. */
export async function waitForState(page, state, timeout = 120_000) {
  const reached = await page.waitForFunction(
    (wanted) => {
      const session = document.querySelector('faceswap-session');
      const now = session?.getAttribute('state');
      return now === wanted || now === 'error' ? now : false;
    },
    { timeout },
    state,
  );
  if ((await reached.jsonValue()) !== state) {
    const error = await page.$eval('faceswap-session', (el) => JSON.stringify(el.details.error));
    throw new Error(`the session failed instead of reaching "${state}": ${error}`);
  }
}

/** Picks the n-th gallery face (0-based) and waits until the picker has detected and chosen it. */
export async function pickGalleryFace(page, index, timeout = 60_000) {
  const before = await page.$eval('face-source-picker', (el) => JSON.stringify(el.value));
  const thumbs = await page.$$('face-source-picker >>> [part~=thumbnail]');
  await thumbs[index].click();
  await page.waitForFunction(
    (previous) => {
      const picker = document.querySelector('face-source-picker');
      return picker.getAttribute('status') === 'selected' && JSON.stringify(picker.value) !== previous;
    },
    { timeout },
    before,
  );
  return page.$eval('face-source-picker', (el) => el.value);
}

/** The emulator's view of its sessions (`GET sessions` on the control URL `npm start` prints). */
export async function emulatorSessions(controlUrl) {
  const response = await fetch(new URL('sessions', controlUrl));
  return (await response.json()).sessions;
}

/** Resolves with the milliseconds until the emulator shows session `id` closed, or null when it does not within `timeoutMs`. */
export async function waitForSessionClosed(controlUrl, id, timeoutMs = 10_000) {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if ((await emulatorSessions(controlUrl)).find((s) => s._id === id)?.closed) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}
