export interface FaceswapRecordingStartDetail {
  /** The container and codecs the recording is made in, e.g. `video/webm;codecs=vp8`. */
  mimeType: string;
}

/** Fired by `<faceswap-player>` when recording of the swapped video starts. */
export class FaceswapRecordingStartEvent extends CustomEvent<FaceswapRecordingStartDetail> {
  constructor(detail: FaceswapRecordingStartDetail) {
    super('faceswap-recording-start', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'faceswap-recording-start': FaceswapRecordingStartEvent;
  }
}
