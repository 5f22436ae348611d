import type { SessionState } from '../core/protocol.js';

export interface FaceswapStateChangeDetail {
  state: SessionState;
  previous: SessionState;
}

/** Fired by `<faceswap-session>` on every real change of the session state. */
export class FaceswapStateChangeEvent extends CustomEvent<FaceswapStateChangeDetail> {
  constructor(detail: FaceswapStateChangeDetail) {
    super('faceswap-state-change', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'faceswap-state-change': FaceswapStateChangeEvent;
  }
}
