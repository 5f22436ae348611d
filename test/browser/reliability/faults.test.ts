import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/index.js';
import type { FaceswapSession } from '../../../src/components/faceswap-session/faceswap-session.js';
import { FakeTransport } from '../../../src/rtc/fake-transport.js';
import { FaceswapError } from '../../../src/core/errors.js';
import type { FaceSource, FaceswapErrorInfo } from '../../../src/core/protocol.js';
import { until } from '../../support/until.js';

/**
 * Reliability of the whole chain: the real <faceswap-session> against the real token endpoint and
 * the AKOOL emulator (mounted same-origin by the wtr plugin), with FakeTransport standing in for Agora.
 * Every fault injected at the emulator, in the network or in the RTC transport must reach the element as the
 * right error code (or be recovered from), release the camera, and leave no session open at AKOOL.
 */

const SOURCE: FaceSource = { path: 'https://example.test/face.png', opts: '262,175:363,175:313,215:272,279' };

interface EmulatorSession {
  _id: string;
  closed: boolean;
}

async function control(path: string, method = 'GET', body?: unknown): Promise<any> {
  const response = await fetch(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return response.json();
}
const emulatorSessions = async (): Promise<EmulatorSession[]> => (await control('/__test/emulator/sessions')).sessions;
const setFaults = (faults: Record<string, unknown>) => control('/__test/emulator/faults', 'POST', faults);
const configureHandler = (config: Record<string, unknown>) => control('/__test/handler/config', 'POST', config);

describe('reliability: faults reach the element, the camera is released, nothing stays open', function () {
  this.timeout(30_000);
  let known = new Set<string>();
  let cameraTracks: MediaStreamTrack[] = [];
  let transports: FakeTransport[] = [];
  let fetchOverride: typeof fetch | null = null;

  beforeEach(async () => {
    await control('/__test/emulator/faults', 'DELETE');
    await configureHandler({});
    known = new Set((await emulatorSessions()).map((s) => s._id));
    cameraTracks = [];
    transports = [];
    fetchOverride = null;
  });

  afterEach(async () => {
    await control('/__test/emulator/faults', 'DELETE');
    await configureHandler({});
  });

  /** Sessions this test created that AKOOL still has open. */
  async function openSessions(): Promise<string[]> {
    return (await emulatorSessions()).filter((s) => !known.has(s._id) && !s.closed).map((s) => s._id);
  }
  async function createdSessions(): Promise<string[]> {
    return (await emulatorSessions()).filter((s) => !known.has(s._id)).map((s) => s._id);
  }
  const liveCameraTracks = () => cameraTracks.filter((t) => t.readyState !== 'ended');

  async function mount(endpoint = '/api/faceswap'): Promise<{ element: FaceswapSession; errors: FaceswapErrorInfo[] }> {
    const element = await fixture<FaceswapSession>(html`<faceswap-session token-endpoint=${endpoint}></faceswap-session>`);
    const errors: FaceswapErrorInfo[] = [];
    element.addEventListener('faceswap-error', (event) => errors.push((event as CustomEvent<FaceswapErrorInfo>).detail));
    element.platform = {
      async getUserMedia(constraints) {
        const stream = await navigator.mediaDevices.getUserMedia(constraints);
        cameraTracks.push(...stream.getTracks());
        return stream;
      },
      fetch: (input, init) => (fetchOverride ?? fetch)(input, init),
      async transportFactory(engine) {
        const transport = new FakeTransport({ engine, remote: 'echo' });
        transports.push(transport);
        return transport;
      },
    };
    element.timeouts = { heartbeatMs: 150, swapTimeoutMs: 8000 };
    element.source = SOURCE;
    await element.updateComplete;
    return { element, errors };
  }

  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['1003 (bad source)', { forceCode: 1003 }, 'invalid-source'],
    ['1101 (wrong key)', { forceCode: 1101 }, 'unauthorized'],
    ['1102 (no key)', { forceCode: 1102 }, 'unauthorized'],
    ['1104 (quota)', { forceCode: 1104 }, 'quota-exhausted'],
    ['1006 (quota)', { forceCode: 1006 }, 'quota-exhausted'],
    ['an undocumented code', { forceCode: 1500 }, 'upstream-error'],
    ['HTTP 500', { forceHttpStatus: 500 }, 'upstream-error'],
    ['HTTP 503', { forceHttpStatus: 503 }, 'upstream-error'],
    ['a malformed JSON answer', { malformedJson: true }, 'upstream-error'],
  ];
  for (const [name, faults, code] of cases) {
    it(`AKOOL answering ${name} at create → ${code}`, async () => {
      await setFaults({ ...faults, paths: ['/live/create'] });
      const { element, errors } = await mount();
      await element.start();
      await until(() => element.state === 'error', 'the error state');
      expect(errors.map((e) => e.code)).to.deep.equal([code]);
      expect(liveCameraTracks()).to.deep.equal([]);
      expect(await openSessions()).to.deep.equal([]);
    });
  }

  it('AKOOL never answering → the handler times out → upstream-error, nothing open', async () => {
    await configureHandler({ upstreamTimeoutMs: 400 });
    await setFaults({ hang: true, paths: ['/live/create'] });
    const { element, errors } = await mount();
    await element.start();
    await until(() => element.state === 'error', 'the error state');
    expect(errors.map((e) => e.code)).to.deep.equal(['upstream-error']);
    expect(liveCameraTracks()).to.deep.equal([]);
    await control('/__test/emulator/faults', 'DELETE'); // releases the hanging create at the emulator
    // The create the handler gave up on may still have opened a session: the reaper must close it.
    await configureHandler({ heartbeatTimeoutMs: 1 });
    await control('/__test/handler/reap', 'POST');
    expect(await openSessions()).to.deep.equal([]);
  });

  it('slow AKOOL answers (latency on every call) still go live and close cleanly', async () => {
    await setFaults({ latencyMs: 300 });
    const { element, errors } = await mount();
    await element.start();
    await until(() => element.state === 'live', 'live');
    await new Promise((resolve) => setTimeout(resolve, 500)); // a few slow heartbeats
    await element.stop();
    expect(element.state).to.equal('ended');
    expect(errors).to.deep.equal([]);
    expect(liveCameraTracks()).to.deep.equal([]);
    expect((await createdSessions()).length).to.equal(1);
    expect(await openSessions()).to.deep.equal([]);
  });

  it('an unreachable token endpoint → endpoint-unreachable, camera released', async () => {
    const { element, errors } = await mount('http://127.0.0.1:9/api/faceswap');
    await element.start();
    await until(() => element.state === 'error', 'the error state');
    expect(errors.map((e) => e.code)).to.deep.equal(['endpoint-unreachable']);
    expect(liveCameraTracks()).to.deep.equal([]);
  });

  it('the token endpoint dropping mid-session: the element reports it, the camera is released, the reaper closes the session', async () => {
    const { element, errors } = await mount();
    await element.start();
    await until(() => element.state === 'live', 'live');
    const [sessionId] = await createdSessions();
    fetchOverride = async () => {
      throw new TypeError('Failed to fetch');
    };
    await until(() => element.state === 'error', 'the error state after failed heartbeats');
    expect(errors.map((e) => e.code)).to.deep.equal(['endpoint-unreachable']);
    expect(liveCameraTracks()).to.deep.equal([]);
    expect(transports[0]!.left).to.equal(true);
    // The visitor's close could not get through either; the server's reaper ends the session.
    expect(await openSessions()).to.deep.equal([sessionId]);
    await configureHandler({ heartbeatTimeoutMs: 1 });
    const { closed } = await control('/__test/handler/reap', 'POST');
    expect(closed).to.include(sessionId);
    expect(await openSessions()).to.deep.equal([]);
    // The network is back: the visitor can start again.
    fetchOverride = null;
    await configureHandler({});
    await element.start();
    await until(() => element.state === 'live', 'live again');
    await element.stop();
    expect(await openSessions()).to.deep.equal([]);
    expect(liveCameraTracks()).to.deep.equal([]);
  });

  it('a brief network blip during heartbeats is tolerated: the session stays live', async () => {
    const { element, errors } = await mount();
    await element.start();
    await until(() => element.state === 'live', 'live');
    let failed = 0;
    fetchOverride = async (input, init) => {
      if (String(input).endsWith('/heartbeat') && failed < 2) {
        failed += 1;
        throw new TypeError('Failed to fetch');
      }
      return fetch(input, init);
    };
    await until(() => failed === 2, 'two failed heartbeats');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(element.state).to.equal('live');
    expect(errors).to.deep.equal([]);
    await element.stop();
    expect(await openSessions()).to.deep.equal([]);
  });

  it('the RTC transport reconnecting and recovering: live → reconnecting → live, camera kept', async () => {
    const { element, errors } = await mount();
    await element.start();
    await until(() => element.state === 'live', 'live');
    transports[0]!.emitConnection('reconnecting');
    await until(() => element.state === 'reconnecting', 'reconnecting');
    expect(liveCameraTracks().length).to.be.greaterThan(0);
    transports[0]!.emitConnection('connected');
    await until(() => element.state === 'live', 'live again');
    expect(errors).to.deep.equal([]);
    await element.stop();
    expect(liveCameraTracks()).to.deep.equal([]);
    expect(await openSessions()).to.deep.equal([]);
  });

  it('the RTC transport reconnecting and failing → rtc-disconnected, camera released, session closed', async () => {
    const { element, errors } = await mount();
    await element.start();
    await until(() => element.state === 'live', 'live');
    transports[0]!.emitConnection('reconnecting');
    await until(() => element.state === 'reconnecting', 'reconnecting');
    transports[0]!.emitConnection('disconnected', new FaceswapError('rtc-disconnected'));
    await until(() => element.state === 'error', 'the error state');
    expect(errors.map((e) => e.code)).to.deep.equal(['rtc-disconnected']);
    expect(liveCameraTracks()).to.deep.equal([]);
    expect(transports[0]!.delivered.filter((t) => t.readyState !== 'ended')).to.deep.equal([]);
    await until(async () => (await openSessions()).length === 0, 'the session closed at AKOOL');
  });

  it('a transport failure after join (e.g. token expired) ends the session at AKOOL', async () => {
    const { element, errors } = await mount();
    await element.start();
    await until(() => element.state === 'live', 'live');
    transports[0]!.failWith(new FaceswapError('rtc-token-expired'));
    await until(() => element.state === 'error', 'the error state');
    expect(errors.map((e) => e.code)).to.deep.equal(['rtc-token-expired']);
    expect(liveCameraTracks()).to.deep.equal([]);
    await until(async () => (await openSessions()).length === 0, 'the session closed at AKOOL');
  });

  it('AKOOL failing to close: the visitor still ends cleanly, and the reaper closes it once AKOOL recovers', async () => {
    const { element, errors } = await mount();
    await element.start();
    await until(() => element.state === 'live', 'live');
    const [sessionId] = await createdSessions();
    await setFaults({ forceHttpStatus: 500, paths: ['/live/close'] });
    await element.stop();
    expect(element.state).to.equal('ended');
    expect(errors).to.deep.equal([]);
    expect(liveCameraTracks()).to.deep.equal([]);
    expect(await openSessions()).to.deep.equal([sessionId]);
    await control('/__test/emulator/faults', 'DELETE');
    await configureHandler({ heartbeatTimeoutMs: 1 });
    const { closed } = await control('/__test/handler/reap', 'POST');
    expect(closed).to.include(sessionId);
    expect(await openSessions()).to.deep.equal([]);
  });

  it('AKOOL refusing a new face mid-session (1003) reports invalid-source; stopping still closes everything', async () => {
    const { element, errors } = await mount();
    await element.start();
    await until(() => element.state === 'live', 'live');
    await setFaults({ forceCode: 1003, paths: ['/live/update'] });
    await element.setSource({ path: 'https://example.test/other.png', opts: '110,75:163,75:133,115:132,139' });
    await until(() => errors.length > 0, 'the error event');
    expect(errors.map((e) => e.code)).to.deep.equal(['invalid-source']);
    await control('/__test/emulator/faults', 'DELETE');
    await element.stop();
    expect(liveCameraTracks()).to.deep.equal([]);
    expect(await openSessions()).to.deep.equal([]);
  });

  it('removing the element mid-session releases the camera and closes the session', async () => {
    const { element } = await mount();
    await element.start();
    await until(() => element.state === 'live', 'live');
    element.remove();
    await until(() => liveCameraTracks().length === 0, 'the camera released');
    await until(async () => (await openSessions()).length === 0, 'the session closed at AKOOL');
  });
});
