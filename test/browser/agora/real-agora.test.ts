import { expect } from '@open-wc/testing';
import { SessionController } from '../../../src/session/controller.js';
import type { FaceswapErrorInfo, FaceSource, RtcCredentials, SessionState } from '../../../src/core/protocol.js';

/**
 * The real `agora-rtc-sdk-ng` in Chromium, loaded by the default transport factory. There is no route to
 * Agora from here, so the SDK's join never settles: the session must give up with
 * `rtc-join-timeout`, release the camera and close the server session; a stop during the join must end
 * cleanly. The token endpoint is the server helper's handler in `akool` mode over the AKOOL emulator.
 */

const ENDPOINT = '/api/faceswap-akool';
const JOIN_TIMEOUT_MS = 4_000;
const SOURCE: FaceSource = { path: 'https://example.test/face.png', opts: '262,175:363,175:313,215:272,279' };
// AKOOL's documented example answer (AKOOL's API documentation): empty app_id, App ID inside the token.
const DOC_CREDENTIALS: RtcCredentials = {
  appId: '',
  channel: '20250616032959101_8224',
  uid: '1',
  remoteUid: '3',
  token:
    '007eJxTYFj/uGvaue3C3/VlOLdFmM5UuffmzHGhszbnTSqs3or94HNRYEhNNElJM0oxMkg1MTYxMklMMkm0MDCySDW0sDBOMjRP297vnyHAx8Bw6YAZIyMDIwMLAyMDiM8EJpnBJAuYFGMwMjAyNTAzNDMwNrI0tTQ0MIy3MDIyYWQwBADtwSJM',
};

interface EmulatorSession {
  _id: string;
  closed: boolean;
}

const captured: MediaStreamTrack[] = [];
const consoleLines: string[] = [];
const controllers: SessionController[] = [];

function controllerWith(options: ConstructorParameters<typeof SessionController>[0]): SessionController {
  const controller = new SessionController(
    { joinTimeoutMs: JOIN_TIMEOUT_MS, swapTimeoutMs: 20_000, heartbeatMs: 60_000, ...options },
    {
      async getUserMedia(constraints) {
        const stream = await navigator.mediaDevices.getUserMedia(constraints);
        captured.push(...stream.getTracks());
        return stream;
      },
    },
  );
  controllers.push(controller);
  return controller;
}

function waitForState(controller: SessionController, state: SessionState, timeoutMs: number): Promise<void> {
  if (controller.snapshot.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still ${controller.snapshot.state}, expected ${state}`)), timeoutMs);
    const off = controller.on('state-change', (change) => {
      if (change.state !== state) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

async function emulatorSessions(): Promise<EmulatorSession[]> {
  const response = await fetch('/__test/emulator/sessions');
  expect(response.ok, 'emulator control route').to.equal(true);
  return ((await response.json()) as { sessions: EmulatorSession[] }).sessions;
}

/** Whether the emulator (AKOOL) session behind `sessionId` is closed; the handler's id is AKOOL's `_id`. */
async function serverSessionClosed(sessionId: string): Promise<boolean> {
  const mine = (await emulatorSessions()).find((s) => s._id === sessionId);
  expect(mine, `the emulator holds session ${sessionId}`).to.not.equal(undefined);
  return mine!.closed;
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function expectCameraReleased(): void {
  expect(captured.length).to.be.greaterThan(0);
  expect(captured.filter((t) => t.readyState !== 'ended').map((t) => t.label)).to.deep.equal([]);
}

describe('AgoraTransport with the real Agora SDK (offline)', function () {
  this.timeout(30_000);
  const originals = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };

  before(() => {
    for (const level of Object.keys(originals) as Array<keyof typeof originals>) {
      console[level] = (...args: unknown[]) => {
        consoleLines.push(args.map((a) => (typeof a === 'string' ? a : (JSON.stringify(a) ?? String(a)))).join(' '));
        originals[level](...args);
      };
    }
  });
  after(() => Object.assign(console, originals));
  afterEach(async () => {
    for (const controller of controllers.splice(0)) await controller.dispose();
    captured.splice(0);
  });

  it('is not loaded until a session needs it', () => {
    expect((globalThis as { __ARTC__?: unknown }).__ARTC__).to.equal(undefined);
  });

  it('literal AKOOL credentials with an empty App ID: join times out, camera released', async () => {
    const controller = controllerWith({ credentials: DOC_CREDENTIALS, engine: 'akool' });
    const errors: FaceswapErrorInfo[] = [];
    controller.on('error', (e) => errors.push(e));
    const started = Date.now();
    await controller.start();
    await waitForState(controller, 'error', JOIN_TIMEOUT_MS + 10_000);
    expect((globalThis as { __ARTC__?: unknown }).__ARTC__, 'the SDK was loaded').to.not.equal(undefined);
    expect(errors.map((e) => e.code)).to.deep.equal(['rtc-join-timeout']);
    // The timeout is ours: the SDK alone would keep retrying for ever.
    expect(Date.now() - started).to.be.at.least(JOIN_TIMEOUT_MS);
    expectCameraReleased();
  });

  it('token endpoint in akool mode: rtc-join-timeout, camera released, server session closed', async () => {
    const controller = controllerWith({ tokenEndpoint: ENDPOINT, engine: 'auto' });
    await controller.setSource(SOURCE);
    const states: SessionState[] = [];
    controller.on('state-change', ({ state }) => states.push(state));
    await controller.start();
    await waitForState(controller, 'error', JOIN_TIMEOUT_MS + 10_000);
    expect(controller.snapshot.engine).to.equal('akool');
    expect(controller.snapshot.error?.code).to.equal('rtc-join-timeout');
    expect(states).to.deep.equal(['preparing', 'connecting', 'error']);
    expectCameraReleased();
    const sessionId = controller.snapshot.sessionId!;
    await eventually(() => serverSessionClosed(sessionId), 'the server session is closed');
  });

  it('token endpoint in akool mode: stop during the join ends cleanly', async () => {
    const controller = controllerWith({ tokenEndpoint: ENDPOINT, engine: 'auto', joinTimeoutMs: 15_000 });
    await controller.setSource(SOURCE);
    const errors: FaceswapErrorInfo[] = [];
    controller.on('error', (e) => errors.push(e));
    void controller.start();
    await waitForState(controller, 'connecting', 10_000);
    // Let the SDK get into its gateway retry loop before cancelling.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await controller.stop();
    expect(controller.snapshot.state).to.equal('ended');
    expect(controller.snapshot.error).to.equal(null);
    expectCameraReleased();
    const sessionId = controller.snapshot.sessionId!;
    await eventually(() => serverSessionClosed(sessionId), 'the server session is closed');
    // The aborted join's late OPERATION_ABORTED must not surface as an error.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(errors).to.deep.equal([]);
    expect(controller.snapshot.state).to.equal('ended');
  });

  it('logs nothing that holds a token', () => {
    const tokenPiece = DOC_CREDENTIALS.token.slice(3, 30);
    expect(consoleLines.filter((line) => line.includes(tokenPiece) || /\b007eJ/.test(line))).to.deep.equal([]);
  });
});
