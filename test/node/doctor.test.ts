// `faceswap-elements doctor` against the AKOOL emulator (the stand-in for the cloud) in each reading of AKOOL's
// open questions: the report must name the reading the emulator was set to, and nothing may stay open.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { runDoctor, type DoctorOptions, type DoctorReadings } from '../../src/server/doctor.js';
import { createEmulator, startEmulator, type EmulatorReadings } from '../../src/server/emulator/server.js';
import { API_KEY } from './server-helpers.js';

function doctorOn(readings: Partial<EmulatorReadings>, options: { credit?: number } = {}) {
  const emulator = createEmulator({ apiKey: API_KEY, readings, credit: options.credit });
  const run = (overrides: Partial<DoctorOptions> = {}) =>
    runDoctor({
      auth: { apiKey: API_KEY },
      baseUrl: 'https://akool.test',
      fetch: async (input, init) => emulator.handle(new Request(input, init)),
      pollMs: 50,
      queueWaitMs: 5_000,
      ...overrides,
    });
  return { emulator, run };
}

// Without the browser step (test/node/doctor-agora.test.ts) the channel readings stay unread.
const readingsOf = (r: EmulatorReadings): DoctorReadings => ({
  appId: r.appId,
  detectErrors: r.detectErrors,
  businessErrors: r.businessErrors,
  region: r.region,
  liveInfo: r.liveInfo,
  closeEnded: r.closeEnded,
});

describe('doctor: it names the reading the emulator is set to', { timeout: 300_000 }, () => {
  // Four runs cover every value of every reading (a run reads all of them at once).
  const runs: Array<Partial<EmulatorReadings>> = [
    { queueMs: 0 },
    { videoUid: 'announced', appId: 'filled', detectErrors: 'http-200', businessErrors: 'http-4xx', region: 'corners', liveInfo: 'absent', closeEnded: 1008 },
    { videoUid: 'other', queueMs: 1500, closeEnded: 1003 },
    { queueMs: 90_000, closeEnded: 1014, businessErrors: 'http-4xx' },
  ];
  for (const readings of runs) {
    test(JSON.stringify(readings), async () => {
      const { emulator, run } = doctorOn(readings);
      const report = await run({ queueWaitMs: 1_000 });
      const expected = emulator.state().readings;
      assert.ok(
        report.checks.every((c) => c.ok),
        JSON.stringify(report.checks.filter((c) => !c.ok)),
      );
      const { queueMs, ...rest } = report.readings;
      assert.deepEqual(rest, readingsOf(expected));
      if (expected.liveInfo === 'absent') assert.equal(queueMs, undefined);
      else if (expected.queueMs > 1_000) assert.equal(queueMs, null, 'still queued at the wait limit');
      else assert.ok(typeof queueMs === 'number' && queueMs >= expected.queueMs && queueMs < expected.queueMs + 1_000, `queueMs ${queueMs}`);
      assert.equal(report.ok, true);
      assert.equal(report.sessions.length, 1);
      assert.deepEqual(report.sessions, [{ id: emulator.sessions()[0]!._id, closed: true }]);
      assert.equal(emulator.state().openSessions, 0);
    });
  }
});

describe('doctor: accounts that cannot run a session', { timeout: 120_000 }, () => {
  test('a wrong key: auth fails with unauthorized, nothing else is called, nothing opened', async () => {
    const emulator = createEmulator({ apiKey: API_KEY });
    const report = await runDoctor({
      auth: { apiKey: 'wrong-key' },
      baseUrl: 'https://akool.test',
      fetch: async (i, init) => emulator.handle(new Request(i, init)),
    });
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.checks.map((c) => [c.name, c.ok]),
      [['auth', false]],
    );
    assert.match(report.checks[0]!.detail, /the key was refused: AKOOL 1101 \(unauthorized\)/);
    assert.deepEqual(report.sessions, []);
    assert.equal(emulator.state().detections, 0);
  });

  test('client id and secret: getToken, then every call with the Bearer token', async () => {
    const emulator = createEmulator({ apiKey: API_KEY, clientId: 'doctor-client', readings: { queueMs: 0 } });
    const report = await runDoctor({
      auth: { clientId: 'doctor-client', clientSecret: API_KEY },
      baseUrl: 'https://akool.test',
      fetch: async (i, init) => emulator.handle(new Request(i, init)),
      pollMs: 50,
    });
    assert.ok(report.ok, JSON.stringify(report.checks.filter((c) => !c.ok)));
    assert.match(report.checks[0]!.detail, /client id and secret accepted/);
    assert.equal(emulator.state().openSessions, 0);
  });

  test('exhausted quota: create fails with quota-exhausted, the readings before it are still read', async () => {
    const { emulator, run } = doctorOn({}, { credit: 0 });
    const report = await run();
    assert.equal(report.ok, false);
    const create = report.checks.find((c) => c.name === 'create')!;
    assert.equal(create.ok, false);
    assert.match(create.detail, /AKOOL 1104 \(quota-exhausted\)/);
    assert.equal(report.readings.region, 'xywh');
    assert.equal(report.readings.detectErrors, 'http-4xx');
    assert.deepEqual(report.sessions, []);
    assert.equal(emulator.state().sessions, 0);
  });

  test('stopped while queued (Ctrl-C): the session it opened is still closed', async () => {
    const { emulator, run } = doctorOn({ queueMs: 60_000 });
    const abort = new AbortController();
    const running = run({ signal: abort.signal, queueWaitMs: 60_000 });
    while (emulator.sessions().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    abort.abort(new DOMException('Stopped by the user.', 'AbortError'));
    const report = await running;
    assert.equal(report.ok, false);
    assert.equal(report.checks.find((c) => c.name === 'status')?.detail, 'aborted');
    assert.deepEqual(report.sessions, [{ id: emulator.sessions()[0]!._id, closed: true }]);
    assert.equal(emulator.state().openSessions, 0);
  });
});

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
    let out = '';
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => ((out += chunk), (stdout += chunk)));
    child.stderr.on('data', (chunk) => ((out += chunk), (stderr += chunk)));
    child.on('close', (code) => resolve({ code, out, stdout, stderr }));
  });
}

describe('the doctor command', { timeout: 300_000 }, () => {
  test('prints a readable report and --json, never the key; the RTC token only in the page URL on stderr; exit 0 when ok, 1 for a wrong key, 2 without a key', async () => {
    const emulator = await startEmulator({ apiKey: API_KEY, readings: { queueMs: 0, region: 'corners' } });
    try {
      // Nobody opens the page: the Agora step is not checked, which is no failure.
      const text = await runCli(['doctor', '--browser-wait', '1', '--base-url', emulator.url], { AKOOL_API_KEY: API_KEY });
      assert.equal(text.code, 0, text.out);
      assert.match(text.stdout, /region\s+corners/);
      assert.match(text.stdout, /skip\s+agora\s+not checked: no page reported within 1 s/);
      assert.match(text.stdout, /videoUid\s+not checked/);
      assert.match(text.stdout, /Result: ok, but not checked: agora/);
      assert.match(text.stdout, /Every session it opened is closed/);
      const urls = [...text.stderr.matchAll(/http:\/\/127\.0\.0\.1:\d+\/#(\S+)/g)];
      assert.equal(urls.length, 1, text.stderr);
      const orders = JSON.parse(Buffer.from(urls[0]![1]!, 'base64url').toString()) as { token: string; channel: string };
      assert.equal(orders.channel, emulator.sessions()[0]!.channel_id);
      assert.match(orders.token, /^007/);
      const json = await runCli(['doctor', '--no-browser', '--json', '--base-url', emulator.url], { AKOOL_API_KEY: API_KEY });
      assert.equal(json.code, 0, json.out);
      assert.equal(json.stderr, '', 'no page URL with --no-browser');
      const report = JSON.parse(json.stdout) as { readings: DoctorReadings; checks: Array<{ name: string; skipped?: boolean; detail: string }> };
      assert.equal(report.readings.region, 'corners');
      assert.deepEqual(
        report.checks.find((c) => c.name === 'agora'),
        { name: 'agora', ok: true, skipped: true, ms: 0, detail: 'not checked: the browser step was switched off (--no-browser)' },
      );
      const channels = emulator.sessions().map((s) => s.channel_id);
      for (const out of [text.out, json.out]) assert.ok(!out.includes(API_KEY), 'the key is never printed');
      for (const out of [text.stdout, json.stdout]) {
        assert.ok(!/007[A-Za-z0-9+/=]{20,}/.test(out), 'no RTC token in the report');
        assert.ok(!/127\.0\.0\.1:\d+\/#/.test(out), 'nor the page URL');
        for (const channel of channels) assert.ok(!out.includes(channel), 'nor the channel the token opens');
      }
      assert.equal(emulator.state().openSessions, 0);

      const wrong = await runCli(['doctor', '--no-browser', '--base-url', emulator.url], { AKOOL_API_KEY: 'wrong-key-9a8b7c' });
      assert.equal(wrong.code, 1, wrong.out);
      assert.match(wrong.out, /FAIL\s+auth\s+the key was refused: AKOOL 1101/);
      assert.ok(!wrong.out.includes('wrong-key-9a8b7c'));
    } finally {
      await emulator.close();
    }
    const none = await runCli(['doctor'], { AKOOL_API_KEY: '', AKOOL_CLIENT_ID: '', AKOOL_CLIENT_SECRET: '' });
    assert.equal(none.code, 2);
    assert.match(none.out, /No key: set AKOOL_API_KEY/);
    const badWait = await runCli(['doctor', '--browser-wait', '0'], { AKOOL_API_KEY: API_KEY });
    assert.equal(badWait.code, 2);
    assert.match(badWait.out, /--browser-wait must be a positive number of seconds/);
  });

  test('Ctrl-C while AKOOL keeps the session queued: the command closes it, then exits 1', async () => {
    const emulator = await startEmulator({ apiKey: API_KEY, readings: { queueMs: 600_000 } });
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', 'doctor', '--base-url', emulator.url], {
        env: { ...process.env, AKOOL_API_KEY: API_KEY },
        stdio: 'pipe',
      });
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      const exited = new Promise((resolve) => child.on('close', resolve));
      while (emulator.sessions().length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill('SIGINT');
      assert.equal(await exited, 1);
      assert.match(out, /FAIL\s+status\s+aborted/);
      assert.match(out, /Every session it opened is closed/);
      assert.equal(emulator.state().openSessions, 0);
    } finally {
      await emulator.close();
    }
  });

  test('emulator --reading: flags set the readings, a wrong one is refused with the list of values', async () => {
    const bad = await runCli(['emulator', '--reading', 'videoUid=somebody'], {});
    assert.equal(bad.code, 2);
    assert.match(bad.out, /videoUid is one of algorithm, other, announced/);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/server/cli.ts', 'emulator', '--port', '0', '--reading', 'videoUid=other', '--reading', 'closeEnded=1014'],
      {
        stdio: 'pipe',
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    while (!/Readings: /.test(out)) await new Promise((resolve) => setTimeout(resolve, 50));
    const url = /listening on (\S+)/.exec(out)![1]!;
    const state = (await (await fetch(`${url}/__emulator/state`)).json()) as { readings: EmulatorReadings };
    assert.equal(state.readings.videoUid, 'other');
    assert.equal(state.readings.closeEnded, 1014);
    const exited = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  });
});
