import { expect } from '@open-wc/testing';
import { FaceswapError } from '../../../src/core/errors.js';
import type { FaceswapErrorCode, FaceswapErrorInfo } from '../../../src/core/protocol.js';
import { createRig, expectReleased, expectServerClosed, until, waitForState, type Rig, type RigOptions } from './harness.js';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.controller.dispose();
});

/** Starts a session that should fail, and checks the error and that nothing is left behind. */
async function failsWith(code: FaceswapErrorCode, options: RigOptions = {}, arrange?: (r: Rig) => void): Promise<Rig> {
  const r = createRig(options);
  rigs.push(r);
  arrange?.(r);
  const reported: FaceswapErrorInfo[] = [];
  r.controller.on('error', (info) => reported.push(info));
  await r.controller.start();
  await waitForState(r.controller, 'error');
  const error = r.controller.snapshot.error!;
  expect(error.code).to.equal(code);
  expect(error.message).to.be.a('string').and.not.equal('');
  expect(reported).to.deep.equal([error]);
  await expectReleased(r);
  await expectServerClosed(r);
  return r;
}

function domError(name: string) {
  return () => Promise.reject(new DOMException('capture failed', name));
}

describe('SessionController: capture errors', () => {
  for (const [name, code] of [
    ['NotAllowedError', 'camera-denied'],
    ['SecurityError', 'camera-denied'],
    ['NotFoundError', 'camera-not-found'],
    ['OverconstrainedError', 'camera-not-found'],
    ['NotReadableError', 'camera-in-use'],
    ['AbortError', 'camera-in-use'],
  ] as const) {
    it(`${name} -> ${code}, and the server session created in parallel is closed`, async () => {
      const r = await failsWith(code, { getUserMedia: domError(name) });
      expect(r.transports).to.have.length(0);
    });
  }

  it('camera-denied is fatal, camera-in-use is not', async () => {
    const denied = await failsWith('camera-denied', { getUserMedia: domError('NotAllowedError') });
    expect(denied.controller.snapshot.error!.fatal).to.equal(true);
    const busy = await failsWith('camera-in-use', { getUserMedia: domError('NotReadableError') });
    expect(busy.controller.snapshot.error!.fatal).to.equal(false);
  });

  it('an insecure page or a browser without getUserMedia', async () => {
    await failsWith('insecure-context', { getUserMedia: () => Promise.reject(new FaceswapError('insecure-context')) });
    await failsWith('unsupported-browser', { getUserMedia: () => Promise.reject(new TypeError('getUserMedia is not a function')) });
  });

  it('the camera going away mid-session', async () => {
    await failsWith('camera-not-found', { transport: { remote: 'echo' } }, (r) => {
      r.controller.on('state-change', ({ state }) => {
        // What Chromium fires when the device is unplugged or permission revoked.
        if (state === 'live') r.controller.snapshot.localStream!.getVideoTracks()[0]!.dispatchEvent(new Event('ended'));
      });
    });
  });
});

describe('SessionController: credential errors', () => {
  it('endpoint unreachable', async () => {
    await failsWith('endpoint-unreachable', {}, (r) => (r.endpoint.answers.sessions = 'network-error'));
  });

  for (const [status, code, upstreamCode] of [
    [401, 'unauthorized', 1101],
    [402, 'quota-exhausted', 1104],
    [400, 'invalid-source', 1003],
    [429, 'rate-limited', undefined],
    [502, 'upstream-error', undefined],
  ] as const) {
    it(`${code} from the endpoint`, async () => {
      const r = await failsWith(code, {}, (rig) => {
        rig.endpoint.answers.sessions = { status, body: { error: { code, message: `server says ${code}`, upstreamCode } } };
      });
      expect(r.controller.snapshot.error!.message).to.equal(`server says ${code}`);
      expect(r.controller.snapshot.error!.upstreamCode).to.equal(upstreamCode);
    });
  }

  it('429 without a body is rate-limited', async () => {
    await failsWith('rate-limited', {}, (r) => (r.endpoint.answers.sessions = { status: 429, body: null }));
  });

  it('no source chosen', async () => {
    await failsWith('invalid-source', {}, (r) => void r.controller.setSource(null));
  });

  it('nothing configured to get credentials from', async () => {
    await failsWith('unauthorized', { options: { tokenEndpoint: undefined } });
  });

  it('a token provider that fails', async () => {
    await failsWith('quota-exhausted', {
      options: { tokenEndpoint: undefined, tokenProvider: () => Promise.reject(new FaceswapError('quota-exhausted')) },
    });
  });

  it('AKOOL reports the swap as failed at creation (status failed)', async () => {
    await failsWith('swap-failed', {}, (r) => (r.endpoint.status = 'failed'));
  });
});

describe('SessionController: RTC errors', () => {
  it('rtc-join-timeout when the join never settles', async () => {
    const r = await failsWith('rtc-join-timeout', { options: { joinTimeoutMs: 200 }, transport: { joinHangs: true } });
    expect(r.factoryCalls[0]!.options?.joinTimeoutMs).to.equal(200);
  });

  it('rtc-credentials from the join (not retried)', async () => {
    const r = await failsWith('rtc-credentials', { transport: { joinError: new FaceswapError('rtc-credentials') } });
    expect(r.transport.calls.filter((c) => c === 'join')).to.have.length(1);
    expect(r.controller.snapshot.error!.fatal).to.equal(true);
  });

  for (const code of ['swap-failed', 'unsupported-browser'] as const) {
    it(`${code} from the join, not the disconnect the transport reports just before it`, async () => {
      const r = await failsWith(code, { transport: { joinError: new FaceswapError(code), disconnectOnJoinError: true } });
      expect(r.states).to.deep.equal(['preparing', 'connecting', 'error']);
    });
  }

  it('uid-conflict when the connection drops during the join', async () => {
    await failsWith('uid-conflict', { transport: { joinHangs: true } }, (r) => {
      r.controller.on('state-change', ({ state }) => {
        if (state === 'connecting') setTimeout(() => r.transport.emitConnection('disconnected', new FaceswapError('uid-conflict')), 50);
      });
    });
  });

  // Each transport maps its vendor's reason to the cause; the controller ends the session with it.
  for (const [cause, code] of [
    [undefined, 'rtc-disconnected'],
    ['uid-conflict', 'uid-conflict'],
    ['rtc-token-expired', 'rtc-token-expired'],
  ] as const) {
    it(`disconnected (${cause ?? 'no cause given'}) while live -> ${code}`, async () => {
      await failsWith(code, { transport: { remote: 'echo' } }, (r) => {
        r.controller.on('state-change', ({ state }) => {
          if (state === 'live') r.transport.emitConnection('disconnected', cause && new FaceswapError(cause));
        });
      });
    });
  }

  it('rtc-token-expired when the token expires', async () => {
    await failsWith('rtc-token-expired', { transport: { remote: 'echo' } }, (r) => {
      r.controller.on('state-change', ({ state }) => state === 'live' && r.transport.emitTokenExpired());
    });
  });

  it('a failure the transport reports after join', async () => {
    await failsWith('rtc-disconnected', { transport: { remote: 'echo' } }, (r) => {
      r.controller.on('state-change', ({ state }) => state === 'live' && r.transport.failWith(new FaceswapError('rtc-disconnected')));
    });
  });
});

describe('SessionController: swap watchdog and server state', () => {
  it('swap-timeout when no swapped frame arrives after joining', async () => {
    const r = await failsWith('swap-timeout', { options: { swapTimeoutMs: 300 }, transport: { remote: 'none' } });
    expect(r.states).to.deep.equal(['preparing', 'connecting', 'waiting', 'error']);
    expect(r.endpoint.routes('close')).to.have.length(1);
  });

  it('a queued session shows queued, no swap-timeout runs until the service says ready, then it does', async () => {
    const r = createRig({ options: { swapTimeoutMs: 300, statusPollMs: 40, queueTimeoutMs: 60_000 }, transport: { remote: 'none' } });
    rigs.push(r);
    r.endpoint.status = 'queued';
    r.endpoint.heartbeatStatus = 'queued';
    await r.controller.start();
    await waitForState(r.controller, 'waiting');
    expect(r.controller.snapshot.queued).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 700)); // over twice the swap limit, still queued
    expect(r.controller.snapshot.state).to.equal('waiting');
    expect(r.endpoint.routes('heartbeat').length, 'status polled while queued').to.be.greaterThan(3);
    r.endpoint.heartbeatStatus = 'ready';
    await until(() => !r.controller.snapshot.queued, 'queued cleared');
    await waitForState(r.controller, 'error');
    expect(r.controller.snapshot.error!.code).to.equal('swap-timeout');
    await expectServerClosed(r);
  });

  it('a queue that outlasts queueTimeoutMs is a swap-timeout that says so', async () => {
    const r = await failsWith('swap-timeout', { options: { queueTimeoutMs: 300, statusPollMs: 50 }, transport: { remote: 'none' } }, (rig) => {
      rig.endpoint.status = 'queued';
      rig.endpoint.heartbeatStatus = 'queued';
    });
    expect(r.controller.snapshot.error!.message).to.match(/queued/);
  });

  it('the swapped video arriving while queued goes live', async () => {
    const r = createRig({ transport: { remote: 'echo' } });
    rigs.push(r);
    r.endpoint.status = 'queued';
    await r.controller.start();
    await waitForState(r.controller, 'live');
    expect(r.controller.snapshot.queued).to.equal(false);
  });

  it('the service ending the session (heartbeat status ended) ends it cleanly', async () => {
    const r = createRig({ options: { heartbeatMs: 50 }, transport: { remote: 'echo' } });
    rigs.push(r);
    await r.controller.start();
    await waitForState(r.controller, 'live');
    r.endpoint.heartbeatStatus = 'ended';
    await waitForState(r.controller, 'ended');
    expect(r.controller.snapshot.error).to.equal(null);
    await expectReleased(r);
    await expectServerClosed(r);
  });

  it('no swap-timeout once the first frame arrived', async () => {
    const r = createRig({ options: { swapTimeoutMs: 200 }, transport: { remote: 'echo', firstFrameDelayMs: 50 } });
    rigs.push(r);
    await r.controller.start();
    await waitForState(r.controller, 'live');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(r.controller.snapshot.state).to.equal('live');
  });

  it('the server forgot the session (heartbeat not-found)', async () => {
    await failsWith('not-found', { options: { heartbeatMs: 50 }, transport: { remote: 'echo' } }, (r) => {
      r.endpoint.answers.heartbeat = { status: 404, body: { error: { code: 'not-found', message: 'gone' } } };
    });
  });

  it('repeated heartbeat failures end the session', async () => {
    await failsWith('endpoint-unreachable', { options: { heartbeatMs: 30 }, transport: { remote: 'echo' } }, (r) => {
      r.endpoint.answers.heartbeat = 'network-error';
    });
  });

  it('AKOOL reports the swap as failed during the session (heartbeat status failed)', async () => {
    await failsWith('swap-failed', { options: { heartbeatMs: 50 }, transport: { remote: 'echo' } }, (r) => {
      r.endpoint.answers.heartbeat = { status: 200, body: { status: 'failed', expiresAt: '2030-01-01T00:00:00Z' } };
    });
  });
});
