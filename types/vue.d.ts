// Generated from custom-elements.json by scripts/gen-all.mjs (npm run gen); do not edit.
// Types the elements, their properties and their events in Vue templates (vue-tsc, Volar).
// Use: `/// <reference types="faceswap-elements/vue" />` (or import type {} from 'faceswap-elements/vue'),
// and tell the Vue compiler they are custom elements: compilerOptions.isCustomElement: (tag) => tag.startsWith('face').
// Bind objects, functions and booleans with the camelCase property name (:tokenProvider, :autoStart): Vue sets a
// binding as a property only when the element has a property of that exact name, otherwise as an attribute.
import type { DefineComponent } from 'vue';
import type {} from 'faceswap-elements';

/** The event type of `name`, as declared in GlobalEventHandlersEventMap. */
type EventOf<K extends string> = K extends keyof GlobalEventHandlersEventMap ? GlobalEventHandlersEventMap[K] : CustomEvent<unknown>;
/** The settable properties of an element, typed from its class. */
type PropsOf<Tag extends keyof HTMLElementTagNameMap, K extends keyof HTMLElementTagNameMap[Tag]> = Partial<Pick<HTMLElementTagNameMap[Tag], K>>;

type FaceSourcePickerVueProps = PropsOf<'face-source-picker', 'tokenEndpoint' | 'maxBytes' | 'sources' | 'consent' | 'strings'> & {
  /** A face was chosen, or its consent changed; detail `{path, opts, box, imageUrl, origin, consent}`. */
  onFaceswapSourceChange?: (event: EventOf<'faceswap-source-change'>) => void;
  /** Deprecated alias of `faceswap-source-change`, fired right after it with the same detail until the next minor version; reading its detail warns once. */
  onFaceSourceChange?: (event: EventOf<'face-source-change'>) => void;
};
type FaceswapPlayerVueProps = PropsOf<'faceswap-player', 'session' | 'fit' | 'mirror' | 'preview' | 'stats' | 'networkQuality' | 'noControls' | 'noDisclosure' | 'markCorner' | 'noFileMarks' | 'strings'> & {
  /** Recording started; detail `{mimeType}`. */
  onFaceswapRecordingStart?: (event: EventOf<'faceswap-recording-start'>) => void;
  /** Recording ended; detail `{blob, durationMs}`. */
  onFaceswapRecordingStop?: (event: EventOf<'faceswap-recording-stop'>) => void;
};
type FaceswapSessionVueProps = PropsOf<'faceswap-session', 'tokenEndpoint' | 'engine' | 'camera' | 'mic' | 'remoteAudio' | 'videoPreset' | 'autoStart' | 'noControls' | 'source' | 'tokenProvider' | 'credentials' | 'strings'> & {
  /** Every change of `state`; detail `{state, previous}`. */
  onFaceswapStateChange?: (event: EventOf<'faceswap-state-change'>) => void;
  /** Something failed; detail `{code, fatal, message, upstreamCode?}` with the message in the element's language. With `fatal: true` the session ended (state `error`); with `fatal: false` it goes on, e.g. on the previous camera after a failed switch or with the previous face after a refused one. */
  onFaceswapError?: (event: EventOf<'faceswap-error'>) => void;
  /** The first swapped frame of a session arrived; once per session (from Start to its end), not again after a reconnect or a pause of the swapped video; detail `{sessionId, engine}`. */
  onFaceswapLive?: (event: EventOf<'faceswap-live'>) => void;
  /** The session's RTC token ends soon (AKOOL warns about 30 s ahead; the session then ends with `rtc-token-expired`); detail `{sessionId}`. */
  onFaceswapTokenWillExpire?: (event: EventOf<'faceswap-token-will-expire'>) => void;
  /** The session ended and the camera was released; detail `{sessionId}`. */
  onFaceswapEnded?: (event: EventOf<'faceswap-ended'>) => void;
};

declare module 'vue' {
  interface GlobalComponents {
    /** Choose the source face: gallery, upload, drop, paste or camera. */
    'face-source-picker': DefineComponent<FaceSourcePickerVueProps>;
    /** The swapped video, with state overlays, snapshot, recording and full screen. */
    'faceswap-player': DefineComponent<FaceswapPlayerVueProps>;
    /** The session: camera, connection, state, and a small control bar. */
    'faceswap-session': DefineComponent<FaceswapSessionVueProps>;
  }
}

export {};
