import { FaceswapError } from '../core/errors.js';
import type { FaceswapErrorCode } from '../core/protocol.js';
import type { CameraFacing, SessionPlatform, VideoConstraintsConfig } from './session-api.js';

/** Camera and microphone capture with AKOOL's recommended settings, and capture failures as stable codes. */

export interface CaptureRequest {
  video?: { config: VideoConstraintsConfig; facing: CameraFacing; deviceId?: string };
  audio?: boolean;
}

/** `ideal` rather than `exact`: a camera without 640x480@20 or without a back camera still works. */
export function videoConstraints(config: VideoConstraintsConfig, facing: CameraFacing, deviceId?: string): MediaTrackConstraints {
  const constraints: MediaTrackConstraints = {
    width: { ideal: config.width },
    height: { ideal: config.height },
    frameRate: { ideal: config.frameRate, max: config.frameRate },
  };
  if (deviceId) constraints.deviceId = { exact: deviceId };
  else constraints.facingMode = { ideal: facing };
  return constraints;
}

const AUDIO_CONSTRAINTS: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

export async function capture(platform: SessionPlatform, request: CaptureRequest): Promise<MediaStream> {
  const constraints: MediaStreamConstraints = {
    video: request.video ? videoConstraints(request.video.config, request.video.facing, request.video.deviceId) : false,
    audio: request.audio ? AUDIO_CONSTRAINTS : false,
  };
  try {
    return await platform.getUserMedia(constraints);
  } catch (error) {
    throw captureError(error);
  }
}

const CODE_BY_DOM_EXCEPTION: Record<string, FaceswapErrorCode> = {
  NotAllowedError: 'camera-denied',
  SecurityError: 'camera-denied',
  NotFoundError: 'camera-not-found',
  OverconstrainedError: 'camera-not-found',
  NotReadableError: 'camera-in-use',
  AbortError: 'camera-in-use',
};

export function captureError(error: unknown): FaceswapError {
  if (error instanceof FaceswapError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  const code = typeof name === 'string' ? CODE_BY_DOM_EXCEPTION[name] : undefined;
  return new FaceswapError(code ?? 'unsupported-browser', undefined, { cause: error });
}

/** Facing of a captured track when the browser reports it (desktop webcams often do not). */
export function trackFacing(track: MediaStreamTrack): CameraFacing | null {
  const facing = track.getSettings?.().facingMode;
  return facing === 'user' || facing === 'environment' ? facing : null;
}
