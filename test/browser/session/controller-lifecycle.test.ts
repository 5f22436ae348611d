import { expect } from '@open-wc/testing';
import { FaceswapError } from '../../../src/core/errors.js';
import type { FaceswapErrorInfo, SessionState } from '../../../src/core/protocol.js';
import { OTHER_SOURCE, SOURCE, createRig, expectReleased, expectServerClosed, sleep, until, waitForState, type Rig } from './harness.js';

const rigs: Rig[] = [];
function rig(...args: Parameters<typeof createRig>): Rig {
  const created = createRig(...args);
  rigs.push(created);
  return created;
}
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.controller.dispose();
});

describe('SessionController: a healthy session', () => {
  it('moves idle -> preparing -> connecting -> waiting -> live, then stop -> ending -> ended', async () => {
    const r = rig({ transport: { remote: 'echo', firstFrameDelayMs: 100 } });
    const { controller } = r;
    expect(controller.snapshot.state).to.equal('idle');
    await controller.start();
    await waitForState(controller, 'live');
    expect(r.states).to.deep.equal(['preparing', 'connecting', 'waiting', 'live']);

    const snap = controller.snapshot;
    expect(snap.engine).to.equal('akool');
    expect(snap.sessionId).to.equal('s1');
    expect(snap.error).to.equal(null);
    expect(snap.localStream?.getVideoTracks()[0]?.readyState).to.equal('live');
    expect(snap.remoteTrack).to.equal(r.transport.remoteTrack);
    expect(snap.remoteTrack?.readyState).to.equal('live');
    expect(snap.waitingSince).to.equal(null);

    // One capture with AKOOL's recommended settings, camera only.
    expect(r.constraints).to.have.length(1);
    const video = r.constraints[0]!.video as MediaTrackConstraints;
    expect(video.width).to.deep.equal({ ideal: 640 });
    expect(video.height).to.deep.equal({ ideal: 480 });
    expect(video.frameRate).to.deep.equal({ ideal: 20, max: 20 });
    expect(video.facingMode).to.deep.equal({ ideal: 'user' });
    expect(r.constraints[0]!.audio).to.equal(false);

    // The transport got the grant's credentials, the source, the camera, and the timeouts.
    expect(r.factoryCalls).to.deep.equal([{ engine: 'akool', options: { joinTimeoutMs: 5_000, video: controller.options.video } }]);
    expect(r.transport.credentials).to.deep.include({ channel: 'channel-1', uid: '1', remoteUid: '3' });
    expect(r.transport.calls.slice(0, 3)).to.deep.equal(['join', 'setSource', 'publish']);
    expect(r.transport.sources).to.deep.equal([SOURCE]);
    expect(r.transport.published[0]!.video).to.equal(snap.localStream!.getVideoTracks()[0]);
    expect(r.transport.published[0]!.audio).to.equal(undefined);
    expect(r.endpoint.routes('sessions')[0]!.body).to.deep.equal({ source: SOURCE });

    await controller.stop();
    expect(controller.snapshot.state).to.equal('ended');
    expect(r.states.slice(-2)).to.deep.equal(['ending', 'ended']);
    expect(controller.snapshot.error).to.equal(null);
    await expectReleased(r);
    expect(r.endpoint.routes('close')).to.deep.equal([{ route: 'close', sessionId: 's1', body: { sessionKey: 'key-s1' } }]);
    await expectServerClosed(r);
  });

  it('fires change events with a fresh snapshot and state-change with the previous state', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    const changes: Array<{ state: SessionState; previous: SessionState }> = [];
    let snapshots = 0;
    r.controller.on('state-change', (change) => changes.push(change));
    const off = r.controller.on('change', (snapshot) => {
      snapshots += 1;
      expect(snapshot).to.equal(r.controller.snapshot);
    });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    expect(changes.slice(0, 2)).to.deep.equal([
      { state: 'preparing', previous: 'idle' },
      { state: 'connecting', previous: 'preparing' },
    ]);
    expect(snapshots).to.be.greaterThan(4);
    off();
    const before = snapshots;
    await r.controller.stop();
    expect(snapshots).to.equal(before);
  });

  it('captures the microphone only when asked, with the camera in one request', async () => {
    const r = rig({ options: { mic: true }, transport: { remote: 'echo' } });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    expect(r.constraints).to.have.length(1);
    expect(r.constraints[0]!.audio).to.deep.include({ echoCancellation: true });
    expect(r.transport.published[0]!.audio?.kind).to.equal('audio');
    expect(r.controller.snapshot.micEnabled).to.equal(true);
    // The preview stream never carries the microphone.
    expect(r.controller.snapshot.localStream!.getAudioTracks()).to.have.length(0);
    await r.controller.stop();
    await expectReleased(r);
  });

  it("uses the engine the server reported when engine is 'auto', and an explicit engine otherwise", async () => {
    const auto = rig({ transport: { remote: 'echo' } });
    auto.endpoint.engine = 'local';
    await auto.controller.start();
    await waitForState(auto.controller, 'live');
    expect(auto.factoryCalls[0]!.engine).to.equal('local');
    expect(auto.controller.snapshot.engine).to.equal('local');

    const forced = rig({ options: { engine: 'akool' }, transport: { remote: 'echo' } });
    forced.endpoint.engine = 'local';
    await forced.controller.start();
    await waitForState(forced.controller, 'live');
    expect(forced.factoryCalls[0]!.engine).to.equal('akool');
  });

  it('goes live with literal credentials without touching any endpoint, and does not heartbeat or close', async () => {
    const credentials = { appId: '', channel: 'demo', uid: '1', token: '007abc', remoteUid: '3' };
    const r = rig({ options: { tokenEndpoint: undefined, credentials, heartbeatMs: 50 }, transport: { remote: 'echo' } });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    expect(r.transport.credentials).to.equal(credentials);
    expect(r.factoryCalls[0]!.engine).to.equal('akool');
    await sleep(150);
    await r.controller.stop();
    expect(r.endpoint.calls).to.deep.equal([]);
    await expectReleased(r);
  });

  it('asks a tokenProvider instead of the endpoint', async () => {
    const asked: Array<{ source: unknown; signal: AbortSignal }> = [];
    const r = rig({
      options: {
        tokenEndpoint: undefined,
        tokenProvider: async (request) => {
          asked.push(request);
          return {
            sessionId: 'p1',
            sessionKey: 'k',
            engine: 'akool',
            status: 'ready',
            rtc: { appId: 'x'.repeat(32), channel: 'c', uid: 7, token: 't' },
            expiresAt: '2030-01-01T00:00:00Z',
          };
        },
      },
      transport: { remote: 'echo' },
    });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    expect(asked).to.have.length(1);
    expect(asked[0]!.source).to.deep.equal(SOURCE);
    expect(asked[0]!.signal).to.be.instanceOf(AbortSignal);
    expect(r.controller.snapshot.sessionId).to.equal('p1');
    expect(r.transport.credentials?.uid).to.equal(7);
    await r.controller.stop();
    expect(r.endpoint.calls).to.deep.equal([]);
    await expectReleased(r);
  });

  it('ignores a second start while one runs (one camera, one server session)', async () => {
    const r = rig({ transport: { remote: 'echo', joinDelayMs: 50 } });
    const first = r.controller.start();
    const second = r.controller.start();
    await Promise.all([first, second]);
    await r.controller.start();
    await waitForState(r.controller, 'live');
    expect(r.constraints).to.have.length(1);
    expect(r.endpoint.routes('sessions')).to.have.length(1);
    expect(r.transports).to.have.length(1);
    expect(r.states.filter((s) => s === 'preparing')).to.have.length(1);
  });

  it('starts a fresh session after ended and after error', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    await r.controller.stop();
    await r.controller.start();
    await waitForState(r.controller, 'live');
    expect(r.controller.snapshot.sessionId).to.equal('s2');
    expect(r.transports).to.have.length(2);
    r.transport.failWith(new FaceswapError('rtc-disconnected'));
    expect(r.controller.snapshot.state).to.equal('error');
    await r.controller.start();
    await waitForState(r.controller, 'live');
    expect(r.controller.snapshot.error).to.equal(null);
    expect(r.controller.snapshot.sessionId).to.equal('s3');
    await r.controller.stop();
    await expectReleased(r);
    await expectServerClosed(r);
  });

  it('a start right after stop waits for the teardown (an element moved in the DOM)', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    const stopping = r.controller.stop();
    const restarting = r.controller.start();
    await Promise.all([stopping, restarting]);
    await waitForState(r.controller, 'live');
    expect(r.states).to.deep.equal(['preparing', 'connecting', 'waiting', 'live', 'ending', 'ended', 'preparing', 'connecting', 'waiting', 'live']);
    expect(r.transports[0]!.left).to.equal(true);
    expect(r.endpoint.open).to.deep.equal(new Set(['s2']));
  });

  it('dispose stops the session and drops every listener', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    let events = 0;
    r.controller.on('change', () => (events += 1));
    await r.controller.start();
    await waitForState(r.controller, 'live');
    await r.controller.dispose();
    expect(r.controller.snapshot.state).to.equal('ended');
    const before = events;
    await r.controller.start();
    expect(r.controller.snapshot.state).to.equal('ended');
    expect(events).to.equal(before);
    await expectReleased(r);
  });
});

describe('SessionController: stop in every state', () => {
  async function stopIn(r: Rig, state: SessionState): Promise<void> {
    void r.controller.start();
    await waitForState(r.controller, state);
    await r.controller.stop();
    expect(r.controller.snapshot.state).to.equal('ended');
    expect(r.controller.snapshot.error).to.equal(null);
    expect(r.states).to.not.include('error');
    await expectReleased(r);
    await expectServerClosed(r);
  }

  it('preparing, with the session request in flight', async () => {
    const r = rig();
    r.endpoint.answers.sessions = 'hang';
    await stopIn(r, 'preparing');
    expect(r.transports).to.have.length(0);
  });

  it('preparing, with the permission prompt still open (the late camera is released)', async () => {
    const r = rig({ captureDelayMs: 300 });
    await stopIn(r, 'preparing');
    expect(r.allTracks().length).to.be.greaterThan(0);
  });

  it('connecting, with the join hanging (the join is cancelled)', async () => {
    const r = rig({ transport: { joinHangs: true } });
    await stopIn(r, 'connecting');
    expect(r.transport.joined).to.equal(false);
    expect(r.transport.calls).to.not.include('publish');
  });

  it('waiting', async () => {
    const r = rig({ transport: { remote: 'none' } });
    await stopIn(r, 'waiting');
  });

  it('live', async () => {
    await stopIn(rig({ transport: { remote: 'echo' } }), 'live');
  });

  it('reconnecting', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    void r.controller.start();
    await waitForState(r.controller, 'live');
    r.transport.emitConnection('reconnecting');
    await stopIn(r, 'reconnecting');
  });

  it('twice at once, and in idle / ended (no-ops)', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    await r.controller.stop();
    expect(r.controller.snapshot.state).to.equal('idle');
    await r.controller.start();
    await waitForState(r.controller, 'live');
    await Promise.all([r.controller.stop(), r.controller.stop()]);
    expect(r.states.filter((s) => s === 'ended')).to.have.length(1);
    await r.controller.stop();
    expect(r.controller.snapshot.state).to.equal('ended');
    expect(r.endpoint.routes('close')).to.have.length(1);
  });
});

describe('SessionController: page teardown', () => {
  it('pagehide closes the session with sendBeacon and releases the camera', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    r.firePageHide();
    expect(r.beacons).to.deep.equal([{ url: '/fake-endpoint/sessions/s1/close', body: '{"sessionKey":"key-s1"}' }]);
    await waitForState(r.controller, 'ended');
    expect(r.endpoint.routes('close')).to.have.length(1, 'closed once, by the beacon');
    await expectReleased(r);
  });
});

describe('SessionController: mid-session changes', () => {
  it('sends a new source to the server and the transport without reconnecting', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    await r.controller.setSource(OTHER_SOURCE);
    expect(r.endpoint.routes('source')).to.deep.equal([{ route: 'source', sessionId: 's1', body: { sessionKey: 'key-s1', source: OTHER_SOURCE } }]);
    expect(r.transport.sources).to.deep.equal([SOURCE, OTHER_SOURCE]);
    expect(r.transport.calls.filter((c) => c === 'join')).to.have.length(1);
    expect(r.controller.snapshot.state).to.equal('live');
    expect(r.controller.snapshot.source).to.deep.equal(OTHER_SOURCE);
  });

  it('keeps the previous source and the session when the server refuses the new one', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    r.endpoint.answers.source = { status: 400, body: { error: { code: 'invalid-source', message: 'bad face', upstreamCode: 1003 } } };
    const reported: FaceswapErrorInfo[] = [];
    r.controller.on('error', (info) => reported.push(info));
    await r.controller.setSource(OTHER_SOURCE);
    // The session survives it, so it is not reported as fatal (the code alone would be).
    expect(reported).to.deep.equal([{ code: 'invalid-source', fatal: false, message: 'bad face', upstreamCode: 1003 }]);
    expect(r.controller.snapshot.source).to.deep.equal(SOURCE);
    expect(r.controller.snapshot.state).to.equal('live');
    expect(r.controller.snapshot.error).to.equal(null);
    expect(r.transport.sources).to.deep.equal([SOURCE]);
  });

  it('keeps the current camera when the other one cannot be opened', async () => {
    let failNext = false;
    const r = rig({
      transport: { remote: 'echo' },
      getUserMedia: (c) => (failNext ? Promise.reject(new DOMException('busy', 'NotReadableError')) : navigator.mediaDevices.getUserMedia(c)),
    });
    const reported: FaceswapErrorInfo[] = [];
    r.controller.on('error', (info) => reported.push(info));
    await r.controller.start();
    await waitForState(r.controller, 'live');
    const camera = r.controller.snapshot.localStream!.getVideoTracks()[0]!;
    failNext = true;
    await r.controller.switchCamera();
    expect(reported.map((e) => [e.code, e.fatal])).to.deep.equal([['camera-in-use', false]]);
    expect(camera.readyState).to.equal('live');
    expect(r.controller.snapshot.localStream!.getVideoTracks()[0]).to.equal(camera);
    expect(r.controller.options.camera).to.equal('user');
    expect(r.controller.snapshot.state).to.equal('live');

    // The microphone likewise: denied leaves it off and the session running.
    failNext = false;
    const denying = rig({
      transport: { remote: 'echo' },
      getUserMedia: (c) => (c.audio ? Promise.reject(new DOMException('no', 'NotAllowedError')) : navigator.mediaDevices.getUserMedia(c)),
    });
    const micErrors: FaceswapErrorInfo[] = [];
    denying.controller.on('error', (info) => micErrors.push(info));
    await denying.controller.start();
    await waitForState(denying.controller, 'live');
    await denying.controller.setMicEnabled(true);
    // camera-denied ends a session at start; here the session goes on, so it is reported as not fatal.
    expect(micErrors.map((e) => [e.code, e.fatal])).to.deep.equal([['camera-denied', false]]);
    expect(denying.controller.snapshot.micEnabled).to.equal(false);
    expect(denying.controller.snapshot.state).to.equal('live');
  });

  it('a failure to publish the new camera ends the session', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    r.transport.publish = () => Promise.reject(new FaceswapError('rtc-disconnected'));
    await r.controller.switchCamera();
    expect(r.controller.snapshot.state).to.equal('error');
    expect(r.controller.snapshot.error?.code).to.equal('rtc-disconnected');
    await expectReleased(r);
  });

  it('a source chosen during preparing reaches the server before the transport', async () => {
    const r = rig({ transport: { remote: 'echo', joinDelayMs: 100 } });
    void r.controller.start();
    await waitForState(r.controller, 'connecting');
    await r.controller.setSource(OTHER_SOURCE);
    await waitForState(r.controller, 'live');
    expect(r.endpoint.routes('sessions')[0]!.body).to.deep.equal({ source: SOURCE });
    expect(r.endpoint.routes('source').map((c) => c.body.source)).to.deep.equal([OTHER_SOURCE]);
    expect(r.transport.sources).to.deep.equal([OTHER_SOURCE]);
  });

  it('switches the camera: new capture facing the other way, republished, old track stopped', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    const before = r.controller.snapshot.localStream!.getVideoTracks()[0]!;
    await r.controller.switchCamera();
    const after = r.controller.snapshot.localStream!.getVideoTracks()[0]!;
    expect(after).to.not.equal(before);
    expect(before.readyState).to.equal('ended');
    expect(after.readyState).to.equal('live');
    expect((r.constraints[1]!.video as MediaTrackConstraints).facingMode).to.deep.equal({ ideal: 'environment' });
    expect(r.constraints[1]!.audio).to.equal(false);
    expect(r.transport.published.at(-1)!.video).to.equal(after);
    expect(r.controller.options.camera).to.equal('environment');
    expect(r.controller.snapshot.state).to.equal('live');
    await r.controller.switchCamera('some-device-id').catch(() => {});
    expect((r.constraints[2]!.video as MediaTrackConstraints).deviceId).to.deep.equal({ exact: 'some-device-id' });
    expect(r.controller.snapshot.state).to.equal('live');
    await r.controller.stop();
    await expectReleased(r);
  });

  it('turns the microphone on and off live', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    await r.controller.setMicEnabled(true);
    const audio = r.transport.published.at(-1)!.audio!;
    expect(audio.readyState).to.equal('live');
    expect(r.controller.snapshot.micEnabled).to.equal(true);
    expect(r.constraints[1]).to.deep.include({ video: false });
    await r.controller.setMicEnabled(false);
    expect(audio.readyState).to.equal('ended');
    expect(r.transport.published.at(-1)!.audio).to.equal(undefined);
    expect(r.controller.snapshot.micEnabled).to.equal(false);
    expect(r.controller.snapshot.state).to.equal('live');
    await r.controller.stop();
    await expectReleased(r);
  });

  it('heartbeats while the session runs', async () => {
    const r = rig({ options: { heartbeatMs: 60 }, transport: { remote: 'echo' } });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    await until(() => r.endpoint.routes('heartbeat').length >= 2, 'two heartbeats');
    expect(r.endpoint.routes('heartbeat')[0]).to.deep.equal({ route: 'heartbeat', sessionId: 's1', body: { sessionKey: 'key-s1' } });
    await r.controller.stop();
    const count = r.endpoint.routes('heartbeat').length;
    await sleep(200);
    expect(r.endpoint.routes('heartbeat').length).to.equal(count, 'no heartbeat after stop');
  });

  it('tolerates a transient heartbeat failure', async () => {
    const r = rig({ options: { heartbeatMs: 50 }, transport: { remote: 'echo' } });
    let failures = 1;
    r.endpoint.answers.heartbeat = () => (failures-- > 0 ? 'network-error' : undefined);
    await r.controller.start();
    await waitForState(r.controller, 'live');
    await until(() => r.endpoint.routes('heartbeat').length >= 3, 'three heartbeats');
    expect(r.controller.snapshot.state).to.equal('live');
  });

  it('forwards token-will-expire; records autoplay blocking', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    const seen: string[] = [];
    r.controller.on('token-will-expire', () => seen.push('token-will-expire'));
    await r.controller.start();
    await waitForState(r.controller, 'live');
    r.transport.emitTokenWillExpire();
    r.transport.emitAutoplayFailed();
    expect(seen).to.deep.equal(['token-will-expire']);
    expect(r.controller.snapshot.autoplayBlocked).to.equal(true);
    expect(r.controller.snapshot.state).to.equal('live');
  });

  it('reports transport stats while running and none afterwards', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    expect(await r.controller.getStats()).to.deep.equal({});
    await r.controller.start();
    await waitForState(r.controller, 'live');
    const stats = await r.controller.getStats();
    expect(stats.width).to.be.a('number');
    await r.controller.stop();
    expect(await r.controller.getStats()).to.deep.equal({});
  });
});

describe('SessionController: reconnecting', () => {
  it('keeps the last frame while reconnecting and returns to live', async () => {
    const r = rig({ transport: { remote: 'echo' } });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    const remote = r.controller.snapshot.remoteTrack;
    r.transport.emitConnection('reconnecting');
    expect(r.controller.snapshot.state).to.equal('reconnecting');
    expect(r.controller.snapshot.remoteTrack).to.equal(remote);
    r.transport.emitConnection('connected');
    expect(r.controller.snapshot.state).to.equal('live');
    expect(r.states.slice(-3)).to.deep.equal(['live', 'reconnecting', 'live']);
  });

  it('returns to waiting when the connection recovers before the first frame', async () => {
    const r = rig({ transport: { remote: 'none' } });
    await r.controller.start();
    await waitForState(r.controller, 'waiting');
    r.transport.emitConnection('reconnecting');
    r.transport.emitConnection('connected');
    expect(r.states.slice(-3)).to.deep.equal(['waiting', 'reconnecting', 'waiting']);
  });

  it('goes back to waiting, under the watchdog, when the swapped video stops', async () => {
    const r = rig({ options: { swapTimeoutMs: 300 }, transport: { remote: 'echo' } });
    await r.controller.start();
    await waitForState(r.controller, 'live');
    r.transport.deliverRemote(null);
    expect(r.controller.snapshot.state).to.equal('waiting');
    expect(r.controller.snapshot.remoteTrack).to.equal(null);
    expect(r.controller.snapshot.waitingSince).to.be.a('number');
    await waitForState(r.controller, 'error');
    expect(r.controller.snapshot.error?.code).to.equal('swap-timeout');
    await expectReleased(r);
    await expectServerClosed(r);
  });
});
