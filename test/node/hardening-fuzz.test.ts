// Fuzzing the token endpoint: 12,000 generated requests (seeded, so a failure replays) with malformed
// paths, methods, headers and bodies, most aimed at the session routes with forged keys. Every answer must be
// a valid success or a 4xx `{error: {code, message}}` from the protocol's table; the handler never logs an
// unexpected error; the heap stays flat (measured after a full GC); and no session is left open at AKOOL.
// A second pass sends 1,500 raw, partly broken HTTP/1.1 requests through the node adapter over a socket.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { createEmulator, type Emulator } from '../../src/server/emulator/server.js';
import { createFaceswapHandler, type FaceswapHandler } from '../../src/server/handler.js';
import { toNodeListener } from '../../src/server/node-adapter.js';
import { ERROR_CODES } from '../../src/core/protocol.js';
import { API_KEY, SECRET, SOURCE, listen } from './server-helpers.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed7);
const CASES = Number(process.env.FUZZ_CASES ?? 12_000);
const RAW_CASES = Number(process.env.FUZZ_RAW_CASES ?? 1_500);
const ORIGIN = 'http://site.test';
const ALLOWED = 'https://allowed.test';
const KNOWN_CODES = new Set<string>(ERROR_CODES);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** mulberry32: small, fast, seedable. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const WEIRD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '%',
  '%00',
  '%E0%A4%A',
  '%ZZ',
  '..',
  '../../etc/passwd',
  '\uD800',
  '😀',
  '\u202e',
  '<script>',
  "' OR 1=1 --",
  '${7*7}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  'a'.repeat(65),
  'a'.repeat(5000),
  'javascript:alert(1)',
  'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data/',
  'http://127.0.0.1:6379/',
  'gopher://127.0.0.1:6379/_INFO',
  'data:image/png;base64,AAAA',
  'http://user:pass@example.com/a.jpg',
  'https://example.com/' + 'x'.repeat(3000),
];

function randomString(r: Rng): string {
  if (r.chance(0.5)) return r.pick(WEIRD_STRINGS);
  const length = r.int(40);
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(r.chance(0.85) ? 32 + r.int(95) : r.int(0xffff));
  return out;
}

function randomJson(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 3 ? 5 : 8)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, 1003, 1104]);
    case 3:
    case 4:
      return randomString(r);
    case 5:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--)
        object[r.pick(['source', 'sessionKey', 'url', 'image', 'path', 'opts', '__proto__', 'constructor', randomString(r)])] = randomJson(r, depth + 1);
      return object;
    }
  }
}

/** encodeURIComponent refuses surrogates; send them as the invalid UTF-8 escape `%ED%A0%80` instead. */
const encodePath = (text: string) => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD')).replace(/%EF%BF%BD/g, '%ED%A0%80');

interface Live {
  sessionId: string;
  sessionKey: string;
}

function mutateSource(r: Rng): unknown {
  const source: Record<string, unknown> = { ...SOURCE };
  switch (r.int(6)) {
    case 0:
      source.path = randomString(r);
      break;
    case 1:
      source.opts = r.pick(['', '1,2:3,4', '1,2:3,4:5,6:7,8:9,10', '-1,2:3,4:5,6:7,8', 'a,b:c,d:e,f:g,h', '1,2:3,4:5,6:7,8'.repeat(30)]);
      break;
    case 2:
      delete source[r.pick(['path', 'opts'])];
      break;
    case 3:
      return randomJson(r);
    case 4:
      source.path = r.pick(WEIRD_STRINGS.filter((s) => /^[a-z]+:/.test(s)));
      break;
    default:
      source.extra = randomJson(r);
  }
  return source;
}

function forgedKey(r: Rng, lives: Live[], target: Live | undefined): unknown {
  switch (r.int(7)) {
    case 0:
      return randomString(r);
    case 1:
      return r.pick(lives).sessionKey; // another visitor's key (replay against another session)
    case 2:
      return target ? target.sessionKey.slice(0, -1) + (target.sessionKey.endsWith('A') ? 'B' : 'A') : 'x';
    case 3:
      return randomJson(r);
    case 4:
      return 'A'.repeat(43);
    case 5:
      return target ? target.sessionKey + '=' : '';
    default:
      return target?.sessionKey; // the right key: a valid call
  }
}

function randomBody(r: Rng, route: string, lives: Live[], target: Live | undefined): string | Uint8Array<ArrayBuffer> | undefined {
  const raw = r.int(10);
  if (raw === 0) return undefined;
  if (raw === 1) return Uint8Array.from({ length: r.int(300) }, () => r.int(256)); // binary, invalid UTF-8
  if (raw === 2) return r.pick(['{', '[]', '"x"', '1', 'null', '{"a":', '\uFEFF{}', '{"sessionKey":"a"}'.repeat(2), '['.repeat(5000) + ']'.repeat(5000)]);
  if (raw === 3) return JSON.stringify({ pad: 'x'.repeat(16 * 1024 + r.int(2000)) }); // over the small-body limit
  if (raw === 4) return JSON.stringify(randomJson(r));
  const body: Record<string, unknown> = {};
  if (route === 'detect') {
    if (r.chance(0.5)) body.url = r.chance(0.5) ? randomString(r) : r.pick(WEIRD_STRINGS.filter((s) => s.includes(':')));
    if (r.chance(0.5)) {
      body.image = r.pick([
        'data:image/png;base64,' + randomString(r),
        'data:image/jpeg;base64,/9j/4AAQ' + 'A'.repeat(r.int(5) * 4),
        'data:image/gif;base64,R0lGODlhAQABAAAAACw=',
        'data:image/png;base64,iVBORw0KGgo' + '='.repeat(r.int(3)),
        'data:text/html;base64,PHNjcmlwdD4=',
        randomString(r),
      ]);
    }
    if (r.chance(0.2)) body.singleFace = randomJson(r);
  } else if (route === 'sessions') {
    body.source = mutateSource(r);
  } else {
    body.sessionKey = forgedKey(r, lives, target);
    if (route === 'source' || r.chance(0.2)) body.source = r.chance(0.5) ? SOURCE : mutateSource(r);
  }
  return JSON.stringify(body);
}

function randomRequest(r: Rng, lives: Live[]): Request {
  const route = r.pick(['detect', 'sessions', 'source', 'heartbeat', 'close', 'close', 'heartbeat', 'other']);
  const target = r.chance(0.8) ? r.pick(lives) : undefined;
  let path: string;
  if (route === 'detect' || route === 'sessions') path = `/api/faceswap/${route}`;
  else if (route === 'other') {
    path = r.pick([
      '/api/faceswap',
      '/api/faceswap/',
      '/api/faceswapx',
      '/api/faceswap/health',
      '/api/faceswap/sessions/',
      '/api/faceswap//sessions',
      '/',
      '/api',
      '/__emulator/state',
    ]);
    if (r.chance(0.5)) path += '/' + encodePath(randomString(r));
  } else {
    const id =
      target && r.chance(0.7) ? target.sessionId : r.pick([randomString(r), encodePath(randomString(r)), '%E0%A4%A', '%', '0'.repeat(24), 'a'.repeat(65)]);
    path = `/api/faceswap/sessions/${id}/${r.chance(0.9) ? route : randomString(r)}`;
  }
  if (r.chance(0.1)) path += '?' + encodePath(randomString(r)) + '=' + randomString(r);
  const method = r.chance(0.8) ? (route === 'other' ? r.pick(['GET', 'POST']) : 'POST') : r.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'FOO']);

  const headers = new Headers();
  if (r.chance(0.8))
    headers.set(
      'content-type',
      r.pick([
        'application/json',
        'text/plain;charset=UTF-8',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
      ]),
    );
  if (r.chance(0.4))
    headers.set(
      'origin',
      r.pick([ORIGIN, ALLOWED, 'https://evil.test', 'null', 'http://site.test.evil.test', 'http://[::1', randomString(r).replace(/[^\x20-\x7e]/g, '')]),
    );
  if (r.chance(0.2)) headers.set('content-length', String(r.pick([0, 1, 10 ** 9, -1])));
  if (r.chance(0.1)) headers.set('access-control-request-method', 'POST');
  if (r.chance(0.1)) headers.set('x-forwarded-for', randomString(r).replace(/[^\x20-\x7e]/g, ''));

  let url: URL;
  try {
    url = new URL(path, ORIGIN);
  } catch {
    url = new URL('/api/faceswap/%', ORIGIN);
  }
  const body = method === 'GET' || method === 'HEAD' ? undefined : randomBody(r, route, lives, target);
  return new Request(url, { method, headers, body });
}

/** Checks one answer; resolves a description of the problem, or undefined. */
async function problemWith(response: Response, request: Request): Promise<string | undefined> {
  const text = await response.text();
  if (response.status === 204) return request.method === 'OPTIONS' && text === '' ? undefined : `204 to ${request.method}`;
  if (!/^application\/json/.test(response.headers.get('content-type') ?? '')) return `content-type ${response.headers.get('content-type')}`;
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 80)}`;
  }
  if (response.status >= 200 && response.status < 300) {
    return body && typeof body === 'object' && !('error' in body) ? undefined : `success without a body: ${text.slice(0, 80)}`;
  }
  if (response.status < 400 || response.status > 499) return `status ${response.status}: ${text.slice(0, 160)}`;
  const error = body?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || error.message === '') return `malformed error ${text.slice(0, 120)}`;
  if (!KNOWN_CODES.has(error.code)) return `unknown code ${error.code}`;
  if (Object.keys(body).length !== 1) return `extra fields ${text.slice(0, 120)}`;
  if (text.includes(API_KEY) || [...response.headers.values()].some((v) => v.includes(API_KEY))) return 'API key leaked';
  return undefined;
}

describe('fuzzing the token endpoint', () => {
  let emulator: Emulator;
  let handler: FaceswapHandler;
  const logged: string[] = [];
  let lives: Live[] = [];

  before(async () => {
    emulator = createEmulator({ apiKey: API_KEY, statusDelayMs: 0 });
    handler = createFaceswapHandler({
      auth: { apiKey: API_KEY },
      baseUrl: 'http://akool.emulator.test',
      fetch: async (input, init) => emulator.handle(new Request(input, init)),
      secret: SECRET,
      engine: 'local',
      allowedOrigins: [ALLOWED],
      reaperIntervalMs: 0,
      heartbeatTimeoutMs: 60_000,
      sessionRateLimit: { max: 100_000, windowMs: 60_000 },
      detectRateLimit: { max: 100_000, windowMs: 60_000 },
      // This pass is about malformed input; the caps and per-session limits have their own tests below.
      maxSessions: 100_000,
      maxSessionsPerVisitor: 100_000,
      sourceUpdateLimit: false,
      heartbeatLimit: false,
      logger: { warn: (m: string) => logged.push(`warn ${m}`), error: (m: string) => logged.push(`error ${m}`) },
    });
    for (let i = 0; i < 8; i++) {
      const response = await handler(new Request(`${ORIGIN}/api/faceswap/sessions`, { method: 'POST', body: JSON.stringify({ source: SOURCE }) }));
      assert.equal(response.status, 200);
      lives.push((await response.json()) as Live);
    }
  });

  after(() => {
    handler?.close();
    emulator?.close();
  });

  it(`answers ${CASES} malformed requests with well-formed errors, keeps the heap flat, leaves nothing open`, async (t) => {
    const r = rng(SEED);
    const problems: string[] = [];
    let successes = 0;
    const run = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const request = randomRequest(r, lives);
        const description = `${request.method} ${new URL(request.url).pathname.slice(0, 100)}`;
        let response: Response;
        try {
          response = await answerWithin(handler(request.clone()), 5000);
        } catch (error) {
          problems.push(`${description}: threw ${(error as Error).message}`);
          continue;
        }
        const problem = await problemWith(response, request);
        if (problem) problems.push(`${description}: ${problem}`);
        else if (response.status < 300) successes += 1;
        // A fuzzed close may have ended a live session: keep a pool of open ones to aim at.
        if (i % 500 === 499) lives = await refill(lives);
      }
    };
    const refill = async (pool: Live[]) => {
      const open = pool.filter((l) => emulator.sessions().some((s) => s._id === l.sessionId && !s.closed));
      while (open.length < 8) {
        const response = await handler(new Request(`${ORIGIN}/api/faceswap/sessions`, { method: 'POST', body: JSON.stringify({ source: SOURCE }) }));
        open.push((await response.json()) as Live);
      }
      return open;
    };

    await run(2000); // warm-up: JIT, caches, the rate limiters' maps
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    await run(CASES - 2000);
    gc();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    t.diagnostic(`seed ${SEED}: ${successes} successes, heap growth ${(heapGrowth / 1024).toFixed(0)} KiB after GC`);

    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} bad answers`);
    assert.deepEqual(
      logged.filter((l) => l.startsWith('error')),
      [],
      'no unexpected error was logged',
    );
    assert.ok(successes > 200, `the fuzzer reaches the success paths too (${successes})`);
    // The retained state is per open session (a few hundred bytes each, at most a few hundred sessions).
    assert.ok(heapGrowth < 6 * 1024 * 1024, `heap grew ${(heapGrowth / 1024 / 1024).toFixed(1)} MiB over ${CASES - 2000} requests`);

    // Every session the fuzzer opened is closed by the reaper once its visitor is gone.
    const reaper = createFaceswapHandler({
      auth: { apiKey: API_KEY },
      baseUrl: 'http://akool.emulator.test',
      fetch: async (input, init) => emulator.handle(new Request(input, init)),
      secret: SECRET,
      store: handler.store,
      reaperIntervalMs: 0,
      heartbeatTimeoutMs: 1,
      logger: { warn: () => undefined, error: () => undefined },
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await reaper.reap();
    assert.equal(emulator.state().openSessions, 0, 'no session left open');
  });

  it(`survives ${RAW_CASES} raw, partly broken HTTP requests through the node adapter`, async () => {
    const server = await listen(toNodeListener(handler));
    const port = Number(new URL(server.url).port);
    const r = rng(SEED + 1);
    const statuses = new Map<string, number>();
    try {
      for (let i = 0; i < RAW_CASES; i++) {
        const body = randomBody(r, r.pick(['detect', 'sessions', 'heartbeat', 'close']), lives, r.pick(lives)) ?? '';
        const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
        const target = r.pick([
          '/api/faceswap/sessions',
          `/api/faceswap/sessions/${r.pick(lives).sessionId}/close`,
          '/api/faceswap/detect',
          '/api/faceswap/%zz',
          '/api/faceswap/sessions/%E0%A4%A/close',
        ]);
        const lengthHeader = r.pick([`Content-Length: ${bytes.length}`, `Content-Length: ${bytes.length + 10}`, 'Transfer-Encoding: chunked', '']);
        let payload: Buffer = bytes;
        if (lengthHeader.startsWith('Transfer'))
          payload = Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]);
        const head = `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n${lengthHeader ? lengthHeader + '\r\n' : ''}\r\n`;
        // A short body on a longer Content-Length: the client hangs up midway.
        const answer = await rawExchange(port, Buffer.concat([Buffer.from(head), payload]), lengthHeader.endsWith(`${bytes.length + 10}`));
        const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 'none';
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        assert.ok(status === 'none' || /^[24]\d\d$/.test(status), `raw case ${i} ${target}: ${answer.slice(0, 400)}`);
      }
      // Still serving after all of it.
      const health = await fetch(`${server.url}/api/faceswap/health`);
      assert.equal(health.status, 200);
      assert.ok((statuses.get('400') ?? 0) > 100, `statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
      assert.deepEqual(
        logged.filter((l) => l.startsWith('error')),
        [],
      );
    } finally {
      await server.close();
    }
  });
});

/** The handler must answer every request; a request it never answers is a failure, not a stuck test. */
async function answerWithin(answer: Promise<Response>, ms: number): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Writes bytes on a fresh connection and reads the answer; `hangUp` closes the socket after writing. */
function rawExchange(port: number, bytes: Buffer, hangUp: boolean): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const finish = () => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(2000, finish);
    socket.on('connect', () => {
      socket.write(bytes);
      if (hangUp) setTimeout(finish, 20);
    });
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('end', finish);
    socket.on('error', finish);
  });
}

// The second round of attacks on the handler (each reproduced a finding before its fix): caps on sessions and
// per-session calls, a create AKOOL answers after the timeout, a session AKOOL ended, /detect cost, TRACE.
describe('attacks on billing and cost', () => {
  const VISITOR = 'x-test-visitor';
  let emulator: Emulator;
  const make = (options: Partial<Parameters<typeof createFaceswapHandler>[0]> = {}) =>
    createFaceswapHandler({
      auth: { apiKey: API_KEY },
      baseUrl: 'http://akool.emulator.test',
      fetch: async (input, init) => emulator.handle(new Request(input, init)),
      secret: SECRET,
      engine: 'local',
      reaperIntervalMs: 0,
      sessionRateLimit: false,
      detectRateLimit: false,
      clientAddress: (request) => request.headers.get(VISITOR) ?? undefined,
      logger: { warn: () => undefined, error: () => undefined },
      ...options,
    });
  const call = (handler: FaceswapHandler, path: string, body: unknown, visitor = 'v1', method = 'POST') =>
    handler(
      new Request(`${ORIGIN}/api/faceswap${path}`, { method, headers: { [VISITOR]: visitor }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    );
  const create = (handler: FaceswapHandler, visitor = 'v1') => call(handler, '/sessions', { source: SOURCE }, visitor);

  before(() => {
    emulator = createEmulator({ apiKey: API_KEY, statusDelayMs: 0 });
  });
  after(() => emulator.close());

  it('caps open sessions per visitor and overall, even for a burst of parallel creates; a close frees a place', async () => {
    emulator.reset();
    const handler = make({ maxSessionsPerVisitor: 2, maxSessions: 5 });
    const burst = await Promise.all(Array.from({ length: 12 }, () => create(handler, 'hostile')));
    assert.deepEqual(burst.map((r) => r.status).sort(), [...Array(2).fill(200), ...Array(10).fill(429)]);
    for (const visitor of ['b', 'c', 'd']) await Promise.all([create(handler, visitor), create(handler, visitor)]);
    assert.equal(emulator.state().openSessions, 5, 'the overall cap holds');
    assert.equal((await create(handler, 'e')).status, 429);
    const granted = (await burst.find((r) => r.status === 200)!.json()) as Live;
    assert.equal((await call(handler, `/sessions/${granted.sessionId}/close`, { sessionKey: granted.sessionKey }, 'hostile')).status, 200);
    assert.equal((await create(handler, 'hostile')).status, 200, 'the closed session gave its place back');
    handler.close();
  });

  it('limits source updates per session (each is a billed AKOOL update), after checking the key', async () => {
    emulator.reset();
    const handler = make({ sourceUpdateLimit: { max: 5, windowMs: 60_000 } });
    const live = (await (await create(handler)).json()) as Live;
    const forged = await call(handler, `/sessions/${live.sessionId}/source`, { sessionKey: 'AAAA' + live.sessionKey.slice(4), source: SOURCE });
    assert.equal(forged.status, 403);
    const statuses = [];
    for (let i = 0; i < 30; i++)
      statuses.push((await call(handler, `/sessions/${live.sessionId}/source`, { sessionKey: live.sessionKey, source: SOURCE })).status);
    assert.deepEqual(statuses, [...Array(5).fill(200), ...Array(25).fill(429)]);
    assert.equal(emulator.sessions().find((s) => s._id === live.sessionId)!.updates, 5);
    const limited = await call(handler, `/sessions/${live.sessionId}/source`, { sessionKey: live.sessionKey, source: SOURCE });
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    handler.close();
  });

  it('a create AKOOL answers after the timeout is closed when it answers, not left billing', async () => {
    emulator.reset();
    const handler = make({
      upstreamTimeoutMs: 150,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        if (request.url.endsWith('/live/create')) await new Promise((resolve) => setTimeout(resolve, 600));
        return emulator.handle(request);
      },
    });
    const answer = await create(handler);
    assert.equal(answer.status, 504);
    const until = Date.now() + 5000;
    while ((emulator.state().sessions === 0 || emulator.state().openSessions > 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.equal(emulator.state().sessions, 1, 'AKOOL did create it, late');
    assert.equal(emulator.state().openSessions, 0, 'and the handler closed it');
    handler.close();
  });

  it('a heartbeat on a session AKOOL ended answers "ended" and releases the record and the place', async () => {
    emulator.reset();
    const handler = make({ maxSessionsPerVisitor: 1 });
    const live = (await (await create(handler)).json()) as Live;
    const closed = await emulator.handle(
      new Request('http://akool.emulator.test/api/open/v3/faceswap/live/close', {
        method: 'POST',
        headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ _id: live.sessionId }),
      }),
    );
    assert.equal(((await closed.json()) as { code: number }).code, 1000);
    const beat = await call(handler, `/sessions/${live.sessionId}/heartbeat`, { sessionKey: live.sessionKey });
    assert.equal(beat.status, 200);
    assert.equal(((await beat.json()) as { status: string }).status, 'ended');
    const record = await handler.store.get(live.sessionId);
    assert.equal(record?.closed, true);
    assert.equal(record?.closeReason, 'ended-upstream');
    assert.equal((await call(handler, `/sessions/${live.sessionId}/heartbeat`, { sessionKey: live.sessionKey })).status, 409);
    assert.equal((await create(handler)).status, 200, 'the visitor has its place back');
    handler.close();
  });

  it('refuses deeply nested JSON before parsing it, quickly, on every route', async () => {
    const handler = make();
    const depth = 5_000_000;
    const nested = `{"image":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const started = performance.now();
    const answer = await call(handler, '/detect', nested);
    const ms = performance.now() - started;
    assert.equal(answer.status, 400);
    assert.match(((await answer.json()) as { error: { message: string } }).error.message, /nests deeper/);
    const small = await call(handler, '/sessions', `{"source":${'['.repeat(200)}${']'.repeat(200)}}`);
    assert.match(((await small.json()) as { error: { message: string } }).error.message, /nests deeper/);
    // Brackets inside strings are not nesting: a valid body with many of them still gets through to validation.
    const inString = await call(handler, '/sessions', JSON.stringify({ source: { path: 'https://example.com/' + '[{'.repeat(500), opts: '1,1:2,2:3,3:4,4' } }));
    assert.doesNotMatch(await inString.text(), /nests deeper/);
    handler.close();
    assert.ok(ms < 60_000, `a 10 MB nested body took ${ms} ms`);
  });

  it('caps detections running at once: the rest get 503 with Retry-After before their bodies are read', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let upstreamCalls = 0;
    const handler = make({
      maxConcurrentDetects: 2,
      fetch: async (input, init) => {
        upstreamCalls += 1;
        await gate;
        return emulator.handle(new Request(input, init));
      },
    });
    const image = { image: `data:image/jpeg;base64,${samplePhotoBase64()}` };
    const pending = Array.from({ length: 6 }, () => call(handler, '/detect', image));
    const early = await Promise.race([Promise.all(pending.slice(2)), new Promise((resolve) => setTimeout(() => resolve('waiting'), 5000))]);
    assert.notEqual(early, 'waiting', 'the detections over the cap were answered at once');
    for (const answer of early as Response[]) {
      assert.equal(answer.status, 503);
      assert.ok(Number(answer.headers.get('retry-after')) > 0);
    }
    assert.equal(upstreamCalls, 2);
    release();
    await Promise.all(pending.slice(0, 2));
    handler.close();
  });

  it('answers TRACE with 405 through the node adapter, not 500', async () => {
    const handler = make();
    const server = await listen(toNodeListener(handler));
    const port = Number(new URL(server.url).port);
    try {
      for (const method of ['TRACE']) {
        const answer = await rawExchange(port, Buffer.from(`${method} /api/faceswap/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`), false);
        assert.match(answer, /^HTTP\/1\.1 405/, `${method}: ${answer.slice(0, 80)}`);
      }
      assert.equal((await fetch(`${server.url}/api/faceswap/health`)).status, 200);
    } finally {
      handler.close();
      await server.close();
    }
  });
});

function samplePhotoBase64(): string {
  return readFileSync('node_modules/@vladmandic/face-api/demo/sample3.jpg').toString('base64');
}
