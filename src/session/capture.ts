import { FaceswapError } from '../core/errors.js';
import type { FaceswapErrorCode } from '../core/protocol.js';
import type { VideoConfig } from '../core/video.js';
import type { CameraFacing, SessionPlatform } from './session-api.js';

/** Camera and microphone capture with AKOOL's recommended settings, and capture failures as stable codes. */

export interface CaptureRequest {
  video?: { config: VideoConfig; facing: CameraFacing; deviceId?: string };
  audio?: boolean;
}

/** `ideal` rather than `exact`: a camera without 640x480@20 or without a back camera still works. */
export function videoConstraints(config: VideoConfig, facing: CameraFacing, deviceId?: string): MediaTrackConstraints {
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

/**
 * The browser's getUserMedia with every failure as a stable code, for the session and the picker alike: an
 * http page (where `navigator.mediaDevices` does not exist) is `insecure-context`, a browser without the API
 * `unsupported-browser`, and the browser's refusals as `captureError` names them.
 */
export async function openUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
  if (globalThis.isSecureContext === false) throw new FaceswapError('insecure-context');
  const devices = globalThis.navigator?.mediaDevices;
  if (typeof devices?.getUserMedia !== 'function') throw new FaceswapError('unsupported-browser');
  try {
    return await devices.getUserMedia(constraints);
  } catch (error) {
    throw captureError(error);
  }
}

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
