// The token endpoint and AkoolClient against the emulator in each reading of AKOOL's open questions
// (src/server/emulator/readings.ts): every reading must give the same, correct behaviour.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codeForAkool } from '../../src/server/akool-client.js';
import { regionToBox } from '../../src/server/detect-result.js';
import { createEmulator, type EmulatorReadings } from '../../src/server/emulator/server.js';
import { createFaceswapHandler } from '../../src/server/handler.js';
import { API_KEY, SECRET, SOURCE } from './server-helpers.js';

function rig(readings: Partial<EmulatorReadings> = {}, handlerOptions: { heartbeatTimeoutMs?: number; now?: () => number } = {}) {
  const emulator = createEmulator({ apiKey: API_KEY, readings: { queueMs: 0, ...readings } });
  const calls: string[] = [];
  const warnings: string[] = [];
  const handler = createFaceswapHandler({
    auth: { apiKey: API_KEY },
    baseUrl: 'http://akool.test',
    secret: SECRET,
    reaperIntervalMs: 0,
    sessionRateLimit: false,
    detectRateLimit: false,
    logger: { warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) },
    fetch: async (input, init) => {
      calls.push(new URL(String(input)).pathname);
      return emulator.handle(new Request(input, init));
    },
    ...handlerOptions,
  });
  const post = async (path: string, body: unknown) => {
    const response = await handler(new Request(`http://site.test/api/faceswap${path}`, { method: 'POST', body: JSON.stringify(body) }));
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  };
  return { emulator, handler, calls, warnings, post };
}

describe('AKOOL readings: detect errors', () => {
  for (const detectErrors of ['http-200', 'http-4xx'] as const) {
    test(`detectErrors=${detectErrors}: a photo URL AKOOL cannot download is invalid-source (400) with AKOOL's message`, async () => {
      const { post, handler } = rig({ detectErrors });
      const answer = await post('/detect', { url: 'https://photos.example.com/face.jpg' });
      assert.equal(answer.status, 400, JSON.stringify(answer.json));
      assert.equal(answer.json.error.code, 'invalid-source');
      assert.match(answer.json.error.message, /Failed to download media/);
      assert.equal(answer.json.error.upstreamCode, 1);
      handler.close();
    });
  }

  test('a plain-http photo or source URL is refused before AKOOL is called', async () => {
    const { post, calls, handler } = rig();
    assert.equal((await post('/detect', { url: 'http://photos.example.com/face.jpg' })).status, 400);
    assert.equal((await post('/sessions', { source: { ...SOURCE, path: 'http://photos.example.com/face.jpg' } })).status, 400);
    assert.deepEqual(calls, []);
    handler.close();
  });
});

describe('AKOOL readings: every global business code', () => {
  const expected: Array<[number, string, number, boolean]> = [
    [1003, 'invalid-source', 400, true],
    [1004, 'unauthorized', 401, true],
    [1005, 'rate-limited', 429, false],
    [1006, 'quota-exhausted', 429, true],
    [1007, 'invalid-source', 400, true],
    [1008, 'not-found', 404, false],
    [1009, 'unauthorized', 401, true],
    [1101, 'unauthorized', 401, true],
    [1102, 'unauthorized', 401, true],
    [1103, 'quota-exhausted', 429, true],
    [1104, 'quota-exhausted', 429, true],
    [1200, 'unauthorized', 401, true],
    [1213, 'quota-exhausted', 429, true],
    [1221, 'quota-exhausted', 429, true],
  ];
  for (const businessErrors of ['http-200', 'http-4xx'] as const) {
    test(`businessErrors=${businessErrors}: create maps each code to its stable code and HTTP status`, async () => {
      const { post, emulator, handler } = rig({ businessErrors });
      for (const [code, stable, status] of expected) {
        emulator.setFaults({ forceCode: code, paths: ['/live/create'] });
        const answer = await post('/sessions', { source: SOURCE });
        assert.deepEqual([answer.status, answer.json.error?.code, answer.json.error?.upstreamCode], [status, stable, code], `code ${code}`);
      }
      handler.close();
    });
  }

  test('fatal follows the stable code', async () => {
    const { FaceswapError } = await import('../../src/core/errors.js');
    for (const [code, , , fatal] of expected) assert.equal(new FaceswapError(codeForAkool(code) as never).fatal, fatal, `code ${code}`);
  });
});

describe('AKOOL readings: sessions', () => {
  for (const closeEnded of [1000, 1003, 1008, 1014] as const) {
    for (const businessErrors of ['http-200', 'http-4xx'] as const) {
      test(`closeEnded=${closeEnded}, ${businessErrors}: closing a session AKOOL already ended is ok, and the reaper does not retry it`, async () => {
        let clock = Date.now();
        const { post, emulator, handler, calls, warnings } = rig({ closeEnded, businessErrors }, { heartbeatTimeoutMs: 1000, now: () => clock });
        const a = (await post('/sessions', { source: SOURCE })).json;
        const b = (await post('/sessions', { source: SOURCE })).json;
        emulator.endSession(a.sessionId);
        emulator.endSession(b.sessionId);
        assert.deepEqual(await post(`/sessions/${a.sessionId}/close`, { sessionKey: a.sessionKey }), { status: 200, json: { ok: true } });
        clock += 5000;
        assert.deepEqual(await handler.reap(), [b.sessionId]);
        assert.deepEqual(await handler.reap(), []);
        assert.equal(calls.filter((p) => p.endsWith('/live/close')).length, 2);
        assert.deepEqual(warnings, []);
        assert.equal(emulator.state().openSessions, 0);
        handler.close();
      });
    }
  }

  test('liveInfo=absent: the status call is made once, then never again; heartbeats still answer', async () => {
    const { post, handler, calls } = rig({ liveInfo: 'absent', queueMs: 60_000 });
    const grant = (await post('/sessions', { source: SOURCE })).json;
    for (let i = 0; i < 3; i++) {
      const beat = await post(`/sessions/${grant.sessionId}/heartbeat`, { sessionKey: grant.sessionKey });
      assert.equal(beat.json.status, 'queued');
    }
    assert.equal(calls.filter((p) => p.endsWith('/live/info')).length, 1);
    await post(`/sessions/${grant.sessionId}/close`, { sessionKey: grant.sessionKey });
    handler.close();
  });

  test('liveInfo=present: a queued session turns ready when AKOOL says so (emulator clock moved, no waiting)', async () => {
    const { post, handler, emulator } = rig({ queueMs: 90_000 });
    const grant = (await post('/sessions', { source: SOURCE })).json;
    assert.equal(grant.status, 'queued');
    emulator.advanceClock(90_000);
    assert.equal((await post(`/sessions/${grant.sessionId}/heartbeat`, { sessionKey: grant.sessionKey })).json.status, 'ready');
    await post(`/sessions/${grant.sessionId}/close`, { sessionKey: grant.sessionKey });
    handler.close();
  });

  for (const appId of ['empty', 'filled'] as const) {
    test(`appId=${appId}: the grant carries the App ID, resolved on the server`, async () => {
      const { post, handler } = rig({ appId });
      const grant = (await post('/sessions', { source: SOURCE })).json;
      assert.match(grant.rtc.appId, /^[0-9a-f]{32}$/);
      await post(`/sessions/${grant.sessionId}/close`, { sessionKey: grant.sessionKey });
      handler.close();
    });
  }

  for (const videoUid of ['algorithm', 'other', 'announced'] as const) {
    test(`videoUid=${videoUid}: remoteUid is AKOOL's algorithm_user_id when it names one`, async () => {
      const { post, handler, emulator } = rig({ videoUid });
      const grant = (await post('/sessions', { source: SOURCE })).json;
      const session = emulator.sessions()[0]!;
      assert.equal(grant.rtc.remoteUid, session.algorithm_user_id === '' ? undefined : Number(session.algorithm_user_id));
      assert.equal(videoUid === 'algorithm', session.video_uid === session.algorithm_user_id);
      await post(`/sessions/${grant.sessionId}/close`, { sessionKey: grant.sessionKey });
      handler.close();
    });
  }
});

describe('AKOOL readings: region', () => {
  // AKOOL's detect-faces example: region [150,261,437,661] with these landmarks (left mouth corner 4th).
  const points: Array<[number, number]> = [
    [249, 510],
    [460, 516],
    [343, 657],
    [254, 739],
  ];
  test('the documented example reads as [x, y, w, h]', () => {
    assert.deepEqual(regionToBox([150, 261, 437, 661], points), [150, 261, 437, 661]);
  });
  test('when both readings hold the landmarks, [x, y, w, h] (the documented one) wins', () => {
    assert.deepEqual(regionToBox([240, 500, 470, 750], points), [240, 500, 470, 750]);
  });
  test('corners only when [x, y, w, h] cannot hold the face', () => {
    assert.deepEqual(
      regionToBox(
        [200, 450, 500, 800],
        [
          [249, 510],
          [460, 516],
          [343, 657],
          [254, 739],
        ],
        { width: 600, height: 900 },
      ),
      [200, 450, 300, 350],
    );
  });
});
