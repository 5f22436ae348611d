// The CDN drop-in end to end: a static page (test/cdn/index.html) that loads only dist/cdn/faceswap-elements.js
// (twice, as two copies) runs the whole local-engine flow in Chromium: gallery face -> /detect on the token
// endpoint (createFaceswapHandler over the in-process AKOOL emulator, whose detector is real) -> session ->
// in-browser engine -> live swapped video -> stop closes the server session. Builds dist/cdn when stale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, ConsoleMessage } from 'puppeteer-core';
import { createEmulator } from '../../src/server/emulator/server.js';
import { engineAssetRoutes } from '../../src/server/engine-assets.js';
import { createFaceswapHandler } from '../../src/server/handler.js';
import { toNodeListener } from '../../src/server/node-adapter.js';
import { cameraVideo, ensureCdnBuild, launchChromium, startStaticServer, type StaticServer } from '../cdn/harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
test('a page with only the CDN file runs the full local-engine flow', { timeout: 240_000 }, async () => {
  ensureCdnBuild();
  const apiKey = randomBytes(12).toString('hex');
  const emulator = createEmulator({ apiKey, mountPath: '/akool' });
  let origin = '';
  const handler = createFaceswapHandler({
    auth: { apiKey },
    baseUrl: 'http://127.0.0.1/akool',
    // In-process, as `npm start` does: face URLs point at this server's /akool mount.
    fetch: async (input, init) => emulator.handle(new Request(input, init), { publicUrl: `${origin}/akool` }),
    engine: 'local',
    secret: randomBytes(32),
    sessionRateLimit: false,
    detectRateLimit: false,
    reaperIntervalMs: 0,
    logger: { warn: () => {}, error: () => {} },
  });
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  try {
    const api = toNodeListener(handler);
    const akool = toNodeListener((request) => emulator.handle(request, { publicUrl: `${origin}/akool` }));
    const mounts: Record<string, string> = {
      '/': join(root, 'test/cdn'),
      '/cdn/': join(root, 'dist/cdn'),
      '/faces/': join(root, 'stories/assets/faces'),
    };
    for (const { prefix, dir } of engineAssetRoutes('/faceswap-engine/')) mounts[prefix] = dir;
    server = await startStaticServer(mounts, (req, res) => {
      const url = req.url ?? '/';
      if (url.startsWith('/api/faceswap/')) return (api(req, res), true);
      if (url.startsWith('/akool/')) return (akool(req, res), true);
      return false;
    });
    origin = server.origin;

    browser = await launchChromium({ fakeVideo: cameraVideo() });
    const page = await browser.newPage();
    const errors: string[] = [];
    const warnings: string[] = [];
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error') errors.push(`${msg.text()} (${msg.location().url ?? ''})`);
      if (msg.type() === 'warn') warnings.push(msg.text());
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error instanceof Error ? error.message : String(error)}`));
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });

    await page.goto(`${origin}/index.html`, { waitUntil: 'load' });
    await page.waitForFunction(
      () => customElements.get('faceswap-session') && customElements.get('face-source-picker') && customElements.get('faceswap-player'),
    );

    // Nothing but the CDN file and its own lazy chunks was loaded as script.
    assert.ok(scripts.length > 0 && scripts.every((path) => path.startsWith('/cdn/')), scripts.join(', '));
    // The second copy is the same release: it keeps the first copy's elements silently (a real conflict warns,
    // see the define-version test).
    assert.deepEqual(
      warnings.filter((w) => w.includes('is already defined')),
      [],
    );

    // The visitor picks the first gallery face.
    await page.waitForFunction(() => document.querySelector('face-source-picker')?.shadowRoot?.querySelector('[part~="thumbnail"]'));
    await page.evaluate(() => (document.querySelector('face-source-picker')!.shadowRoot!.querySelector('[part~="thumbnail"]') as HTMLElement).click());

    await page.waitForFunction(
      () =>
        document.querySelector('faceswap-session')?.getAttribute('state') === 'live' ||
        document.querySelector('faceswap-session')?.getAttribute('state') === 'error',
      {
        timeout: 150_000,
        polling: 200,
      },
    );
    const log = (await page.evaluate('window.cdnLog')) as { type: string; detail: Record<string, unknown> }[];
    assert.equal(await page.evaluate(() => document.querySelector('faceswap-session')!.getAttribute('state')), 'live', JSON.stringify(log));

    const chosen = log.find((entry) => entry.type === 'faceswap-source-change');
    assert.ok(chosen, 'the picker reported the chosen face');
    assert.match(String(chosen.detail.path), /\/akool\//, 'the source path is the face crop the emulator published');
    const states = log.filter((entry) => entry.type === 'faceswap-state-change').map((entry) => entry.detail.state);
    assert.deepEqual(states, ['preparing', 'connecting', 'waiting', 'live']);
    const live = log.find((entry) => entry.type === 'faceswap-live');
    assert.equal(live?.detail.engine, 'local');
    const sessionId = String(live?.detail.sessionId);

    // The player shows decoded swapped frames.
    await page.waitForFunction(
      () => {
        const video = document.querySelector('faceswap-player')?.shadowRoot?.querySelector('video[part~="video"]') as HTMLVideoElement | null;
        return !!video && video.videoWidth > 0 && video.readyState >= 2;
      },
      { timeout: 30_000 },
    );
    assert.equal(emulator.state().openSessions, 1);

    // Stop: camera released, the server session (and so the emulator's) closed.
    await page.evaluate(() => document.querySelector('faceswap-session')!.stop());
    assert.equal(await page.evaluate(() => document.querySelector('faceswap-session')!.getAttribute('state')), 'ended');
    await page.waitForFunction(() => (window as unknown as { cdnLog: { type: string }[] }).cdnLog.some((e) => e.type === 'faceswap-ended'));
    for (let i = 0; i < 50 && emulator.state().openSessions > 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(emulator.state().openSessions, 0, `the session ${sessionId} was closed at the emulator`);

    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await browser?.close();
    await server?.close();
    handler.close();
    emulator.close();
  }
});
