export interface FaceswapEndedDetail {
  sessionId: string | null;
}

/** Fired by `<faceswap-session>` when a session has ended and the camera is released. */
export class FaceswapEndedEvent extends CustomEvent<FaceswapEndedDetail> {
  constructor(detail: FaceswapEndedDetail) {
    super('faceswap-ended', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'faceswap-ended': FaceswapEndedEvent;
  }
}
