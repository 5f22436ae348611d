export interface FaceswapTokenWillExpireDetail {
  sessionId: string | null;
}

/**
 * Fired by `<faceswap-session>` when the swap service says the session's RTC token ends soon (AKOOL: about
 * 30 seconds ahead). When it ends, the session ends with the `rtc-token-expired` error; a page can use the
 * warning to tell the visitor, or to stop and start a new session at a moment of its choosing.
 */
export class FaceswapTokenWillExpireEvent extends CustomEvent<FaceswapTokenWillExpireDetail> {
  constructor(detail: FaceswapTokenWillExpireDetail) {
    super('faceswap-token-will-expire', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'faceswap-token-will-expire': FaceswapTokenWillExpireEvent;
  }
}
