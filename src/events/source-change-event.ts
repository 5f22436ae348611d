import type { FaceSource } from '../core/protocol.js';
import { warnOnce } from '../internal/warn.js';

/** Where the chosen face comes from: the site's own gallery, or the visitor (a file or a camera photo). */
export type FaceOrigin = 'gallery' | 'upload' | 'camera';

/**
 * Whether the visitor has confirmed the right to use the face: `not-required` (the picker does not ask for
 * this origin), `pending` (asked, not confirmed: a session refuses to start with it), `confirmed`.
 */
export type FaceConsent = 'not-required' | 'pending' | 'confirmed';

export interface FaceswapSourceChangeDetail extends FaceSource {
  /** `[x, y, width, height]` of the chosen face in the pixels of the detected image. */
  box: [number, number, number, number];
  /** The image the face was chosen from (a `blob:` URL for uploads, valid while the picker lives). */
  imageUrl: string;
  origin: FaceOrigin;
  consent: FaceConsent;
}

/** The detail's former name. @deprecated Use `FaceswapSourceChangeDetail`. */
export type FaceSourceChangeDetail = FaceswapSourceChangeDetail;

/**
 * Fired by `<face-source-picker>` when the visitor has chosen a face, and again when its `consent` changes.
 * Inside a `<faceswap-session>` the session applies it (also mid-session, without reconnecting), except while
 * its consent is `pending`.
 */
export class FaceswapSourceChangeEvent extends CustomEvent<FaceswapSourceChangeDetail> {
  constructor(detail: FaceswapSourceChangeDetail) {
    super('faceswap-source-change', { bubbles: true, composed: true, detail });
  }
}

/**
 * The same event under its former name `face-source-change`, fired right after `faceswap-source-change`
 * for one minor version so that existing pages keep working. Reading its `detail` warns once.
 * @deprecated Listen for `faceswap-source-change` (`FaceswapSourceChangeEvent`).
 */
export class FaceSourceChangeEvent extends CustomEvent<FaceswapSourceChangeDetail> {
  constructor(detail: FaceswapSourceChangeDetail) {
    super('face-source-change', { bubbles: true, composed: true, detail });
  }

  override get detail(): FaceswapSourceChangeDetail {
    warnOnce('The face-source-change event is deprecated and will be removed in the next minor version; listen for faceswap-source-change instead.');
    return super.detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'faceswap-source-change': FaceswapSourceChangeEvent;
    /** @deprecated Listen for `faceswap-source-change`. */
    'face-source-change': FaceSourceChangeEvent;
  }
}
