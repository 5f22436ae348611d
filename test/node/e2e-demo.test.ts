// The demo page of `npm start`, driven end to end in headless Chromium on the local engine: pick a face,
// start, reach `live`, change the face, stop; the AKOOL emulator behind the token endpoint must show the
// server session updated and then closed. And a visitor who closes the tab while live, without Stop: the
// session must end on the server at once (the pagehide beacon), not when the reaper's heartbeat timeout passes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import {
  clickDeep,
  emulatorSessions,
  launchChromium,
  pickGalleryFace,
  startDemoServer,
  waitForSessionClosed,
  waitForState,
  // @ts-expect-error: plain ESM helper shared with scripts/screenshots.mjs, no type declarations.
} from '../../scripts/demo-driver.mjs';

interface EmulatorSessionView {
  _id: string;
  closed: boolean;
  updates: number;
}

let server: { url: string; controlUrl: string; stop(): Promise<void>; output(): string };
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('demo: pick a face, start, go live, change the face, stop; the server session is closed', { timeout: 240_000 }, async () => {
  await page.goto(server.url, { waitUntil: 'load' });
  await page.waitForSelector('face-source-picker >>> [part~=thumbnail]');
  assert.equal(await page.$eval('faceswap-session', (el) => el.getAttribute('state')), 'idle');

  const first = await pickGalleryFace(page, 0);
  assert.match(first.path, /\/akool-emulator\/faces\//);

  await clickDeep(page, 'faceswap-session >>> [part~=start-button]');
  await waitForState(page, 'live', 150_000);
  const sessionId = await page.$eval('faceswap-session', (el) => (el as unknown as { details: { sessionId: string } }).details.sessionId);
  const find = async () => ((await emulatorSessions(server.controlUrl)) as EmulatorSessionView[]).find((s) => s._id === sessionId);
  const opened = await find();
  assert.ok(opened, `the emulator knows session ${sessionId}`);
  assert.equal(opened.closed, false);

  // The player shows the swapped video: frames decoded, no overlay over it.
  await page.waitForFunction(() => {
    const video = document.querySelector('faceswap-player')!.shadowRoot!.querySelector('video[part~=video]') as HTMLVideoElement;
    return video.readyState >= 2 && video.videoWidth > 0;
  });
  assert.equal(await page.$('faceswap-player >>> [part~=overlay]'), null);

  const second = await pickGalleryFace(page, 1);
  assert.notEqual(second.path, first.path);
  await page.waitForFunction(
    (path) => (document.querySelector('faceswap-session') as unknown as { details: { source: { path: string } } }).details.source?.path === path,
    {},
    second.path,
  );
  const updated = await find();
  assert.ok(updated && updated.updates >= 1, 'the face change reached the server');
  assert.equal(await page.$eval('faceswap-session', (el) => el.getAttribute('state')), 'live', 'no reconnect for a face change');

  await clickDeep(page, 'faceswap-session >>> [part~=start-button]');
  await waitForState(page, 'ended', 30_000);
  assert.notEqual(await waitForSessionClosed(server.controlUrl, sessionId, 10_000), null, 'the server session was closed');
  assert.deepEqual(pageErrors, []);
});

test('demo: closing the tab while live ends the server session (pagehide beacon), no Stop pressed', { timeout: 240_000 }, async () => {
  const tab = await browser.newPage();
  const tabErrors: string[] = [];
  tab.on('pageerror', (error) => tabErrors.push(String(error)));
  await tab.goto(server.url, { waitUntil: 'load' });
  await tab.waitForSelector('face-source-picker >>> [part~=thumbnail]');
  await pickGalleryFace(tab, 0);
  await clickDeep(tab, 'faceswap-session >>> [part~=start-button]');
  await waitForState(tab, 'live', 150_000);
  const sessionId = await tab.$eval('faceswap-session', (el) => (el as unknown as { details: { sessionId: string } }).details.sessionId);
  const opened = ((await emulatorSessions(server.controlUrl)) as EmulatorSessionView[]).find((s) => s._id === sessionId);
  assert.equal(opened?.closed, false, `session ${sessionId} is open while live`);

  await tab.close();
  // The reaper would close it too, but only after its idle timeout: within these seconds only the beacon can have.
  assert.notEqual(await waitForSessionClosed(server.controlUrl, sessionId, 10_000), null, 'the server session was closed when the tab went away');
  assert.deepEqual(tabErrors, []);
});
