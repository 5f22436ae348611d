// `npm start` end to end: one port serving the demo page and the token endpoint on the in-process emulator,
// and the attacks that once ended the process or reached the emulator from the web (all on loopback).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../src/server/emulator/server.js';
import { API_KEY, SOURCE, dataUrl, post, samplePhoto } from './server-helpers.js';

let child: ChildProcess;
let base: string;
let control: string;
let port: number;
const root = fileURLToPath(new URL('../..', import.meta.url));

/** `npm start` with `env` (no HOST: the default must be loopback); resolves its URL and, in emulator mode, the control URL. */
async function startDemo(extraEnv: NodeJS.ProcessEnv) {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', ...extraEnv };
  if (!extraEnv.AKOOL_API_KEY) delete env.AKOOL_API_KEY;
  delete env.HOST;
  delete env.PUBLIC_URL;
  const demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const [url, controlUrl] = await new Promise<[string, string]>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL: ${out}`)), 90_000);
    demo.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const started = /demo: (http:\/\/\S+?)\/ /.exec(out);
      const controlLine = /emulator control \(loopback only\): (\S+)/.exec(out);
      if (started && (controlLine || extraEnv.AKOOL_API_KEY)) {
        clearTimeout(timer);
        resolve([started[1]!, controlLine?.[1] ?? '']);
      }
    });
    demo.stderr!.on('data', (chunk: Buffer) => (out += chunk));
    demo.once('exit', (code) => reject(new Error(`npm start exited (${code}): ${out}`)));
  });
  return { child: demo, url, controlUrl, port: Number(new URL(url).port) };
}

async function stopDemo(demo: ChildProcess): Promise<void> {
  if (demo.exitCode !== null) return;
  const exited = new Promise((resolve) => demo.once('exit', resolve));
  demo.kill('SIGTERM');
  await exited;
}

before(async () => {
  ({ child, url: base, controlUrl: control, port } = await startDemo({}));
});

after(() => stopDemo(child));

/** Sends bytes as they are (request targets fetch would normalise) and resolves the status line's code. */
function raw(request: string, toPort = port): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(toPort, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.setTimeout(30_000, () => socket.destroy(new Error('no answer')));
    socket.on('data', (chunk) => {
      answer += chunk;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status) {
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed without a status line: ${JSON.stringify(answer)}`)));
  });
}

const alive = async () => assert.deepEqual(await (await fetch(`${base}/api/faceswap/health`)).json(), { ok: true, engine: 'local' });

test('listens on loopback by default and serves the demo page and the token endpoint (local engine) on one port', async () => {
  assert.equal(new URL(base).hostname, '127.0.0.1');
  const page = await fetch(`${base}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  await alive();
});

test('detect → session → close runs on the in-process emulator, with same-origin face crops', async () => {
  const detect = await post(`${base}/api/faceswap/detect`, { image: dataUrl(samplePhoto(3)), singleFace: true });
  assert.equal(detect.status, 200, detect.text);
  const { source } = detect.json.faces[0];
  assert.ok(source.path.startsWith(`${base}/akool-emulator/faces/`), source.path);
  assert.equal((await fetch(source.path)).headers.get('content-type'), 'image/jpeg');
  const grant = await post(`${base}/api/faceswap/sessions`, { source });
  assert.equal(grant.json.engine, 'local');
  const close = await post(`${base}/api/faceswap/sessions/${grant.json.sessionId}/close`, { sessionKey: grant.json.sessionKey });
  assert.deepEqual(close.json, { ok: true });
  const { sessions } = await (await fetch(`${control}sessions`)).json();
  assert.equal(sessions.find((s: { _id: string }) => s._id === grant.json.sessionId).closed, true);
});

test('a malformed percent-escape or absolute-form target is answered 400, and the server lives on', async () => {
  assert.equal(await raw('GET /faceswap-engine/human/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), 400);
  assert.equal(await raw('GET http://[::1/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), 400);
  assert.equal(await raw('GET /x HTTP/1.1\r\nHost: [::1\r\n\r\n'), 400);
  await alive();
});

test('TRACE is 405; a foreign Host (DNS rebinding) is refused on /api, the emulator and the page', async () => {
  assert.equal(await raw('TRACE /api/faceswap/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), 405);
  assert.equal(await raw('TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), 405);
  for (const path of ['/api/faceswap/health', '/akool-emulator/faces/x.jpg', '/']) {
    assert.equal(await raw(`GET ${path} HTTP/1.1\r\nHost: rebind.example:${port}\r\n\r\n`), 403, path);
  }
  await alive();
});

test('/@fs/ serves no project file outside demo/, src/ and node_modules/', async () => {
  for (const file of ['package.json', 'scripts/start.ts', 'test/node/server-helpers.ts']) {
    const answer = await fetch(`${base}/@fs${root}${file}`);
    assert.notEqual(answer.status, 200, file);
    assert.doesNotMatch(await answer.text(), /createFaceswapHandler|"devDependencies"/, file);
  }
});

test('the emulator is not reachable from the public port: no control routes, no AKOOL paths, no default key', async () => {
  for (const path of ['/akool-emulator/__emulator/sessions', '/akool-emulator/__emulator/state']) {
    assert.equal((await fetch(`${base}${path}`)).status, 404, path);
  }
  assert.equal((await post(`${base}/akool-emulator/__emulator/config`, { credit: 0 })).status, 404);
  const create = await post(`${base}/akool-emulator/api/open/v3/faceswap/live/create`, { sourceImage: [] }, { 'x-api-key': 'emulator-api-key' });
  assert.equal(create.status, 404);
});

test('the control port answers other origins nothing they can read, and takes only JSON bodies', async () => {
  const state = await fetch(`${control}state`, { headers: { origin: 'https://evil.example' } });
  assert.equal(state.status, 200);
  assert.equal(state.headers.get('access-control-allow-origin'), null);
  const preflight = await fetch(`${control}config`, {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
  });
  assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  // A "simple" cross-origin POST (text/plain, no preflight) must not change the credit.
  const simple = await fetch(`${control}config`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"credit":0}' });
  assert.equal(simple.status, 415);
  assert.ok((await (await fetch(`${control}state`)).json()).credit > 0);
  assert.equal((await fetch(control.replace(/\/[^/]+\/__emulator\/$/, '/wrong-token/__emulator/') + 'state')).status, 404);
});

test('no SSRF: a forged Host cannot make detect fetch another loopback port (decimal and IPv6-mapped forms too)', async () => {
  let hits = 0;
  const target = createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(samplePhoto(3));
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const other = (target.address() as AddressInfo).port;
  try {
    const answers: string[] = [];
    for (const url of [`http://127.0.0.1:${other}/face.jpg`, `http://2130706433:${other}/face.jpg`, `http://[::ffff:127.0.0.1]:${other}/face.jpg`]) {
      const answer = await post(`${base}/api/faceswap/detect`, { url }, { host: `127.0.0.1:${other}` });
      assert.notEqual(answer.status, 200, url);
      answers.push(`${answer.status} ${answer.text.replaceAll(String(other), 'PORT')}`);
    }
    assert.equal(hits, 0, 'the server fetched a caller-chosen loopback URL');
    // The same URLs on a port where nothing listens answer the same: the error text tells nothing about reachability.
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
    for (const [i, url] of [
      `http://127.0.0.1:${other}/face.jpg`,
      `http://2130706433:${other}/face.jpg`,
      `http://[::ffff:127.0.0.1]:${other}/face.jpg`,
    ].entries()) {
      const answer = await post(`${base}/api/faceswap/detect`, { url }, { host: `127.0.0.1:${other}` });
      assert.equal(`${answer.status} ${answer.text.replaceAll(String(other), 'PORT')}`, answers[i], url);
    }
  } finally {
    if (target.listening) {
      target.closeAllConnections();
      await new Promise((resolve) => target.close(resolve));
    }
  }
});

test('AKOOL mode: the requests that once ended the process are answered 400, and the sessions it holds stay tracked', async () => {
  const akool = await startEmulator({ apiKey: API_KEY, statusDelayMs: 0 });
  const demo = await startDemo({ AKOOL_API_KEY: API_KEY, AKOOL_BASE_URL: akool.url });
  try {
    const grant = await post(`${demo.url}/api/faceswap/sessions`, { source: SOURCE });
    assert.equal(grant.status, 200, grant.text);
    assert.equal(grant.json.engine, 'akool');
    assert.equal(await raw('GET /faceswap-engine/human/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', demo.port), 400);
    assert.equal(await raw('GET http://[::1/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', demo.port), 400);
    const beat = await post(`${demo.url}/api/faceswap/sessions/${grant.json.sessionId}/heartbeat`, { sessionKey: grant.json.sessionKey });
    assert.equal(beat.status, 200, 'the same process still knows the session');
    const close = await post(`${demo.url}/api/faceswap/sessions/${grant.json.sessionId}/close`, { sessionKey: grant.json.sessionKey });
    assert.equal(close.status, 200);
    assert.equal(akool.state().openSessions, 0);
  } finally {
    await stopDemo(demo.child);
    await akool.close();
  }
});
