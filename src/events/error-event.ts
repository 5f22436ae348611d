import type { FaceswapErrorInfo } from '../core/protocol.js';

export type FaceswapErrorDetail = FaceswapErrorInfo;

/**
 * Fired by `<faceswap-session>` when the session fails. `message` is in the language of the session;
 * `code` is the stable identifier to branch on.
 */
export class FaceswapErrorEvent extends CustomEvent<FaceswapErrorDetail> {
  constructor(detail: FaceswapErrorDetail) {
    super('faceswap-error', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'faceswap-error': FaceswapErrorEvent;
  }
}
