// What `npm pack` ships: built from this checkout, then read back as a consumer's tools would (publint, Are The
// Types Wrong). A file that should not ship (test doubles, fixtures), a missing export target or licence, or
// source maps outweighing the code fail here.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { CHROMIUM, chromiumArgs } from '../../scripts/chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const packDir = mkdtempSync(join(tmpdir(), 'faceswap-pack-'));
let tarball = '';
let files: { path: string; size: number }[] = [];

function sh(cmd: string, args: string[], { cwd = root } = {}) {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: res.status ?? 1, out: `${res.stdout}${res.stderr}`, stdout: res.stdout };
}

before(() => {
  const build = sh('npm', ['run', 'build']);
  assert.equal(build.code, 0, build.out.slice(-2000));
  const pack = sh('npm', ['pack', '--json', '--pack-destination', packDir]);
  assert.equal(pack.code, 0, pack.out.slice(-2000));
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string; size: number }[] }[];
  tarball = join(packDir, info.filename);
  files = info.files;
});
after(() => rmSync(packDir, { recursive: true, force: true }));

test('the tarball has the licence, the docs data and every export target', () => {
  const paths = new Set(files.map((f) => f.path));
  for (const needed of ['LICENSE', 'README.md', 'package.json', 'custom-elements.json']) assert.ok(paths.has(needed), needed);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
  for (const [entry, target] of Object.entries(pkg.exports)) {
    for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
      assert.ok(paths.has(file.replace(/^\.\//, '')), `${entry} -> ${file} is not in the tarball`);
    }
  }
});

test('the bin is in the tarball, with its shebang', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  for (const file of Object.values(pkg.bin)) {
    assert.ok(
      files.some((f) => f.path === file.replace(/^\.\//, '')),
      `${file} is not in the tarball`,
    );
    assert.match(readFileSync(join(root, file), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  }
});

/**
 * The tarball unpacked as `node_modules/faceswap-elements` of an empty project whose other packages are only
 * those package.json declares (dependencies and peers, linked from this checkout): what the shipped emulator and
 * doctor import without declaring fails here.
 */
let consumer: string | undefined;
function consumerProject(): string {
  if (consumer) return consumer;
  const dir = join(packDir, 'consumer');
  const own = join(dir, 'node_modules', 'faceswap-elements');
  mkdirSync(own, { recursive: true });
  const untar = sh('tar', ['-xzf', tarball, '-C', own, '--strip-components', '1']);
  assert.equal(untar.code, 0, untar.out);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })) {
    mkdirSync(join(dir, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name));
  }
  return (consumer = dir);
}

test('from the tarball: every engine asset folder the server routes is there, the mesh model with attention in its own', () => {
  const dir = consumerProject();
  const script = `import('faceswap-elements/server/engine-assets').then((m) => console.log(JSON.stringify(m.engineAssetRoutes())))`;
  const res = sh(process.execPath, ['--input-type=module', '-e', script], { cwd: dir });
  assert.equal(res.code, 0, res.out);
  const routes = JSON.parse(res.stdout) as { prefix: string; dir: string }[];
  for (const { prefix, dir: folder } of routes) assert.ok(existsSync(folder), `${prefix} -> ${folder}`);
  const meshModel = routes.find((r) => r.prefix === '/faceswap-engine/mesh-model/');
  assert.ok(meshModel?.dir.startsWith(join(dir, 'node_modules', 'faceswap-elements')), JSON.stringify(meshModel));
  for (const file of ['facemesh-attention-pinto.json', 'facemesh-attention-pinto.bin']) assert.ok(existsSync(join(meshModel!.dir, file)), file);
});

test(
  'from the tarball: the emulator bin serves AKOOL with a reading from its flags, and the doctor reads it and serves its Agora page',
  { timeout: 300_000 },
  async () => {
    const dir = consumerProject();
    const bin = join(dir, 'node_modules', 'faceswap-elements', 'dist', 'server', 'cli.js');
    const emulator = spawn(
      process.execPath,
      [bin, 'emulator', '--port', '0', '--api-key', 'pack-key', '--reading', 'region=corners', '--reading', 'queueMs=0'],
      {
        cwd: dir,
        stdio: 'pipe',
      },
    );
    let log = '';
    emulator.stdout.on('data', (chunk) => (log += chunk));
    emulator.stderr.on('data', (chunk) => (log += chunk));
    const exited = new Promise((resolve) => emulator.on('close', resolve));
    try {
      const deadline = Date.now() + 60_000;
      while (!/listening on/.test(log)) {
        assert.ok(Date.now() < deadline && emulator.exitCode === null, log);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const url = /listening on (\S+)/.exec(log)![1]!;
      const doctor = await doctorFromTarball(bin, dir, url);
      // The Agora page ran from the package's own files: its built script and agora-rtc-sdk-ng joined, and, with no
      // network here, failed the join cleanly (exit 1 for that check alone).
      assert.equal(doctor.code, 1, doctor.out);
      const report = JSON.parse(doctor.stdout) as {
        readings: { region: string };
        sessions: { closed: boolean }[];
        checks: { name: string; ok: boolean; detail: string }[];
      };
      assert.deepEqual(
        report.checks.filter((c) => !c.ok).map((c) => c.name),
        ['agora'],
        doctor.out,
      );
      assert.equal(report.readings.region, 'corners');
      assert.match(report.checks.find((c) => c.name === 'agora')!.detail, /^the page could not join the Agora channel: rtc-join-timeout/);
      assert.deepEqual(
        report.sessions.map((s) => s.closed),
        [true],
      );
    } finally {
      emulator.kill('SIGINT');
      await exited;
    }
    const imported = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "const m = await import('faceswap-elements/emulator'); console.log(typeof m.createEmulator, typeof m.startEmulator);"],
      { cwd: dir, encoding: 'utf8' },
    );
    assert.equal(imported.stdout.trim(), 'function function', imported.stderr);
  },
);

/** The tarball's doctor against the emulator, its Agora page opened in Chromium from the URL it prints. */
async function doctorFromTarball(bin: string, cwd: string, baseUrl: string): Promise<{ code: number | null; stdout: string; out: string }> {
  const child = spawn(process.execPath, [bin, 'doctor', '--json', '--browser-wait', '120', '--base-url', baseUrl], {
    cwd,
    env: { ...process.env, AKOOL_API_KEY: 'pack-key' },
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs() });
  try {
    const deadline = Date.now() + 120_000;
    while (!/http:\/\/127\.0\.0\.1:\d+\/#\S+/.test(stderr) && child.exitCode === null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const page = /http:\/\/127\.0\.0\.1:\d+\/#\S+/.exec(stderr);
    if (page) await (await browser.newPage()).goto(page[0]);
    const code = await exited;
    return { code, stdout, out: `${stdout}${stderr}` };
  } finally {
    await browser.close();
  }
}

test('no test, test double, fixture or generated camera ships', () => {
  const stray = files.filter((f) => /(^|\/)(test|stories|bench|fixtures)\//.test(f.path) || /fake-transport|\.test\.|\.y4m$|\.tgz$|\.zip$/.test(f.path));
  assert.deepEqual(
    stray.map((f) => f.path),
    [],
  );
});

test('source maps stay a minority of the package and none maps a vendor bundle', () => {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const maps = files.filter((f) => f.path.endsWith('.map'));
  const mapBytes = maps.reduce((sum, f) => sum + f.size, 0);
  assert.ok(mapBytes / total < 0.4, `maps are ${Math.round((100 * mapBytes) / total)} % of ${total} B`);
  assert.deepEqual(
    maps.filter((f) => /AgoraRTC/.test(f.path)).map((f) => f.path),
    [],
  );
});

test('publint finds nothing to fix', () => {
  const res = sh('npx', ['publint', 'run', tarball, '--strict']);
  assert.equal(res.code, 0, res.out);
  assert.match(res.out, /All good/);
});

test('Are The Types Wrong: every entry resolves with types under ESM resolution', () => {
  const res = sh('npx', ['attw', tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color']);
  assert.equal(res.code, 0, res.out.slice(-3000));
});
