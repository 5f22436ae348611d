// Snapshots and recordings made by <faceswap-player> in headless Chromium (not synthesized in Node), read back
// with ExifTool and ffmpeg: marked files carry the IPTC digital source type and a visible mark in the chosen
// corner; files made with `no-file-marks` carry neither (the negative control).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import type { Browser, Page } from 'puppeteer-core';
// @ts-expect-error: plain ESM helper shared with scripts/screenshots.mjs, no type declarations.
import { launchChromium, startDemoServer } from '../../scripts/demo-driver.mjs';
import { AI_DIGITAL_SOURCE_TYPE } from '../../src/core/provenance.js';
import { exiftool } from '../support/exiftool.js';

interface MadeFiles {
  png: string;
  webm: string;
  webmType: string;
}

let server: { url: string; stop(): Promise<void> };
let browser: Browser;
let page: Page;
const made: Record<'marked' | 'unmarked', MadeFiles> = {} as never;

/**
 * In the page: a session whose camera is a flat grey canvas and whose transport echoes it back (the test
 * double of the swap service), so any dark or white pixel in a corner of the file is the mark.
 */
async function makeFiles(page: Page, attributes: string): Promise<MadeFiles> {
  const fakeTransportUrl = `/@fs${fileURLToPath(new URL('../../src/rtc/fake-transport.ts', import.meta.url))}`;
  // Plain JavaScript: the page runs it as written (no TypeScript helpers injected by the Node-side compiler).
  return page.evaluate(`(async (attributes, fakeTransportUrl) => {
    // The demo page has defined the elements; the transport test double comes from the source tree.
    const { FakeTransport } = await import(fakeTransportUrl);
    const grey = document.createElement('canvas');
    grey.width = 320;
    grey.height = 240;
    const context = grey.getContext('2d');
    function paint() {
      context.fillStyle = 'rgb(128 128 128)';
      context.fillRect(0, 0, 320, 240);
    }
    paint();
    const painter = setInterval(paint, 50);
    const session = document.createElement('faceswap-session');
    session.platform = {
      getUserMedia: async () => grey.captureStream(20),
      transportFactory: async (engine) => new FakeTransport({ engine, remote: 'echo' }),
    };
    session.tokenProvider = async () => ({
      sessionId: 'files',
      sessionKey: 'key',
      engine: 'akool',
      status: 'ready',
      rtc: { appId: 'a'.repeat(32), channel: 'c', uid: '1', token: 't', remoteUid: '2' },
      expiresAt: new Date(Date.now() + 60000).toISOString(),
    });
    session.source = { path: 'https://example.test/face.png', opts: '1,1:2,1:1,2:1,3' };
    session.innerHTML = '<faceswap-player ' + attributes + ' style="width:320px"></faceswap-player>';
    document.body.replaceChildren(session);
    const player = session.querySelector('faceswap-player');
    await session.start();
    function video() {
      return player.shadowRoot.querySelector('video[part~=video]');
    }
    for (let i = 0; i < 600 && !(session.getAttribute('state') === 'live' && video().videoWidth > 0); i++) await new Promise((r) => setTimeout(r, 50));
    async function base64(blob) {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    }
    const png = await base64(await player.snapshot());
    // A short recording (one second): it must have frames.
    await player.startRecording();
    await new Promise((r) => setTimeout(r, 1000));
    const recording = await player.stopRecording();
    await session.stop();
    clearInterval(painter);
    return { png, webm: await base64(recording), webmType: recording.type };
  })(${JSON.stringify(attributes)}, ${JSON.stringify(fakeTransportUrl)})`) as Promise<MadeFiles>;
}

before(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(server.url, { waitUntil: 'load' });
  made.marked = await makeFiles(page, 'mark-corner="top-end"');
  made.unmarked = await makeFiles(page, 'no-file-marks');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Pixels of the top-end corner (top right, left to right) that are far from the flat grey: the mark. */
async function markPixels(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let count = 0;
  for (let y = 0; y < Math.round(info.height * 0.15); y++) {
    for (let x = Math.round(info.width * 0.6); x < info.width; x++) {
      const i = (y * info.width + x) * 3;
      if (Math.abs(data[i]! - 128) > 40) count++;
    }
  }
  return count;
}

/** Runs `use` on `webm` written to a temporary file (ffmpeg and ffprobe read files). */
function withWebmFile<T>(webm: Buffer, use: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'rec-'));
  try {
    writeFileSync(join(dir, 'in.webm'), webm);
    return use(join(dir, 'in.webm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first frame of a recording, as a PNG (ffmpeg decodes it, not the browser). */
function recordingFrame(webm: Buffer): Buffer {
  return withWebmFile(webm, (path) =>
    execFileSync('ffmpeg', ['-loglevel', 'error', '-i', path, '-frames:v', '1', '-f', 'image2', '-c:v', 'png', '-'], { maxBuffer: 64 * 1024 * 1024 }),
  );
}

/** The number of video frames ffprobe decodes from a recording. */
function recordedFrames(webm: Buffer): number {
  const args = ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0'];
  return withWebmFile(webm, (path) => Number(execFileSync('ffprobe', [...args, path], { encoding: 'utf8' }).trim()));
}

test('a snapshot made in Chromium carries the IPTC digital source type and a visible mark in the chosen corner', { timeout: 60_000 }, async () => {
  const png = Buffer.from(made.marked.png, 'base64');
  const tags = exiftool(png, 'png');
  assert.equal(tags['XMP-iptcExt:DigitalSourceType'], AI_DIGITAL_SOURCE_TYPE);
  assert.equal(tags['XMP-dc:Description'], 'AI face swap');
  assert.equal(tags['ExifTool:Warning'], undefined);
  assert.ok((await markPixels(png)) > 200, 'the mark is drawn in the top end corner');
});

test('a recording made in Chromium carries the digital source type in its Matroska tags and the mark in its frames', { timeout: 60_000 }, async () => {
  assert.match(made.marked.webmType, /^video\/webm/);
  const webm = Buffer.from(made.marked.webm, 'base64');
  const tags = exiftool(webm, 'webm');
  assert.equal(tags['Matroska:DigitalSourceType'], AI_DIGITAL_SOURCE_TYPE);
  assert.equal(tags['Matroska:Description'], 'AI face swap');
  assert.ok((await markPixels(recordingFrame(webm))) > 200, 'the mark is in the recorded frames');
  const frames = recordedFrames(webm);
  assert.ok(frames >= 5, `a one-second recording has frames (${frames})`);
});

test('negative control: with no-file-marks the same files are reported unmarked', { timeout: 60_000 }, async () => {
  const png = Buffer.from(made.unmarked.png, 'base64');
  const webm = Buffer.from(made.unmarked.webm, 'base64');
  assert.equal(exiftool(png, 'png')['XMP-iptcExt:DigitalSourceType'], undefined);
  assert.equal(exiftool(webm, 'webm')['Matroska:DigitalSourceType'], undefined);
  assert.equal(await markPixels(png), 0, 'no mark in the snapshot');
  assert.ok((await markPixels(recordingFrame(webm))) < 20, 'no mark in the recording (a few codec artefacts at most)');
});
