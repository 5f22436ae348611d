/** Capture and encoding settings of the visitor's camera, shared by the session element, the session and the transports. */
export interface VideoConfig {
  width: number;
  height: number;
  frameRate: number;
  /** Encoder bitrate bounds in Kbps (400-1000 at 640x480 is what working live face-swap clients send). */
  bitrateMin?: number;
  bitrateMax?: number;
}

/** Presets for the `video-preset` attribute. `480p` is what AKOOL's own demo sends. */
export const VIDEO_PRESETS = {
  '360p': { width: 640, height: 360, frameRate: 15, bitrateMin: 300, bitrateMax: 800 },
  '480p': { width: 640, height: 480, frameRate: 20, bitrateMin: 400, bitrateMax: 1000 },
  '720p': { width: 1280, height: 720, frameRate: 24, bitrateMin: 1000, bitrateMax: 2000 },
} as const satisfies Record<string, VideoConfig>;

export type VideoPresetName = keyof typeof VIDEO_PRESETS;
export const DEFAULT_VIDEO_PRESET: VideoPresetName = '480p';

export function isVideoPreset(value: unknown): value is VideoPresetName {
  return typeof value === 'string' && Object.hasOwn(VIDEO_PRESETS, value);
}
