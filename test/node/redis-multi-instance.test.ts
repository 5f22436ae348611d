// Several token-endpoint instances on one RedisSessionStore ("beyond one server"): a session created
// on one instance is heartbeaten, updated and closed on another; an instance killed with SIGKILL mid-session
// leaves no session open (the survivors' reaper closes them); racing reapers close each session exactly once;
// the maximum length holds whichever instance the heartbeats reach.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { createEmulator, type Emulator } from '../../src/server/emulator/server.js';
import { createFaceswapHandler, type FaceswapHandler, type FaceswapHandlerOptions } from '../../src/server/handler.js';
import { toNodeListener } from '../../src/server/node-adapter.js';
import { RedisSessionStore } from '../../src/server/redis-session-store.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { until } from '../support/until.js';
import { API_KEY, SECRET, SOURCE, listen, post } from './server-helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let redis: RedisServer;
let emulator: Emulator;
let emulatorUrl: string;
let closeEmulatorServer: () => Promise<void>;
/** AKOOL close calls per session id, from every instance (they all go through this one emulator server). */
const closeCalls = new Map<string, number>();
const teardown: Array<() => Promise<unknown> | unknown> = [];

before(async () => {
  redis = await startRedis();
  emulator = createEmulator({ apiKey: API_KEY, statusDelayMs: 50 });
  const server = await listen(
    toNodeListener(async (request) => {
      if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/live/close')) {
        const { _id } = (await request
          .clone()
          .json()
          .catch(() => ({}))) as { _id?: string };
        if (typeof _id === 'string') closeCalls.set(_id, (closeCalls.get(_id) ?? 0) + 1);
      }
      return emulator.handle(request);
    }),
  );
  emulatorUrl = server.url;
  closeEmulatorServer = server.close;
});

after(async () => {
  for (const step of teardown.reverse()) await step();
  emulator?.close();
  await closeEmulatorServer?.();
  await redis?.stop();
});

async function redisClient() {
  const client = createClient({ url: redis.url });
  client.on('error', () => undefined);
  await client.connect();
  teardown.push(() => client.close().catch(() => undefined));
  return client;
}

interface Instance {
  endpoint: string;
  handler: FaceswapHandler;
  stop(): Promise<void>;
}

/** One instance in this process, on its own port, sharing Redis under `prefix`. */
async function instance(prefix: string, options: Partial<FaceswapHandlerOptions> = {}): Promise<Instance> {
  const handler = createFaceswapHandler({
    auth: { apiKey: API_KEY },
    baseUrl: emulatorUrl,
    secret: SECRET,
    engine: 'local',
    sessionRateLimit: false,
    maxSessions: 1000,
    maxSessionsPerVisitor: 1000,
    reaperIntervalMs: 0,
    store: new RedisSessionStore({ client: await redisClient(), prefix }),
    ...options,
  });
  const http = await listen(toNodeListener(handler));
  const stop = async () => {
    handler.close();
    await http.close();
  };
  teardown.push(stop);
  return { endpoint: `${http.url}/api/faceswap`, handler, stop };
}

/** One instance in a child process, so it can be killed with SIGKILL (no cleanup of any kind runs). */
async function childInstance(prefix: string, options: { heartbeatTimeoutMs: number; reaperIntervalMs: number }) {
  const code = `
    import { createClient } from 'redis';
    import { createFaceswapHandler, toNodeListener, RedisSessionStore } from './src/server/index.ts';
    import { createServer } from 'node:http';
    const client = createClient({ url: ${JSON.stringify(redis.url)} });
    await client.connect();
    const handler = createFaceswapHandler({
      auth: { apiKey: ${JSON.stringify(API_KEY)} }, baseUrl: ${JSON.stringify(emulatorUrl)}, secret: ${JSON.stringify(SECRET)},
      engine: 'local', sessionRateLimit: false, maxSessions: 1000, maxSessionsPerVisitor: 1000, heartbeatTimeoutMs: ${options.heartbeatTimeoutMs},
      reaperIntervalMs: ${options.reaperIntervalMs}, store: new RedisSessionStore({ client, prefix: ${JSON.stringify(prefix)} }),
    });
    const server = createServer(toNodeListener(handler));
    server.listen(0, '127.0.0.1', () => console.log('LISTENING ' + server.address().port));
  `;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  teardown.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`child instance did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /LISTENING (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`child instance exited with ${code}: ${out}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${port}/api/faceswap`,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function createOn(endpoint: string) {
  const grant = await post(`${endpoint}/sessions`, { source: SOURCE });
  assert.equal(grant.status, 200, grant.text);
  return grant.json as { sessionId: string; sessionKey: string };
}

const isOpenAtAkool = (id: string) => emulator.sessions().find((s) => s._id === id)?.closed === false;

describe('token endpoint on several instances sharing Redis', () => {
  it('creates on one instance and heartbeats, updates and closes on the other; AKOOL closes it once', async () => {
    const a = await instance('cross:{s}:');
    const b = await instance('cross:{s}:');
    const { sessionId, sessionKey } = await createOn(a.endpoint);

    const beat = await post(`${b.endpoint}/sessions/${sessionId}/heartbeat`, { sessionKey });
    assert.equal(beat.status, 200, beat.text);
    const update = await post(`${b.endpoint}/sessions/${sessionId}/source`, { sessionKey, source: SOURCE });
    assert.deepEqual(update.json, { ok: true });
    assert.equal(emulator.sessions().find((s) => s._id === sessionId)?.updates, 1);

    // Both instances asked to close at once: one AKOOL close; both answer ok.
    const closes = await Promise.all([a, b].map((i) => post(`${i.endpoint}/sessions/${sessionId}/close`, { sessionKey })));
    assert.deepEqual(
      closes.map((c) => c.json),
      [{ ok: true }, { ok: true }],
    );
    assert.equal(isOpenAtAkool(sessionId), false);
    assert.equal(closeCalls.get(sessionId), 1);

    // The session is closed for every instance now.
    const late = await post(`${a.endpoint}/sessions/${sessionId}/heartbeat`, { sessionKey });
    assert.equal(late.status, 409);
    assert.equal(late.json.error.code, 'conflict');
  });

  it('leaves no session open after one instance is killed mid-session (the survivor reaps)', async () => {
    const heartbeatTimeoutMs = 3000;
    const doomed = await childInstance('kill:{s}:', { heartbeatTimeoutMs, reaperIntervalMs: 60_000 });
    const survivor = await instance('kill:{s}:', { heartbeatTimeoutMs, reaperIntervalMs: 150 });

    const sessions = await Promise.all(Array.from({ length: 12 }, () => createOn(doomed.endpoint)));
    const staying = sessions.slice(0, 6);
    const vanished = sessions.slice(6);
    // Mid-session: every visitor heartbeats once on the doomed instance, then it dies.
    for (const s of sessions) assert.equal((await post(`${doomed.endpoint}/sessions/${s.sessionId}/heartbeat`, { sessionKey: s.sessionKey })).status, 200);
    await doomed.kill();

    // Visitors still here fail over to the survivor (a load balancer would) and keep their sessions alive, while
    // the survivor's reaper closes those whose visitors vanished with the instance.
    const until = Date.now() + heartbeatTimeoutMs + 15_000;
    while (vanished.some((s) => isOpenAtAkool(s.sessionId))) {
      assert.ok(Date.now() < until, 'the survivor reaped the vanished sessions in time');
      const beats = await Promise.all(staying.map((s) => post(`${survivor.endpoint}/sessions/${s.sessionId}/heartbeat`, { sessionKey: s.sessionKey })));
      for (const beat of beats) assert.equal(beat.status, 200, beat.text);
      await sleep(heartbeatTimeoutMs / 6);
    }
    for (const s of staying) assert.equal(isOpenAtAkool(s.sessionId), true, `${s.sessionId} kept alive by heartbeats`);
    for (const s of vanished) assert.equal((await survivor.handler.store.get(s.sessionId))?.closeReason, 'heartbeat-timeout');

    // The remaining visitors close on the survivor.
    for (const s of staying)
      assert.deepEqual((await post(`${survivor.endpoint}/sessions/${s.sessionId}/close`, { sessionKey: s.sessionKey })).json, { ok: true });
    for (const s of sessions) {
      assert.equal(isOpenAtAkool(s.sessionId), false);
      assert.equal(closeCalls.get(s.sessionId), 1, `${s.sessionId} closed exactly once`);
    }
  });

  it('closes each abandoned session exactly once when every instance reaps at the same time', async () => {
    const instances = await Promise.all([1, 2, 3].map(() => instance('race:{s}:', { heartbeatTimeoutMs: 400, reaperIntervalMs: 0 })));
    const sessions = await Promise.all(Array.from({ length: 30 }, (_, i) => createOn(instances[i % 3]!.endpoint)));
    await sleep(500);
    // A visitor's own close races the reapers too.
    const [first] = sessions;
    const results = await Promise.all([
      ...instances.map((i) => i.handler.reap()),
      post(`${instances[1]!.endpoint}/sessions/${first!.sessionId}/close`, { sessionKey: first!.sessionKey }),
    ]);
    const reaped = results.slice(0, 3).flat() as string[];
    assert.equal(new Set(reaped).size, reaped.length, 'no session reaped by two instances');
    for (const s of sessions) {
      assert.equal(isOpenAtAkool(s.sessionId), false);
      assert.equal(closeCalls.get(s.sessionId), 1, `${s.sessionId} closed exactly once`);
    }
    assert.deepEqual(await Promise.all(instances.map((i) => i.handler.reap())), [[], [], []]);
  });

  it('enforces the maximum length across instances even while heartbeats keep arriving', async () => {
    const options = { heartbeatTimeoutMs: 10_000, maxSessionMs: 900, reaperIntervalMs: 100 };
    const a = await instance('maxlen:{s}:', options);
    const b = await instance('maxlen:{s}:', { ...options, reaperIntervalMs: 0 });
    const { sessionId, sessionKey } = await createOn(a.endpoint);
    let lastStatus = 200;
    await until(
      async () => {
        lastStatus = (await post(`${b.endpoint}/sessions/${sessionId}/heartbeat`, { sessionKey })).status;
        return lastStatus !== 200;
      },
      'the maximum length to end the session',
      5000,
      50,
    );
    assert.equal(lastStatus, 409);
    assert.equal(isOpenAtAkool(sessionId), false);
    assert.equal(closeCalls.get(sessionId), 1);
    const record = await b.handler.store.get(sessionId);
    assert.equal(record?.closeReason, 'max-length');
  });
});
