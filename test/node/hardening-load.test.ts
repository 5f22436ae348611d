// Load (issue 7): 200 concurrent visitors create, heartbeat and close sessions through the token endpoint
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
