import { expect } from '@open-wc/testing';
import { AgoraTransport, type AgoraTransportOptions } from '../../../src/rtc/agora-transport.js';
import type { RtcTransportEventMap } from '../../../src/rtc/transport.js';
import { FaceswapError } from '../../../src/core/errors.js';
import type { RtcCredentials } from '../../../src/core/protocol.js';
import { FakeAgoraSdk, FakeRemoteAudioTrack, FakeRemoteVideoTrack, canvasTrack, type FakeUser } from './fake-agora-sdk.js';

// AKOOL's live-create example token (AKOOL's API documentation); its App ID is ea4df2d20e43424ab4a8028e1883b17f.
const DOC_TOKEN =
  '007eJxTYFj/uGvaue3C3/VlOLdFmM5UuffmzHGhszbnTSqs3or94HNRYEhNNElJM0oxMkg1MTYxMklMMkm0MDCySDW0sDBOMjRP297vnyHAx8Bw6YAZIyMDIwMLAyMDiM8EJpnBJAuYFGMwMjAyNTAzNDMwNrI0tTQ0MIy3MDIyYWQwBADtwSJM';
const CREDENTIALS: RtcCredentials = { appId: '', channel: '20250616032959101_8224', uid: '1', token: DOC_TOKEN, remoteUid: '3' };

const tracks: MediaStreamTrack[] = [];
function track(): MediaStreamTrack {
  const t = canvasTrack();
  tracks.push(t);
  return t;
}
afterEach(() => tracks.splice(0).forEach((t) => t.stop()));

function setup(sdk = new FakeAgoraSdk(), options: AgoraTransportOptions = {}) {
  const transport = new AgoraTransport({ loadSdk: async () => sdk.asSdk(), ...options });
  const events: Array<[keyof RtcTransportEventMap, unknown]> = [];
  for (const type of ['remote-video', 'first-frame', 'connection', 'token-will-expire', 'token-expired', 'autoplay-failed', 'error'] as const) {
    transport.on(type, (detail: unknown) => events.push([type, detail]));
  }
  const of = (type: keyof RtcTransportEventMap) => events.filter(([t]) => t === type).map(([, d]) => d);
  return { sdk, transport, events, of };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('AgoraTransport: join', () => {
  it('configures the SDK, recovers the App ID from the token, joins with a numeric uid, handlers first', async () => {
    const { sdk, transport } = setup();
    await transport.join(CREDENTIALS, new AbortController().signal);
    // Page-global settings (log level, telemetry) belong to the host page: untouched unless asked for.
    expect(sdk.calls.slice(0, 1)).to.deep.equal(['createClient']);
    expect(sdk.logLevel).to.equal(null);
    expect(sdk.client.config).to.deep.equal({ mode: 'rtc', codec: 'vp8' });
    expect(sdk.client.joinArgs).to.deep.equal(['ea4df2d20e43424ab4a8028e1883b17f', CREDENTIALS.channel, DOC_TOKEN, 1]);
    expect(sdk.client.listenersAtJoin).to.be.greaterThan(4);
    // autoplay-failed through AgoraRTC.on, never the page-global property.
    expect(sdk.listeners.get('autoplay-failed')?.size).to.equal(1);
    expect((sdk as unknown as { onAutoplayFailed?: unknown }).onAutoplayFailed).to.equal(undefined);
    await transport.leave();
  });

  it('passes mode, codec and log level through; live mode joins as host; a given App ID is used as is', async () => {
    const { sdk, transport } = setup(new FakeAgoraSdk(), { mode: 'live', codec: 'h264', logLevel: 4, disableEventReport: true });
    await transport.join({ ...CREDENTIALS, appId: 'f'.repeat(32), uid: 'user-a' }, new AbortController().signal);
    expect(sdk.client.config).to.deep.equal({ mode: 'live', codec: 'h264', role: 'host' });
    expect(sdk.logLevel).to.equal(4);
    expect(sdk.parameters.ENABLE_EVENT_REPORT).to.equal(false);
    expect(sdk.client.joinArgs?.[0]).to.equal('f'.repeat(32));
    expect(sdk.client.joinArgs?.[3]).to.equal('user-a');
  });

  it('rtc-credentials when there is no App ID and the token does not carry one', async () => {
    const { sdk, transport } = setup();
    const error = await rejection(transport.join({ ...CREDENTIALS, token: '006abc' }, new AbortController().signal));
    expect((error as FaceswapError).code).to.equal('rtc-credentials');
    expect(sdk.clients).to.have.length(0);
  });

  for (const [agoraCode, code] of [
    ['CAN_NOT_GET_GATEWAY_SERVER', 'rtc-credentials'],
    ['INVALID_PARAMS', 'rtc-credentials'],
    ['UID_CONFLICT', 'uid-conflict'],
    ['TOKEN_EXPIRE', 'rtc-token-expired'],
    ['NETWORK_ERROR', 'rtc-join-timeout'],
    ['UNEXPECTED_ERROR', 'rtc-disconnected'],
  ] as const) {
    it(`${agoraCode} -> ${code}, without the token in the message`, async () => {
      const { transport } = setup(new FakeAgoraSdk({ rejectWith: agoraCode }));
      const error = await rejection(transport.join(CREDENTIALS, new AbortController().signal));
      expect(error).to.be.instanceOf(FaceswapError);
      expect((error as FaceswapError).code).to.equal(code);
      expect(error.message).to.contain(agoraCode);
      expect(error.message).to.not.contain(DOC_TOKEN.slice(3, 20));
    });
  }

  it('CAN_NOT_GET_GATEWAY_SERVER for an expired token ("dynamic key or token timeout") -> rtc-token-expired', async () => {
    const { transport } = setup(
      new FakeAgoraSdk({
        rejectWith: 'CAN_NOT_GET_GATEWAY_SERVER',
        message: 'flag: 4096, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key or token timeout',
      }),
    );
    const error = await rejection(transport.join(CREDENTIALS, new AbortController().signal));
    expect((error as FaceswapError).code).to.equal('rtc-token-expired');
  });

  it('a numeric uid up to 2^32 - 1 joins as a number, a larger one as a string', async () => {
    for (const [uid, expected] of [
      ['4294967295', 4294967295],
      ['4294967296', '4294967296'],
      [2 ** 32, '4294967296'],
    ] as const) {
      const { sdk, transport } = setup();
      await transport.join({ ...CREDENTIALS, uid }, new AbortController().signal);
      expect(sdk.client.joinArgs?.[3]).to.equal(expected);
      await transport.leave();
    }
  });

  it('gives up a join that never settles: leaves and rejects rtc-join-timeout; the late OPERATION_ABORTED is swallowed', async () => {
    const { sdk, transport, events } = setup(new FakeAgoraSdk('hang'), { joinTimeoutMs: 150 });
    const error = await rejection(transport.join(CREDENTIALS, new AbortController().signal));
    expect((error as FaceswapError).code).to.equal('rtc-join-timeout');
    expect(sdk.client.calls).to.include('leave');
    await sleep(100);
    expect(events).to.deep.equal([]);
    expect(sdk.client.count()).to.equal(0);
  });

  it('an abort during the join leaves and rejects with AbortError, not a FaceswapError', async () => {
    const { sdk, transport, events } = setup(new FakeAgoraSdk('hang'));
    const controller = new AbortController();
    const joining = transport.join(CREDENTIALS, controller.signal);
    while (sdk.clients.length === 0) await sleep(10); // the SDK's join is under way
    controller.abort();
    const error = await rejection(joining);
    expect(error.name).to.equal('AbortError');
    expect(error).to.not.be.instanceOf(FaceswapError);
    expect(sdk.client.calls).to.deep.equal(['join', 'leave']);
    await sleep(100);
    expect(events).to.deep.equal([]);
  });

  it('unsupported-browser when the SDK says the browser cannot do WebRTC', async () => {
    const sdk = new FakeAgoraSdk();
    sdk.supported = false;
    const error = await rejection(setup(sdk).transport.join(CREDENTIALS, new AbortController().signal));
    expect((error as FaceswapError).code).to.equal('unsupported-browser');
  });
});

describe('AgoraTransport: publishing the camera', () => {
  it("wraps the controller's tracks with AKOOL's settings and replaces them on change", async () => {
    const { sdk, transport } = setup(new FakeAgoraSdk(), { video: { width: 640, height: 480, frameRate: 20, bitrateMin: 300, bitrateMax: 900 } });
    await transport.join(CREDENTIALS, new AbortController().signal);
    const camera = track();
    const mic = canvasTrack(); // any track stands for the microphone here
    tracks.push(mic);
    await transport.publish({ video: camera, audio: mic });
    const [video, audio] = sdk.localTracks;
    expect(video!.config).to.deep.equal({ mediaStreamTrack: camera, width: 640, height: 480, frameRate: 20, bitrateMin: 300, bitrateMax: 900 });
    expect(audio!.config).to.deep.equal({ mediaStreamTrack: mic, encoderConfig: 'music_standard' });
    expect(sdk.client.calls).to.include('publish:2');

    // Same tracks again: nothing to do.
    await transport.publish({ video: camera, audio: mic });
    expect(sdk.client.calls.filter((c) => c.startsWith('publish'))).to.have.length(1);

    // Camera switch: the old video goes off the channel before the new one goes on.
    const other = track();
    await transport.publish({ video: other, audio: mic });
    expect(sdk.client.calls.slice(-2)).to.deep.equal(['unpublish:1', 'publish:1']);
    expect(video!.closed).to.equal(true);
    expect(sdk.client.published.map((t) => t.getMediaStreamTrack())).to.deep.equal([mic, other]);

    // Mic off.
    await transport.publish({ video: other });
    expect(sdk.client.published.map((t) => t.getMediaStreamTrack())).to.deep.equal([other]);
    await transport.leave();
    expect(sdk.localTracks.every((t) => t.closed)).to.equal(true);
  });

  it('reports the camera ending as an error', async () => {
    const { sdk, transport, of } = setup();
    await transport.join(CREDENTIALS, new AbortController().signal);
    await transport.publish({ video: track() });
    sdk.localTracks[0]!.emit('track-ended');
    expect((of('error')[0] as FaceswapError).code).to.equal('camera-not-found');
  });
});

describe('AgoraTransport: the swapped video', () => {
  async function joined(credentials: RtcCredentials = CREDENTIALS) {
    const rig = setup();
    await rig.transport.join(credentials, new AbortController().signal);
    const user = (uid: number): FakeUser => ({ uid, videoTrack: new FakeRemoteVideoTrack(track()) });
    return { ...rig, client: rig.sdk.client, user };
  }

  it('takes the video of the user whose uid is remoteUid, subscribing once however often it is published', async () => {
    const { client, user, of, transport } = await joined();
    const stranger = user(5);
    client.emit('user-published', stranger, 'video');
    const worker = user(3);
    client.emit('user-published', worker, 'video');
    client.emit('user-published', worker, 'video');
    await sleep(50);
    client.emit('user-published', worker, 'video');
    await sleep(50);
    expect(client.calls.filter((c) => c.startsWith('subscribe'))).to.deep.equal(['subscribe:3:video', 'subscribe:3:video']);
    expect(of('remote-video')).to.deep.equal([worker.videoTrack!.mediaStreamTrack]);
    expect(client.calls).to.not.include('subscribe:5:video');
    await transport.leave();
  });

  it('without remoteUid, the first remote publisher is the worker', async () => {
    const { client, user, of, transport } = await joined({ ...CREDENTIALS, remoteUid: undefined });
    const first = user(9);
    const second = user(10);
    client.emit('user-published', first, 'video');
    await sleep(30);
    client.emit('user-published', second, 'video');
    await sleep(30);
    expect(of('remote-video')).to.deep.equal([first.videoTrack!.mediaStreamTrack]);
    // The worker leaves: the next publisher takes its place.
    client.emit('user-left', first, 'Quit');
    client.emit('user-published', second, 'video');
    await sleep(30);
    expect(of('remote-video')).to.deep.equal([first.videoTrack!.mediaStreamTrack, null, second.videoTrack!.mediaStreamTrack]);
    await transport.leave();
  });

  it('reports the first frame when the receiver has decoded one, and re-emits a swapped MediaStreamTrack', async () => {
    const { client, user, of, transport } = await joined();
    const worker = user(3);
    client.emit('user-published', worker, 'video');
    await sleep(300);
    expect(of('first-frame')).to.have.length(0);
    worker.videoTrack!.decodeFrames();
    await sleep(300);
    expect(of('first-frame')).to.have.length(1);
    const replacement = track();
    worker.videoTrack!.emit('track-updated', replacement);
    expect(of('remote-video').at(-1)).to.equal(replacement);
    const stats = await transport.getStats();
    expect(stats).to.deep.include({ width: 640, height: 480, fps: 20, rttMs: 42 });
    await transport.leave();
  });

  it('a subscribe the SDK rejects is not fatal: the next user-published subscribes again', async () => {
    const { client, user, of, transport } = await joined();
    client.subscribeFailures.push('INVALID_REMOTE_USER');
    const worker = user(3);
    client.emit('user-published', worker, 'video');
    await sleep(40);
    expect(of('error')).to.deep.equal([]);
    client.emit('user-published', worker, 'video');
    await sleep(40);
    expect(of('remote-video')).to.deep.equal([worker.videoTrack!.mediaStreamTrack]);
    await transport.leave();
  });

  it('when remoteUid sends no video, the only other video publisher is taken after the grace', async () => {
    const rig = setup(new FakeAgoraSdk(), { videoUidGraceMs: 100 });
    await rig.transport.join(CREDENTIALS, new AbortController().signal);
    const other: FakeUser = { uid: 2, videoTrack: new FakeRemoteVideoTrack(track()) };
    rig.sdk.client.emit('user-published', other, 'video');
    await sleep(40);
    expect(rig.of('remote-video'), 'not before the grace').to.deep.equal([]);
    await sleep(150);
    expect(rig.of('remote-video')).to.deep.equal([other.videoTrack!.mediaStreamTrack]);
    await rig.transport.leave();
  });

  it('two other video publishers and no remoteUid video: none is guessed', async () => {
    const rig = setup(new FakeAgoraSdk(), { videoUidGraceMs: 50 });
    await rig.transport.join(CREDENTIALS, new AbortController().signal);
    for (const uid of [2, 4]) rig.sdk.client.emit('user-published', { uid, videoTrack: new FakeRemoteVideoTrack(track()) }, 'video');
    await sleep(150);
    expect(rig.of('remote-video')).to.deep.equal([]);
    await rig.transport.leave();
  });

  it("packetLoss is the SDK's 0..1 share as is, and unknown (not NaN) before the first packet", async () => {
    const { client, user, transport } = await joined();
    const worker = user(3);
    client.emit('user-published', worker, 'video');
    await sleep(30);
    expect((await transport.getStats()).packetLoss).to.equal(undefined);
    worker.videoTrack!.receive(300, 100);
    expect((await transport.getStats()).packetLoss).to.equal(0.25);
    await transport.leave();
  });

  it("remoteAudio plays the worker's audio; without it the audio is not subscribed", async () => {
    for (const remoteAudio of [true, false]) {
      const rig = setup(new FakeAgoraSdk(), { remoteAudio });
      await rig.transport.join(CREDENTIALS, new AbortController().signal);
      const worker: FakeUser = { uid: 3, audioTrack: new FakeRemoteAudioTrack() };
      rig.sdk.client.emit('user-published', worker, 'audio');
      await sleep(40);
      expect(worker.audioTrack!.plays).to.equal(remoteAudio ? 1 : 0);
      await rig.transport.leave();
    }
  });

  it('drops the video when the worker unpublishes, but keeps the last frame while reconnecting', async () => {
    const { client, user, of, transport } = await joined();
    const worker = user(3);
    client.emit('user-published', worker, 'video');
    await sleep(30);
    client.emit('connection-state-change', 'RECONNECTING', 'CONNECTED');
    client.emit('user-unpublished', worker, 'video');
    expect(of('remote-video')).to.have.length(1);
    client.emit('connection-state-change', 'CONNECTED', 'RECONNECTING');
    client.emit('user-unpublished', worker, 'video');
    expect(of('remote-video').at(-1)).to.equal(null);
    expect(of('connection')).to.deep.equal([{ state: 'reconnecting' }, { state: 'connected' }]);
    await transport.leave();
  });
});

describe('AgoraTransport: connection events and leave', () => {
  it('maps connection, token and autoplay events', async () => {
    const { sdk, transport, of } = setup();
    await transport.join(CREDENTIALS, new AbortController().signal);
    const client = sdk.client;
    client.emit('token-privilege-will-expire');
    client.emit('token-privilege-did-expire');
    sdk.emit('autoplay-failed');
    client.emit('connection-state-change', 'DISCONNECTED', 'CONNECTED', 'UID_CONFLICT');
    expect(of('token-will-expire')).to.have.length(1);
    expect(of('token-expired')).to.have.length(1);
    expect(of('autoplay-failed')).to.have.length(1);
    const connection = of('connection') as RtcTransportEventMap['connection'][];
    expect(connection.map((event) => [event.state, event.error?.code])).to.deep.equal([['disconnected', 'uid-conflict']]);
    await transport.leave();
  });

  it("maps Agora's disconnect reasons to the session's error codes", async () => {
    for (const [reason, code] of [
      ['UID_CONFLICT', 'uid-conflict'],
      ['TOKEN_EXPIRE', 'rtc-token-expired'],
      ['NETWORK_ERROR', 'rtc-disconnected'],
      ['SERVER_ERROR', 'rtc-disconnected'],
      [undefined, 'rtc-disconnected'],
    ] as const) {
      const { sdk, transport, of } = setup();
      await transport.join(CREDENTIALS, new AbortController().signal);
      sdk.client.emit('connection-state-change', 'DISCONNECTED', 'CONNECTED', reason);
      const [event] = of('connection') as RtcTransportEventMap['connection'][];
      expect([event?.state, event?.error?.code], String(reason)).to.deep.equal(['disconnected', code]);
      await transport.leave();
    }
  });

  it('leave removes every SDK listener, closes its tracks, and is idempotent; nothing is emitted after it', async () => {
    const { sdk, transport, events } = setup();
    await transport.join(CREDENTIALS, new AbortController().signal);
    await transport.publish({ video: track() });
    await Promise.all([transport.leave(), transport.leave()]);
    expect(sdk.client.calls.filter((c) => c === 'leave')).to.have.length(1);
    expect(sdk.client.count()).to.equal(0);
    expect(sdk.count()).to.equal(0);
    expect(sdk.localTracks.every((t) => t.closed)).to.equal(true);
    sdk.client.emit('connection-state-change', 'DISCONNECTED', 'DISCONNECTING', 'LEAVE');
    expect(events).to.deep.equal([]);
    const error = await rejection(transport.publish({ video: track() }));
    expect(error).to.not.be.instanceOf(FaceswapError);
  });
});
