/** Registers `<faceswap-session>` (`import 'faceswap-elements/define/faceswap-session.js'`); the class alone has no side effects. */
import { FaceswapSession } from '../components/faceswap-session/faceswap-session.js';
import { define } from '../internal/define.js';

define('faceswap-session', FaceswapSession);

export { FaceswapSession };

declare global {
  interface HTMLElementTagNameMap {
    'faceswap-session': FaceswapSession;
  }
}
