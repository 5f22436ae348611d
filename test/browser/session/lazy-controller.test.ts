import { expect } from '@open-wc/testing';
import { FaceswapError } from '../../../src/core/errors.js';
import { LazySessionController } from '../../../src/session/lazy-controller.js';
import type { FaceswapErrorInfo, SessionState } from '../../../src/core/protocol.js';
import type { SessionControllerApi } from '../../../src/session/session-api.js';
import { createRig, expectReleased, waitForState, type Rig } from './harness.js';
import type { SessionController } from '../../../src/session/controller.js';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.controller.dispose();
});

/** A lazy stand-in over a rig's controller, counting how often the "module" was loaded. */
function lazyOver(r: Rig, failFirst = false) {
  const loads: number[] = [];
  const lazy = new LazySessionController(r.controller.options, async () => {
    loads.push(loads.length + 1);
    if (failFirst && loads.length === 1) throw new TypeError('Failed to fetch dynamically imported module');
    return r.controller as SessionControllerApi;
  });
  return { lazy, loads };
}

describe('LazySessionController', () => {
  it('answers as an idle controller and loads nothing until a session needs it', async () => {
    const r = createRig();
    rigs.push(r);
    const { lazy, loads } = lazyOver(r);
    expect(lazy.snapshot.state).to.equal('idle');
    expect(lazy.snapshot.source).to.equal(null);
    expect(lazy.options.tokenEndpoint).to.equal('/fake-endpoint');
    await lazy.stop();
    expect(await lazy.getStats()).to.deep.equal({});
    expect(loads).to.deep.equal([]);
  });

  it('hands listeners and options set before the load over to the controller', async () => {
    const r = createRig({ transport: { remote: 'echo' } });
    rigs.push(r);
    const { lazy, loads } = lazyOver(r);
    const states: SessionState[] = [];
    lazy.on('state-change', ({ state }) => states.push(state));
    lazy.options = { ...lazy.options, joinTimeoutMs: 1234 };
    await lazy.start();
    await waitForState(lazy as unknown as SessionController, 'live');
    expect(loads).to.deep.equal([1]);
    expect(r.factoryCalls[0]!.options?.joinTimeoutMs).to.equal(1234);
    expect(states).to.deep.equal(['preparing', 'connecting', 'waiting', 'live']);
    expect(lazy.snapshot).to.equal(r.controller.snapshot);
    await lazy.stop();
    expect(lazy.snapshot.state).to.equal('ended');
    await expectReleased(r);
  });

  it('reports a session module that cannot be loaded, stays idle, and loads it on the next start', async () => {
    const r = createRig({ transport: { remote: 'echo' } });
    rigs.push(r);
    const { lazy, loads } = lazyOver(r, true);
    const errors: FaceswapErrorInfo[] = [];
    lazy.on('error', (info) => errors.push(info));
    await lazy.start();
    expect(errors.map((e) => e.code)).to.deep.equal(['endpoint-unreachable']);
    expect(lazy.snapshot.state).to.equal('idle');
    await lazy.start();
    await waitForState(lazy as unknown as SessionController, 'live');
    expect(loads).to.deep.equal([1, 2]);
    expect(errors).to.have.length(1);
    await lazy.dispose();
  });

  it('keeps a FaceswapError from the loader as it is', async () => {
    const lazy = new LazySessionController({}, () => Promise.reject(new FaceswapError('unsupported-browser')));
    const errors: FaceswapErrorInfo[] = [];
    lazy.on('error', (info) => errors.push(info));
    await lazy.setMicEnabled(true);
    expect(errors.map((e) => e.code)).to.deep.equal(['unsupported-browser']);
  });
});
