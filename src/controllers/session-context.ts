import { createContext } from '@lit/context';
import type { FaceswapStringOverrides } from '../i18n/strings.js';
import type { FaceSource } from '../core/protocol.js';
import type { SessionSnapshot, SessionStats } from '../session/session-api.js';

/**
 * The facade a `<faceswap-session>` offers the elements linked to it (its descendants through `@lit/context`,
 * and elements attached with `session="id"`). It is all a player or picker may use: the session controller
 * behind it stays internal to the session element.
 */
export interface FaceswapSessionHost extends HTMLElement {
  /** The session's current details: state, error, source, engine, the camera stream and the swapped track. */
  readonly details: SessionSnapshot;
  /** Calls `listener` after every change of `details`; returns the function that unsubscribes it. */
  subscribe(listener: (details: SessionSnapshot) => void): () => void;
  /** Current media figures of the swapped video; `{}` while no session runs. */
  getStats(): Promise<SessionStats>;
  /** Starts (or retries) the session; what a player's "Try again" calls. */
  start(): Promise<void>;
  /** Sets the face to swap in; during a session it is applied without reconnecting. */
  setSource(source: FaceSource | null): Promise<void>;
  /**
   * A marked snapshot with a signed C2PA manifest when the token endpoint signs for the running session, else
   * the snapshot itself. Rejects with a `FaceswapError` when the endpoint fails to sign.
   */
  signSnapshot(picture: Blob): Promise<Blob>;
  /** The session's token endpoint, which a picker inside the session uses for `/detect`. */
  readonly tokenEndpoint: string | null;
  /** String overrides set on the session; they apply to every element of the session. */
  readonly strings: FaceswapStringOverrides | null;
}

/** A global symbol, so two copies of the library on one page still find each other's sessions. */
export const sessionContext = createContext<FaceswapSessionHost | undefined>(Symbol.for('faceswap-elements/session'));

export function isSessionHost(element: Element | null): element is FaceswapSessionHost {
  return !!element && element.localName === 'faceswap-session' && 'details' in element && 'subscribe' in element;
}
