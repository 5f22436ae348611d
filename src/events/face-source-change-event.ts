import type { FaceSource } from '../core/protocol.js';

/** Where the chosen face comes from: the site's own gallery, or the visitor (a file or a camera photo). */
export type FaceOrigin = 'gallery' | 'upload' | 'camera';

/**
 * Whether the visitor has confirmed the right to use the face: `not-required` (the picker does not ask for
 * this origin), `pending` (asked, not confirmed: a session refuses to start with it), `confirmed`.
 */
export type FaceConsent = 'not-required' | 'pending' | 'confirmed';

export interface FaceSourceChangeDetail extends FaceSource {
  /** `[x, y, width, height]` of the chosen face in the pixels of the detected image. */
  box: [number, number, number, number];
  /** The image the face was chosen from (a `blob:` URL for uploads, valid while the picker lives). */
  imageUrl: string;
  origin: FaceOrigin;
  consent: FaceConsent;
}

/**
 * Fired by `<face-source-picker>` when the visitor has chosen a face, and again when its `consent` changes.
 * Inside a `<faceswap-session>` the session applies it (also mid-session, without reconnecting), except while
 * its consent is `pending`.
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
