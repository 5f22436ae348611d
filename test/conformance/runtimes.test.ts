// The conformance suite against createFaceswapHandler running inside workerd (Cloudflare Workers' runtime), Deno and
// Bun, each started from its npm package (devDependencies `workerd`, `deno`, `bun`). The handler is bundled once by
// esbuild per runtime entry in runtimes/; every runtime calls the same AKOOL emulator. A runtime whose binary did not
// install or does not start on this machine is skipped with the reason, never silently.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { freePort } from '../../scripts/free-port.mjs';
import { startEmulator, type RunningEmulator } from '../../src/server/emulator/server.js';
import { toNodeListener } from '../../src/server/node-adapter.js';
import { LIMITS_PATH, REAP_PATH, type RuntimeSettings } from './runtimes/app.js';
import { assertLateCreateClosed, CHECKS, SUITE_LIMITS, warmUpDetector, type ServerUnderTest } from './suite.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);
const ALLOWED_ORIGIN = 'https://shop.example';
const HEARTBEAT_TIMEOUT_MS = 1000;

interface Runtime {
  name: string;
  /** The binary the npm package installed, or why there is none. */
  binary(): string;
  version: string[];
  /** Checks that need the peer's address (trusted proxies, visitors named by X-Forwarded-For), where there is none. */
  withoutPeerAddress?: string[];
  /** Starts the bundled entry with these variables (workerd: text bindings); resolves with the origin it serves. */
  start(bundle: string, vars: Record<string, string>, dir: string): Promise<{ child: ChildProcess; origin: string }>;
}

/** Resolves a package's executable the way its own bin script does, so a missing platform binary is reported. */
function packageBinary(pkg: string, bin: string): string {
  return join(require.resolve(`${pkg}/package.json`), '..', bin);
}

function waitFor(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${output}`));
    });
  });
}

async function untilAnswers(origin: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      await fetch(`${origin}/api/faceswap/health`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${origin} never answered`);
}

const RUNTIMES: Runtime[] = [
  {
    name: 'workerd',
    binary: () => packageBinary('workerd', 'bin/workerd'),
    version: ['--version'],
    // On Cloudflare the edge names the visitor in cf-connecting-ip (templates/cloudflare-workers reads it).
    withoutPeerAddress: ['proxies:', 'budget: open sessions are capped per visitor'],
    async start(bundle, vars, dir) {
      const port = await freePort();
      // The "internet" service replaces workerd's default outbound network, which reaches public addresses only:
      // the emulator listens on loopback.
      writeFileSync(
        join(dir, 'config.capnp'),
        `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .faceswap),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const faceswap :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "${basename(bundle)}")],
  compatibilityDate = "2025-09-01",
  bindings = [${Object.entries(vars)
    .map(([name, value]) => `(name = "${name}", text = ${JSON.stringify(value)})`)
    .join(', ')}],
);
`,
      );
      const child = spawn(this.binary(), ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'pipe', 'pipe'] });
      const origin = `http://127.0.0.1:${port}`;
      await Promise.race([untilAnswers(origin), waitFor(child, /(?!)/, 'workerd')]);
      return { child, origin };
    },
  },
  {
    name: 'Deno',
    binary: () => packageBinary('deno', process.platform === 'win32' ? 'deno.exe' : 'deno'),
    version: ['--version'],
    async start(bundle, vars) {
      const port = await freePort();
      const args = ['serve', '--host', '127.0.0.1', '--port', String(port), '--allow-net', '--allow-env', '--unstable-cron', '--no-prompt', bundle];
      const child = spawn(this.binary(), args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...vars, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      });
      const origin = `http://127.0.0.1:${port}`;
      await Promise.race([untilAnswers(origin), waitFor(child, /(?!)/, 'deno')]);
      return { child, origin };
    },
  },
  {
    name: 'Bun',
    binary: () => packageBinary('bun', 'bin/bun.exe'),
    version: ['--version'],
    async start(bundle, vars) {
      const child = spawn(this.binary(), ['run', bundle], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...vars } });
      const [, port] = await waitFor(child, /listening (\d+)/, 'bun');
      return { child, origin: `http://127.0.0.1:${port}` };
    },
  },
];

/** Why this runtime cannot run here, or undefined when its binary answers `--version`. */
function unavailable(runtime: Runtime): string | undefined {
  let binary: string;
  try {
    binary = runtime.binary();
  } catch (error) {
    return `the npm package is not installed (${(error as Error).message.split('\n')[0]}); run npm ci`;
  }
  const probe = spawnSync(binary, runtime.version, { encoding: 'utf8', timeout: 60_000 });
  if (probe.status === 0) return undefined;
  return `its binary from npm does not run on this machine (${binary}: ${probe.error?.message ?? probe.stderr.trim().split('\n')[0] ?? `exit ${probe.status}`})`;
}

let emulator: RunningEmulator;
const workDir = mkdtempSync(join(tmpdir(), 'faceswap-runtimes-'));

before(async () => {
  emulator = await startEmulator({ statusDelayMs: 0 });
  await warmUpDetector(emulator);
});
after(async () => {
  await emulator.close();
  rmSync(workDir, { recursive: true, force: true });
});

for (const runtime of RUNTIMES) {
  const skip = unavailable(runtime);
  if (skip) console.log(`# ${runtime.name} skipped: ${skip}`);
  describe(`token-endpoint conformance: createFaceswapHandler in ${runtime.name}`, { skip }, () => {
    let child: ChildProcess;
    let sut: ServerUnderTest;
    before(async () => {
      const bundle = join(workDir, `${runtime.name}.mjs`);
      const entry = join(here, 'runtimes', `${runtime.name.toLowerCase()}.ts`);
      await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', outfile: bundle, logLevel: 'warning' });
      const settings: RuntimeSettings = {
        apiKey: emulator.apiKey,
        akoolUrl: emulator.url,
        secret: randomBytes(32).toString('hex'),
        allowedOrigin: ALLOWED_ORIGIN,
        heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
        limits: SUITE_LIMITS,
      };
      const started = await runtime.start(bundle, { FACESWAP_SETTINGS: JSON.stringify(settings) }, workDir);
      child = started.child;
      sut = {
        endpoint: `${started.origin}/api/faceswap`,
        emulator,
        origin: started.origin,
        allowedOrigin: ALLOWED_ORIGIN,
        heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
        reap: async () => assert.equal((await fetch(started.origin + REAP_PATH, { method: 'POST' })).status, 200),
        setLimits: async (limits) =>
          assert.equal((await fetch(started.origin + LIMITS_PATH, { method: 'POST', body: JSON.stringify(limits ?? null) })).status, 200),
      };
    });
    after(() => {
      child?.kill('SIGKILL');
    });
    for (const check of CHECKS) {
      const without = runtime.withoutPeerAddress?.find((prefix) => check.name.startsWith(prefix));
      const skip = without && `${runtime.name} gives a Worker no peer address to trust or tell visitors apart by`;
      test(check.name, { skip }, () => check.run(sut));
    }
    test('no session is left open at AKOOL', () => assert.equal(emulator.state().openSessions, 0));
  });
}

// The host templates (templates/), each run where its platform's runtime installs from npm: the Worker in workerd,
// Deno Deploy's module under `deno serve`, the Vercel and Netlify functions' exports on Node as those platforms
// call them. The package specifier resolves to this checkout's source. Every check runs except the reaper's: a
// template reaps from its platform's cron, which no local runtime fires.
const templates = join(here, '../../templates');
const packageSource: Plugin = {
  name: 'faceswap-elements-from-source',
  setup(bundler) {
    bundler.onResolve({ filter: /^(npm:)?faceswap-elements\/server$/ }, () => ({ path: join(here, '../../src/server/index.ts') }));
  },
};
// The templates keep the production limits (no setLimits) and reap from a platform cron.
const TEMPLATE_CHECKS = CHECKS.filter((check) => !check.name.includes('reaper') && !/^(budget|proxies):/.test(check.name));

async function bundleTemplate(entry: string, platform: 'neutral' | 'node'): Promise<string> {
  const outfile = join(workDir, `template-${basename(entry).replace(/\W+/g, '-')}.mjs`);
  await build({
    entryPoints: [resolve(templates, entry)],
    bundle: true,
    format: 'esm',
    platform,
    target: 'es2022',
    outfile,
    plugins: [packageSource],
    external: ['redis'],
    logLevel: 'warning',
  });
  return outfile;
}

/** The variables a site owner sets on the platform, here pointing at the emulator. */
function templateVars(): Record<string, string> {
  return {
    AKOOL_API_KEY: emulator.apiKey,
    AKOOL_BASE_URL: emulator.url,
    FACESWAP_ENGINE: 'local',
    FACESWAP_SECRET: randomBytes(32).toString('hex'),
    FACESWAP_ALLOWED_ORIGINS: ALLOWED_ORIGIN,
  };
}

/** A made-up visitor address per request, in the header the template's platform would set (or the test's own). */
const visitor = (header: string) => () => ({ [header]: `198.51.100.${1 + Math.floor(Math.random() * 254)}` });
const TEST_VISITOR = 'x-test-visitor';

/** The production upstream timeout the templates keep (createFaceswapHandler's default). */
const DEFAULT_UPSTREAM_TIMEOUT_MS = 15_000;

function templateSuite(
  name: string,
  skip: string | undefined,
  visitorHeaders: () => Record<string, string>,
  start: () => Promise<{ origin: string; stop(): void | Promise<void> }>,
  { lateCreate = false } = {},
): void {
  describe(`host template conformance: ${name}`, { skip }, () => {
    let running: { origin: string; stop(): void | Promise<void> };
    let sut: ServerUnderTest;
    before(async () => {
      running = await start();
      sut = {
        endpoint: `${running.origin}/api/faceswap`,
        emulator,
        origin: running.origin,
        allowedOrigin: ALLOWED_ORIGIN,
        heartbeatTimeoutMs: 45_000,
        reap: () => Promise.reject(new Error('templates reap from a platform cron')),
        setLimits: () => Promise.reject(new Error('templates keep the production limits')),
        visitorHeaders,
      };
    });
    after(() => running?.stop());
    for (const check of TEMPLATE_CHECKS) test(check.name, () => check.run(sut));
    if (lateCreate) {
      // The host stops a request's work once it has answered: only the template's waitUntil keeps the close alive.
      test('a create AKOOL answers after the default timeout gets 504, and the late session is closed (waitUntil)', () =>
        assertLateCreateClosed(sut, DEFAULT_UPSTREAM_TIMEOUT_MS));
    }
    test('no session is left open at AKOOL', () => assert.equal(emulator.state().openSessions, 0));
  });
}

/** Serves a Node-hosted function module's fetch-style export on loopback, as its platform would call it. */
async function serveOnNode(handle: (request: Request) => Promise<Response>) {
  const server: Server = createServer(toNodeListener(handle));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const [workerd, deno] = RUNTIMES;
templateSuite(
  'Cloudflare Workers (templates/cloudflare-workers) in workerd',
  unavailable(workerd!),
  visitor('cf-connecting-ip'),
  async () => {
    const { child, origin } = await workerd!.start(await bundleTemplate('cloudflare-workers/src/index.ts', 'neutral'), templateVars(), workDir);
    return { origin, stop: () => void child.kill('SIGKILL') };
  },
  { lateCreate: true },
);
templateSuite('Deno Deploy (templates/deno-deploy) under deno serve', unavailable(deno!), visitor(TEST_VISITOR), async () => {
  // Deno names the peer itself: a wrapper stands in a distinct peer per request, as distinct visitors would be.
  const wrapper = join(workDir, 'deno-visitors.ts');
  writeFileSync(
    wrapper,
    `import template from ${JSON.stringify(join(templates, 'deno-deploy/main.ts'))};
export default { fetch: (request, info) => template.fetch(request, { ...info, remoteAddr: { ...info.remoteAddr, hostname: request.headers.get('${TEST_VISITOR}') ?? info.remoteAddr.hostname } }) };
`,
  );
  const { child, origin } = await deno!.start(await bundleTemplate(wrapper, 'neutral'), templateVars(), workDir);
  return { origin, stop: () => void child.kill('SIGKILL') };
});
templateSuite('Vercel function (templates/vercel) on Node', undefined, visitor('x-real-ip'), async () => {
  Object.assign(process.env, templateVars());
  const fn = (await import(pathToFileURL(await bundleTemplate('vercel/api/faceswap/[...path].ts', 'node')).href)) as Record<
    string,
    (request: Request) => Promise<Response>
  >;
  const route = (request: Request) => (fn[request.method] ?? (() => Promise.resolve(new Response(null, { status: 405 }))))(request);
  return serveOnNode(route);
});
templateSuite('Netlify function (templates/netlify) on Node', undefined, visitor(TEST_VISITOR), async () => {
  Object.assign(process.env, templateVars());
  const fn = (await import(pathToFileURL(await bundleTemplate('netlify/netlify/functions/faceswap.mts', 'node')).href)) as {
    default: (request: Request, context: { ip: string; waitUntil(promise: Promise<unknown>): void }) => Promise<Response>;
    config: { path: string };
  };
  assert.equal(fn.config.path, '/api/faceswap/*');
  return serveOnNode((request) => fn.default(request, { ip: request.headers.get(TEST_VISITOR) ?? '127.0.0.1', waitUntil: () => {} }));
});
