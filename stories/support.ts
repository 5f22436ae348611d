// What the stories need to run without any server: sample source faces, grants made in the page, and session
// platforms that swap the cloud for FakeTransport (scripted states) or run the real in-browser engine.
import { FakeTransport, type FakeTransportOptions } from '../src/rtc/fake-transport.js';
import { LocalTransport } from '../src/rtc/local-transport.js';
import type { TransportOptions } from '../src/rtc/transport.js';
import { FaceswapError } from '../src/core/errors.js';
import type { EngineName, FaceSource, FaceswapErrorCode, SessionGrant } from '../src/core/protocol.js';
import type { SessionPlatform, TokenProvider } from '../src/session/session-api.js';
import type { FaceswapSession } from '../src/components/faceswap-session/faceswap-session.js';
import faces from './assets/faces/faces.json';

/** Sample faces (crops of photos from @vladmandic/face-api), served at `faces/` next to the story page. */
export const sampleFaces = faces.map((face) => ({
  ...face,
  src: `faces/${face.file}`,
  /** What `/detect` answers for this photo: its URL and the landmarks the emulator's detector measured. */
  source: (): FaceSource => ({ path: new URL(`faces/${face.file}`, location.href).href, opts: face.opts }),
}));

let grants = 0;

/** A grant as the token endpoint answers `POST /sessions`. */
function grant(engine: EngineName, overrides: Partial<SessionGrant>): SessionGrant {
  grants += 1;
  return {
    sessionId: `story-${grants}`,
    sessionKey: 'story-session-key',
    engine,
    status: 'ready',
    rtc: { appId: '', channel: `story-${grants}`, uid: 1, token: '', remoteUid: 3 },
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    ...overrides,
  };
}

/** A token provider that makes the grant in the page, as a backend would answer `POST /sessions`. */
export function pageGrant(engine: EngineName, overrides: Partial<SessionGrant> = {}): TokenProvider {
  return async () => grant(engine, overrides);
}

/**
 * A token endpoint answered in the page (set `token-endpoint` on the session) whose swap service queues the
 * session, as AKOOL does when no worker is free: the grant says `queued`, and so do the status polls (the
 * heartbeat) until `pollsBeforeReady` of them have been answered; then `ready`.
 */
export function queueingEndpoint(pollsBeforeReady = Number.POSITIVE_INFINITY): Partial<SessionPlatform> {
  let polls = 0;
  const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  return {
    fetch: async (input) => {
      const path = new URL(String(input), location.href).pathname;
      if (path.endsWith('/sessions')) return json(grant('akool', { status: 'queued' }));
      if (path.endsWith('/heartbeat')) {
        polls += 1;
        return json({ status: polls > pollsBeforeReady ? 'ready' : 'queued', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
      }
      return json({ ok: true });
    },
  };
}

/** A token provider whose backend refuses, as the token endpoint answers with `{error: {code}}`. */
export function refusingGrant(code: FaceswapErrorCode, upstreamCode?: number): TokenProvider {
  return async () => {
    throw new FaceswapError(code, undefined, upstreamCode === undefined ? {} : { upstreamCode });
  };
}

/** Runs sessions over FakeTransport (no network); `onTransport` receives each one to script events. */
export function fakePlatform(options: FakeTransportOptions, onTransport?: (transport: FakeTransport) => void): Partial<SessionPlatform> {
  return {
    transportFactory: async (engine, transportOptions) => {
      const transport = new FakeTransport({ ...transportOptions, ...options, engine });
      onTransport?.(transport);
      return transport;
    },
  };
}

/** Runs sessions on the real in-browser engine, with its files from `faceswap-engine/` next to the page. */
export function localEnginePlatform(): Partial<SessionPlatform> {
  // Relative, so a Storybook served from a sub-path finds them; the transport prepared before Start too.
  const local = async (_engine: EngineName, transportOptions?: TransportOptions) =>
    new LocalTransport({ ...transportOptions, assetBaseUrl: 'faceswap-engine/' });
  return { transportFactory: local, prepareTransport: local };
}

/** A camera that answers getUserMedia with the DOMException a browser gives (`NotAllowedError`, ...). */
export function failingCamera(name: string, message = 'The camera could not be opened.'): Partial<SessionPlatform> {
  return { getUserMedia: () => Promise.reject(new DOMException(message, name)) };
}

/** A camera that fails the first time with `name` (held by another app) and opens on the next attempt. */
export function cameraFailingOnce(name: string, message = 'Could not start video source'): Partial<SessionPlatform> {
  let failed = false;
  return {
    getUserMedia: (constraints) => {
      if (failed) return navigator.mediaDevices.getUserMedia(constraints);
      failed = true;
      return Promise.reject(new DOMException(message, name));
    },
  };
}

/** A camera permission prompt that the visitor never answers. */
export function pendingCamera(): Partial<SessionPlatform> {
  return { getUserMedia: () => new Promise<MediaStream>(() => {}) };
}

/** A network where the token endpoint cannot be reached. */
export function offlineNetwork(): Partial<SessionPlatform> {
  return { fetch: () => Promise.reject(new TypeError('Failed to fetch')) };
}

/** Shortens the session's watchdogs for stories that show a timeout (options apply to the next start). */
export function withTimeouts(session: FaceswapSession, timeouts: { swapTimeoutMs?: number; joinTimeoutMs?: number }): void {
  session.timeouts = { ...session.timeouts, ...timeouts };
}
