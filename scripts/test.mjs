#!/usr/bin/env node
// `npm test`: type check, lint, formatting, manifest freshness, Node tests, browser tests (Chromium, Firefox ESR, WebKitGTK).
// Ends with one line "N passed, N failed". Options: --only node|browser|wordpress|examples|static|setup (setup: install the Debian
// packages and make the test cameras, nothing else), BROWSERS=chromium,firefox,webkit, --group NAME (browser tests of one
// web-test-runner group: components, chromium, face, or one element's tag such as faceswap-player).
// A lost WebKitGTK session (LOST_WEBKIT_SESSION) runs the browser tests once more.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const only = option('--only');
const group = option('--group');
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
/** What the summary must say besides the counts. */
const notices = [];

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: opts.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, ...opts.env } });
    let out = '';
    if (opts.capture) {
      child.stdout.on('data', (d) => {
        out += d;
        process.stdout.write(d);
      });
      child.stderr.on('data', (d) => {
        out += d;
        process.stderr.write(d);
      });
    }
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function record(name, ok) {
  if (ok) totals.passed += 1;
  else {
    totals.failed += 1;
    failures.push(name);
  }
}

function walk(dir, pred, acc = []) {
  if (!existsSync(dir)) return acc;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, pred, acc);
    else if (pred(p)) acc.push(p);
  }
  return acc;
}

const binaryOk = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const debPackageOk = (pkg) => spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;

/**
 * Debian packages the tests need: the browsers, an X server for WebKitGTK, ffmpeg (face camera), redis-server
 * (shared store), exiftool (reads the disclosure marks of saved files), openssl (makes the C2PA test certificates), a font for the screenshots, and WordPress with
 * PHP and MariaDB for the plugin's tests. The one list: `.ci/run` relies on `npm test` installing them.
 */
function missingTools(browsers) {
  return [
    { bin: 'chromium', apt: ['chromium'], for: 'chromium' },
    { bin: 'firefox-esr', apt: ['firefox-esr'], for: 'firefox' },
    { bin: 'WebKitWebDriver', apt: ['webkit2gtk-driver'], for: 'webkit' },
    { bin: 'xvfb-run', apt: ['xvfb', 'xauth'], for: 'webkit' },
    { bin: 'ffmpeg', apt: ['ffmpeg'] },
    { bin: 'redis-server', apt: ['redis-server'] },
    { bin: 'exiftool', apt: ['libimage-exiftool-perl'] },
    { bin: 'openssl', apt: ['openssl'] },
    { deb: 'fonts-dejavu-core', apt: ['fonts-dejavu-core'] },
    { bin: 'php', apt: ['php-cli', 'php-mysql', 'php-gd', 'php-curl'], for: 'wordpress' },
    { bin: 'mariadbd', apt: ['mariadb-server'], for: 'wordpress' },
    { deb: 'wordpress', apt: ['wordpress'], for: 'wordpress' },
    { deb: 'wordpress-theme-twentytwentythree', apt: ['wordpress-theme-twentytwentythree'], for: 'wordpress' },
  ].filter((tool) => (!tool.for || browsers.includes(tool.for)) && (tool.bin ? !binaryOk(tool.bin) : binaryOk('dpkg') && !debPackageOk(tool.deb)));
}

/** How this process may run apt-get: directly as root, through passwordless sudo, or not at all. */
function aptRunner() {
  if (!binaryOk('apt-get')) return undefined;
  if (process.getuid?.() === 0) return [];
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0 ? ['sudo', '-n'] : undefined;
}

/** Installs the missing Debian packages when it can; otherwise prints the one line to run. True when all are there. */
async function installTools(missing) {
  const packages = [...new Set(missing.flatMap((m) => m.apt))];
  const prefix = aptRunner();
  if (prefix === undefined) {
    console.error(`Missing: ${packages.join(', ')}. Install them with:\n  sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`);
    return false;
  }
  console.log(`\n== installing from apt: ${packages.join(' ')}`);
  const [cmd, ...pre] = prefix.length ? prefix : ['env'];
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const updated = (await run(cmd, [...pre, 'apt-get', 'update', '-qq'], { env })).code === 0;
  const installed = updated && (await run(cmd, [...pre, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages], { env })).code === 0;
  if (!installed) console.error(`apt-get could not install: ${packages.join(' ')}`);
  return installed;
}

async function staticChecks() {
  console.log('\n== type check (tsc --noEmit)');
  record('typecheck', (await run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'])).code === 0);

  console.log('\n== lint (eslint: eslint.config.mjs)');
  record('lint', (await run('npx', ['eslint', '--max-warnings', '0', '.'])).code === 0);

  console.log('\n== formatting (prettier --check: .prettierrc.json)');
  const format = await run('npx', ['prettier', '--check', '--log-level', 'warn', '.']);
  if (format.code !== 0) console.error('Run `npm run format` and commit the result.');
  record('format', format.code === 0);

  console.log('\n== custom-elements.json is current');
  const dir = mkdtempSync(join(tmpdir(), 'cem-'));
  const rel = relative(root, dir);
  const res = await run('npx', ['cem', 'analyze', '--litelement', '--globs', 'src/components/**/*.ts', '--exclude', 'src/**/*.test.ts', '--outdir', rel], {
    capture: true,
  });
  const fresh = existsSync(join(dir, 'custom-elements.json')) ? readFileSync(join(dir, 'custom-elements.json'), 'utf8') : '';
  const committed = existsSync('custom-elements.json') ? readFileSync('custom-elements.json', 'utf8') : '';
  rmSync(dir, { recursive: true, force: true });
  const same = res.code === 0 && fresh === committed;
  if (!same) console.error('custom-elements.json is stale: run `npm run analyze` and commit the result.');
  record('manifest-current', same);
}

/** Runs node:test files as one stage (with `env` added) and adds its counts. */
async function nodeTestStage(label, files, env = {}) {
  if (files.length === 0) return;
  console.log(`\n== ${label} (${files.length} files)`);
  const { out } = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], { capture: true, env });
  const pick = (name) => Number(out.match(new RegExp(`^ℹ ${name} (\\d+)`, 'm'))?.[1] ?? 0);
  totals.passed += pick('pass');
  totals.failed += pick('fail') + pick('cancelled');
  totals.skipped += pick('skipped') + pick('todo');
  if (pick('fail') + pick('cancelled') > 0 || !/^ℹ pass/m.test(out)) failures.push(label);
  if (!/^ℹ pass/m.test(out)) totals.failed += 1;
}

const testFiles = (dir) => walk(dir, (p) => p.endsWith('.test.ts')).sort();

const browsers = (process.env.BROWSERS ?? 'chromium,firefox,webkit').split(',');

/** Tools from apt, then the face-video test camera (Node-driven browser tests use it too). False stops the run. */
async function prepare() {
  const needs = { node: ['chromium'], examples: ['chromium'], wordpress: ['chromium', 'wordpress'], browser: browsers }[only] ?? [...browsers, 'wordpress'];
  const missing = missingTools(needs);
  if (missing.length > 0 && !(await installTools(missing))) {
    record('tools installed', false);
    return false;
  }
  console.log('\n== test camera video');
  const made = (await run(process.execPath, ['scripts/make-test-camera.mjs'])).code === 0;
  record('make-test-camera', made);
  return made;
}

/**
 * What the run prints when WebKitGTK's driver loses its MiniBrowser mid-run, which happens now and then with no test
 * at fault. Each time it was seen, web-test-runner then stopped, with the files after it not run and no counts written.
 */
const LOST_WEBKIT_SESSION = [/Tests were interrupted because the browser disconnected/, /invalid session id/];

async function browserTests() {
  if ([...testFiles('test/browser'), ...testFiles('src')].length === 0) return;
  const wtr = [process.execPath, '--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.mjs'];
  if (group) wtr.push('--group', group);
  const needsX = browsers.includes('webkit') && !process.env.DISPLAY;
  const [cmd, ...args] = needsX ? ['xvfb-run', '-a', '--server-args=-screen 0 1280x1024x24', ...wtr] : wtr;
  const countsFile = join(tmpdir(), `wtr-counts-${process.pid}.json`);
  for (let attempt = 1; ; attempt++) {
    console.log(`\n== browser tests (${browsers.join(', ')}${group ? `, group ${group}` : ''})${attempt > 1 ? ', again' : ''}`);
    rmSync(countsFile, { force: true });
    const { code, out } = await run(cmd, args, { capture: true, env: { WTR_COUNTS_FILE: countsFile } });
    // Run once more, in full, only for a lost WebKit session; a second loss fails like any other failure.
    if (attempt === 1 && code !== 0 && browsers.includes('webkit') && LOST_WEBKIT_SESSION.every((sign) => sign.test(out))) {
      console.log('\nWebKitGTK lost its browser session mid-run (see above), which stopped the run: running the browser tests once more.');
      notices.push('The browser tests ran twice: WebKitGTK lost its browser session in the first run; the counts are from the second.');
      continue;
    }
    if (existsSync(countsFile)) {
      const c = JSON.parse(readFileSync(countsFile, 'utf8'));
      rmSync(countsFile);
      totals.passed += c.passed;
      totals.failed += c.failed + c.sessionErrors;
      totals.skipped += c.skipped;
      if (c.failed + c.sessionErrors > 0) failures.push('browser tests');
    }
    if (code !== 0 && !failures.includes('browser tests')) {
      totals.failed += 1;
      failures.push('browser test runner');
    }
    return;
  }
}

const started = Date.now();
if (!only || only === 'static') await staticChecks();
if (only !== 'static' && (await prepare()) && only !== 'setup') {
  if (!only || only === 'node') await nodeTestStage('Node tests', [...testFiles('test/node'), ...testFiles('test/conformance')]);
  if (!only || only === 'wordpress') await nodeTestStage('WordPress plugin', testFiles('test/wordpress'));
  if (!only || only === 'examples') await nodeTestStage('Examples from the packed tarball', testFiles('test/examples'));
  if (!only || only === 'browser') await browserTests();
}

const secs = Math.round((Date.now() - started) / 1000);
for (const notice of notices) console.log(`\n${notice}`);
if (failures.length) console.log(`\nFailed: ${failures.join(', ')}`);
console.log(`\n(${secs} s)`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);
