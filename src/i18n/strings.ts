import type { FaceswapErrorCode } from '../core/protocol.js';

/**
 * Every visible or announced string of the three elements. Placeholders in braces (`{seconds}`) are filled
 * in at run time, so overrides stay plain strings (they can come from JSON).
 */
export interface FaceswapStrings {
  /** BCP 47 tag of the table and its writing direction. */
  lang: string;
  dir: 'ltr' | 'rtl';

  // <faceswap-session> control bar
  sessionControls: string;
  start: string;
  stop: string;
  switchCamera: string;
  camera: string;
  microphone: string;

  // States, shown in overlays and announced in live regions
  stateIdle: string;
  statePreparing: string;
  stateConnecting: string;
  stateWaiting: string;
  /** Shown while waiting when the swap service has queued the session. */
  stateQueued: string;
  stateLive: string;
  stateReconnecting: string;
  stateEnding: string;
  stateEnded: string;
  stateError: string;

  // <faceswap-player>
  video: string;
  idleHint: string;
  /** `{seconds}`: whole seconds spent waiting for the first swapped frame. */
  waitingElapsed: string;
  retry: string;
  startAgain: string;
  tapToStart: string;
  playerControls: string;
  fullscreen: string;
  exitFullscreen: string;
  snapshot: string;
  startRecording: string;
  stopRecording: string;
  /** `{time}`: elapsed recording time as m:ss. */
  recording: string;
  /** Shown for a few seconds when the record button could not start because the browser cannot encode video (the button then goes). */
  recordingUnsupported: string;
  /** Shown for a few seconds when the record button could not start for any other reason (the video showed no frames, the recording code did not load). */
  recordingFailed: string;
  preview: string;
  stats: string;
  statsFps: string;
  statsResolution: string;
  statsRtt: string;
  statsLoss: string;
  /** The in-browser engine's rows of the statistics overlay: face-tracking updates per second, main-thread time per frame. */
  statsTracking: string;
  statsFrameTime: string;
  /** The player's network-quality indicator (`network-quality`), one label per level. */
  networkGood: string;
  networkFair: string;
  networkPoor: string;
  /** The visible disclosure over the swapped video, also burned into saved pictures and recordings. */
  aiLabel: string;
  /** Announced once to screen readers when the swapped video first shows. */
  aiDisclosure: string;

  // <face-source-picker>
  picker: string;
  gallery: string;
  /** `{label}`: the gallery item's label. */
  useFace: string;
  dropHint: string;
  upload: string;
  takePhoto: string;
  capture: string;
  cancel: string;
  chosenImage: string;
  detecting: string;
  chooseFace: string;
  /** `{n}`: 1-based number of the face in the photo. */
  face: string;
  faceSelected: string;
  noFace: string;
  wrongType: string;
  /** `{size}`: the limit, e.g. "10 MB". */
  tooLarge: string;
  unreadable: string;
  noEndpoint: string;
  /** The checkbox by which the visitor confirms the right to use an uploaded or photographed face. */
  consentLabel: string;
  /** Shown while that confirmation is missing. */
  consentNeeded: string;

  /** A human message for each stable error code. */
  errors: Record<FaceswapErrorCode, string>;
}

/** What the `strings` property accepts: any subset, with any subset of `errors`. */
export type FaceswapStringOverrides = Partial<Omit<FaceswapStrings, 'errors'>> & {
  errors?: Partial<Record<FaceswapErrorCode, string>>;
};

/** Fills `{name}` placeholders; unknown placeholders are left as written. */
export function formatString(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Layers overrides over a table; `undefined`/`null`/non-string entries are ignored, so a bad override falls back. */
export function mergeStrings(base: FaceswapStrings, ...layers: (FaceswapStringOverrides | null | undefined)[]): FaceswapStrings {
  const merged: FaceswapStrings = { ...base, errors: { ...base.errors } };
  for (const layer of layers) {
    if (!layer || typeof layer !== 'object') continue;
    for (const [key, value] of Object.entries(layer)) {
      if (key === 'errors') {
        if (value && typeof value === 'object') {
          for (const [code, text] of Object.entries(value as Record<string, unknown>)) {
            if (typeof text === 'string' && code in merged.errors) merged.errors[code as FaceswapErrorCode] = text;
          }
        }
      } else if (typeof value === 'string' && key in merged) {
        (merged as unknown as Record<string, string>)[key] = value;
      }
    }
  }
  return merged;
}
