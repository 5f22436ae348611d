import { createContext } from '@lit/context';
import type { FaceswapStringOverrides } from '../i18n/strings.js';
import type { SessionControllerApi } from '../session/session-api.js';

/** What `<faceswap-session>` offers its descendants (and elements attached with `session="id"`). */
export interface FaceswapSessionHost extends HTMLElement {
  readonly controller: SessionControllerApi;
  /** The session's token endpoint, which a picker inside the session uses for `/detect`. */
  readonly tokenEndpoint: string | null;
  /** String overrides set on the session; they apply to every element of the session. */
  readonly strings: FaceswapStringOverrides | null;
  /** Starts (or retries) the session; what a player's "Try again" calls. */
  start(): Promise<void>;
}

/** A global symbol, so two copies of the library on one page still find each other's sessions. */
export const sessionContext = createContext<FaceswapSessionHost | undefined>(Symbol.for('faceswap-elements/session'));

export function isSessionHost(element: Element | null): element is FaceswapSessionHost {
  return !!element && element.localName === 'faceswap-session' && 'controller' in element;
}
