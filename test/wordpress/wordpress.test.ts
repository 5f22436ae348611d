// The WordPress plugin for real: Debian's WordPress, PHP and MariaDB, the plugin installed from its built
// zip and activated, the token endpoint it serves run through the protocol conformance suite against the
// AKOOL emulator, and a page with the block run in Chromium through the local-engine flow to `live` and back.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { startEmulator, type RunningEmulator } from '../../src/server/emulator/server.js';
import { launchChromium } from '../cdn/harness.js';
import { CHECKS, SUITE_LIMITS, warmUpDetector, type BudgetLimits, type ServerUnderTest } from '../conformance/suite.js';
import { startWordPress, type WordPressSite } from './wordpress-site.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const zip = join(root, 'build/faceswap-elements-wordpress.zip');
const faceVideo = join(root, 'test/fixtures/generated/face.y4m');
const ALLOWED_ORIGIN = 'https://shop.example';

/** The plugin's settings for a set of limits (its names and units). */
const limitSettings = (limits: BudgetLimits) => ({
  max_sessions_per_ip: limits.maxSessionsPerVisitor,
  max_sessions_total: limits.maxSessions,
  source_updates_per_minute: limits.sourceUpdatesPerMinute,
  heartbeats_per_minute: limits.heartbeatsPerMinute,
  max_concurrent_detects: limits.maxConcurrentDetects,
  upstream_timeout_s: Math.ceil(limits.upstreamTimeoutMs / 1000),
});
const settingsPhp = (settings: Record<string, unknown>) => `json_decode('${JSON.stringify(settings)}', true)`;

let emulator: RunningEmulator;
let site: WordPressSite;
let sut: ServerUnderTest;
const pages: Record<'block' | 'shortcode', string> = { block: '', shortcode: '' };

before(async () => {
  const build = spawnSync(process.execPath, ['scripts/build-wordpress-plugin.mjs'], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);
  emulator = await startEmulator({ statusDelayMs: 0 });
  await warmUpDetector(emulator);
  site = await startWordPress(zip);
  // The site's own gallery images, and a must-use plugin that lets the suite reap on cue.
  mkdirSync(join(site.root, 'faces'));
  for (const face of ['ada.jpg', 'ben.jpg']) cpSync(join(root, 'stories/assets/faces', face), join(site.root, 'faces', face));
  mkdirSync(join(site.root, 'wp-content/mu-plugins'), { recursive: true });
  writeFileSync(join(site.root, 'wp-content/mu-plugins/reap-on-cue.php'), "<?php add_filter('faceswap_elements_reap_on_request', '__return_false');\n");
  const out = await site.php(`
require_once ABSPATH . 'wp-admin/includes/plugin.php';
$result = activate_plugin('faceswap-elements/faceswap-elements.php');
if (is_wp_error($result)) { echo 'ERROR ' . $result->get_error_message(); exit(1); }
update_option('${'faceswap_elements_api_key'}', '${emulator.apiKey}', false);
update_option('faceswap_elements_settings', array_merge(Faceswap_Settings::DEFAULTS, array(
  'engine' => 'local', 'base_url' => '${emulator.url}', 'allowed_origins' => '${ALLOWED_ORIGIN}', 'heartbeat_timeout_s' => 1,
  'sessions_per_minute' => 1000, 'detects_per_minute' => 1000, 'trusted_proxies' => '127.0.0.1',
), ${settingsPhp(limitSettings(SUITE_LIMITS))}));
$block = wp_insert_post(array('post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Block',
  'post_content' => '<!-- wp:faceswap-elements/live-swap {"gallery":"/faces/ada.jpg, /faces/ben.jpg","autostart":true} /-->'));
$short = wp_insert_post(array('post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Shortcode',
  'post_content' => '[faceswap gallery="/faces/ada.jpg" fit="cover" lang="es"]'));
echo json_encode(array('block' => get_permalink($block), 'shortcode' => get_permalink($short)));`);
  Object.assign(pages, JSON.parse(out.trim().split('\n').pop()!));
  sut = {
    endpoint: `${site.origin}/?rest_route=/faceswap/v1`,
    emulator,
    origin: site.origin,
    allowedOrigin: ALLOWED_ORIGIN,
    heartbeatTimeoutMs: 1000,
    reap: async () => void (await site.php('Faceswap_Plugin::reap();')),
    setLimits: async (limits) => {
      const settings = settingsPhp(limitSettings({ ...SUITE_LIMITS, ...limits }));
      await site.php(`update_option('faceswap_elements_settings', array_merge(Faceswap_Settings::all(), ${settings}));`);
    },
  };
});

after(async () => {
  await site?.stop();
  await emulator?.close();
});

describe('token-endpoint conformance: the WordPress plugin (PHP)', () => {
  for (const check of CHECKS) test(check.name, () => check.run(sut));
  test('the pretty-permalink path answers too', async () => {
    await site.php("update_option('permalink_structure', '/%postname%/'); flush_rewrite_rules();");
    try {
      const health = await fetch(`${site.origin}/wp-json/faceswap/v1/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { ok: true, engine: 'local' });
    } finally {
      await site.php("update_option('permalink_structure', ''); flush_rewrite_rules();");
    }
  });
  test('no session is left open at AKOOL', () => assert.equal(emulator.state().openSessions, 0));
});

describe('the WordPress plugin on a page', () => {
  test('the block and the shortcode print the three elements pointed at the REST endpoint, without the key', async () => {
    for (const url of [pages.block, pages.shortcode]) {
      const html = await (await fetch(url)).text();
      assert.match(html, /<faceswap-session token-endpoint="[^"]*rest_route=\/faceswap\/v1"/);
      assert.match(html, /<face-source-picker><img [^>]*src="\/faces\/ada\.jpg"/);
      assert.match(html, /<faceswap-player /);
      assert.match(html, /<script type="module" data-faceswap-engine-assets="[^"]+\/wp-content\/plugins\/faceswap-elements\/engine\/"/);
      assert.ok(!html.includes(emulator.apiKey), 'the page carries no key');
    }
    const shortcode = await (await fetch(pages.shortcode)).text();
    assert.match(shortcode, /lang="es"/);
    assert.match(shortcode, /fit="cover"/);
  });

  test('the settings page never prints the key back, and saving without a new key keeps it', async () => {
    const out = await site.php(`
wp_set_current_user(1);
foreach (array('api_key', 'engine', 'base_url', 'allowed_origins') as $name) Faceswap_Settings::field(array('name' => $name));
$kept = Faceswap_Settings::sanitize(array('api_key' => '', 'engine' => 'local'));
echo "\\nKEY_KEPT=" . (Faceswap_Settings::api_key() === '${emulator.apiKey}' ? 'yes' : 'no');`);
    assert.ok(!out.includes(emulator.apiKey), 'the key is not in the settings form');
    assert.match(out, /A key is saved \(hidden\)/);
    assert.match(out, /KEY_KEPT=yes/);
  });

  test('a visitor picks a gallery face on the block page and sees the live swap; stop closes the session', { timeout: 300_000 }, async () => {
    if (!existsSync(faceVideo)) spawnSync(process.execPath, ['scripts/make-test-camera.mjs'], { cwd: root, stdio: 'ignore', timeout: 120_000 });
    let browser: Browser | undefined;
    try {
      browser = await launchChromium({ fakeVideo: existsSync(faceVideo) ? faceVideo : undefined });
      const page = await browser.newPage();
      const errors: string[] = [];
      const bodies: string[] = [];
      page.on('pageerror', (error) => errors.push(`uncaught: ${error instanceof Error ? error.message : String(error)}`));
      page.on('response', async (response) => {
        if (response.url().includes('faceswap')) bodies.push(await response.text().catch(() => ''));
      });
      await page.goto(pages.block, { waitUntil: 'load' });
      await page.waitForFunction(() => ['faceswap-session', 'face-source-picker', 'faceswap-player'].every((tag) => customElements.get(tag)), {
        timeout: 60_000,
      });
      await page.waitForFunction(() => document.querySelector('face-source-picker')?.shadowRoot?.querySelector('[part~="thumbnail"]'), { timeout: 60_000 });
      await page.evaluate(() => (document.querySelector('face-source-picker')!.shadowRoot!.querySelector('[part~="thumbnail"]') as HTMLElement).click());
      await page.waitForFunction(() => ['live', 'error'].includes(document.querySelector('faceswap-session')?.getAttribute('state') ?? ''), {
        timeout: 200_000,
        polling: 250,
      });
      assert.equal(await page.evaluate(() => document.querySelector('faceswap-session')!.getAttribute('state')), 'live', errors.join('\n'));
      assert.equal(emulator.state().openSessions, 1);
      await page.evaluate(() => document.querySelector('faceswap-session')!.stop());
      for (let i = 0; i < 50 && emulator.state().openSessions > 0; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(emulator.state().openSessions, 0, 'stop closed the session at AKOOL');
      assert.deepEqual(errors, []);
      assert.ok(bodies.length > 0 && bodies.every((body) => !body.includes(emulator.apiKey)), 'no answer carried the key');
    } finally {
      await browser?.close();
    }
  });
});
