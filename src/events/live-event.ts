import type { EngineName } from '../core/protocol.js';

export interface FaceswapLiveDetail {
  sessionId: string | null;
  engine: EngineName | null;
}

/** Fired by `<faceswap-session>` when the first swapped frame arrives (state `live`, not after a reconnect). */
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
