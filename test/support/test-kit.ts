import { FakeTransport, type FakeTransportOptions } from '../../src/rtc/fake-transport.js';
import type { FaceSource, SessionGrant } from '../../src/core/protocol.js';
import type { SessionOptions, SessionPlatform, TokenProvider } from '../../src/session/session-api.js';
import type { FaceswapSession } from '../../src/components/faceswap-session/faceswap-session.js';

/**
 * The shared kit of the element tests (`src/components/<tag>/<tag>.test.ts`): the real SessionController with
 * FakeTransport standing in for Agora, and shadow-DOM look-ups. It lives outside src/ so it never ships.
 */

export const SOURCE: FaceSource = { path: 'https://example.test/face.png', opts: '262,175:363,175:313,215:272,279' };
export const OTHER_SOURCE: FaceSource = { path: 'https://example.test/other.png', opts: '110,75:163,75:133,115:132,139' };

/** A platform whose transports are FakeTransports; every one created is kept for inspection. */
export function fakePlatform(options: FakeTransportOptions = { remote: 'echo' }) {
  const transports: FakeTransport[] = [];
  const platform: Partial<SessionPlatform> = {
    transportFactory: async (engine) => {
      const transport = new FakeTransport({ engine, ...options });
      transports.push(transport);
      return transport;
    },
  };
  return { platform, transports };
}

/** What the session's attributes became in its internal controller's options (a white-box look for tests). */
export function controllerOptions(session: FaceswapSession): SessionOptions {
  return (session as unknown as { core: { options: SessionOptions } }).core.options;
}

let grants = 0;

/** A token provider standing in for a backend (no token endpoint, so no heartbeats). */
export const grantProvider: TokenProvider = async () => {
  grants += 1;
  const grant: SessionGrant = {
    sessionId: `provided-${grants}`,
    sessionKey: `key-${grants}`,
    engine: 'akool',
    status: 'ready',
    rtc: { appId: 'a'.repeat(32), channel: `channel-${grants}`, uid: '100', token: '007token', remoteUid: '3' },
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  };
  return grant;
};

export { until } from './until.js';

/** The shadow-DOM element matching `selector`, or null. */
export function inShadow<T extends Element = HTMLElement>(host: Element, selector: string): T | null {
  return host.shadowRoot!.querySelector<T>(selector);
}

/** Text of a shadow-DOM element, whitespace collapsed. */
export function shadowText(host: Element, selector: string): string {
  return (inShadow(host, selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The overlay state the player shows (`data-state` of its overlay), or null when none. */
export function overlayState(player: Element): string | null {
  return inShadow(player, '[part~=overlay]')?.getAttribute('data-state') ?? null;
}
