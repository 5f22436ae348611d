// One protocol conformance suite for every token-endpoint implementation (the Node/edge handler, the
// WordPress plugin's PHP, the handler inside other runtimes): the same requests, the same answers, each run
// against a real AKOOL emulator behind the server. A server that drifts from the protocol fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { RunningEmulator } from '../../src/server/emulator/server.js';

/** One server under test: where its endpoint answers, and the emulator it calls as AKOOL. */
export interface ServerUnderTest {
  /** The `token-endpoint` a page would name; paths are appended to it as the elements do. */
  endpoint: string;
  emulator: RunningEmulator;
  /** Runs one reaper pass now (whatever the implementation's own timer does). */
  reap(): Promise<void>;
  /** Origin of the site the endpoint belongs to (same-origin calls always pass). */
  origin: string;
  /** An origin the server was configured to allow cross-origin. */
  allowedOrigin: string;
  /** The server's heartbeat timeout, configured short for the suite. */
  heartbeatTimeoutMs: number;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
export const FACE_PHOTO = `data:image/jpeg;base64,${readFileSync(`${root}stories/assets/faces/ada.jpg`).toString('base64')}`;
const LANDMARKS = /^\d+(\.\d+)?,\d+(\.\d+)?(:\d+(\.\d+)?,\d+(\.\d+)?){3}$/;
const FOREIGN_ORIGIN = 'https://evil.example';
const SWAP_STATUSES = ['queued', 'ready', 'ended', 'failed'];

interface Answer {
  status: number;
  body: Record<string, any>;
  headers: Headers;
}

async function call(
  server: ServerUnderTest,
  path: string,
  init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(server.endpoint + path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: Record<string, any> = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { unparsed: text.slice(0, 300) };
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

function assertError(answer: Answer, status: number, code: string): void {
  assert.equal(answer.status, status, `expected HTTP ${status} ${code}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.error?.code, code, JSON.stringify(answer.body));
  assert.equal(typeof answer.body.error?.message, 'string');
}

async function detectedSource(server: ServerUnderTest) {
  const answer = await call(server, '/detect', { body: { image: FACE_PHOTO, singleFace: true } });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.faces[0].source as { path: string; opts: string };
}

async function openSession(server: ServerUnderTest) {
  const answer = await call(server, '/sessions', { body: { source: await detectedSource(server) } });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as { sessionId: string; sessionKey: string };
}

/** The emulator's first detection loads and compiles its model: done before the suite, not inside a timed call. */
export async function warmUpDetector(emulator: RunningEmulator): Promise<void> {
  await emulator.warmUp();
  const response = await fetch(`${emulator.url}/interface/detect-api/detect_faces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': emulator.apiKey },
    body: JSON.stringify({ img: FACE_PHOTO.split(',')[1], single_face: true, return_face_url: true }),
  });
  assert.equal(response.status, 200);
}

async function facelessPng(): Promise<string> {
  const png = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 48, g: 80, b: 160 } } })
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** Each check stands alone (opens what it needs, closes what it opened), so a broken server fails precisely. */
export const CHECKS: { name: string; run(server: ServerUnderTest): Promise<void> }[] = [
  {
    name: 'health answers ok with the engine',
    async run(server) {
      const answer = await call(server, '/health');
      assert.equal(answer.status, 200);
      assert.equal(answer.body.ok, true);
      assert.ok(['akool', 'local'].includes(answer.body.engine), JSON.stringify(answer.body));
    },
  },
  {
    name: 'detect on an uploaded photo answers faces with box, landmarks, a fetchable source and the size',
    async run(server) {
      const answer = await call(server, '/detect', { body: { image: FACE_PHOTO } });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const { faces, width, height } = answer.body;
      assert.ok(Array.isArray(faces) && faces.length >= 1);
      const meta = await sharp(Buffer.from(FACE_PHOTO.split(',')[1]!, 'base64')).metadata();
      assert.deepEqual([width, height], [meta.width, meta.height]);
      const [face] = faces;
      assert.equal(face.box.length, 4);
      assert.ok(face.box.every((n: unknown) => typeof n === 'number'));
      assert.match(face.landmarks, LANDMARKS);
      assert.match(face.source.path, /^https?:\/\//);
      assert.match(face.source.opts, LANDMARKS);
      assert.equal((await fetch(face.source.path)).status, 200, 'the face crop AKOOL stored can be fetched');
    },
  },
  {
    name: 'detect on a photo without a face answers 400 no-face',
    async run(server) {
      assertError(await call(server, '/detect', { body: { image: await facelessPng() } }), 400, 'no-face');
    },
  },
  {
    name: 'malformed requests answer 400 bad-request in the error shape',
    async run(server) {
      assertError(await call(server, '/detect', { raw: '{not json', headers: { 'content-type': 'application/json' } }), 400, 'bad-request');
      assertError(await call(server, '/detect', { body: { url: 'https://a.example/x.jpg', image: FACE_PHOTO } }), 400, 'bad-request');
      assertError(await call(server, '/detect', { body: { image: 'data:text/plain;base64,aGVsbG8=' } }), 400, 'bad-request');
      assertError(await call(server, '/detect', { body: [1, 2] }), 400, 'bad-request');
      assertError(await call(server, '/sessions', { body: { source: { path: 'ftp://x.example/a.jpg', opts: '1,1:2,2:3,3:4,4' } } }), 400, 'bad-request');
      assertError(await call(server, '/sessions', { body: { source: { path: 'http://x.example/a.jpg', opts: '1,1:2,2:3,3:4,4' } } }), 400, 'bad-request');
      assertError(await call(server, '/sessions', { body: { source: { path: 'https://x.example/a.jpg', opts: 'eyes' } } }), 400, 'bad-request');
    },
  },
  {
    name: 'a session is created with the grant shape and closed at AKOOL once, idempotently',
    async run(server) {
      const before = server.emulator.state().openSessions;
      const answer = await call(server, '/sessions', { body: { source: await detectedSource(server) } });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const grant = answer.body;
      assert.equal(typeof grant.sessionId, 'string');
      assert.match(grant.sessionKey, /^[A-Za-z0-9_-]{20,}$/);
      assert.ok(['akool', 'local'].includes(grant.engine));
      assert.ok(SWAP_STATUSES.includes(grant.status), `status ${grant.status} is named`);
      assert.equal(typeof grant.rtc.appId, 'string');
      assert.equal(typeof grant.rtc.channel, 'string');
      assert.ok(['number', 'string'].includes(typeof grant.rtc.uid));
      assert.equal(typeof grant.rtc.token, 'string');
      assert.ok(Date.parse(grant.expiresAt) > Date.now(), grant.expiresAt);
      assert.equal(server.emulator.state().openSessions, before + 1);
      const key = { sessionKey: grant.sessionKey };
      assert.deepEqual((await call(server, `/sessions/${grant.sessionId}/close`, { body: key })).body, { ok: true });
      assert.deepEqual((await call(server, `/sessions/${grant.sessionId}/close`, { body: key })).body, { ok: true });
      assert.equal(server.emulator.state().openSessions, before);
      assertError(await call(server, `/sessions/${grant.sessionId}/heartbeat`, { body: key }), 409, 'conflict');
    },
  },
  {
    name: 'heartbeat and source update work for the owner',
    async run(server) {
      const { sessionId, sessionKey } = await openSession(server);
      const beat = await call(server, `/sessions/${sessionId}/heartbeat`, { body: { sessionKey } });
      assert.equal(beat.status, 200, JSON.stringify(beat.body));
      assert.ok(SWAP_STATUSES.includes(beat.body.status), `status ${beat.body.status} is named`);
      assert.ok(Date.parse(beat.body.expiresAt) > Date.now());
      const source = await detectedSource(server);
      assert.deepEqual((await call(server, `/sessions/${sessionId}/source`, { body: { sessionKey, source } })).body, { ok: true });
      const updates = server.emulator.sessions().find((s) => s._id === sessionId)?.updates;
      assert.equal(updates, 1, 'AKOOL received the update');
      await call(server, `/sessions/${sessionId}/close`, { body: { sessionKey } });
    },
  },
  {
    name: 'only the sessionKey holder can change, heartbeat or close a session',
    async run(server) {
      const { sessionId, sessionKey } = await openSession(server);
      const other = await openSession(server);
      try {
        const forged = sessionKey.slice(0, -2) + (sessionKey.endsWith('AA') ? 'BB' : 'AA');
        for (const action of ['heartbeat', 'close', 'source']) {
          assertError(
            await call(server, `/sessions/${sessionId}/${action}`, {
              body: { sessionKey: forged, source: { path: 'https://a.example/a.jpg', opts: '1,1:2,2:3,3:4,4' } },
            }),
            403,
            'forbidden',
          );
          assertError(
            await call(server, `/sessions/${sessionId}/${action}`, {
              body: { sessionKey: other.sessionKey, source: { path: 'https://a.example/a.jpg', opts: '1,1:2,2:3,3:4,4' } },
            }),
            403,
            'forbidden',
          );
        }
        assertError(await call(server, `/sessions/${sessionId}/heartbeat`, { body: {} }), 400, 'bad-request');
        // A key for an id that does not exist is refused as forbidden, so a caller learns nothing about ids.
        assertError(await call(server, '/sessions/0123456789abcdef01234567/heartbeat', { body: { sessionKey } }), 403, 'forbidden');
        assert.ok(
          server.emulator.sessions().some((s) => s._id === sessionId && !s.closed),
          'the session is still open',
        );
      } finally {
        await call(server, `/sessions/${sessionId}/close`, { body: { sessionKey } });
        await call(server, `/sessions/${other.sessionId}/close`, { body: { sessionKey: other.sessionKey } });
      }
    },
  },
  {
    name: 'close also accepts a sendBeacon text/plain body',
    async run(server) {
      const { sessionId, sessionKey } = await openSession(server);
      const answer = await call(server, `/sessions/${sessionId}/close`, {
        raw: JSON.stringify({ sessionKey }),
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
      });
      assert.deepEqual(answer.body, { ok: true });
      assert.ok(server.emulator.sessions().find((s) => s._id === sessionId)?.closed);
    },
  },
  {
    name: 'wrong methods answer 405 with Allow, unknown paths 404',
    async run(server) {
      const wrong = await call(server, '/sessions', { method: 'GET' });
      assertError(wrong, 405, 'bad-request');
      assert.match(wrong.headers.get('allow') ?? '', /POST/);
      assertError(await call(server, '/nothing-here', { body: {} }), 404, 'not-found');
    },
  },
  {
    name: 'other origins are refused unless allowed; allowed ones get CORS headers',
    async run(server) {
      const foreign = await call(server, '/health', { headers: { origin: FOREIGN_ORIGIN } });
      assertError(foreign, 403, 'forbidden');
      assert.equal(foreign.headers.get('access-control-allow-origin'), null);
      const preflight = await fetch(`${server.endpoint}/sessions`, {
        method: 'OPTIONS',
        headers: { origin: FOREIGN_ORIGIN, 'access-control-request-method': 'POST' },
      });
      assert.equal(preflight.status, 403);
      const allowed = await call(server, '/health', { headers: { origin: server.allowedOrigin } });
      assert.equal(allowed.status, 200);
      assert.equal(allowed.headers.get('access-control-allow-origin'), server.allowedOrigin);
      const allowedPreflight = await fetch(`${server.endpoint}/sessions`, {
        method: 'OPTIONS',
        headers: { origin: server.allowedOrigin, 'access-control-request-method': 'POST' },
      });
      assert.ok(allowedPreflight.status === 200 || allowedPreflight.status === 204, String(allowedPreflight.status));
      assert.match(allowedPreflight.headers.get('access-control-allow-methods') ?? '', /POST/);
      assert.equal((await call(server, '/health', { headers: { origin: server.origin } })).status, 200, 'same origin');
    },
  },
  {
    name: 'an oversized body answers 413 payload-too-large',
    async run(server) {
      const { sessionId, sessionKey } = await openSession(server);
      try {
        assertError(
          await call(server, `/sessions/${sessionId}/heartbeat`, { raw: JSON.stringify({ sessionKey, pad: 'x'.repeat(64 * 1024) }) }),
          413,
          'payload-too-large',
        );
      } finally {
        await call(server, `/sessions/${sessionId}/close`, { body: { sessionKey } });
      }
    },
  },
  {
    name: "AKOOL's empty credit answers 429 quota-exhausted with upstream code 1104",
    async run(server) {
      const source = await detectedSource(server);
      const credit = server.emulator.state().credit;
      server.emulator.configure({ credit: 0 });
      try {
        const answer = await call(server, '/sessions', { body: { source } });
        assertError(answer, 429, 'quota-exhausted');
        assert.equal(answer.body.error.upstreamCode, 1104);
      } finally {
        server.emulator.configure({ credit });
      }
    },
  },
  {
    name: 'a session that stops heartbeating is closed at AKOOL by the reaper',
    async run(server) {
      const { sessionId } = await openSession(server);
      await new Promise((r) => setTimeout(r, server.heartbeatTimeoutMs + 1100));
      await server.reap();
      assert.ok(server.emulator.sessions().find((s) => s._id === sessionId)?.closed, 'closed after the heartbeat timeout');
    },
  },
  {
    name: 'no answer carries the AKOOL key',
    async run(server) {
      const key = server.emulator.apiKey;
      const { sessionId, sessionKey } = await openSession(server);
      const answers = [
        await call(server, '/health'),
        await call(server, `/sessions/${sessionId}/heartbeat`, { body: { sessionKey } }),
        await call(server, '/detect', { body: { image: 'data:image/png;base64,AAAA' } }),
        await call(server, `/sessions/${sessionId}/close`, { body: { sessionKey } }),
      ];
      for (const answer of answers) assert.ok(!JSON.stringify(answer.body).includes(key));
    },
  },
];
