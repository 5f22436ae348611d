// Security properties of the token endpoint and the emulator: the API key in no answer, header,
// log line or built browser file; sessionKey forgery and replay fail; disallowed origins are refused; the
// handler never fetches a caller's URL; the emulator downloads only from its own and configured origins
// (no SSRF, not even through a forged Host header); upload limits hold before AKOOL is asked.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createFaceswapHandler } from '../../src/server/handler.js';
import { toNodeListener } from '../../src/server/node-adapter.js';
import { API_KEY, SECRET, SOURCE, dataUrl, listen, post, samplePhoto, startStack, type Stack } from './server-helpers.js';

const CLIENT_SECRET = 'client-secret-canary-9d3b7f';

/** A server that must never be contacted: it counts every request. */
async function canary() {
  let hits = 0;
  const server = await listen((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(samplePhoto(1));
  });
  return { ...server, hits: () => hits };
}

describe('secrets stay on the server', () => {
  let stack: Stack;
  const logLines: string[] = [];
  const restoreConsole: Array<() => void> = [];

  before(async () => {
    // Everything written to the console during these tests is checked too, not only the handler's logger.
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[method];
      console[method] = (...args: unknown[]) => {
        logLines.push(args.map(String).join(' '));
      };
      restoreConsole.push(() => (console[method] = original));
    }
    stack = await startStack(
      { upstreamTimeoutMs: 400, logger: { warn: (m: string) => logLines.push(m), error: (m: string) => logLines.push(m) } },
      { clientSecret: CLIENT_SECRET },
    );
  });

  after(async () => {
    for (const restore of restoreConsole) restore();
    await stack.close();
  });

  it('the API key and client secret appear in no answer, header or log line, through every success and failure', async () => {
    const answers: string[] = [];
    const record = (r: { status: number; headers: Headers; text: string }) => answers.push(`${r.status} ${JSON.stringify([...r.headers])} ${r.text}`);
    const flow = async (endpoint: string) => {
      const grant = await post(`${endpoint}/sessions`, { source: SOURCE });
      record(grant);
      if (grant.status === 200) {
        const { sessionId, sessionKey } = grant.json;
        for (const action of ['source', 'heartbeat', 'close'])
          record(await post(`${endpoint}/sessions/${sessionId}/${action}`, { sessionKey, source: SOURCE }));
      }
      record(await post(`${endpoint}/detect`, { image: dataUrl(samplePhoto(3)), singleFace: true }));
    };
    await flow(stack.endpoint);
    for (const faults of [
      { forceCode: 1101 },
      { forceCode: 1104 },
      { forceCode: 1003 },
      { forceHttpStatus: 500 },
      { forceHttpStatus: 401 },
      { malformedJson: true },
      { hang: true },
    ]) {
      stack.emulator.setFaults(faults);
      await flow(stack.endpoint);
    }
    stack.emulator.setFaults({});
    // The legacy pair goes through getToken: neither half may leak either.
    const legacy = createFaceswapHandler({
      auth: { clientId: 'emulator-client-id', clientSecret: CLIENT_SECRET },
      baseUrl: stack.emulator.url,
      secret: SECRET,
      reaperIntervalMs: 0,
      logger: { warn: (m: string) => logLines.push(m), error: (m: string) => logLines.push(m) },
    });
    const legacyServer = await listen(toNodeListener(legacy));
    try {
      await flow(`${legacyServer.url}/api/faceswap`);
      stack.emulator.setFaults({ forceCode: 1101 });
      await flow(`${legacyServer.url}/api/faceswap`);
    } finally {
      stack.emulator.setFaults({});
      legacy.close();
      await legacyServer.close();
    }
    assert.ok(answers.length >= 20, `${answers.length} answers`);
    const statuses = new Set(answers.map((a) => a.slice(0, 3)));
    for (const status of ['200', '401', '429', '502', '504']) assert.ok(statuses.has(status), `${status} among ${[...statuses]}`);
    for (const secret of [API_KEY, CLIENT_SECRET]) {
      assert.deepEqual(
        answers.filter((a) => a.includes(secret)),
        [],
        'no answer carries a credential',
      );
      assert.deepEqual(
        logLines.filter((l) => l.includes(secret)),
        [],
        'no log line carries a credential',
      );
    }
  });

  it('the built browser files carry no credential, even with one in the build environment', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'faceswap-build-'));
    try {
      const canaryKey = 'akool-key-canary-41c7e0';
      const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
        env: { ...process.env, AKOOL_API_KEY: canaryKey, VITE_AKOOL_API_KEY: canaryKey, FACESWAP_SECRET: canaryKey },
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(build.status, 0, build.stderr);
      const files = readdirSync(outDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
      assert.ok(
        files.some((f) => f.name === 'index.js'),
        'the registering entry was built',
      );
      for (const file of files) {
        const text = readFileSync(join(file.parentPath, file.name), 'utf8');
        assert.ok(!text.includes(canaryKey), `${file.name} contains the build-time key`);
        assert.ok(!text.includes(API_KEY) && !/emulator-api-key/.test(text), `${file.name} contains a server credential`);
        assert.ok(!/x-api-key/i.test(text), `${file.name} talks to AKOOL directly`);
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});

describe('sessionKey forgery and replay', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  it("another session's key, a key from another deployment's secret, and tampered keys are all refused", async () => {
    const a = (await post(`${stack.endpoint}/sessions`, { source: SOURCE })).json;
    const b = (await post(`${stack.endpoint}/sessions`, { source: SOURCE })).json;
    const other = await startStack({ secret: 'another-deployment-secret-000' });
    const foreign = (await post(`${other.endpoint}/sessions`, { source: SOURCE })).json;
    await other.close();
    // The same session id signed under another secret: valid shape, wrong MAC.
    const { SessionKeys } = await import('../../src/server/session-key.js');
    const forgedForA = await new SessionKeys('another-deployment-secret-000').sign(a.sessionId);
    const flip = (key: string) => (key[0] === 'A' ? 'B' : 'A') + key.slice(1);
    const attempts = [b.sessionKey, foreign.sessionKey, forgedForA, flip(a.sessionKey), a.sessionKey.slice(0, 40), a.sessionKey + 'AA', 'A'.repeat(43)];
    for (const action of ['heartbeat', 'source', 'close']) {
      for (const sessionKey of attempts) {
        const answer = await post(`${stack.endpoint}/sessions/${a.sessionId}/${action}`, { sessionKey, source: SOURCE });
        assert.equal(answer.status, 403, `${action} with a forged key: ${answer.text}`);
        assert.equal(answer.json.error.code, 'forbidden');
      }
    }
    const session = stack.emulator.sessions().find((s) => s._id === a.sessionId)!;
    assert.equal(session.closed, false, 'no forged call closed it');
    assert.equal(session.updates, 0, 'no forged call changed its face');
    // B's own key still works on B only.
    assert.equal((await post(`${stack.endpoint}/sessions/${b.sessionId}/close`, { sessionKey: b.sessionKey })).status, 200);
    assert.equal((await post(`${stack.endpoint}/sessions/${a.sessionId}/close`, { sessionKey: a.sessionKey })).status, 200);
  });

  it("replaying a closed session's own calls cannot reopen it or change it", async () => {
    const { sessionId, sessionKey } = (await post(`${stack.endpoint}/sessions`, { source: SOURCE })).json;
    assert.equal((await post(`${stack.endpoint}/sessions/${sessionId}/close`, { sessionKey })).status, 200);
    const beat = await post(`${stack.endpoint}/sessions/${sessionId}/heartbeat`, { sessionKey });
    const source = await post(`${stack.endpoint}/sessions/${sessionId}/source`, { sessionKey, source: SOURCE });
    assert.deepEqual([beat.status, source.status], [409, 409]);
    assert.deepEqual((await post(`${stack.endpoint}/sessions/${sessionId}/close`, { sessionKey })).json, { ok: true }, 'a repeated close is harmless');
    const session = stack.emulator.sessions().find((s) => s._id === sessionId)!;
    assert.equal(session.closed, true);
    assert.equal(session.updates, 0);
  });
});

describe('origins', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ allowedOrigins: ['https://shop.example'] });
  });
  after(() => stack.close());

  it('refuses every origin but the configured ones and its own, on every route, before AKOOL is asked', async () => {
    const before = stack.emulator.state().sessions;
    const host = new URL(stack.endpoint).host;
    for (const origin of [
      'https://evil.example',
      'null',
      `http://${host}.evil.example`,
      'https://shop.example.evil.example',
      'http://shop.example',
      `https://${host}:1`,
    ]) {
      for (const path of ['/sessions', '/detect', '/sessions/0123456789abcdef01234567/close', '/health']) {
        const answer = await fetch(`${stack.endpoint}${path}`, {
          method: path === '/health' ? 'GET' : 'POST',
          headers: { origin, 'content-type': 'application/json' },
          body: path === '/health' ? undefined : JSON.stringify({ source: SOURCE, sessionKey: 'x', url: 'https://example.com/a.jpg' }),
        });
        assert.equal(answer.status, 403, `${origin} ${path}`);
        assert.equal(answer.headers.get('access-control-allow-origin'), null);
      }
      const preflight = await fetch(`${stack.endpoint}/sessions`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      assert.equal(preflight.status, 403);
      assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    }
    assert.equal(stack.emulator.state().sessions, before, 'no refused call reached AKOOL');
    const allowed = await post(`${stack.endpoint}/sessions`, { source: SOURCE }, { origin: 'https://shop.example' });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example');
    const own = await post(`${stack.endpoint}/sessions/${allowed.json.sessionId}/close`, { sessionKey: allowed.json.sessionKey }, { origin: `http://${host}` });
    assert.equal(own.status, 200);
  });
});

describe('no server-side request forgery', () => {
  it('the handler never fetches a URL a caller sends; it only ever calls its AKOOL base URL', async () => {
    const trap = await canary();
    const fetched: string[] = [];
    const stack = await startStack({
      fetch: async (input, init) => {
        fetched.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    });
    try {
      const urls = [
        `${trap.url}/face.jpg`,
        `${trap.url}/redirect?to=http://169.254.169.254/`,
        'http://169.254.169.254/latest/meta-data/',
        'http://127.0.0.1:6379/',
      ];
      for (const url of urls) {
        await post(`${stack.endpoint}/detect`, { url });
        const grant = await post(`${stack.endpoint}/sessions`, { source: { ...SOURCE, path: url } });
        if (grant.status === 200) {
          await post(`${stack.endpoint}/sessions/${grant.json.sessionId}/source`, { sessionKey: grant.json.sessionKey, source: { ...SOURCE, path: url } });
          await post(`${stack.endpoint}/sessions/${grant.json.sessionId}/close`, { sessionKey: grant.json.sessionKey });
        }
      }
      assert.ok(fetched.length > 0);
      assert.deepEqual(
        fetched.filter((u) => !u.startsWith(stack.emulator.url + '/')),
        [],
        'the handler only calls AKOOL',
      );
      assert.equal(trap.hits(), 0, 'the emulator was not allowed to fetch it either');
    } finally {
      await stack.close();
      await trap.close();
    }
  });

  it('the emulator downloads from its configured origins only, even when the Host header claims another', async () => {
    const trap = await canary();
    const permitted = await canary();
    const stack = await startStack({}, { allowedFetchOrigins: [permitted.url] });
    try {
      const refused = await post(`${stack.endpoint}/detect`, { url: `${trap.url}/face.jpg` });
      assert.equal(refused.status, 400, refused.text);
      const allowed = await post(`${stack.endpoint}/detect`, { url: `${permitted.url}/face.jpg` });
      assert.equal(permitted.hits(), 1, 'the configured origin is fetched');
      assert.ok(allowed.status === 200 || allowed.status === 400, allowed.text);
      // Straight at the emulator, with a Host header naming the trap: "its own origin" must not be taken from it.
      const trapHost = new URL(trap.url).host;
      const spoofed = await new Promise<string>((resolve, reject) => {
        const request = httpRequest(
          `${stack.emulator.url}/interface/detect-api/detect_faces`,
          { method: 'POST', headers: { host: trapHost, 'x-api-key': API_KEY, 'content-type': 'application/json' } },
          (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () => resolve(text));
          },
        );
        request.on('error', reject);
        request.end(JSON.stringify({ url: `http://${trapHost}/internal.jpg` }));
      });
      assert.match(spoofed, /"error_code":1/);
      assert.equal(trap.hits(), 0, 'no request reached the trap');
    } finally {
      await stack.close();
      await trap.close();
      await permitted.close();
    }
  });
});

describe('upload limits', () => {
  it('an image over the limit is refused with 413 before AKOOL is asked, by declared and by streamed size', async () => {
    const stack = await startStack({ maxImageBytes: 64 * 1024 });
    try {
      const photo = samplePhoto(1);
      assert.ok(photo.byteLength > 64 * 1024);
      const declared = await post(`${stack.endpoint}/detect`, { image: dataUrl(photo) });
      assert.equal(declared.status, 413, declared.text);
      assert.equal(declared.json.error.code, 'payload-too-large');
      // No content-length: a chunked body is cut off as it streams in.
      const streamed = await fetch(`${stack.endpoint}/detect`, {
        method: 'POST',
        body: new ReadableStream({
          start(controller) {
            const chunk = new TextEncoder().encode('{"image":"data:image/jpeg;base64,' + 'A'.repeat(64 * 1024));
            for (let i = 0; i < 8; i++) controller.enqueue(chunk);
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      assert.equal(streamed.status, 413);
      const small = await post(`${stack.endpoint}/sessions`, { source: SOURCE, pad: 'x'.repeat(20 * 1024) });
      assert.equal(small.status, 413, 'session calls have a small body limit');
      assert.equal(stack.emulator.state().detections, 0);
      assert.equal(stack.emulator.state().sessions, 0);
    } finally {
      await stack.close();
    }
  });
});
