/** Capture and encoding settings of the visitor's camera, shared by the session element, the session and the transports. */
export interface VideoConfig {
  width: number;
  height: number;
  frameRate: number;
  /** Encoder bitrate bounds in Kbps (AKOOL's docs recommend 5000 at 640x480). */
  bitrateMin?: number;
  bitrateMax?: number;
}

/** Camera capture and encoding presets for the `video-preset` attribute. `480p` is what AKOOL's docs recommend (640×480, 20 fps, 5000 Kbps). */
export const VIDEO_PRESETS = {
  '360p': { width: 640, height: 360, frameRate: 15, bitrateMin: 300, bitrateMax: 800 },
  '480p': { width: 640, height: 480, frameRate: 20, bitrateMin: 5000, bitrateMax: 5000 },
  '720p': { width: 1280, height: 720, frameRate: 24, bitrateMin: 1000, bitrateMax: 2000 },
} as const satisfies Record<string, VideoConfig>;

export type VideoPresetName = keyof typeof VIDEO_PRESETS;
export const DEFAULT_VIDEO_PRESET: VideoPresetName = '480p';

export function isVideoPreset(value: unknown): value is VideoPresetName {
  return typeof value === 'string' && Object.hasOwn(VIDEO_PRESETS, value);
}
