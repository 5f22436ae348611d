// The doctor's Agora step: the page it serves on 127.0.0.1, opened in Chromium from the URL the doctor hands out,
// against the AKOOL emulator in each `videoUid` reading, with test/support/doctor-agora-cloud.ts standing in for
// the Agora cloud (served in place of agora-rtc-sdk-ng). The report must name the reading the emulator was set to;
// a page that reports nothing is "not checked"; the real SDK, offline here, fails with a clear message.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM, chromiumArgs } from '../../scripts/chromium.mjs';
import type { ChannelProbeRequest } from '../../src/core/doctor-channel.js';
import { runDoctor, type DoctorOptions } from '../../src/server/doctor.js';
import { probeChannelInBrowser, type BrowserStepOptions } from '../../src/server/doctor-agora.js';
import { createEmulator, type EmulatorReadings } from '../../src/server/emulator/server.js';
import type { DoctorCloudPlan } from '../support/doctor-agora-cloud.js';
import { API_KEY } from './server-helpers.js';

let browser: Browser;
let cloudBundle: string;

before(async () => {
  const built = await esbuild.build({ entryPoints: ['test/support/doctor-agora-cloud.ts'], bundle: true, format: 'esm', target: 'es2022', write: false });
  cloudBundle = built.outputFiles[0]!.text;
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs() });
});
after(() => browser?.close());

/** A page whose agora-rtc-sdk-ng is the stand-in cloud following `plan()` (read when the page asks for the SDK). */
async function pageWithCloud(plan: () => DoctorCloudPlan): Promise<Page> {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (!request.url().endsWith('/agora-rtc-sdk-ng.js')) return void request.continue();
    void request.respond({ status: 200, contentType: 'text/javascript', body: `globalThis.doctorCloud = ${JSON.stringify(plan())};\n${cloudBundle}` });
  });
  return page;
}

/** The doctor against the emulator in `readings`, its URL opened by `open` (or by nobody). */
function doctorOn(readings: Partial<EmulatorReadings>, browserStep: Partial<BrowserStepOptions>, options: Partial<DoctorOptions> = {}) {
  const emulator = createEmulator({ apiKey: API_KEY, readings: { queueMs: 0, ...readings } });
  const urls: string[] = [];
  const report = runDoctor({
    auth: { apiKey: API_KEY },
    baseUrl: 'https://akool.test',
    fetch: async (input, init) => emulator.handle(new Request(input, init)),
    pollMs: 50,
    browser: { waitMs: 60_000, settleMs: 300, onUrl: (url) => urls.push(url), ...browserStep },
    ...options,
  });
  return { emulator, urls, report };
}

const agoraCheck = (report: Awaited<ReturnType<typeof runDoctor>>) => report.checks.find((c) => c.name === 'agora')!;

describe('doctor: the Agora page names the uid that sends the swapped video', { timeout: 300_000 }, () => {
  const rows: Array<{ videoUid: EmulatorReadings['videoUid']; audio: boolean }> = [
    { videoUid: 'algorithm', audio: true },
    { videoUid: 'other', audio: false },
    { videoUid: 'announced', audio: true },
  ];
  for (const { videoUid, audio } of rows) {
    test(`videoUid ${videoUid}, worker audio ${audio ? 'sent' : 'none'}`, async () => {
      let plan: DoctorCloudPlan | undefined;
      const page = await pageWithCloud(() => plan!);
      try {
        const { emulator, report } = doctorOn(
          { videoUid },
          {
            onUrl: (url) => {
              const [session] = emulator.sessions();
              plan = { algorithmUid: session!.algorithm_user_id, videoUid: session!.video_uid, video: true, audio };
              void page.goto(url);
            },
          },
        );
        const done = await report;
        const check = agoraCheck(done);
        assert.equal(check.ok && !check.skipped, true, check.detail);
        assert.equal(done.readings.videoUid, videoUid);
        assert.equal(done.readings.workerAudio, audio ? 'sent' : 'none');
        assert.ok(typeof done.readings.firstVideoMs === 'number' && done.readings.firstVideoMs > 0, String(done.readings.firstVideoMs));
        assert.match(check.detail, new RegExp(`the client showed uid ${plan!.videoUid} `));
        if (videoUid === 'other') assert.match(check.detail, new RegExp(`uid ${plan!.algorithmUid} \\(algorithm_user_id\\) joined without video`));
        assert.equal(done.ok, true);
        assert.deepEqual(done.sessions, [{ id: emulator.sessions()[0]!._id, closed: true }]);
        assert.equal(emulator.state().openSessions, 0);
        await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Done'));
        // The page took the credentials out of its address bar.
        assert.equal(new URL(page.url()).hash, '');
      } finally {
        await page.close();
      }
    });
  }

  test('negative control: nobody opens the page: "not checked", not a failure, and the session is still closed', async () => {
    const { emulator, urls, report } = doctorOn({ videoUid: 'other' }, { waitMs: 1_500 });
    const done = await report;
    assert.equal(urls.length, 1);
    const check = agoraCheck(done);
    assert.equal(check.skipped, true);
    assert.match(check.detail, /^not checked: no page reported within 2 s/);
    assert.equal(done.readings.videoUid, undefined);
    assert.equal(done.ok, true);
    assert.equal(emulator.state().openSessions, 0);
    // The page's server is gone with the step.
    await assert.rejects(fetch(urls[0]!));
  });

  test('negative control: the page joins but no worker ever publishes: FAIL, no reading', async () => {
    const page = await pageWithCloud(() => ({ algorithmUid: '3', videoUid: '3', video: false, audio: false }));
    try {
      const { emulator, report } = doctorOn({}, { observeMs: 1_500, onUrl: (url) => void page.goto(url) });
      const done = await report;
      const check = agoraCheck(done);
      assert.equal(check.ok, false);
      assert.match(check.detail, /no uid published video \(uids that joined: none\)/);
      assert.equal(done.readings.videoUid, undefined);
      assert.equal(done.ok, false);
      assert.equal(emulator.state().openSessions, 0);
    } finally {
      await page.close();
    }
  });

  test('a page that opens before the wait runs out gets the time its run takes', async () => {
    const page = await pageWithCloud(() => ({ algorithmUid: '3', videoUid: '3', video: false, audio: false }));
    try {
      // The page observes for 4 s, longer than the 3 s wait: its result must still be read, not cut off.
      const { report } = doctorOn({}, { waitMs: 3_000, observeMs: 4_000, onUrl: (url) => void page.goto(url) });
      const check = agoraCheck(await report);
      assert.equal(check.skipped, undefined, check.detail);
      assert.match(check.detail, /no uid published video/);
    } finally {
      await page.close();
    }
  });

  test('the real agora-rtc-sdk-ng on the page, offline: a clear join failure within the join timeout, not a hang', async () => {
    const page = await browser.newPage();
    try {
      const started = performance.now();
      const { emulator, report } = doctorOn({}, { waitMs: 90_000, onUrl: (url) => void page.goto(url) });
      const done = await report;
      const check = agoraCheck(done);
      assert.equal(check.ok, false, check.detail);
      assert.match(check.detail, /^the page could not join the Agora channel: rtc-join-timeout: /);
      assert.ok(performance.now() - started < 60_000, 'answered well before the 90 s wait ran out');
      assert.equal(emulator.state().openSessions, 0);
    } finally {
      await page.close();
    }
  });

  test('Ctrl-C while waiting for the page: the session is closed, the step says aborted', async () => {
    const abort = new AbortController();
    const { emulator, report } = doctorOn(
      {},
      { onUrl: () => setTimeout(() => abort.abort(new DOMException('Stopped by the user.', 'AbortError')), 100) },
      { signal: abort.signal },
    );
    const done = await report;
    assert.equal(agoraCheck(done).detail, 'aborted');
    assert.equal(done.ok, false);
    assert.deepEqual(done.sessions, [{ id: emulator.sessions()[0]!._id, closed: true }]);
    assert.equal(emulator.state().openSessions, 0);
  });
});

/** A raw request to the page's server (fetch cannot send a foreign Host header). */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe("doctor: the page's server", () => {
  test('loopback only, credentials only in the fragment, one result with the one-time key', async () => {
    let url = '';
    const result = { events: [{ atMs: 5, uid: '3', kind: 'published', media: 'video' }], joinMs: 1, firstFrameMs: 9, playedUid: '3', userAgent: 'test' };
    const credentials = { appId: 'a'.repeat(32), channel: 'doctor-channel', uid: '1', token: '007secret', remoteUid: '3' };
    const running = probeChannelInBrowser(credentials, {
      waitMs: 30_000,
      onUrl: (given) => (url = given),
    });
    while (!url) await new Promise((resolve) => setTimeout(resolve, 10));
    const { origin, hash, search } = new URL(url);
    assert.match(origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(search, '');
    assert.ok(!url.includes('007secret'), 'the token is encoded in the fragment, not in clear');
    const request = JSON.parse(Buffer.from(hash.slice(1), 'base64url').toString()) as ChannelProbeRequest;
    assert.equal(request.token, '007secret');
    const post = (key: string, body: unknown, headers: Record<string, string> = {}) =>
      raw(`${origin}/result`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-doctor-key': key, ...headers }, body: JSON.stringify(body) });

    assert.equal((await fetch(`${origin}/`)).status, 200);
    assert.equal((await fetch(`${origin}/agora-probe.js`)).status, 200);
    assert.equal((await fetch(`${origin}/agora-rtc-sdk-ng.js`)).status, 200);
    assert.equal(await raw(`${origin}/`, { headers: { host: 'rebound.example:80' } }), 403, 'a foreign Host (DNS rebinding) is refused');
    assert.equal(await post(request.resultKey, result, { origin: 'https://evil.example' }), 403, 'a foreign Origin is refused');
    assert.equal(await post('wrong-key-wrong-key-wrong-key-wr', result), 403);
    assert.equal(await post(request.resultKey, { events: 'nope' }), 400, 'a malformed result is refused and the key stays usable');
    assert.equal(await post(request.resultKey, result), 204);
    assert.deepEqual(await running, result);
  });
});
