// The token endpoint over real HTTP, against the AKOOL emulator: the protocol in README.md ("Token-endpoint protocol").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import sharp from 'sharp';
import { createFaceswapHandler } from '../../src/server/handler.js';
import { toNodeListener } from '../../src/server/node-adapter.js';
import { API_KEY, SECRET, SOURCE, dataUrl, faceFreeImage, listen, post, samplePhoto, startStack, type Stack } from './server-helpers.js';

describe('token endpoint: happy path', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  test('detect an uploaded photo → create → update → heartbeat → close', async () => {
    const photo = samplePhoto(2);
    const detect = await post(`${stack.endpoint}/detect`, { image: dataUrl(photo) });
    assert.equal(detect.status, 200, detect.text);
    assert.equal(detect.json.width, 1920);
    assert.equal(detect.json.height, 1367);
    assert.ok(detect.json.faces.length >= 2, 'several faces in sample2');
    for (const face of detect.json.faces) {
      const [x, y, w, h] = face.box;
      assert.ok(w > 20 && h > 20 && x + w <= 1920 && y + h <= 1367, `box ${face.box}`);
      const eyes = face.landmarks.split(':').map((p: string) => p.split(',').map(Number));
      const [mx, my] = [w * 0.15, h * 0.15];
      const inside = ([px, py]: number[]) => px >= x - mx && px <= x + w + mx && py >= y - my && py <= y + h + my;
      assert.ok(eyes.every(inside), `landmarks ${face.landmarks} near the box ${face.box}`);
      assert.match(face.source.path, /^http:\/\/127\.0\.0\.1:\d+\/faces\/[\w-]+\.jpg$/);
      assert.match(face.source.opts, /^\d+,\d+(:\d+,\d+){3}$/);
    }
    // The face crop is a real, fetchable image.
    const crop = await fetch(detect.json.faces[0].source.path);
    assert.equal(crop.headers.get('content-type'), 'image/jpeg');
    assert.equal(crop.headers.get('access-control-allow-origin'), '*');
    const cropMeta = await sharp(Buffer.from(await crop.arrayBuffer())).metadata();
    assert.ok(cropMeta.width! > 100);

    const grant = await post(`${stack.endpoint}/sessions`, { source: detect.json.faces[0].source });
    assert.equal(grant.status, 200, grant.text);
    assert.match(grant.json.sessionId, /^[0-9a-f]{24}$/);
    assert.equal(grant.json.engine, 'local');
    assert.equal(grant.json.status, 'queued');
    assert.equal(grant.json.rtc.uid, 1);
    assert.equal(grant.json.rtc.remoteUid, 3);
    assert.match(grant.json.rtc.appId, /^[0-9a-f]{32}$/, 'resolved from the token on the server');
    assert.match(grant.json.rtc.token, /^007/);
    assert.match(grant.json.rtc.channel, /^\d{17}_\d{4}$/);
    const expires = Date.parse(grant.json.expiresAt) - Date.now();
    assert.ok(expires > 54 * 60_000 && expires <= 55 * 60_000, 'expires after the 55 min default');
    const { sessionId, sessionKey } = grant.json;

    const update = await post(`${stack.endpoint}/sessions/${sessionId}/source`, { sessionKey, source: detect.json.faces[1].source });
    assert.deepEqual(update.json, { ok: true });
    assert.equal(stack.emulator.sessions().find((s) => s._id === sessionId)?.updates, 1);

    await new Promise((resolve) => setTimeout(resolve, 150));
    const beat = await post(`${stack.endpoint}/sessions/${sessionId}/heartbeat`, { sessionKey });
    assert.equal(beat.status, 200, beat.text);
    assert.equal(beat.json.status, 'ready', 'status went 1 → 2 at the emulator');
    assert.equal(beat.json.expiresAt, grant.json.expiresAt);

    const close = await post(`${stack.endpoint}/sessions/${sessionId}/close`, { sessionKey });
    assert.deepEqual(close.json, { ok: true });
    const upstream = stack.emulator.sessions().find((s) => s._id === sessionId)!;
    assert.equal(upstream.closed, true);
    assert.ok(upstream.billedSeconds >= 1);

    // Closing twice is fine; a heartbeat on a closed session is a conflict.
    assert.equal((await post(`${stack.endpoint}/sessions/${sessionId}/close`, { sessionKey })).status, 200);
    const late = await post(`${stack.endpoint}/sessions/${sessionId}/heartbeat`, { sessionKey });
    assert.equal(late.status, 409);
    assert.equal(late.json.error.code, 'conflict');
  });

  test('detect by URL passes the URL to AKOOL and uses it as the source path', async () => {
    const first = await post(`${stack.endpoint}/detect`, { image: dataUrl(samplePhoto(3)), singleFace: true });
    assert.equal(first.json.faces.length, 1);
    const url = first.json.faces[0].source.path;
    const byUrl = await post(`${stack.endpoint}/detect`, { url });
    assert.equal(byUrl.status, 200, byUrl.text);
    assert.equal(byUrl.json.faces.length, 1);
    assert.equal(byUrl.json.faces[0].source.path, url);
    assert.equal(byUrl.json.faces[0].source.opts, byUrl.json.faces[0].landmarks);
    assert.equal(byUrl.json.width, 0, 'the handler never fetches the URL, so the size is unknown');
  });

  test('a photo without a face answers no-face', async () => {
    const res = await post(`${stack.endpoint}/detect`, { image: dataUrl(await faceFreeImage()) });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, 'no-face');
    assert.equal(res.json.error.upstreamCode, 1);
  });

  test('sendBeacon-style text/plain close is accepted', async () => {
    const grant = await post(`${stack.endpoint}/sessions`, { source: SOURCE });
    const res = await post(`${stack.endpoint}/sessions/${grant.json.sessionId}/close`, JSON.stringify({ sessionKey: grant.json.sessionKey }), {
      'content-type': 'text/plain;charset=UTF-8',
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(stack.emulator.sessions().find((s) => s._id === grant.json.sessionId)?.closed, true);
  });

  test('health answers the engine', async () => {
    const res = await fetch(`${stack.endpoint}/health`);
    assert.deepEqual(await res.json(), { ok: true, engine: 'local' });
  });
});

describe('token endpoint: sessionKey', () => {
  let stack: Stack;
  let grant: { sessionId: string; sessionKey: string };
  before(async () => {
    stack = await startStack();
    grant = (await post(`${stack.endpoint}/sessions`, { source: SOURCE })).json;
  });
  after(() => stack.close());

  for (const action of ['source', 'heartbeat', 'close']) {
    test(`${action}: missing key → 400, wrong key → 403, and the session stays open`, async () => {
      const url = `${stack.endpoint}/sessions/${grant.sessionId}/${action}`;
      const missing = await post(url, { source: SOURCE });
      assert.equal(missing.status, 400);
      assert.equal(missing.json.error.code, 'bad-request');
      const otherKey = (await post(`${stack.endpoint}/sessions`, { source: SOURCE })).json.sessionKey;
      const wrong = await post(url, { sessionKey: otherKey, source: SOURCE });
      assert.equal(wrong.status, 403);
      assert.equal(wrong.json.error.code, 'forbidden');
      const garbage = await post(url, { sessionKey: 'not-a-key!', source: SOURCE });
      assert.equal(garbage.status, 403);
      assert.equal(stack.emulator.sessions().find((s) => s._id === grant.sessionId)?.closed, false);
    });
  }

  test('a key for an unknown session id is 403 (no existence oracle); a valid key for a forgotten one is 404', async () => {
    const wrong = await post(`${stack.endpoint}/sessions/aaaaaaaaaaaaaaaaaaaaaaaa/heartbeat`, { sessionKey: grant.sessionKey });
    assert.equal(wrong.status, 403);
    // Another handler with the same secret but its own empty store: the key verifies, the session is unknown there.
    const twin = createFaceswapHandler({ auth: { apiKey: API_KEY }, baseUrl: stack.emulator.url, secret: SECRET, reaperIntervalMs: 0 });
    const res = await twin(
      new Request(`http://x/api/faceswap/sessions/${grant.sessionId}/heartbeat`, { method: 'POST', body: JSON.stringify({ sessionKey: grant.sessionKey }) }),
    );
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.code, 'not-found');
  });
});

describe('token endpoint: bodies', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ maxImageBytes: 150_000, detectRateLimit: false });
  });
  after(() => stack.close());

  test('an image over maxImageBytes → 413 payload-too-large, before AKOOL is called', async () => {
    const before = stack.emulator.state().detections;
    const res = await post(`${stack.endpoint}/detect`, { image: dataUrl(samplePhoto(6)) });
    assert.equal(res.status, 413);
    assert.equal(res.json.error.code, 'payload-too-large');
    assert.equal(stack.emulator.state().detections, before);
  });

  test('a body far over the limit is cut off while streaming', async () => {
    const res = await post(`${stack.endpoint}/sessions`, JSON.stringify({ source: SOURCE, pad: 'x'.repeat(100_000) }));
    assert.equal(res.status, 413);
  });

  const bad: Array<[string, unknown]> = [
    ['not JSON', '{"source":'],
    ['an array', '[1,2]'],
    ['neither url nor image', {}],
    ['both url and image', { url: 'https://example.com/a.jpg', image: 'data:image/png;base64,AAAA' }],
    ['a non-image data URL', { image: 'data:text/html;base64,PGgxPg==' }],
    ['broken base64', { image: 'data:image/jpeg;base64,@@@@' }],
    ['bytes that are not an image', { image: `data:image/png;base64,${Buffer.from('hello world, not a png!').toString('base64')}` }],
    ['a non-http url', { url: 'file:///etc/passwd' }],
    ['a url with credentials', { url: 'https://user:pw@example.com/a.jpg' }],
    ['singleFace not boolean', { url: 'https://example.com/a.jpg', singleFace: 'yes' }],
  ];
  for (const [name, body] of bad) {
    test(`detect rejects ${name} with 400 bad-request`, async () => {
      const res = await post(`${stack.endpoint}/detect`, body);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.error.code, 'bad-request');
      assert.equal(typeof res.json.error.message, 'string');
    });
  }

  const badSources: Array<[string, unknown]> = [
    ['no source', {}],
    ['landmarks with 3 points', { source: { path: SOURCE.path, opts: '1,2:3,4:5,6' } }],
    ['negative landmarks', { source: { path: SOURCE.path, opts: '-1,2:3,4:5,6:7,8' } }],
    ['landmarks as an array', { source: { path: SOURCE.path, opts: [SOURCE.opts] } }],
    ['a javascript: path', { source: { path: 'javascript:alert(1)', opts: SOURCE.opts } }],
  ];
  for (const [name, body] of badSources) {
    test(`sessions rejects ${name} with 400`, async () => {
      const res = await post(`${stack.endpoint}/sessions`, body);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.error.code, 'bad-request');
    });
  }

  test('unknown fields are ignored', async () => {
    const res = await post(`${stack.endpoint}/sessions`, { source: { ...SOURCE, extra: 1 }, hello: 'world' });
    assert.equal(res.status, 200, res.text);
  });

  test('EXIF orientation: width and height are reported as displayed', async () => {
    const rotated = await sharp(samplePhoto(4)).resize(960).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const res = await post(`${stack.endpoint}/detect`, { image: dataUrl(rotated) });
    assert.equal(res.status, 200, res.text);
    const stored = await sharp(rotated).metadata();
    assert.equal(stored.orientation, 6);
    assert.deepEqual([res.json.width, res.json.height], [stored.height, stored.width]);
    assert.ok(res.json.width < res.json.height, 'portrait after rotation');
    for (const face of res.json.faces) assert.ok(face.box[0] + face.box[2] <= res.json.width + 1 && face.box[1] + face.box[3] <= res.json.height + 1);
  });

  test('unknown routes are 404, wrong methods 405', async () => {
    const missing = await post(`${stack.endpoint}/nope`, {});
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.code, 'not-found');
    const get = await fetch(`${stack.endpoint}/sessions`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  });
});

describe('token endpoint: AKOOL business codes', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ sessionRateLimit: false });
  });
  after(() => stack.close());

  test('1003 → invalid-source 400, 1104/1006 → quota-exhausted 429, 1101/1102/1200 → unauthorized 401, 1005 → rate-limited 429, unknown → upstream-error 502', async () => {
    const cases: Array<[number, number, string]> = [
      [1003, 400, 'invalid-source'],
      [1104, 429, 'quota-exhausted'],
      [1006, 429, 'quota-exhausted'],
      [1101, 401, 'unauthorized'],
      [1102, 401, 'unauthorized'],
      [1200, 401, 'unauthorized'],
      [1005, 429, 'rate-limited'],
      [1999, 502, 'upstream-error'],
    ];
    for (const [code, status, stable] of cases) {
      stack.emulator.setFaults({ forceCode: code, paths: ['/live/create'] });
      const res = await post(`${stack.endpoint}/sessions`, { source: SOURCE });
      assert.equal(res.status, status, `code ${code}: ${res.text}`);
      assert.deepEqual(res.json.error.code, stable);
      assert.equal(res.json.error.upstreamCode, code);
    }
    stack.emulator.setFaults({});
  });

  test('a spent quota at the emulator → 1104 → quota-exhausted', async () => {
    stack.emulator.configure({ credit: 0 });
    const res = await post(`${stack.endpoint}/sessions`, { source: SOURCE });
    assert.equal(res.status, 429);
    assert.equal(res.json.error.code, 'quota-exhausted');
    assert.equal(res.json.error.upstreamCode, 1104);
    stack.emulator.configure({ credit: 1000 });
  });

  test('a wrong API key → 1101 → unauthorized; the key itself is never echoed', async () => {
    const wrong = await startStack({ auth: { apiKey: 'wrong-key-0000' } });
    try {
      const res = await post(`${wrong.endpoint}/sessions`, { source: SOURCE });
      assert.equal(res.status, 401);
      assert.equal(res.json.error.code, 'unauthorized');
      assert.equal(res.json.error.upstreamCode, 1101);
      assert.ok(!res.text.includes('wrong-key-0000'));
    } finally {
      await wrong.close();
    }
  });

  test('clientId/clientSecret auth goes through getToken and Bearer', async () => {
    const bearer = await startStack({ auth: { clientId: 'cid-1', clientSecret: 'csecret-1' } }, { clientId: 'cid-1', clientSecret: 'csecret-1' });
    try {
      const res = await post(`${bearer.endpoint}/sessions`, { source: SOURCE });
      assert.equal(res.status, 200, res.text);
    } finally {
      await bearer.close();
    }
  });
});

describe('token endpoint: upstream failures', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ upstreamTimeoutMs: 300, sessionRateLimit: false });
  });
  after(() => stack.close());

  test('an upstream that never answers → 504 upstream-error after the timeout', async () => {
    stack.emulator.setFaults({ hang: true, paths: ['/live/create'] });
    const started = Date.now();
    const res = await post(`${stack.endpoint}/sessions`, { source: SOURCE });
    assert.equal(res.status, 504);
    assert.equal(res.json.error.code, 'upstream-error');
    assert.ok(Date.now() - started < 5000);
    stack.emulator.setFaults({});
  });

  test('an upstream that answers HTML → 502 upstream-error', async () => {
    stack.emulator.setFaults({ malformedJson: true });
    const res = await post(`${stack.endpoint}/sessions`, { source: SOURCE });
    assert.equal(res.status, 502);
    assert.equal(res.json.error.code, 'upstream-error');
    stack.emulator.setFaults({});
  });

  test('an upstream HTTP 500 → 502; an unreachable upstream → 503', async () => {
    stack.emulator.setFaults({ forceHttpStatus: 500 });
    const res = await post(`${stack.endpoint}/sessions`, { source: SOURCE });
    assert.equal(res.status, 502);
    stack.emulator.setFaults({});
    const dead = createFaceswapHandler({ auth: { apiKey: API_KEY }, baseUrl: 'http://127.0.0.1:9', secret: SECRET, reaperIntervalMs: 0 });
    const answer = await dead(new Request('http://x/api/faceswap/sessions', { method: 'POST', body: JSON.stringify({ source: SOURCE }) }));
    assert.equal(answer.status, 503);
    assert.equal((await answer.json()).error.code, 'upstream-error');
  });

  test('a slow-but-in-time upstream still works (latency fault)', async () => {
    stack.emulator.setFaults({ latencyMs: 100 });
    const res = await post(`${stack.endpoint}/sessions`, { source: SOURCE });
    assert.equal(res.status, 200);
    stack.emulator.setFaults({});
  });

  test('a heartbeat survives a failing status call', async () => {
    const grant = (await post(`${stack.endpoint}/sessions`, { source: SOURCE })).json;
    stack.emulator.setFaults({ forceHttpStatus: 404, paths: ['/live/info'] });
    const beat = await post(`${stack.endpoint}/sessions/${grant.sessionId}/heartbeat`, { sessionKey: grant.sessionKey });
    assert.equal(beat.status, 200, beat.text);
    assert.equal(beat.json.status, 'queued', 'falls back to the status create returned');
    stack.emulator.setFaults({});
  });
});

describe('token endpoint: reaper and maximum length', () => {
  test('a session without heartbeats is closed by the reaper; one with heartbeats stays', async () => {
    let clock = Date.now();
    const stack = await startStack({ heartbeatTimeoutMs: 1000, now: () => clock });
    try {
      const abandoned = (await post(`${stack.endpoint}/sessions`, { source: SOURCE })).json;
      const alive = (await post(`${stack.endpoint}/sessions`, { source: SOURCE })).json;
      clock += 700;
      await post(`${stack.endpoint}/sessions/${alive.sessionId}/heartbeat`, { sessionKey: alive.sessionKey });
      assert.deepEqual(await stack.handler.reap(), []);
      clock += 700;
      assert.deepEqual(await stack.handler.reap(), [abandoned.sessionId]);
      const upstream = stack.emulator.sessions();
      assert.equal(upstream.find((s) => s._id === abandoned.sessionId)?.closed, true);
      assert.equal(upstream.find((s) => s._id === alive.sessionId)?.closed, false);
      assert.equal((await stack.handler.store.get(abandoned.sessionId))?.closeReason, 'heartbeat-timeout');
      const late = await post(`${stack.endpoint}/sessions/${abandoned.sessionId}/heartbeat`, { sessionKey: abandoned.sessionKey });
      assert.equal(late.status, 409);
    } finally {
      await stack.close();
    }
  });

  test('the reaper timer runs by itself', async () => {
    const stack = await startStack({ heartbeatTimeoutMs: 200, reaperIntervalMs: 50 });
    try {
      const grant = (await post(`${stack.endpoint}/sessions`, { source: SOURCE })).json;
      const until = Date.now() + 5000;
      while (!stack.emulator.sessions().find((s) => s._id === grant.sessionId)?.closed && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(stack.emulator.sessions().find((s) => s._id === grant.sessionId)?.closed, true);
    } finally {
      await stack.close();
    }
  });

  test('a session past its maximum length is closed even with heartbeats', async () => {
    let clock = Date.now();
    const stack = await startStack({ heartbeatTimeoutMs: 10_000, maxSessionMs: 3000, now: () => clock });
    try {
      const grant = (await post(`${stack.endpoint}/sessions`, { source: SOURCE })).json;
      assert.equal(Date.parse(grant.expiresAt), clock + 3000);
      for (let i = 0; i < 2; i++) {
        clock += 1000;
        assert.equal((await post(`${stack.endpoint}/sessions/${grant.sessionId}/heartbeat`, { sessionKey: grant.sessionKey })).status, 200);
        assert.deepEqual(await stack.handler.reap(), []);
      }
      clock += 1000;
      assert.deepEqual(await stack.handler.reap(), [grant.sessionId]);
      assert.equal((await stack.handler.store.get(grant.sessionId))?.closeReason, 'max-length');
      assert.equal(stack.emulator.sessions().find((s) => s._id === grant.sessionId)?.closed, true);
    } finally {
      await stack.close();
    }
  });

  test('a heartbeat past the maximum length closes the session and answers 409', async () => {
    let clock = Date.now();
    const stack = await startStack({ maxSessionMs: 1000, now: () => clock });
    try {
      const grant = (await post(`${stack.endpoint}/sessions`, { source: SOURCE })).json;
      clock += 1500;
      const beat = await post(`${stack.endpoint}/sessions/${grant.sessionId}/heartbeat`, { sessionKey: grant.sessionKey });
      assert.equal(beat.status, 409);
      assert.match(beat.json.error.message, /max-length/);
      assert.equal(stack.emulator.sessions().find((s) => s._id === grant.sessionId)?.closed, true);
    } finally {
      await stack.close();
    }
  });

  test('a failed upstream close is retried by the next reaper pass, and each session is closed once', async () => {
    let clock = Date.now();
    const stack = await startStack({ heartbeatTimeoutMs: 1000, now: () => clock, logger: { warn() {}, error() {} } });
    try {
      const grant = (await post(`${stack.endpoint}/sessions`, { source: SOURCE })).json;
      clock += 2000;
      stack.emulator.setFaults({ forceHttpStatus: 500, paths: ['/live/close'] });
      assert.deepEqual(await stack.handler.reap(), []);
      stack.emulator.setFaults({});
      // Two passes racing: only one wins the claim.
      const [a, b] = await Promise.all([stack.handler.reap(), stack.handler.reap()]);
      assert.deepEqual([...a, ...b], [grant.sessionId]);
    } finally {
      await stack.close();
    }
  });
});

describe('token endpoint: CORS and rate limits', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ allowedOrigins: ['https://shop.example'], sessionRateLimit: { max: 3, windowMs: 60_000 } });
  });
  after(() => stack.close());

  test('an allowed origin gets CORS headers and a preflight answer', async () => {
    const preflight = await fetch(`${stack.endpoint}/sessions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.match(preflight.headers.get('access-control-allow-methods')!, /POST/);
    assert.match(preflight.headers.get('access-control-allow-headers')!, /content-type/);
    const health = await fetch(`${stack.endpoint}/health`, { headers: { origin: 'https://shop.example' } });
    assert.equal(health.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.equal(health.headers.get('vary'), 'Origin');
  });

  test('another origin is refused (403) with no CORS header; same-origin calls pass', async () => {
    const preflight = await fetch(`${stack.endpoint}/sessions`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const res = await post(`${stack.endpoint}/sessions`, { source: SOURCE }, { origin: 'https://evil.example' });
    assert.equal(res.status, 403);
    assert.equal(res.json.error.code, 'forbidden');
    assert.equal(stack.emulator.sessions().length, 0, 'no session was created for the refused origin');
    const same = await fetch(`${stack.endpoint}/health`, { headers: { origin: stack.origin } });
    assert.equal(same.status, 200);
  });

  test('session creation is rate-limited per client address', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 4; i++) {
      last = await post(`${stack.endpoint}/sessions`, { source: SOURCE });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.equal(last!.json.error.code, 'rate-limited');
    assert.ok(Number(last!.headers.get('retry-after')) >= 1);
    // Another address has its own budget.
    const res = await stack.handler(new Request(`${stack.endpoint}/sessions`, { method: 'POST', body: JSON.stringify({ source: SOURCE }) }), {
      clientAddress: '203.0.113.9',
    });
    assert.equal(res.status, 200);
  });
});

describe('token endpoint: secrets', () => {
  test('the API key appears in no response body or header', async () => {
    const stack = await startStack({ sessionRateLimit: false });
    const seen: string[] = [];
    const record = (res: { text: string; headers: Headers }) => {
      seen.push(res.text);
      res.headers.forEach((value, name) => seen.push(`${name}: ${value}`));
    };
    try {
      const detect = await post(`${stack.endpoint}/detect`, { image: dataUrl(samplePhoto(5)) });
      record(detect);
      const grant = await post(`${stack.endpoint}/sessions`, { source: detect.json.faces[0].source });
      record(grant);
      const { sessionId, sessionKey } = grant.json;
      for (const action of ['source', 'heartbeat', 'close']) {
        record(await post(`${stack.endpoint}/sessions/${sessionId}/${action}`, { sessionKey, source: SOURCE }));
      }
      for (const code of [1101, 1102, 1003, 1104]) {
        stack.emulator.setFaults({ forceCode: code });
        record(await post(`${stack.endpoint}/sessions`, { source: SOURCE }));
        record(await post(`${stack.endpoint}/detect`, { url: 'https://example.com/a.jpg' }));
      }
      stack.emulator.setFaults({ malformedJson: true });
      record(await post(`${stack.endpoint}/sessions`, { source: SOURCE }));
      stack.emulator.setFaults({});
      const health = await fetch(`${stack.endpoint}/health`);
      record({ text: await health.text(), headers: health.headers });
      assert.ok(seen.length > 20);
      for (const item of seen) {
        assert.ok(!item.includes(API_KEY), `leaked in: ${item.slice(0, 120)}`);
        assert.ok(!item.includes(SECRET), `secret leaked in: ${item.slice(0, 120)}`);
      }
    } finally {
      await stack.close();
    }
  });
});

describe('node adapter', () => {
  test('works after an Express-style body parser consumed the stream', async () => {
    const emulatorStack = await startStack();
    const handler = createFaceswapHandler({ auth: { apiKey: API_KEY }, baseUrl: emulatorStack.emulator.url, secret: SECRET, reaperIntervalMs: 0 });
    const listener = toNodeListener(handler);
    // What express.json() does: read the body, parse it into req.body, call the next middleware.
    const http = await listen((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        (req as IncomingMessage & { body?: unknown }).body = JSON.parse(text);
        listener(req, res);
      });
    });
    try {
      const res = await post(`${http.url}/api/faceswap/sessions`, { source: SOURCE });
      assert.equal(res.status, 200, res.text);
      assert.match(res.json.sessionId, /^[0-9a-f]{24}$/);
    } finally {
      handler.close();
      await http.close();
      await emulatorStack.close();
    }
  });

  test('passes the socket address as the client address and honours an Express mount (originalUrl)', async () => {
    const seen: Array<string | undefined> = [];
    const listener = toNodeListener(async (request, context) => {
      seen.push(context?.clientAddress, new URL(request.url).pathname);
      return new Response('{}');
    });
    const http = await listen((req, res) => {
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = `/mounted${req.url}`;
      listener(req, res);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        httpRequest(`${http.url}/x`, (res) => res.resume().on('end', resolve))
          .on('error', reject)
          .end();
      });
      assert.deepEqual(seen, ['127.0.0.1', '/mounted/x']);
    } finally {
      await http.close();
    }
  });
});
