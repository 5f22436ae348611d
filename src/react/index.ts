// Generated from custom-elements.json by scripts/gen-all.mjs (npm run gen); do not edit.
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
// Registers the elements; a tag another copy already defined is skipped with a warning.
import '../index.js';
import { FaceSourcePicker as FaceSourcePickerElement } from '../components/face-source-picker/face-source-picker.js';
import { FaceswapPlayer as FaceswapPlayerElement } from '../components/faceswap-player/faceswap-player.js';
import { FaceswapSession as FaceswapSessionElement } from '../components/faceswap-session/faceswap-session.js';

/** The DOM event type of `name`, as declared in GlobalEventHandlersEventMap. */
type EventOf<K extends string> = K extends keyof GlobalEventHandlersEventMap ? GlobalEventHandlersEventMap[K] : CustomEvent<unknown>;

/** `<face-source-picker>`: Choose the source face: gallery, upload, drop, paste or camera. */
export const FaceSourcePicker = createComponent({
  tagName: 'face-source-picker',
  elementClass: FaceSourcePickerElement,
  react: React,
  displayName: 'FaceSourcePicker',
  events: {
    /** A face was chosen, or its consent changed; detail `{path, opts, box, imageUrl, origin, consent}`. */
    onFaceswapSourceChange: 'faceswap-source-change' as EventName<EventOf<'faceswap-source-change'>>,
    /** Deprecated alias of `faceswap-source-change`, fired right after it with the same detail until the next minor version; reading its detail warns once. */
    onFaceSourceChange: 'face-source-change' as EventName<EventOf<'face-source-change'>>,
  },
});

/** `<faceswap-player>`: The swapped video, with state overlays, snapshot, recording and full screen. */
export const FaceswapPlayer = createComponent({
  tagName: 'faceswap-player',
  elementClass: FaceswapPlayerElement,
  react: React,
  displayName: 'FaceswapPlayer',
  events: {
    /** Recording started; detail `{mimeType}`. */
    onFaceswapRecordingStart: 'faceswap-recording-start' as EventName<EventOf<'faceswap-recording-start'>>,
    /** Recording ended; detail `{blob, durationMs}`. */
    onFaceswapRecordingStop: 'faceswap-recording-stop' as EventName<EventOf<'faceswap-recording-stop'>>,
  },
});

/** `<faceswap-session>`: The session: camera, connection, state, and a small control bar. */
export const FaceswapSession = createComponent({
  tagName: 'faceswap-session',
  elementClass: FaceswapSessionElement,
  react: React,
  displayName: 'FaceswapSession',
  events: {
    /** Every change of `state`; detail `{state, previous}`. */
    onFaceswapStateChange: 'faceswap-state-change' as EventName<EventOf<'faceswap-state-change'>>,
    /** Something failed; detail `{code, fatal, message, upstreamCode?}` with the message in the element's language. With `fatal: true` the session ended (state `error`); with `fatal: false` it goes on, e.g. on the previous camera after a failed switch or with the previous face after a refused one. */
    onFaceswapError: 'faceswap-error' as EventName<EventOf<'faceswap-error'>>,
    /** The first swapped frame of a session arrived; once per session (from Start to its end), not again after a reconnect or a pause of the swapped video; detail `{sessionId, engine}`. */
    onFaceswapLive: 'faceswap-live' as EventName<EventOf<'faceswap-live'>>,
    /** The session's RTC token ends soon (AKOOL warns about 30 s ahead; the session then ends with `rtc-token-expired`); detail `{sessionId}`. */
    onFaceswapTokenWillExpire: 'faceswap-token-will-expire' as EventName<EventOf<'faceswap-token-will-expire'>>,
    /** The session ended and the camera was released; detail `{sessionId}`. */
    onFaceswapEnded: 'faceswap-ended' as EventName<EventOf<'faceswap-ended'>>,
  },
});

export type { FaceSourcePickerElement, FaceswapPlayerElement, FaceswapSessionElement };
