export interface FaceswapRecordingStopDetail {
  /** The recorded video file. */
  blob: Blob;
  /** Length of the recording in milliseconds. */
  durationMs: number;
}

/** Fired by `<faceswap-player>` when a recording ends (by `stopRecording()`, the button, or the video ending). */
export class FaceswapRecordingStopEvent extends CustomEvent<FaceswapRecordingStopDetail> {
  constructor(detail: FaceswapRecordingStopDetail) {
    super('faceswap-recording-stop', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'faceswap-recording-stop': FaceswapRecordingStopEvent;
  }
}
