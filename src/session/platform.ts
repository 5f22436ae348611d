import { defaultTransportFactory } from '../rtc/transport-factory.js';
import { openUserMedia } from './capture.js';
import type { SessionPlatform } from './session-api.js';

/**
 * The real browser behind `SessionPlatform`. Only globals are touched (no document or elements), and each
 * lookup is lazy so importing this module is safe under SSR and Node.
 */
export function browserPlatform(): SessionPlatform {
  return {
    getUserMedia: openUserMedia,
    fetch: (input, init) => globalThis.fetch(input, init),
    sendBeacon(url, body) {
      // A string body goes out as text/plain, which needs no CORS preflight; the endpoint parses it as JSON.
      return typeof globalThis.navigator?.sendBeacon === 'function' && globalThis.navigator.sendBeacon(url, body);
    },
    onPageHide(listener) {
      if (typeof globalThis.addEventListener !== 'function') return () => {};
      globalThis.addEventListener('pagehide', listener);
      return () => globalThis.removeEventListener('pagehide', listener);
    },
    transportFactory: defaultTransportFactory,
    // Only the local engine has something to load ahead of a session: its face model.
    prepareTransport: async (engine, options) => (engine === 'local' ? defaultTransportFactory(engine, options) : null),
    now: () => Date.now(),
  };
}
