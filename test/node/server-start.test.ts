// `npm start` end to end: one port serving the demo page and the token endpoint on the in-process emulator.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { dataUrl, post, samplePhoto } from './server-helpers.js';

let child: ChildProcess;
let base: string;

before(async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1' };
  delete env.AKOOL_API_KEY;
  child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL: ${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const url = /http:\/\/localhost:(\d+)\//.exec(out);
      if (url) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${url[1]}`);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk));
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}): ${out}`)));
  });
});

after(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

test('prints its URL and serves the demo page and the token endpoint (local engine) on that one port', async () => {
  const page = await fetch(`${base}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.deepEqual(await (await fetch(`${base}/api/faceswap/health`)).json(), { ok: true, engine: 'local' });
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
  const { sessions } = await (await fetch(`${base}/akool-emulator/__emulator/sessions`)).json();
  assert.equal(sessions.find((s: { _id: string }) => s._id === grant.json.sessionId).closed, true);
});
