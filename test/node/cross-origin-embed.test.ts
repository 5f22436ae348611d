// A CMS page on one origin embeds the elements (drop-in build) and calls a token endpoint on another origin, as a
// Webflow or Squarespace site calling a Worker would. The endpoint lists the CMS origin in `allowedOrigins`: the
// local-engine flow reaches `live` and stops cleanly. The same page served from an origin not on the list is
// refused by CORS: face detection fails in the picker and no session is ever opened at AKOOL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { startEmulator, type RunningEmulator } from '../../src/server/emulator/server.js';
import { engineAssetRoutes } from '../../src/server/engine-assets.js';
import { createFaceswapHandler, type FaceswapHandler } from '../../src/server/handler.js';
import { toNodeListener } from '../../src/server/node-adapter.js';
import { cameraVideo, ensureCdnBuild, launchChromium, startStaticServer, type StaticServer } from '../cdn/harness.js';
import { warmUpDetector } from '../conformance/suite.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

let emulator: RunningEmulator;
let handler: FaceswapHandler;
let endpointServer: StaticServer;
let cmsSite: StaticServer;
let foreignSite: StaticServer;
let browser: Browser;
const endpointRequests: { method: string; origin: string | undefined; status?: number; url?: string }[] = [];
const consoleLines: string[] = [];

/** The CMS page's files: the page, the drop-in build, the gallery and the local engine's model files. */
function cmsMounts(): Record<string, string> {
  const mounts: Record<string, string> = {
    '/': join(root, 'test/cross-origin'),
    '/cdn/': join(root, 'dist/cdn'),
    '/faces/': join(root, 'stories/assets/faces'),
  };
  for (const { prefix, dir } of engineAssetRoutes('/faceswap-engine/')) mounts[prefix] = dir;
  return mounts;
}

before(async () => {
  ensureCdnBuild();
  // AKOOL's stand-in on a third origin; its first detection (model load and compile) is done before the page asks.
  emulator = await startEmulator({ statusDelayMs: 0 });
  await warmUpDetector(emulator);
  cmsSite = await startStaticServer(cmsMounts());
  foreignSite = await startStaticServer(cmsMounts());
  handler = createFaceswapHandler({
    auth: { apiKey: emulator.apiKey },
    baseUrl: emulator.url,
    engine: 'local',
    // The emulator's detector runs in this process; on a loaded machine a detection can take many seconds.
    upstreamTimeoutMs: 120_000,
    secret: randomBytes(32),
    allowedOrigins: [cmsSite.origin],
    reaperIntervalMs: 0,
    logger: { warn: () => {}, error: () => {} },
  });
  const api = toNodeListener(handler);
  endpointServer = await startStaticServer({}, (req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith('/api/faceswap/')) return false;
    const entry: { method: string; origin: string | undefined; status?: number; url?: string } = { method: req.method ?? '', origin: req.headers.origin, url };
    endpointRequests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    api(req, res);
    return true;
  });
  browser = await launchChromium({ fakeVideo: cameraVideo() });
});

after(async () => {
  await browser?.close();
  await Promise.all([endpointServer, cmsSite, foreignSite].map((server) => server?.close()));
  handler?.close();
  await emulator?.close();
});

async function openEmbed(site: StaticServer): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  await page.goto(`${site.origin}/index.html?endpoint=${encodeURIComponent(`${endpointServer.origin}/api/faceswap`)}`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.querySelector('face-source-picker')?.shadowRoot?.querySelector('[part~="thumbnail"]'));
  await page.evaluate(() => (document.querySelector('face-source-picker')!.shadowRoot!.querySelector('[part~="thumbnail"]') as HTMLElement).click());
  return page;
}

test('an allowed CMS origin runs the flow to live against the endpoint on another origin', { timeout: 240_000 }, async () => {
  const page = await openEmbed(cmsSite);
  try {
    const settled = await page
      .waitForFunction(() => ['live', 'error'].includes(document.querySelector('faceswap-session')?.getAttribute('state') ?? ''), {
        timeout: 150_000,
        polling: 200,
      })
      .then(() => true)
      .catch(() => false);
    const log = await page.evaluate('window.embedLog');
    const picker = await page.evaluate(() => {
      const element = document.querySelector('face-source-picker');
      return `${element?.getAttribute('status')} ${element?.shadowRoot?.querySelector('[part~="message"]')?.textContent ?? ''}`;
    });
    assert.ok(
      settled,
      `neither live nor error: picker ${picker}, ${JSON.stringify(log)}, endpoint saw ${JSON.stringify(endpointRequests)}, console ${consoleLines.join(' | ')}`,
    );
    assert.equal(await page.evaluate(() => document.querySelector('faceswap-session')!.getAttribute('state')), 'live', JSON.stringify(log));
    assert.ok(
      endpointRequests.some((request) => request.method === 'OPTIONS' && request.origin === cmsSite.origin),
      'the browser asked the endpoint a CORS preflight',
    );
    assert.equal(emulator.state().openSessions, 1);
    await page.evaluate(() => document.querySelector('faceswap-session')!.stop());
    for (let i = 0; i < 50 && emulator.state().openSessions > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(emulator.state().openSessions, 0, 'stopping closed the session at AKOOL');
  } finally {
    await page.close();
  }
});

test('the same page on an origin not in allowedOrigins is refused: no detection, no session', { timeout: 120_000 }, async () => {
  const opened = emulator.sessions().length;
  const page = await openEmbed(foreignSite);
  try {
    await page.waitForFunction(() => document.querySelector('face-source-picker')?.getAttribute('status') === 'error', { timeout: 60_000, polling: 200 });
    assert.ok(
      endpointRequests.some((request) => request.origin === foreignSite.origin),
      'the foreign page did reach the endpoint (and was refused there)',
    );
    assert.notEqual(await page.evaluate(() => document.querySelector('faceswap-session')!.getAttribute('state')), 'live');
    assert.equal(emulator.sessions().length, opened, 'no session was created for the foreign origin');
  } finally {
    await page.close();
  }
});
