import { expect } from '@open-wc/testing';
import { FakeTransport } from '../../../src/rtc/fake-transport.js';
import { SessionController } from '../../../src/session/controller.js';
import type { FaceSource } from '../../../src/core/protocol.js';
import type { SessionPlatform } from '../../../src/session/session-api.js';
import { OTHER_SOURCE, SOURCE, waitForState } from './harness.js';

/**
 * The controller against the real token endpoint (`createFaceswapHandler` over the AKOOL emulator, mounted
 * same-origin by the wtr plugin), with FakeTransport for the media path: the wire protocol end to end.
 */

interface EmulatorSession {
  _id: string;
  closed: boolean;
  updates: number;
  sourceImage: FaceSource[];
}

async function emulatorSession(id: string): Promise<EmulatorSession | undefined> {
  const answer = (await (await fetch('/__test/emulator/sessions')).json()) as { sessions: EmulatorSession[] };
  return answer.sessions.find((s) => s._id === id);
}

describe('SessionController with the real token endpoint', function () {
  this.timeout(20_000);
  const controllers: SessionController[] = [];
  const tracks: MediaStreamTrack[] = [];
  afterEach(async () => {
    for (const controller of controllers.splice(0)) await controller.dispose();
    expect(tracks.filter((t) => t.readyState !== 'ended')).to.deep.equal([]);
    tracks.splice(0);
  });

  function create(platform: Partial<SessionPlatform> = {}): { controller: SessionController; transports: FakeTransport[] } {
    const transports: FakeTransport[] = [];
    const controller = new SessionController(
      { tokenEndpoint: '/api/faceswap', heartbeatMs: 100, swapTimeoutMs: 5_000 },
      {
        async getUserMedia(constraints) {
          const stream = await navigator.mediaDevices.getUserMedia(constraints);
          tracks.push(...stream.getTracks());
          return stream;
        },
        async transportFactory(engine) {
          const transport = new FakeTransport({ engine, remote: 'echo' });
          transports.push(transport);
          return transport;
        },
        ...platform,
      },
    );
    controllers.push(controller);
    return { controller, transports };
  }

  it('creates, heartbeats, changes the source and closes a session', async () => {
    const { controller, transports } = create();
    await controller.setSource(SOURCE);
    await controller.start();
    await waitForState(controller, 'live');
    const { sessionId, engine } = controller.snapshot;
    expect(engine).to.equal('local');
    expect(transports[0]!.credentials?.token).to.be.a('string').and.not.equal('');
    expect((await emulatorSession(sessionId!))?.sourceImage).to.deep.equal([SOURCE]);

    await controller.setSource(OTHER_SOURCE);
    expect(controller.snapshot.error).to.equal(null);
    const updated = await emulatorSession(sessionId!);
    expect(updated?.sourceImage).to.deep.equal([OTHER_SOURCE]);
    expect(transports[0]!.calls.filter((c) => c === 'join')).to.have.length(1);

    // A few heartbeats go through without disturbing the session.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(controller.snapshot.state).to.equal('live');

    await controller.stop();
    expect(controller.snapshot.state).to.equal('ended');
    expect((await emulatorSession(sessionId!))?.closed).to.equal(true);
  });

  it('closes the session with a real sendBeacon on pagehide', async () => {
    let hide: (() => void) | undefined;
    const { controller } = create({
      onPageHide(listener) {
        hide = listener;
        return () => (hide = undefined);
      },
    });
    await controller.setSource(SOURCE);
    await controller.start();
    await waitForState(controller, 'live');
    const sessionId = controller.snapshot.sessionId!;
    hide!();
    expect(hide, 'the pagehide listener is removed').to.equal(undefined);
    await waitForState(controller, 'ended');
    const end = Date.now() + 5_000;
    while (!(await emulatorSession(sessionId))?.closed) {
      if (Date.now() > end) throw new Error('the beacon did not close the session');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('ends with the server error code when the server forgets the session', async () => {
    const { controller } = create();
    await controller.setSource(SOURCE);
    await controller.start();
    await waitForState(controller, 'live');
    // The server's reaper closes it; the next heartbeat learns it is gone.
    const { sessionId } = controller.snapshot;
    const closed = await fetch(`/api/faceswap/sessions/${sessionId}/close`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionKey: 'wrong-key' }),
    });
    expect(closed.ok, 'a wrong key cannot close it').to.equal(false);
    await fetch('/__test/handler/config', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ heartbeatTimeoutMs: 1 }) });
    await fetch('/__test/handler/reap', { method: 'POST' });
    await fetch('/__test/handler/config', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await waitForState(controller, 'error', 5_000);
    expect(controller.snapshot.error?.code).to.equal('conflict');
  });
});
