// Generated from custom-elements.json by scripts/gen-all.mjs (npm run gen); do not edit.
// Types the elements, their properties, attributes and events in Svelte markup (svelte-check).
// Use: `/// <reference types="faceswap-elements/svelte" />` in src/app.d.ts. Events: onfaceswap-state-change={...}
// (Svelte 5) or on:faceswap-state-change={...} (legacy syntax).
import type { HTMLAttributes } from 'svelte/elements';
import type {} from 'faceswap-elements';

/** The event type of `name`, as declared in GlobalEventHandlersEventMap. */
type EventOf<K extends string> = K extends keyof GlobalEventHandlersEventMap ? GlobalEventHandlersEventMap[K] : CustomEvent<unknown>;
/** The settable properties of an element, typed from its class. */
type PropsOf<Tag extends keyof HTMLElementTagNameMap, K extends keyof HTMLElementTagNameMap[Tag]> = Partial<Pick<HTMLElementTagNameMap[Tag], K>>;

type FaceSourcePickerSvelteAttributes = HTMLAttributes<HTMLElementTagNameMap['face-source-picker']> &
  PropsOf<'face-source-picker', 'tokenEndpoint' | 'maxBytes' | 'sources' | 'consent' | 'strings'> & {
    /** Base URL of the token endpoint for `/detect`; inside a session the session's is used when unset. */
    'token-endpoint'?: HTMLElementTagNameMap['face-source-picker']['tokenEndpoint'] | null;
    /** Largest accepted file in bytes (default 10 MB); larger files are refused before upload. */
    'max-bytes'?: HTMLElementTagNameMap['face-source-picker']['maxBytes'] | null;
    /** A face was chosen, or its consent changed; detail `{path, opts, box, imageUrl, origin, consent}`. */
    'onfaceswap-source-change'?: (event: EventOf<'faceswap-source-change'>) => void;
    'on:faceswap-source-change'?: (event: EventOf<'faceswap-source-change'>) => void;
    /** Deprecated alias of `faceswap-source-change`, fired right after it with the same detail until the next minor version; reading its detail warns once. */
    'onface-source-change'?: (event: EventOf<'face-source-change'>) => void;
    'on:face-source-change'?: (event: EventOf<'face-source-change'>) => void;
  };
type FaceswapPlayerSvelteAttributes = HTMLAttributes<HTMLElementTagNameMap['faceswap-player']> &
  PropsOf<'faceswap-player', 'session' | 'fit' | 'mirror' | 'preview' | 'stats' | 'networkQuality' | 'noControls' | 'noDisclosure' | 'markCorner' | 'noFileMarks' | 'strings'> & {
    /** Show how well the connection carries the swapped video (good, fair, poor), judged from the round trip and packet loss the transport measures. Nothing is shown for the in-browser engine, which has no network path. */
    'network-quality'?: true | '' | null;
    /** Hide the full screen, snapshot and record buttons. */
    'no-controls'?: true | '' | null;
    /** Hides the "AI face swap" label. The EU AI Act (Art. 50(4)) requires whoever shows a deepfake to disclose it, so the player warns once in the console; use it only where the page discloses in its own way. */
    'no-disclosure'?: true | '' | null;
    /** The corner of snapshots and recordings that carries the visible mark: `top-start`, `top-end`, `bottom-start` or `bottom-end`. */
    'mark-corner'?: HTMLElementTagNameMap['faceswap-player']['markCorner'] | null;
    /** Saves snapshots and recordings without the visible mark and without the AI digital source type in their metadata. The EU AI Act (Art. 50(2)) requires AI-generated video to be marked in a machine-readable way, so the player warns once in the console. */
    'no-file-marks'?: true | '' | null;
    /** Recording started; detail `{mimeType}`. */
    'onfaceswap-recording-start'?: (event: EventOf<'faceswap-recording-start'>) => void;
    'on:faceswap-recording-start'?: (event: EventOf<'faceswap-recording-start'>) => void;
    /** Recording ended; detail `{blob, durationMs}`. */
    'onfaceswap-recording-stop'?: (event: EventOf<'faceswap-recording-stop'>) => void;
    'on:faceswap-recording-stop'?: (event: EventOf<'faceswap-recording-stop'>) => void;
  };
type FaceswapSessionSvelteAttributes = HTMLAttributes<HTMLElementTagNameMap['faceswap-session']> &
  PropsOf<'faceswap-session', 'tokenEndpoint' | 'engine' | 'camera' | 'mic' | 'remoteAudio' | 'videoPreset' | 'autoStart' | 'noControls' | 'source' | 'tokenProvider' | 'credentials' | 'strings'> & {
    /** Base URL of the token endpoint, e.g. `/api/faceswap`. A picker inside the session uses it too. */
    'token-endpoint'?: HTMLElementTagNameMap['faceswap-session']['tokenEndpoint'] | null;
    /** Play the swap service's audio when it sends any (with `akool`; off by default, it is usually your own voice). */
    'remote-audio'?: true | '' | null;
    /** Capture and encoding preset: `360p`, `480p` or `720p`. */
    'video-preset'?: HTMLElementTagNameMap['faceswap-session']['videoPreset'] | null;
    /** Start on its own as soon as a source face (or `credentials`) is there. */
    'auto-start'?: true | '' | null;
    /** Hide the built-in control bar (build your own with the methods). */
    'no-controls'?: true | '' | null;
    /** Every change of `state`; detail `{state, previous}`. */
    'onfaceswap-state-change'?: (event: EventOf<'faceswap-state-change'>) => void;
    'on:faceswap-state-change'?: (event: EventOf<'faceswap-state-change'>) => void;
    /** Something failed; detail `{code, fatal, message, upstreamCode?}` with the message in the element's language. With `fatal: true` the session ended (state `error`); with `fatal: false` it goes on, e.g. on the previous camera after a failed switch or with the previous face after a refused one. */
    'onfaceswap-error'?: (event: EventOf<'faceswap-error'>) => void;
    'on:faceswap-error'?: (event: EventOf<'faceswap-error'>) => void;
    /** The first swapped frame of a session arrived; once per session (from Start to its end), not again after a reconnect or a pause of the swapped video; detail `{sessionId, engine}`. */
    'onfaceswap-live'?: (event: EventOf<'faceswap-live'>) => void;
    'on:faceswap-live'?: (event: EventOf<'faceswap-live'>) => void;
    /** The session's RTC token ends soon (AKOOL warns about 30 s ahead; the session then ends with `rtc-token-expired`); detail `{sessionId}`. */
    'onfaceswap-token-will-expire'?: (event: EventOf<'faceswap-token-will-expire'>) => void;
    'on:faceswap-token-will-expire'?: (event: EventOf<'faceswap-token-will-expire'>) => void;
    /** The session ended and the camera was released; detail `{sessionId}`. */
    'onfaceswap-ended'?: (event: EventOf<'faceswap-ended'>) => void;
    'on:faceswap-ended'?: (event: EventOf<'faceswap-ended'>) => void;
  };

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    /** Choose the source face: gallery, upload, drop, paste or camera. */
    'face-source-picker': FaceSourcePickerSvelteAttributes;
    /** The swapped video, with state overlays, snapshot, recording and full screen. */
    'faceswap-player': FaceswapPlayerSvelteAttributes;
    /** The session: camera, connection, state, and a small control bar. */
    'faceswap-session': FaceswapSessionSvelteAttributes;
  }
}

export {};
