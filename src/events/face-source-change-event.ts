import type { FaceSource } from '../core/protocol.js';

export interface FaceSourceChangeDetail extends FaceSource {
  /** `[x, y, width, height]` of the chosen face in the pixels of the detected image. */
  box: [number, number, number, number];
  /** The image the face was chosen from (a `blob:` URL for uploads, valid while the picker lives). */
  imageUrl: string;
}

/**
 * Fired by `<face-source-picker>` when the visitor has chosen a face. Inside a `<faceswap-session>` the
 * session applies it (also mid-session, without reconnecting).
 */
export class FaceSourceChangeEvent extends CustomEvent<FaceSourceChangeDetail> {
  constructor(detail: FaceSourceChangeDetail) {
    super('face-source-change', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'face-source-change': FaceSourceChangeEvent;
  }
}
