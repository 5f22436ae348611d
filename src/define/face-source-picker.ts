/** Registers `<face-source-picker>` (`import 'faceswap-elements/define/face-source-picker.js'`); the class alone has no side effects. */
import { FaceSourcePicker } from '../components/face-source-picker/face-source-picker.js';
import { define } from '../internal/define.js';

define('face-source-picker', FaceSourcePicker);

export { FaceSourcePicker };

declare global {
  interface HTMLElementTagNameMap {
    'face-source-picker': FaceSourcePicker;
  }
}
