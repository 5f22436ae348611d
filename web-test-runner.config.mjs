// Browser tests in Debian's Chromium, Firefox ESR and WebKitGTK (no browser downloads possible here).
// Groups:  components  -> the tests beside the code in src/ (src/components/<tag>/*.test.ts, src/define/),
//                         all three engines (BROWSERS=chromium,firefox,webkit to narrow)
//          <tag>       -> one element's tests alone (src/components/<tag>/), e.g. `--group faceswap-player`;
//                         only defined when asked for, so a full run does not run them twice
//          chromium    -> everything else under test/browser, Chromium with the synthetic fake camera
//          face        -> test/browser/face: Chromium whose fake camera plays a real face video
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import puppeteer from 'puppeteer-core';
import { apiPlugin } from './test/support/wtr-api-plugin.mjs';
import { countingReporter } from './test/support/counting-reporter.mjs';
import { CHROMIUM, FACE_CAMERA_ARG, chromiumArgs } from './scripts/chromium.mjs';
import { defaultReporter } from '@web/test-runner';
import { freePort } from './scripts/free-port.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

const wanted = new Set((process.env.BROWSERS ?? 'chromium,firefox,webkit').split(',').map((s) => s.trim()));

function chromium(extraArgs = []) {
  return chromeLauncher({
    launchOptions: { executablePath: CHROMIUM, headless: true, args: [...chromiumArgs(), ...extraArgs] },
  });
}

function firefox() {
  return chromeLauncher({
    puppeteer,
    launchOptions: {
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      extraPrefsFirefox: {
        'media.navigator.streams.fake': true,
        'media.navigator.permission.disabled': true,
        'media.autoplay.default': 0,
        'media.autoplay.blocking_policy': 0,
      },
    },
  });
}

async function waitForPort(port, ms = 15000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`WebKitWebDriver did not open port ${port}`);
}

async function webkit() {
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore' });
  process.on('exit', () => driver.kill());
  await waitForPort(port);
  return webdriverLauncher({
    hostname: '127.0.0.1',
    port,
    path: '/',
    logLevel: 'error',
    capabilities: {
      browserName: 'MiniBrowser',
      'wdio:enforceWebDriverClassic': true,
      'webkitgtk:browserOptions': {
        binary: MINIBROWSER,
        args: ['--automation', '--enable-media-stream=true', '--enable-mock-capture-devices=true'],
      },
    },
  });
}

const engines = [];
if (wanted.has('chromium')) engines.push(chromium());
if (wanted.has('firefox')) engines.push(firefox());
if (wanted.has('webkit')) engines.push(await webkit());

function hasTests(dir, skip = []) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return false;
  return readdirSync(abs).some((name) => {
    if (skip.includes(name)) return false;
    const p = join(abs, name);
    return statSync(p).isDirectory() ? hasTests(join(dir, name)) : name.endsWith('.test.ts');
  });
}

/** The group named by `--group NAME` or `--group=NAME`, if any. */
function requestedGroup(argv) {
  const at = argv.indexOf('--group');
  if (at >= 0) return argv[at + 1];
  return argv.find((arg) => arg.startsWith('--group='))?.slice('--group='.length);
}

/** One element's tests as a group of their own, when that element's folder was asked for. */
function componentGroup(tag) {
  if (!tag || !existsSync(join(root, 'src/components', tag)) || !hasTests(`src/components/${tag}`)) return false;
  return { name: tag, files: `src/components/${tag}/**/*.test.ts`, browsers: engines };
}

const groups = [
  hasTests('src') && {
    name: 'components',
    files: 'src/**/*.test.ts',
    browsers: engines,
  },
  componentGroup(requestedGroup(process.argv)),
  hasTests('test/browser', ['face']) && {
    name: 'chromium',
    files: ['test/browser/**/*.test.ts', '!test/browser/face/**'],
    browsers: [chromium()],
  },
  hasTests('test/browser/face') && {
    name: 'face',
    files: 'test/browser/face/**/*.test.ts',
    browsers: [chromium([FACE_CAMERA_ARG])],
  },
].filter(Boolean);

/**
 * The test cameras (.y4m) served byte for byte. wtr's transform step reads every response and decodes it as text
 * when its first 512 bytes look printable, as the blue first rows of franck-blink's frames do: the video came out
 * re-encoded, 1.56 times its size, its frames noise.
 */
function serveY4m(ctx, next) {
  if (!ctx.path.endsWith('.y4m')) return next();
  const file = normalize(join(root, decodeURIComponent(ctx.path)));
  if (!file.startsWith(root) || !existsSync(file)) return next();
  ctx.type = 'application/octet-stream';
  ctx.length = statSync(file).size;
  ctx.body = createReadStream(file);
}

export default {
  rootDir: root,
  middleware: [serveY4m],
  nodeResolve: { exportConditions: ['production', 'browser'] },
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  // Per test file; the face quality files measure the engine over real cameras for minutes on a loaded 2-core machine.
  testsFinishTimeout: 900000,
  testFramework: { config: { timeout: 20000 } },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: `${root}tsconfig.json` }), apiPlugin()],
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), countingReporter()],
  groups,
};
