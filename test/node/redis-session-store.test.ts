// RedisSessionStore against a real redis-server: the same behaviour as MemorySessionStore (one suite runs
// on both), an atomic claimClose across clients, and recovery when Redis forgets its scripts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'redis';
import { RedisSessionStore } from '../../src/server/redis-session-store.js';
import { MemorySessionStore, type SessionRecord, type SessionStore } from '../../src/server/session-store.js';
import { startRedis, type RedisServer } from '../support/redis.js';

type Client = ReturnType<typeof createClient>;

let redis: RedisServer;
const clients: Client[] = [];
let prefixCounter = 0;

async function connect(resp: 2 | 3 = 2): Promise<Client> {
  const client = createClient({ url: redis.url, RESP: resp }) as Client;
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return client;
}

before(async () => {
  redis = await startRedis();
});

after(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await redis?.stop();
});

const open = (sessionId: string, at: number, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  sessionId,
  createdAt: at,
  lastHeartbeatAt: at,
  expiresAt: at + 10_000,
  closed: false,
  status: 1,
  ...overrides,
});

const stores: Array<[string, () => Promise<SessionStore>]> = [
  ['MemorySessionStore', async () => new MemorySessionStore()],
  ['RedisSessionStore', async () => new RedisSessionStore({ client: await connect(), prefix: `t${++prefixCounter}:{s}:` })],
  // RESP3 answers maps where RESP2 answers flat arrays.
  ['RedisSessionStore (RESP3)', async () => new RedisSessionStore({ client: await connect(3), prefix: `t${++prefixCounter}:{s}:` })],
];

for (const [name, makeStore] of stores) {
  describe(`SessionStore contract: ${name}`, () => {
    it('creates, reads and forgets unknown ids', async () => {
      const store = await makeStore();
      await store.create(open('a', 1000));
      assert.deepEqual(await store.get('a'), open('a', 1000));
      assert.equal(await store.get('missing'), undefined);
      assert.equal(await store.touch('missing', 2000), undefined);
      assert.equal(await store.claimClose('missing', 'client', 2000), false);
    });

    it('records heartbeats and status, never moving the heartbeat backwards', async () => {
      const store = await makeStore();
      await store.create(open('a', 1000));
      assert.deepEqual(await store.touch('a', 3000, 2), open('a', 1000, { lastHeartbeatAt: 3000, status: 2 }));
      assert.equal((await store.touch('a', 2000))?.lastHeartbeatAt, 3000);
      assert.equal((await store.get('a'))?.status, 2);
    });

    it('lists sessions due by silence or by maximum length, and only open ones', async () => {
      const store = await makeStore();
      await store.create(open('quiet', 1000));
      await store.create(open('chatty', 1000));
      await store.create(open('old', 0, { expiresAt: 4000 }));
      await store.touch('chatty', 4500);
      await store.touch('old', 4500);
      assert.deepEqual((await store.listDue(5000, 4000)).sort(), ['old', 'quiet']);
      assert.deepEqual(await store.listDue(3000, 4000), []);
      await store.claimClose('quiet', 'heartbeat-timeout', 5000);
      assert.deepEqual(await store.listDue(5000, 4000), ['old']);
    });

    it('lets exactly one caller claim a close, and a release reopens it for the reaper', async () => {
      const store = await makeStore();
      await store.create(open('a', 1000));
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claimClose('a', i % 2 ? 'client' : 'heartbeat-timeout', 2000)));
      assert.equal(claims.filter(Boolean).length, 1);
      const closed = await store.get('a');
      assert.equal(closed?.closed, true);
      assert.equal(closed?.closedAt, 2000);
      // A closed session ignores heartbeats.
      assert.equal((await store.touch('a', 9000))?.lastHeartbeatAt, 1000);
      await store.releaseClose('a');
      assert.deepEqual(await store.get('a'), open('a', 1000));
      assert.deepEqual(await store.listDue(1000 + 10_000, 60_000), ['a']);
      assert.equal(await store.claimClose('a', 'max-length', 11_000), true);
    });

    it('purges closed sessions closed before the cutoff only', async () => {
      const store = await makeStore();
      await store.create(open('early', 0));
      await store.create(open('late', 0));
      await store.create(open('still-open', 0));
      await store.claimClose('early', 'client', 1000);
      await store.claimClose('late', 'client', 3000);
      await store.purgeClosed(2000);
      assert.equal(await store.get('early'), undefined);
      assert.equal((await store.get('late'))?.closed, true);
      assert.equal((await store.get('still-open'))?.closed, false);
      await store.purgeClosed(3000);
      assert.equal((await store.get('late'))?.closed, true, 'the cutoff is exclusive');
    });
  });
}

describe('RedisSessionStore across clients', () => {
  it('grants one close per session when many instances race for many sessions', async () => {
    const prefix = `race:{s}:`;
    const instances = await Promise.all([connect(), connect(), connect()]).then((cs) => cs.map((client) => new RedisSessionStore({ client, prefix })));
    const ids = Array.from({ length: 50 }, (_, i) => `s${i}`);
    for (const id of ids) await instances[0]!.create(open(id, 0));
    const wins = new Map<string, number>();
    await Promise.all(
      instances.flatMap((store) =>
        ids.map(async (id) => {
          if (await store.claimClose(id, 'heartbeat-timeout', 100)) wins.set(id, (wins.get(id) ?? 0) + 1);
        }),
      ),
    );
    assert.deepEqual(
      [...wins.values()],
      ids.map(() => 1),
    );
    assert.deepEqual(await instances[1]!.listDue(1e12, 1), []);
  });

  it('reloads its scripts after Redis forgets them (restart, failover)', async () => {
    const client = await connect();
    const store = new RedisSessionStore({ client, prefix: 'flush:{s}:' });
    await store.create(open('a', 0));
    await client.sendCommand(['SCRIPT', 'FLUSH']);
    assert.equal((await store.touch('a', 500))?.lastHeartbeatAt, 500);
    assert.equal(await store.claimClose('a', 'client', 600), true);
  });

  it('keeps only the documented keys, and closed records carry a safety expiry', async () => {
    const client = await connect();
    const store = new RedisSessionStore({ client, prefix: 'keys:{s}:', closedTtlMs: 60_000 });
    await store.create(open('a', 0));
    await store.create(open('b', 0));
    await store.claimClose('b', 'client', 10);
    const keys = ((await client.sendCommand(['KEYS', 'keys:*'])) as string[]).sort();
    assert.deepEqual(keys, ['keys:{s}:closed', 'keys:{s}:expiries', 'keys:{s}:heartbeats', 'keys:{s}:s:a', 'keys:{s}:s:b']);
    assert.equal(await client.sendCommand(['PTTL', 'keys:{s}:s:a']), -1, 'an open record never expires on its own');
    const ttl = Number(await client.sendCommand(['PTTL', 'keys:{s}:s:b']));
    assert.ok(ttl > 0 && ttl <= 60_000, `closed record TTL ${ttl}`);
  });
});
