// The full `akool` flow under every reading of what AKOOL's docs leave open (src/server/emulator/readings.ts):
// <faceswap-session> and <faceswap-player> with the real SessionController and AgoraTransport, the token
// endpoint and the AKOOL emulator (mounted by test/support/wtr-api-plugin.mjs), and the fake Agora SDK playing
// the Agora cloud: once the emulator says a session is ready, the uid that reading names publishes the swapped
// video in the session's channel. Each row switches one reading from the defaults; every row must reach `live`
// (or its typed error), end cleanly, and leave nothing open at AKOOL or in the endpoint's store.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/define/faceswap-session.js';
import '../../../src/define/faceswap-player.js';
import type { FaceswapSession } from '../../../src/components/faceswap-session/faceswap-session.js';
import type { FaceSource } from '../../../src/core/protocol.js';
import { AgoraTransport } from '../../../src/rtc/agora-transport.js';
import type { SessionPlatform } from '../../../src/session/session-api.js';
import type { EmulatorReadings } from '../../../src/server/emulator/readings.js';
import { photoDataUrl } from '../../support/photo.js';
import { until } from '../../support/until.js';
import { FakeAgoraSdk, FakeRemoteVideoTrack, canvasTrack, type FakeClient } from '../agora/fake-agora-sdk.js';

const API = '/api/faceswap-akool';

interface UpstreamSession {
  _id: string;
  channel_id: string;
  faceswap_status: number;
  closed: boolean;
  algorithm_user_id: string;
  video_uid: string;
}

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const init = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(path, init);
  return { status: response.status, ...(await response.json()) };
}

const upstreamSessions = async (): Promise<UpstreamSession[]> => (await call('GET', '/__test/emulator/sessions')).sessions;

const tracks: MediaStreamTrack[] = [];

/**
 * The Agora cloud around the fake SDK: after the page joins a channel, it waits until the emulator says that
 * channel's session is ready (status 2), then the uid the emulator's reading chose publishes video. In the
 * `other` reading the named `algorithm_user_id` joins too, sending nothing.
 */
class AgoraCloud extends FakeAgoraSdk {
  readonly publishers: string[] = [];
  #stopped = false;

  override createClient(config: Record<string, unknown>): FakeClient {
    const client = super.createClient(config);
    const join = client.join.bind(client);
    client.join = async (...args: unknown[]) => {
      const uid = await join(...args);
      void this.#serve(client, String(args[1]));
      return uid;
    };
    return client;
  }

  stop(): void {
    this.#stopped = true;
  }

  async #serve(client: FakeClient, channel: string): Promise<void> {
    let session: UpstreamSession | undefined;
    while (!this.#stopped) {
      session = (await upstreamSessions()).find((s) => s.channel_id === channel);
      if (!session || session.closed) return;
      if (session.faceswap_status === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (this.#stopped || !session) return;
    if (session.algorithm_user_id !== '' && session.algorithm_user_id !== session.video_uid) {
      client.emit('user-joined', { uid: Number(session.algorithm_user_id) });
    }
    const track = canvasTrack();
    tracks.push(track);
    const video = new FakeRemoteVideoTrack(track);
    video.decodeFrames();
    const worker = { uid: Number(session.video_uid), hasVideo: true, videoTrack: video };
    client.emit('user-joined', worker);
    this.publishers.push(session.video_uid);
    client.emit('user-published', worker, 'video');
  }
}

/** Detects the bundled demo face through the endpoint; its landmarks must lie inside the box it reports. */
async function detectedSource(): Promise<FaceSource> {
  const answer = await call('POST', `${API}/detect`, { image: await photoDataUrl('/demo/faces/ada.jpg') });
  expect(answer.status, JSON.stringify(answer)).to.equal(200);
  expect(answer.faces).to.have.length(1);
  const [face] = answer.faces;
  const [x, y, w, h] = face.box as number[];
  expect(w).to.be.greaterThan(10);
  for (const [px, py] of (face.landmarks as string).split(':').map((pair) => pair.split(',').map(Number))) {
    expect(px! >= x! && px! <= x! + w! && py! >= y! && py! <= y! + h!, `landmark ${px},${py} in box ${face.box}`).to.equal(true);
  }
  return face.source;
}

interface Flow {
  session: FaceswapSession;
  player: HTMLElement;
  cloud: AgoraCloud;
}

async function openFlow(source: FaceSource, swapTimeoutMs = 8_000): Promise<Flow> {
  const cloud = new AgoraCloud();
  const platform: Partial<SessionPlatform> = {
    async getUserMedia(constraints) {
      const stream = await navigator.mediaDevices.getUserMedia(constraints);
      tracks.push(...stream.getTracks());
      return stream;
    },
    transportFactory: async (_engine, options) => new AgoraTransport({ ...options, loadSdk: async () => cloud.asSdk() }),
  };
  const session = await fixture<FaceswapSession>(html`
    <faceswap-session token-endpoint=${API} .platform=${platform} .timeouts=${{ heartbeatMs: 200, swapTimeoutMs }} .source=${source}>
      <faceswap-player></faceswap-player>
    </faceswap-session>
  `);
  return { session, player: session.querySelector('faceswap-player')!, cloud };
}

/** Sessions an earlier failed row left open in the endpoint's store (so one failure does not fail every row after it). */
let leftOpen: string[] = [];

/** Nothing left billing: every AKOOL session closed, none open in the endpoint's store, nothing logged. */
async function expectNothingOpen(): Promise<void> {
  await until(async () => (await upstreamSessions()).every((s) => s.closed), 'every AKOOL session closed', 5_000);
  const open: string[] = (await call('GET', '/__test/handler/open')).open;
  expect(open.filter((id) => !leftOpen.includes(id))).to.deep.equal([]);
  expect((await call('POST', '/__test/handler/reap')).closed.filter((id: string) => !leftOpen.includes(id))).to.deep.equal([]);
  expect((await call('GET', '/__test/handler/warnings')).warnings).to.deep.equal([]);
}

/** One run to `live` and back: start, (let the queue pass), swapped video, stop. */
async function runToLive(readings: Partial<EmulatorReadings>): Promise<Flow> {
  const source = await detectedSource();
  const longQueue = (readings.queueMs ?? 0) > 10_000;
  // A short swap limit in the long queue: the queue must not count against it.
  const flow = await openFlow(source, longQueue ? 3_000 : 8_000);
  const { session, cloud } = flow;
  void session.start();
  if (longQueue) {
    // AKOOL queues it for longer than the swap limit: the player says so, and nothing fails meanwhile.
    await until(() => session.details.queued, 'the queued state');
    await until(() => flow.player.shadowRoot?.querySelector('[data-state=waiting]')?.textContent?.includes('queue'), 'the queued overlay');
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(session.state).to.equal('waiting');
    await call('POST', '/__test/emulator/clock', { advanceMs: readings.queueMs });
  }
  await until(() => session.state === 'live' || session.state === 'error', 'live', 15_000);
  expect(session.details.error, JSON.stringify(session.details.error)).to.equal(null);
  expect(session.state).to.equal('live');
  const [upstream] = await upstreamSessions();
  expect(cloud.publishers).to.deep.equal([upstream!.video_uid]);
  expect(session.details.remoteTrack?.readyState).to.equal('live');
  return flow;
}

/**
 * A fresh endpoint (what it learnt of the last reading, such as a missing `/live/info`, is forgotten) and emulator.
 * The endpoint waits longer for AKOOL than by default: on a loaded machine one detection can take over 15 s, and
 * timeouts are not what this file tests.
 */
async function setReadings(readings: Partial<EmulatorReadings>): Promise<void> {
  await call('POST', '/__test/handler/config', { upstreamTimeoutMs: 60_000 });
  await call('POST', '/__test/emulator/reset', {});
  await call('POST', '/__test/emulator/readings', { queueMs: 0, ...readings });
}

describe('the akool flow under every reading of AKOOL', function () {
  this.timeout(40_000);
  let flow: Flow | undefined;

  before(async function () {
    this.timeout(180_000);
    await call('POST', '/__test/detector/warm-up', {});
  });
  beforeEach(async () => {
    await call('GET', '/__test/handler/warnings');
    leftOpen = (await call('GET', '/__test/handler/open')).open;
  });
  after(async () => {
    await call('POST', '/__test/handler/config', {});
  });
  afterEach(async () => {
    flow?.cloud.stop();
    await flow?.session.stop();
    flow = undefined;
    await call('POST', '/__test/emulator/reset', {});
    for (const track of tracks.splice(0)) track.stop();
  });

  const rows: Array<Partial<EmulatorReadings>> = [
    {},
    { videoUid: 'algorithm' },
    { videoUid: 'other' },
    { videoUid: 'announced' },
    { queueMs: 1500 },
    { queueMs: 90_000 },
    { appId: 'empty' },
    { appId: 'filled' },
    { region: 'xywh' },
    { region: 'corners' },
    { detectErrors: 'http-200' },
    { detectErrors: 'http-4xx' },
    { businessErrors: 'http-200' },
    { businessErrors: 'http-4xx' },
    { liveInfo: 'present', queueMs: 1500 },
    { liveInfo: 'absent', queueMs: 1500 },
  ];
  for (const readings of rows) {
    it(`reaches live and ends cleanly: ${JSON.stringify(readings)}`, async () => {
      await setReadings(readings);
      flow = await runToLive(readings);
      await flow.session.stop();
      expect(flow.session.state).to.equal('ended');
      await expectNothingOpen();
    });
  }

  for (const closeEnded of [1000, 1003, 1008, 1014] as const) {
    for (const businessErrors of ['http-200', 'http-4xx'] as const) {
      it(`AKOOL ends a live session itself, closeEnded=${closeEnded}, businessErrors=${businessErrors}: the page ends, the endpoint releases it`, async () => {
        await setReadings({ closeEnded, businessErrors });
        flow = await runToLive({});
        await call('POST', `/__test/emulator/sessions/${flow.session.details.sessionId}/end`, {});
        await until(() => flow!.session.state === 'ended' || flow!.session.state === 'error', 'the session to end', 5_000);
        expect(flow.session.details.error).to.equal(null);
        expect(flow.session.state).to.equal('ended');
        await expectNothingOpen();
      });
    }
  }

  for (const detectErrors of ['http-200', 'http-4xx'] as const) {
    it(`detectErrors=${detectErrors}: a photo AKOOL cannot download is invalid-source with AKOOL's message`, async () => {
      await setReadings({ detectErrors });
      const answer = await call('POST', `${API}/detect`, { url: 'https://photos.example.com/face.jpg' });
      expect([answer.status, answer.error.code]).to.deep.equal([400, 'invalid-source']);
      expect(answer.error.message).to.match(/download/i);
    });
  }

  const refusals: Array<[number, string, boolean]> = [
    [1104, 'quota-exhausted', true],
    [1101, 'unauthorized', true],
    [1005, 'rate-limited', false],
    [1200, 'unauthorized', true],
  ];
  for (const businessErrors of ['http-200', 'http-4xx'] as const) {
    for (const [code, stable, fatal] of refusals) {
      it(`businessErrors=${businessErrors}: create refused with ${code} ends in ${stable} (fatal ${fatal}), nothing opened`, async () => {
        await setReadings({ businessErrors });
        await call('POST', '/__test/emulator/faults', { forceCode: code, paths: ['/live/create'] });
        flow = await openFlow((await call('POST', `${API}/detect`, { image: await photoDataUrl('/demo/faces/ada.jpg') })).faces[0].source);
        await flow.session.start();
        await until(() => flow!.session.state === 'error', 'the error');
        expect([flow.session.details.error?.code, flow.session.details.error?.fatal]).to.deep.equal([stable, fatal]);
        expect(tracks.filter((t) => t.readyState === 'live')).to.deep.equal([]);
        await expectNothingOpen();
      });
    }
  }
});
