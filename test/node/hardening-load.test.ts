// Load: 200 concurrent visitors create, heartbeat and close sessions through the token endpoint
// over loopback HTTP against the emulator, while 40 more vanish mid-session. Afterwards no session is open
// at AKOOL, every session was closed exactly once, and the vanished ones were closed by the reaper.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SOURCE, post, startStack } from './server-helpers.js';

const VISITORS = 200;
const VANISHING = 40;
const HEARTBEATS = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('load: 200 concurrent visitors', () => {
  it('leaves no session open, closes each once, and reaps the vanished', async () => {
    const closes = new Map<string, number>();
    // Generous: on a loaded 2-core machine a heartbeat can take a second; a live visitor must never be reaped.
    const heartbeatTimeoutMs = 4000;
    const stack = await startStack({
      sessionRateLimit: false,
      heartbeatTimeoutMs,
      reaperIntervalMs: 250,
      fetch: async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (url.endsWith('/live/close') && typeof init?.body === 'string') {
          const id = (JSON.parse(init.body) as { _id: string })._id;
          closes.set(id, (closes.get(id) ?? 0) + 1);
        }
        return fetch(input, init);
      },
    });
    try {
      const failures: string[] = [];
      const visitor = async (index: number, vanish: boolean) => {
        await sleep(index % 50); // arrivals spread over a few milliseconds, not one burst per tick
        const grant = await post(`${stack.endpoint}/sessions`, { source: SOURCE });
        if (grant.status !== 200) return failures.push(`create ${grant.status} ${grant.text}`);
        const { sessionId, sessionKey } = grant.json as { sessionId: string; sessionKey: string };
        for (let beat = 0; beat < HEARTBEATS; beat++) {
          await sleep(200 + (index % 7) * 20);
          const answer = await post(`${stack.endpoint}/sessions/${sessionId}/heartbeat`, { sessionKey });
          if (answer.status !== 200) failures.push(`heartbeat ${answer.status} ${answer.text}`);
          if (vanish && beat === 0) return sessionId; // the tab crashed: no more heartbeats, no close
        }
        const closed = await post(`${stack.endpoint}/sessions/${sessionId}/close`, { sessionKey });
        if (closed.status !== 200) failures.push(`close ${closed.status} ${closed.text}`);
        return sessionId;
      };
      const ids = await Promise.all([
        ...Array.from({ length: VISITORS }, (_, i) => visitor(i, false)),
        ...Array.from({ length: VANISHING }, (_, i) => visitor(i, true)),
      ]);
      assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failed calls`);
      const vanished = ids.slice(VISITORS) as string[];
      assert.equal(stack.emulator.state().sessions, VISITORS + VANISHING);

      // The reaper closes the vanished visitors' sessions once their heartbeats are overdue.
      const until = Date.now() + heartbeatTimeoutMs + 5000;
      while (stack.emulator.state().openSessions > 0 && Date.now() < until) await sleep(100);
      assert.equal(stack.emulator.state().openSessions, 0, 'no session left open');
      for (const id of ids as string[]) assert.equal(closes.get(id), 1, `${id} closed exactly once`);
      for (const id of vanished) assert.equal((await stack.handler.store.get(id))?.closeReason, 'heartbeat-timeout');
    } finally {
      await stack.close();
    }
  });
});

// Billing (issue: 57 sessions from 6 addresses in seconds, all kept alive by heartbeats): a hostile visitor
// with 6 addresses fires waves of parallel creates and heartbeats everything it gets. It never holds more
// than the per-visitor cap per address nor more than the overall cap, and AKOOL is asked for no more.
describe('load: a hostile visitor against the session caps', () => {
  it('holds at most the caps, however many creates it sends', async () => {
    const PER_VISITOR = 2;
    const TOTAL = 8;
    const ADDRESSES = 6;
    const stack = await startStack({
      maxSessionsPerVisitor: PER_VISITOR,
      maxSessions: TOTAL,
      // Long enough that no session is reaped mid-test on a loaded machine (that would free places legitimately).
      heartbeatTimeoutMs: 120_000,
      clientAddress: (request) => request.headers.get('x-test-visitor') ?? undefined,
    });
    const held = new Map<string, { address: string; sessionKey: string }>();
    let maxOpen = 0;
    let refused = 0;
    const sampler = setInterval(() => (maxOpen = Math.max(maxOpen, stack.emulator.state().openSessions)), 10);
    try {
      for (let wave = 0; wave < 5; wave++) {
        const creates = Array.from({ length: ADDRESSES * 10 }, async (_, i) => {
          const address = `198.51.100.${i % ADDRESSES}`;
          const grant = await post(`${stack.endpoint}/sessions`, { source: SOURCE }, { 'x-test-visitor': address });
          if (grant.status === 429) refused += 1;
          else if (grant.status === 200) held.set(grant.json.sessionId, { address, sessionKey: grant.json.sessionKey });
          else assert.fail(`create ${grant.status} ${grant.text}`);
        });
        await Promise.all(creates);
        await Promise.all(
          [...held].map(([id, { address, sessionKey }]) => post(`${stack.endpoint}/sessions/${id}/heartbeat`, { sessionKey }, { 'x-test-visitor': address })),
        );
        const open = stack.emulator.sessions().filter((s) => !s.closed);
        const perAddress = new Map<string, number>();
        for (const s of open) {
          const address = held.get(s._id)!.address;
          perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
        }
        assert.ok(Math.max(0, ...perAddress.values()) <= PER_VISITOR, `wave ${wave}: ${JSON.stringify(Object.fromEntries(perAddress))}`);
        await sleep(200);
      }
      assert.ok(maxOpen <= TOTAL, `at most ${TOTAL} open at once, saw ${maxOpen}`);
      assert.equal(stack.emulator.state().sessions, TOTAL, 'AKOOL was asked for no more sessions than the cap');
      assert.ok(refused >= 5 * ADDRESSES * 10 - TOTAL, `${refused} creates refused`);
      await Promise.all(
        [...held].map(([id, { address, sessionKey }]) => post(`${stack.endpoint}/sessions/${id}/close`, { sessionKey }, { 'x-test-visitor': address })),
      );
      assert.equal(stack.emulator.state().openSessions, 0);
    } finally {
      clearInterval(sampler);
      await stack.close();
    }
  });
});
