/**
 * The all-in-one registering entry: defines `<faceswap-session>`, `<faceswap-player>` and
 * `<face-source-picker>` through their define entries (`src/define/<tag>.ts`, the only modules with side
 * effects) and exports the classes, events and types. The element classes can be imported without it.
 */
// The session first: children that upgrade after it find their provider at once.
import './define/faceswap-session.js';
import './define/faceswap-player.js';
import './define/face-source-picker.js';

export { FaceSourcePicker, type FaceSourceOption, type PickerStatus } from './components/face-source-picker/face-source-picker.js';
export { FaceswapPlayer, type PlayerFit, type PlayerMirror } from './components/faceswap-player/faceswap-player.js';
export { FaceswapSession } from './components/faceswap-session/faceswap-session.js';
export { FaceswapEndedEvent, type FaceswapEndedDetail } from './events/ended-event.js';
export { FaceswapErrorEvent, type FaceswapErrorDetail } from './events/error-event.js';
export { FaceswapLiveEvent, type FaceswapLiveDetail } from './events/live-event.js';
export { FaceswapRecordingStartEvent, type FaceswapRecordingStartDetail } from './events/recording-start-event.js';
export { FaceswapRecordingStopEvent, type FaceswapRecordingStopDetail } from './events/recording-stop-event.js';
export {
  FaceswapSourceChangeEvent,
  FaceSourceChangeEvent,
  type FaceConsent,
  type FaceOrigin,
  type FaceswapSourceChangeDetail,
  type FaceSourceChangeDetail,
} from './events/source-change-event.js';
export { FaceswapStateChangeEvent, type FaceswapStateChangeDetail } from './events/state-change-event.js';
export { FaceswapTokenWillExpireEvent, type FaceswapTokenWillExpireDetail } from './events/token-will-expire-event.js';
export { registerTranslation } from './i18n/registry.js';
export type { FaceswapStringOverrides, FaceswapStrings } from './i18n/strings.js';
export type { FaceswapErrorCode, FaceswapErrorInfo, FaceSource, RtcCredentials, SessionGrant, SessionState } from './core/protocol.js';
export type { CameraFacing, SessionSnapshot, SessionStats, TokenProvider, TokenProviderRequest } from './session/session-api.js';
