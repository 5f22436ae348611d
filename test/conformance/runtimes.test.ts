// The conformance suite against createFaceswapHandler running inside workerd (Cloudflare Workers' runtime), Deno and
// Bun, each started from its npm package (devDependencies `workerd`, `deno`, `bun`). The handler is bundled once by
// esbuild per runtime entry in runtimes/; every runtime calls the same AKOOL emulator. A runtime whose binary did not
// install or does not start on this machine is skipped with the reason, never silently.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { freePort } from '../../scripts/free-port.mjs';
import { startEmulator, type RunningEmulator } from '../../src/server/emulator/server.js';
import { REAP_PATH, type RuntimeSettings } from './runtimes/app.js';
import { CHECKS, warmUpDetector, type ServerUnderTest } from './suite.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);
const ALLOWED_ORIGIN = 'https://shop.example';
const HEARTBEAT_TIMEOUT_MS = 1000;

interface Runtime {
  name: string;
  /** The binary the npm package installed, or why there is none. */
  binary(): string;
  version: string[];
  /** Starts the bundled entry; resolves with the origin it serves. */
  start(bundle: string, settings: RuntimeSettings, dir: string): Promise<{ child: ChildProcess; origin: string }>;
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
    async start(bundle, settings, dir) {
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
  bindings = [(name = "SETTINGS", text = ${JSON.stringify(JSON.stringify(settings))})],
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
    async start(bundle, settings) {
      const child = spawn(this.binary(), ['run', '--allow-net', '--allow-env=FACESWAP_SETTINGS', '--no-prompt', bundle], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, FACESWAP_SETTINGS: JSON.stringify(settings), NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      });
      const [, port] = await waitFor(child, /listening (\d+)/, 'deno');
      return { child, origin: `http://127.0.0.1:${port}` };
    },
  },
  {
    name: 'Bun',
    binary: () => packageBinary('bun', 'bin/bun.exe'),
    version: ['--version'],
    async start(bundle, settings) {
      const child = spawn(this.binary(), ['run', bundle], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, FACESWAP_SETTINGS: JSON.stringify(settings) },
      });
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
      };
      const started = await runtime.start(bundle, settings, workDir);
      child = started.child;
      sut = {
        endpoint: `${started.origin}/api/faceswap`,
        emulator,
        origin: started.origin,
        allowedOrigin: ALLOWED_ORIGIN,
        heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
        reap: async () => assert.equal((await fetch(started.origin + REAP_PATH, { method: 'POST' })).status, 200),
      };
    });
    after(() => {
      child?.kill();
    });
    for (const check of CHECKS) test(check.name, () => check.run(sut));
    test('no session is left open at AKOOL', () => assert.equal(emulator.state().openSessions, 0));
  });
}
