import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EndpointClient, detectFaces, errorFromResponse } from '../../src/session/endpoint-client.js';
import { FaceswapError } from '../../src/core/errors.js';
import type { SessionGrant } from '../../src/core/protocol.js';

const SOURCE = { path: 'https://example.test/face.png', opts: '262,175:363,175:313,215:272,279' };
const GRANT: SessionGrant = {
  sessionId: 'abc/1',
  sessionKey: 'key',
  engine: 'akool',
  status: 'queued',
  rtc: { appId: '', channel: 'ch', uid: 1, token: '007x', remoteUid: 3 },
  expiresAt: '2030-01-01T00:00:00Z',
};

interface Seen {
  url: string;
  init: RequestInit;
}

function fakeFetch(answer: (url: string) => Response | Promise<Response>, seen: Seen[] = []): typeof fetch {
  return async (input, init = {}) => {
    seen.push({ url: String(input), init });
    return answer(String(input));
  };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function rejectsWith(promise: Promise<unknown>, code: string, extra: Partial<FaceswapError> = {}) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof FaceswapError, `expected a FaceswapError, got ${String(error)}`);
    assert.equal(error.code, code);
    for (const [key, value] of Object.entries(extra)) assert.equal((error as unknown as Record<string, unknown>)[key], value);
    return true;
  });
}

test('each call posts JSON to its path under the endpoint', async () => {
  const seen: Seen[] = [];
  const client = new EndpointClient(
    '/api/faceswap/',
    fakeFetch((url) => {
      if (url.endsWith('/sessions')) return json(200, GRANT);
      if (url.endsWith('/heartbeat')) return json(200, { status: 'ready', expiresAt: GRANT.expiresAt });
      return json(200, { ok: true });
    }, seen),
  );
  assert.deepEqual(await client.createSession(SOURCE), GRANT);
  await client.updateSource('abc/1', 'key', SOURCE);
  assert.deepEqual(await client.heartbeat('abc/1', 'key'), { status: 'ready', expiresAt: GRANT.expiresAt });
  await client.close('abc/1', 'key');
  assert.deepEqual(
    seen.map((s) => s.url),
    ['/api/faceswap/sessions', '/api/faceswap/sessions/abc%2F1/source', '/api/faceswap/sessions/abc%2F1/heartbeat', '/api/faceswap/sessions/abc%2F1/close'],
  );
  assert.deepEqual(
    seen.map((s) => JSON.parse(String(s.init.body))),
    [{ source: SOURCE }, { sessionKey: 'key', source: SOURCE }, { sessionKey: 'key' }, { sessionKey: 'key' }],
  );
  assert.ok(seen.every((s) => s.init.method === 'POST'));
  assert.equal(seen[3]!.init.keepalive, true, 'close must survive a navigation');
  assert.deepEqual(client.closeBeacon('abc/1', 'key'), { url: '/api/faceswap/sessions/abc%2F1/close', body: '{"sessionKey":"key"}' });
});

test('an error body becomes a FaceswapError with its code, message and upstream code', async () => {
  const client = new EndpointClient(
    '/e',
    fakeFetch(() => json(402, { error: { code: 'quota-exhausted', message: 'No credit left.', upstreamCode: 1104 } })),
  );
  await rejectsWith(client.createSession(SOURCE), 'quota-exhausted', { message: 'No credit left.', upstreamCode: 1104, fatal: true });
  const notFound = new EndpointClient(
    '/e',
    fakeFetch(() => json(404, { error: { code: 'not-found', message: 'gone' } })),
  );
  await rejectsWith(notFound.heartbeat('x', 'k'), 'not-found', { fatal: false });
});

test('HTTP status decides when the body has no known code', () => {
  assert.equal(errorFromResponse(429, undefined).code, 'rate-limited');
  assert.equal(errorFromResponse(429, { error: { code: 'made-up', message: 'x' } }).code, 'rate-limited');
  assert.equal(errorFromResponse(401, '<html>').code, 'unauthorized');
  assert.equal(errorFromResponse(403, null).code, 'unauthorized');
  assert.equal(errorFromResponse(413, null).code, 'payload-too-large');
  assert.equal(errorFromResponse(502, null).code, 'endpoint-unreachable');
  assert.equal(errorFromResponse(404, null).code, 'endpoint-unreachable');
});

test('network failures, timeouts and non-JSON answers are endpoint-unreachable', async () => {
  await rejectsWith(
    new EndpointClient(
      '/e',
      fakeFetch(() => Promise.reject(new TypeError('Failed to fetch'))),
    ).createSession(SOURCE),
    'endpoint-unreachable',
  );
  const hanging: typeof fetch = (_input, init) =>
    new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
  await rejectsWith(new EndpointClient('/e', hanging, 30).createSession(SOURCE), 'endpoint-unreachable');
  await rejectsWith(
    new EndpointClient(
      '/e',
      fakeFetch(() => new Response('<html>spa</html>', { status: 200 })),
    ).createSession(SOURCE),
    'endpoint-unreachable',
  );
});

test('a session answer of the wrong shape is rejected', async () => {
  const client = new EndpointClient(
    '/e',
    fakeFetch(() => json(200, { sessionId: 'x' })),
  );
  await rejectsWith(client.createSession(SOURCE), 'upstream-error');
});

test("the caller's abort rejects with an AbortError, not a FaceswapError", async () => {
  const controller = new AbortController();
  const hanging: typeof fetch = (_input, init) =>
    new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
  const pending = new EndpointClient('/e', hanging).createSession(SOURCE, controller.signal);
  controller.abort();
  await assert.rejects(pending, (error: unknown) => (error as Error).name === 'AbortError' && !(error instanceof FaceswapError));
});

test('detectFaces posts a url or image to /detect', async () => {
  const seen: Seen[] = [];
  const answer = { faces: [], width: 10, height: 10 };
  assert.deepEqual(
    await detectFaces(
      '/api/x',
      { url: 'https://example.test/a.jpg' },
      undefined,
      fakeFetch(() => json(200, answer), seen),
    ),
    answer,
  );
  assert.equal(seen[0]!.url, '/api/x/detect');
  assert.deepEqual(JSON.parse(String(seen[0]!.init.body)), { url: 'https://example.test/a.jpg' });
  await rejectsWith(
    detectFaces(
      '/api/x',
      { image: 'data:image/png;base64,AA' },
      undefined,
      fakeFetch(() => json(422, { error: { code: 'no-face', message: 'none' } })),
    ),
    'no-face',
  );
});
