// The AKOOL emulator over HTTP: AKOOL's paths, shapes and business codes, session state, billing, faults.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { startEmulator, type RunningEmulator } from '../../src/server/emulator/server.js';
import { API_KEY, SOURCE, listen, post } from './server-helpers.js';

const CREATE = '/api/open/v3/faceswap/live/create';
const UPDATE = '/api/open/v3/faceswap/live/update';
const CLOSE = '/api/open/v3/faceswap/live/close';
const INFO = '/api/open/v3/faceswap/live/info';
const auth = { 'x-api-key': API_KEY };

/** Reads an Agora AccessToken2 the way a client recovering the App ID would. */
function readAccessToken2(token: string) {
  assert.ok(token.startsWith('007'));
  const data = inflateSync(Buffer.from(token.slice(3), 'base64'));
  let at = 0;
  const u16 = () => ((at += 2), data.readUInt16LE(at - 2));
  const u32 = () => ((at += 4), data.readUInt32LE(at - 4));
  const str = () => {
    const n = u16();
    at += n;
    return data.subarray(at - n, at);
  };
  const signature = str();
  const appId = str().toString();
  const issuedAt = u32();
  const expire = u32();
  u32(); // salt
  const services = u16();
  const type = u16();
  const privileges = Array.from({ length: u16() }, () => [u16(), u32()]);
  return {
    signatureLength: signature.length,
    appId,
    issuedAt,
    expire,
    services,
    type,
    privileges,
    channel: str().toString(),
    uid: str().toString(),
    rest: data.length - at,
  };
}

describe('emulator: auth', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ apiKey: API_KEY, clientId: 'cid', clientSecret: 'csecret' });
  });
  after(() => emu.close());

  test('no auth → 1102, a wrong key → 1101, the right key → 1000', async () => {
    assert.equal((await post(emu.url + CREATE, { sourceImage: [SOURCE] })).json.code, 1102);
    assert.equal((await post(emu.url + CREATE, { sourceImage: [SOURCE] }, { 'x-api-key': 'nope' })).json.code, 1101);
    assert.equal((await post(emu.url + CREATE, { sourceImage: [SOURCE] }, auth)).json.code, 1000);
  });

  test('getToken: empty → 1102, wrong → 1101, right → {code:1000, token}; Bearer works and wins over x-api-key', async () => {
    const tokenUrl = emu.url + '/api/open/v3/getToken';
    assert.equal((await post(tokenUrl, {})).json.code, 1102);
    assert.equal((await post(tokenUrl, { clientId: 'cid', clientSecret: 'bad' })).json.code, 1101);
    const ok = await post(tokenUrl, { clientId: 'cid', clientSecret: 'csecret' });
    assert.equal(ok.json.code, 1000);
    assert.equal(typeof ok.json.token, 'string');
    assert.equal((await post(emu.url + CREATE, { sourceImage: [SOURCE] }, { authorization: `Bearer ${ok.json.token}` })).json.code, 1000);
    const both = await post(emu.url + CREATE, { sourceImage: [SOURCE] }, { authorization: 'Bearer forged', 'x-api-key': API_KEY });
    assert.equal(both.json.code, 1101, 'Authorization takes precedence');
  });

  test('detect paths answer auth failures in error_code', async () => {
    const res = await post(emu.url + '/interface/detect-api/detect_faces', { url: 'https://example.com/a.jpg' });
    assert.equal(res.json.error_code, 1102);
  });
});

describe('emulator: sessions', () => {
  let emu: RunningEmulator;
  let clock = Date.UTC(2026, 10, 25, 9, 30, 15, 123);
  before(async () => {
    emu = await startEmulator({ apiKey: API_KEY, statusDelayMs: 2000, credit: 100, now: () => clock });
  });
  after(() => emu.close());

  test('create answers the documented shape with an AccessToken2 for uid "1"', async () => {
    const res = await post(emu.url + CREATE, { sourceImage: [SOURCE] }, auth);
    assert.equal(res.json.code, 1000);
    assert.equal(res.json.msg, 'OK');
    const data = res.json.data;
    assert.deepEqual(Object.keys(data).sort(), ['_id', 'algorithm_user_id', 'app_id', 'channel_id', 'faceswap_status', 'front_rtc_token', 'front_user_id']);
    assert.match(data._id, /^[0-9a-f]{24}$/);
    assert.equal(data.faceswap_status, 1);
    assert.equal(data.front_user_id, '1');
    assert.equal(data.algorithm_user_id, '3');
    assert.equal(data.app_id, '');
    assert.match(data.channel_id, /^20261125093015123_\d{4}$/);
    const token = readAccessToken2(data.front_rtc_token);
    assert.match(token.appId, /^[0-9a-f]{32}$/);
    assert.equal(token.signatureLength, 32);
    assert.equal(token.issuedAt, Math.floor(clock / 1000));
    assert.equal(token.expire, 3600);
    assert.deepEqual([token.services, token.type], [1, 1]);
    assert.deepEqual(token.privileges, [
      [1, 3600],
      [2, 3600],
      [3, 3600],
      [4, 3600],
    ]);
    assert.equal(token.channel, data.channel_id);
    assert.equal(token.uid, '1');
    assert.equal(token.rest, 0);
  });

  test('bad parameters → 1003', async () => {
    const cases: unknown[] = [
      {},
      { sourceImage: [] },
      { sourceImage: SOURCE },
      { sourceImage: [{ path: SOURCE.path }] },
      { sourceImage: [{ path: SOURCE.path, opts: '1,2:3,4' }] },
      { sourceImage: [{ path: 'not a url', opts: SOURCE.opts }] },
    ];
    for (const body of cases) assert.equal((await post(emu.url + CREATE, body, auth)).json.code, 1003, JSON.stringify(body));
    assert.equal((await post(emu.url + CREATE, 'not json', auth)).json.code, 1003);
    assert.equal((await post(emu.url + UPDATE, { _id: 'ffffffffffffffffffffffff', sourceImage: [SOURCE] }, auth)).json.code, 1003);
    assert.equal((await post(emu.url + CLOSE, {}, auth)).json.code, 1003);
    assert.equal((await post(emu.url + INFO, { _id: 'nope' }, auth)).json.code, 1003);
  });

  test('status 1 → 2 after the delay; update; close bills whole seconds and spends credit; 1104 when spent', async () => {
    const created = (await post(emu.url + CREATE, { sourceImage: [SOURCE] }, auth)).json.data;
    assert.equal((await post(emu.url + INFO, { _id: created._id }, auth)).json.data.faceswap_status, 1);
    clock += 2000;
    assert.equal((await post(emu.url + INFO, { _id: created._id }, auth)).json.data.faceswap_status, 2);
    assert.deepEqual((await post(emu.url + UPDATE, { _id: created._id, sourceImage: [SOURCE] }, auth)).json, { code: 1000, msg: 'OK' });
    clock += 40_500;
    const creditBefore = (await (await fetch(emu.url + '/api/open/v3/faceswap/quota/info', { headers: auth })).json()).data.credit;
    assert.deepEqual((await post(emu.url + CLOSE, { _id: created._id }, auth)).json, { code: 1000, msg: 'OK' });
    const session = emu.sessions().find((s) => s._id === created._id)!;
    assert.equal(session.billedSeconds, 43);
    assert.equal(session.updates, 1);
    assert.equal(session.faceswap_status, 3);
    assert.equal((await post(emu.url + UPDATE, { _id: created._id, sourceImage: [SOURCE] }, auth)).json.code, 1003, 'closed');
    const quota = await (await fetch(emu.url + '/api/open/v3/faceswap/quota/info', { headers: auth })).json();
    assert.equal(quota.code, 1000);
    // The first test's session is still open and running, so it counts too.
    assert.ok(quota.data.credit <= creditBefore && quota.data.credit < 100 - 43);

    clock += 100_000; // the open session from the first test now uses the rest of the credit
    const spent = await post(emu.url + CREATE, { sourceImage: [SOURCE] }, auth);
    assert.equal(spent.json.code, 1104);
  });
});

describe('emulator: faults and control API', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ apiKey: API_KEY, mountPath: '/akool-emulator' });
  });
  after(() => emu.close());
  const base = () => `${emu.url}/akool-emulator`;
  const setFaults = (faults: unknown) => post(`${base()}/__emulator/faults`, faults);

  test('mounted under a path, with a control API over HTTP', async () => {
    assert.equal((await post(`${base()}${CREATE}`, { sourceImage: [SOURCE] }, auth)).json.code, 1000);
    assert.equal((await post(`${emu.url}${CREATE}`, { sourceImage: [SOURCE] }, auth)).status, 404);
    const listed = await (await fetch(`${base()}/__emulator/sessions`)).json();
    assert.equal(listed.sessions.length, 1);
    assert.equal(listed.sessions[0].closed, false);
    const state = await (await fetch(`${base()}/__emulator/state`)).json();
    assert.equal(state.openSessions, 1);
    await post(`${base()}/__emulator/reset`, {});
    assert.equal((await (await fetch(`${base()}/__emulator/sessions`)).json()).sessions.length, 0);
  });

  test('forced code, HTTP status, malformed JSON, latency, path filter', async () => {
    await setFaults({ forceCode: 1104, paths: ['/live/create'] });
    assert.equal((await post(`${base()}${CREATE}`, { sourceImage: [SOURCE] }, auth)).json.code, 1104);
    assert.equal((await post(`${base()}${INFO}`, { _id: 'x' }, auth)).json.code, 1003, 'other paths unaffected');
    await setFaults({ forceHttpStatus: 503 });
    const http = await post(`${base()}${CREATE}`, { sourceImage: [SOURCE] }, auth);
    assert.equal(http.status, 503);
    assert.equal(http.json, undefined);
    await setFaults({ malformedJson: true });
    const html = await post(`${base()}${CREATE}`, { sourceImage: [SOURCE] }, auth);
    assert.equal(html.status, 200);
    assert.match(html.text, /^<html>/);
    await setFaults({ latencyMs: 200 });
    const started = Date.now();
    await post(`${base()}${INFO}`, { _id: 'x' }, auth);
    assert.ok(Date.now() - started >= 190);
    await fetch(`${base()}/__emulator/faults`, { method: 'DELETE' });
    assert.equal((await post(`${base()}${CREATE}`, { sourceImage: [SOURCE] }, auth)).json.code, 1000);
  });

  test('failureRate 1 fails every call, 0 none', async () => {
    await setFaults({ failureRate: 1 });
    assert.equal((await post(`${base()}${CREATE}`, { sourceImage: [SOURCE] }, auth)).status, 500);
    await setFaults({ failureRate: 0, forceCode: 1104 });
    assert.equal((await post(`${base()}${CREATE}`, { sourceImage: [SOURCE] }, auth)).json.code, 1000);
    await setFaults({});
  });

  test('hang holds the answer until the fault is cleared', async () => {
    await setFaults({ hang: true, paths: ['/live/info'] });
    let settled = false;
    const pending = post(`${base()}${INFO}`, { _id: 'x' }, auth).then((r) => ((settled = true), r));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(settled, false);
    await setFaults({});
    assert.equal((await pending).status, 503);
  });

  test('CORS preflight is open, as for AKOOL', async () => {
    const res = await fetch(`${base()}${CREATE}`, { method: 'OPTIONS', headers: { origin: 'https://a.example' } });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-allow-headers')!, /x-api-key/);
  });
});

describe('emulator: detect by URL only downloads from permitted origins', () => {
  test('its own origin and allowedFetchOrigins are fetched; anything else is refused without a request', async () => {
    let hits = 0;
    const elsewhere = await listen((_req, res) => {
      hits += 1;
      res.writeHead(404).end();
    });
    const emu = await startEmulator({ apiKey: API_KEY });
    const permissive = await startEmulator({ apiKey: API_KEY, allowedFetchOrigins: [elsewhere.url] });
    try {
      const refused = await post(`${emu.url}/interface/detect-api/detect_faces`, { url: `${elsewhere.url}/a.jpg` }, auth);
      assert.equal(refused.json.error_code, 1);
      assert.match(refused.json.error_msg, /Failed to download/);
      const metadata = await post(`${emu.url}/interface/detect-api/detect_faces`, { url: 'http://169.254.169.254/latest/meta-data' }, auth);
      assert.equal(metadata.json.error_code, 1);
      assert.equal(hits, 0);
      const allowed = await post(`${permissive.url}/interface/detect-api/detect_faces`, { url: `${elsewhere.url}/a.jpg` }, auth);
      assert.equal(allowed.json.error_code, 1);
      assert.equal(hits, 1, 'the allowed origin was asked');
      const invalid = await post(`${emu.url}/interface/detect-api/detect_faces`, { url: 'not a url' }, auth);
      assert.equal(invalid.json.error_msg, 'Invalid URL format');
      const none = await post(`${emu.url}/interface/detect-api/detect_faces`, {}, auth);
      assert.equal(none.json.error_msg, "Either 'url' or 'img' parameter must be provided");
    } finally {
      await emu.close();
      await permissive.close();
      await elsewhere.close();
    }
  });
});
