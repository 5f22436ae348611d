import type { EngineName } from '../core/protocol.js';

export interface FaceswapLiveDetail {
  sessionId: string | null;
  engine: EngineName | null;
}

/**
 * Fired by `<faceswap-session>` when the first swapped frame of a session arrives (state `live`). It fires once
 * per session: not again when the session comes back to `live` after `reconnecting` or after the swapped video
 * paused (`waiting`); `faceswap-state-change` reports those.
 */
export class FaceswapLiveEvent extends CustomEvent<FaceswapLiveDetail> {
  constructor(detail: FaceswapLiveDetail) {
    super('faceswap-live', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'faceswap-live': FaceswapLiveEvent;
  }
}
