/**
 * The registering entry: defines `<faceswap-session>`, `<faceswap-player>` and `<face-source-picker>`.
 * This is the only module of the library with side effects; the element classes can be imported without it.
 */
import { FaceSourcePicker } from './components/face-source-picker/face-source-picker.js';
import { FaceswapPlayer } from './components/faceswap-player/faceswap-player.js';
import { FaceswapSession } from './components/faceswap-session/faceswap-session.js';

export { FaceSourcePicker, type FaceSourceOption, type PickerStatus } from './components/face-source-picker/face-source-picker.js';
export { FaceswapPlayer, type PlayerFit, type PlayerMirror } from './components/faceswap-player/faceswap-player.js';
export { FaceswapSession } from './components/faceswap-session/faceswap-session.js';
export { FaceSourceChangeEvent, type FaceSourceChangeDetail } from './events/face-source-change-event.js';
export { FaceswapEndedEvent, type FaceswapEndedDetail } from './events/ended-event.js';
export { FaceswapErrorEvent, type FaceswapErrorDetail } from './events/error-event.js';
export { FaceswapLiveEvent, type FaceswapLiveDetail } from './events/live-event.js';
export { FaceswapRecordingStartEvent, type FaceswapRecordingStartDetail } from './events/recording-start-event.js';
export { FaceswapRecordingStopEvent, type FaceswapRecordingStopDetail } from './events/recording-stop-event.js';
export { FaceswapStateChangeEvent, type FaceswapStateChangeDetail } from './events/state-change-event.js';
export { registerTranslation } from './i18n/registry.js';
export type { FaceswapStringOverrides, FaceswapStrings } from './i18n/strings.js';
export type { FaceswapErrorCode, FaceswapErrorInfo, FaceSource, RtcCredentials, SessionGrant, SessionState } from './core/protocol.js';
export type { TokenProvider, TokenProviderRequest } from './session/session-api.js';

/** Defines a tag unless it already is (two copies of the library on one page): then warn and keep the first. */
function define(tag: string, element: CustomElementConstructor): void {
  if (typeof customElements === 'undefined') return;
  const existing = customElements.get(tag);
  if (existing) {
    if (existing !== element) console.warn(`[faceswap-elements] <${tag}> is already defined by another copy of the library; keeping that one.`);
    return;
  }
  try {
    customElements.define(tag, element);
  } catch (error) {
    console.warn(`[faceswap-elements] could not define <${tag}>:`, error);
  }
}

// The session first: children that upgrade after it find their provider at once.
define('faceswap-session', FaceswapSession);
define('faceswap-player', FaceswapPlayer);
define('face-source-picker', FaceSourcePicker);

declare global {
  interface HTMLElementTagNameMap {
    'faceswap-session': FaceswapSession;
    'faceswap-player': FaceswapPlayer;
    'face-source-picker': FaceSourcePicker;
  }
}
