// The token endpoint as a page sees it: same-origin `/api/faceswap/*` on the test server (wtr-api-plugin).
import { expect } from '@open-wc/testing';
import { facelessCanvas } from '../../support/faceless.js';
import { photoDataUrl } from '../../support/photo.js';

const api = '/api/faceswap';

async function postJson(url: string, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

async function upstreamSession(id: string) {
  const { sessions } = await (await fetch('/__test/emulator/sessions')).json();
  return sessions.find((s: { _id: string }) => s._id === id);
}

const source = { path: 'https://example.com/face.jpg', opts: '262,175:363,175:313,215:272,279' };

describe('token endpoint from the browser', () => {
  it('detects the faces of an uploaded photo, then creates, heartbeats and closes a session', async () => {
    const detect = await postJson(`${api}/detect`, { image: await photoDataUrl('/node_modules/@vladmandic/face-api/demo/sample2.jpg') });
    expect(detect.status).to.equal(200);
    expect(detect.json.width).to.equal(1920);
    expect(detect.json.faces.length).to.be.at.least(2);
    const face = detect.json.faces[0];
    expect(face.landmarks).to.match(/^\d+,\d+(:\d+,\d+){3}$/);
    expect(new URL(face.source.path).origin).to.equal(location.origin, 'face crops are same-origin');

    // The crop loads as a CORS-clean image the engine can draw into WebGL.
    const img = new Image();
    img.crossOrigin = 'anonymous';
    img.src = face.source.path;
    await img.decode();
    expect(img.naturalWidth).to.be.greaterThan(100);
    const canvas = document.createElement('canvas');
    canvas.getContext('2d')!.drawImage(img, 0, 0);
    expect(() => canvas.toDataURL()).not.to.throw();

    const grant = await postJson(`${api}/sessions`, { source: face.source });
    expect(grant.status).to.equal(200);
    expect(grant.json.engine).to.equal('local');
    expect(grant.json.rtc.token).to.match(/^007/);
    const { sessionId, sessionKey } = grant.json;
    const beat = await postJson(`${api}/sessions/${sessionId}/heartbeat`, { sessionKey });
    expect(beat.status).to.equal(200);
    expect(await postJson(`${api}/sessions/${sessionId}/close`, { sessionKey })).to.deep.equal({ status: 200, json: { ok: true } });
    expect((await upstreamSession(sessionId)).closed).to.equal(true);
  });

  it('answers no-face and bad-request in the error shape', async () => {
    const canvas = facelessCanvas();
    const noFace = await postJson(`${api}/detect`, { image: canvas.toDataURL('image/png') });
    expect(noFace.status).to.equal(400);
    expect(noFace.json.error.code).to.equal('no-face');
    const bad = await postJson(`${api}/sessions`, { source: { path: source.path, opts: 'nope' } });
    expect(bad.json.error.code).to.equal('bad-request');
  });

  it('closes a session with navigator.sendBeacon', async () => {
    const { json } = await postJson(`${api}/sessions`, { source });
    expect(navigator.sendBeacon(`${api}/sessions/${json.sessionId}/close`, JSON.stringify({ sessionKey: json.sessionKey }))).to.equal(true);
    for (let i = 0; i < 50 && !(await upstreamSession(json.sessionId)).closed; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await upstreamSession(json.sessionId)).closed).to.equal(true);
  });

  it('reaps an abandoned session through the test control route', async () => {
    // No timer reaper: the pass below must be the one that closes it.
    await postJson('/__test/handler/config', { heartbeatTimeoutMs: 300, reaperIntervalMs: 0 });
    try {
      const { json } = await postJson(`${api}-akool/sessions`, { source });
      expect(json.engine).to.equal('akool');
      expect((await postJson('/__test/handler/reap', {})).json.closed).not.to.include(json.sessionId);
      expect((await upstreamSession(json.sessionId)).closed).to.equal(false);
      await new Promise((r) => setTimeout(r, 400));
      expect((await postJson('/__test/handler/reap', {})).json.closed).to.include(json.sessionId);
      expect((await upstreamSession(json.sessionId)).closed).to.equal(true);
    } finally {
      await postJson('/__test/handler/config', {});
    }
  });

  it('exposes emulator faults to tests', async () => {
    await postJson('/__test/emulator/faults', { forceCode: 1104, paths: ['/live/create'] });
    try {
      const res = await postJson(`${api}/sessions`, { source });
      expect(res.status).to.equal(429);
      expect(res.json.error).to.deep.equal({ code: 'quota-exhausted', message: res.json.error.message, upstreamCode: 1104 });
    } finally {
      await fetch('/__test/emulator/faults', { method: 'DELETE' });
    }
  });
});
