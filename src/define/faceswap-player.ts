/** Registers `<faceswap-player>` (`import 'faceswap-elements/define/faceswap-player.js'`); the class alone has no side effects. */
import { FaceswapPlayer } from '../components/faceswap-player/faceswap-player.js';
import { define } from '../internal/define.js';

define('faceswap-player', FaceswapPlayer);

export { FaceswapPlayer };

declare global {
  interface HTMLElementTagNameMap {
    'faceswap-player': FaceswapPlayer;
  }
}
