// A page served with a strict Content-Security-Policy (test/csp/policy.ts: the site, the Agora hosts, no inline
// script, no eval) loads the library and runs the local engine from start() to live in headless Chromium with
// the face-video fake camera, without a single `securitypolicyviolation` and without a request elsewhere.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { bundlePages, startSite, CHROMIUM, CHROMIUM_ARGS, FACE_CAMERA_ARG, root, type Site } from '../../bench/lib/site.js';
import { CSP } from '../csp/policy.js';

describe('a page under Content-Security-Policy', () => {
  let site: Site;
  let browser: Browser;

  before(async () => {
    if (!existsSync(join(root, 'test/fixtures/generated/face.y4m'))) {
      const made = spawnSync(process.execPath, [join(root, 'scripts/make-test-camera.mjs')], { stdio: 'inherit' });
      assert.equal(made.status, 0, 'the test camera could not be generated');
    }
    const files = await bundlePages({ page: join(root, 'test/csp/page.ts') });
    site = await startSite({
      html:
        '<!doctype html><meta charset="utf-8"><title>CSP</title>' +
        '<faceswap-session token-endpoint="/api/faceswap" engine="local"><face-source-picker></face-source-picker><faceswap-player></faceswap-player></faceswap-session>' +
        '<script type="module" src="/assets/page.js"></script>',
      files,
      headers: { 'content-security-policy': CSP },
    });
    assert.ok(CHROMIUM, 'Chromium is not installed (/usr/lib/chromium/chromium or /usr/bin/chromium)');
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, FACE_CAMERA_ARG] });
  });

  after(async () => {
    await browser?.close();
    await site?.close();
  });

  it('runs the local engine to live with no violation and no request to another origin', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    const consoleViolations: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(site.origin) && !/^(data|blob):/.test(url)) foreign.push(url);
    });
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) consoleViolations.push(message.text());
    });
    const response = await page.goto(site.origin);
    assert.equal(response?.headers()['content-security-policy'], CSP);
    await page.waitForFunction('typeof window.runToLive === "function"', { timeout: 30_000 });
    const result = await page.evaluate(() => (window as unknown as { runToLive(): Promise<any> }).runToLive());
    assert.equal(result.state, 'live', `ended in ${result.state}: ${JSON.stringify(result.error)}`);
    assert.deepEqual(result.violations, []);
    assert.deepEqual(consoleViolations, []);
    assert.deepEqual(foreign, []);
    assert.equal(result.playerHasVideo, true, 'the player shows the swapped video');
    // The engine's files came from the site, under the policy.
    assert.ok(
      site.requests.some((path) => path.startsWith('/faceswap-engine/')),
      'the local engine loaded its files',
    );
    assert.equal(site.emulator.state().openSessions, 0);
  });

  it('the policy is really enforced: an inline script is refused and reported', async () => {
    const page = await browser.newPage();
    await page.goto(site.origin);
    await page.waitForFunction('typeof window.runToLive === "function"');
    const refused = await page.evaluate(async () => {
      const seen = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true }));
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.body.append(script);
      return { directive: await seen, ran: (window as unknown as { inlineRan?: boolean }).inlineRan === true };
    });
    assert.deepEqual(refused, { directive: 'script-src-elem', ran: false });
  });
});
