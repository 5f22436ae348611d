import { expect } from '@open-wc/testing';
import { FakeTransport, type FakeTransportOptions } from '../../../src/rtc/fake-transport.js';
import type { TransportOptions } from '../../../src/rtc/transport.js';
import { SessionController } from '../../../src/session/controller.js';
import type { ErrorBody, EngineName, FaceSource, SessionGrant, SessionState, SwapStatus } from '../../../src/core/protocol.js';
import type { SessionOptions, SessionPlatform } from '../../../src/session/session-api.js';
import { until } from '../../support/until.js';

export { until };

/**
 * Test rig for SessionController in Chromium: the real fake camera (so "no live track left" is checked on
 * real MediaStreamTracks), FakeTransport for the media path and an in-memory token endpoint behind `fetch`.
 */

export const SOURCE: FaceSource = { path: 'https://example.test/face.png', opts: '262,175:363,175:313,215:272,279' };
export const OTHER_SOURCE: FaceSource = { path: 'https://example.test/other.png', opts: '10,10:20,10:15,15:15,20' };

type Route = 'sessions' | 'source' | 'heartbeat' | 'close' | 'detect';

/** What a route answers: a status + body, a network failure, or never. */
export type Answer = { status: number; body: unknown } | 'network-error' | 'hang';

export class FakeEndpoint {
  readonly calls: Array<{ route: Route; sessionId?: string; body: Record<string, unknown> }> = [];
  readonly open = new Set<string>();
  engine: EngineName = 'akool';
  /** What create answers as the swap status, and what each heartbeat answers. */
  status: SwapStatus = 'ready';
  heartbeatStatus: SwapStatus = 'ready';
  /** One-off or permanent answers per route; a function is asked on every call. */
  answers: Partial<Record<Route, Answer | (() => Answer | undefined)>> = {};
  #next = 0;

  readonly fetch: typeof fetch = async (input, init) => {
    const url = String(input);
    const match = /\/sessions(?:\/([^/]+)\/(source|heartbeat|close))?$/.exec(url) ?? /\/(detect)$/.exec(url);
    if (!match) return json(404, 'not here');
    const route = (match[2] ?? (match[1] === 'detect' ? 'detect' : 'sessions')) as Route;
    const sessionId = route === 'sessions' || route === 'detect' ? undefined : decodeURIComponent(match[1]!);
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
    this.calls.push({ route, sessionId, body });
    const configured = this.answers[route];
    const answer = typeof configured === 'function' ? configured() : configured;
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    if (answer === 'hang') {
      return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }
    if (answer) return json(answer.status, answer.body);
    return this.#answer(route, sessionId);
  };

  #answer(route: Route, sessionId: string | undefined): Response {
    if (route === 'sessions') {
      this.#next += 1;
      const grant: SessionGrant = {
        sessionId: `s${this.#next}`,
        sessionKey: `key-s${this.#next}`,
        engine: this.engine,
        status: this.status,
        rtc: { appId: 'a'.repeat(32), channel: `channel-${this.#next}`, uid: '1', token: '007token', remoteUid: '3' },
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      };
      this.open.add(grant.sessionId);
      return json(200, grant);
    }
    if (!sessionId || !this.open.has(sessionId)) {
      return json(404, { error: { code: 'not-found', message: 'No such session.' } } satisfies ErrorBody);
    }
    if (route === 'close') this.open.delete(sessionId);
    if (route === 'heartbeat') return json(200, { status: this.heartbeatStatus, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    return json(200, { ok: true });
  }

  routes(route: Route) {
    return this.calls.filter((call) => call.route === route);
  }

  /** The server side of a `navigator.sendBeacon` close. */
  receiveBeacon(url: string, body: string): void {
    const sessionId = decodeURIComponent(/\/sessions\/([^/]+)\/close$/.exec(url)?.[1] ?? '');
    this.calls.push({ route: 'close', sessionId, body: JSON.parse(body) as Record<string, unknown> });
    this.open.delete(sessionId);
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export interface Rig {
  controller: SessionController;
  endpoint: FakeEndpoint;
  /** Every transport the controller created, in order. */
  transports: FakeTransport[];
  readonly transport: FakeTransport;
  factoryCalls: Array<{ engine: EngineName; options?: TransportOptions }>;
  constraints: MediaStreamConstraints[];
  /** Every track getUserMedia produced (camera and mic) plus every remote track the fakes delivered. */
  allTracks(): MediaStreamTrack[];
  /** Waits for every getUserMedia call to settle (a late permission answer must still be released). */
  settleCapture(): Promise<void>;
  beacons: Array<{ url: string; body: string }>;
  firePageHide(): void;
  pageHideListeners(): number;
  states: SessionState[];
}

export interface RigOptions {
  options?: Partial<SessionOptions>;
  transport?: FakeTransportOptions;
  /** Replace getUserMedia (to fail like a browser would). */
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  /** Delay every getUserMedia answer (a permission prompt that stays open). */
  captureDelayMs?: number;
}

export function createRig(rigOptions: RigOptions = {}): Rig {
  const endpoint = new FakeEndpoint();
  const transports: FakeTransport[] = [];
  const factoryCalls: Rig['factoryCalls'] = [];
  const constraints: MediaStreamConstraints[] = [];
  const captured: MediaStreamTrack[] = [];
  const pendingCaptures: Array<Promise<unknown>> = [];
  const beacons: Rig['beacons'] = [];
  const pageHide = new Set<() => void>();
  const states: SessionState[] = [];

  const platform: SessionPlatform = {
    getUserMedia(c) {
      constraints.push(c);
      const capture = (async () => {
        if (rigOptions.captureDelayMs) await sleep(rigOptions.captureDelayMs);
        const stream = await (rigOptions.getUserMedia ?? ((k) => navigator.mediaDevices.getUserMedia(k)))(c);
        captured.push(...stream.getTracks());
        return stream;
      })();
      pendingCaptures.push(capture.catch(() => {}));
      return capture;
    },
    fetch: endpoint.fetch,
    sendBeacon(url, body) {
      beacons.push({ url, body });
      endpoint.receiveBeacon(url, body);
      return true;
    },
    onPageHide(listener) {
      pageHide.add(listener);
      return () => pageHide.delete(listener);
    },
    async transportFactory(engine, options) {
      factoryCalls.push({ engine, options });
      const transport = new FakeTransport({ engine, ...options, ...rigOptions.transport });
      transports.push(transport);
      return transport;
    },
    now: () => Date.now(),
  };

  const controller = new SessionController(
    { tokenEndpoint: '/fake-endpoint', swapTimeoutMs: 5_000, joinTimeoutMs: 5_000, heartbeatMs: 60_000, ...rigOptions.options },
    platform,
  );
  controller.on('state-change', ({ state }) => states.push(state));
  void controller.setSource(SOURCE);

  return {
    controller,
    endpoint,
    transports,
    get transport() {
      const last = transports.at(-1);
      if (!last) throw new Error('no transport was created');
      return last;
    },
    factoryCalls,
    constraints,
    allTracks: () => [...captured, ...transports.flatMap((t) => t.delivered)],
    settleCapture: async () => {
      await Promise.all(pendingCaptures);
    },
    beacons,
    firePageHide: () => [...pageHide].forEach((listener) => listener()),
    pageHideListeners: () => pageHide.size,
    states,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once the controller is in `state` (immediately if it already is). */
export function waitForState(controller: SessionController, state: SessionState, timeoutMs = 8_000): Promise<void> {
  if (controller.snapshot.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`state stayed ${controller.snapshot.state}, expected ${state}`));
    }, timeoutMs);
    const off = controller.on('state-change', (change) => {
      if (change.state !== state) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** The session left nothing behind: every track ended, no transport listener, no page listener. */
export async function expectReleased(rig: Rig): Promise<void> {
  await rig.settleCapture();
  const tracks = rig.allTracks();
  expect(tracks.filter((track) => track.readyState !== 'ended').map((t) => `${t.kind}:${t.label}`)).to.deep.equal([]);
  for (const transport of rig.transports) {
    expect(transport.listenerCount(), 'transport listeners').to.equal(0);
    expect(transport.left, 'transport left').to.equal(true);
  }
  expect(rig.pageHideListeners(), 'pagehide listeners').to.equal(0);
  expect(rig.controller.snapshot.localStream).to.equal(null);
  expect(rig.controller.snapshot.remoteTrack).to.equal(null);
}

/** Every session the fake endpoint issued has been closed (the close may follow the state change). */
export async function expectServerClosed(rig: Rig): Promise<void> {
  await until(() => rig.endpoint.open.size === 0, `server sessions closed (${[...rig.endpoint.open].join(', ')} open)`);
}
