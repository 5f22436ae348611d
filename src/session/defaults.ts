import { DEFAULT_VIDEO_PRESET, VIDEO_PRESETS } from '../core/video.js';
import { DEFAULT_JOIN_TIMEOUT_MS } from '../rtc/transport.js';
import type { SessionOptions, SessionSnapshot } from './session-api.js';

/**
 * The session core's starting values, in a module of their own so the lazy stand-in for the controller
 * (`LazySessionController`) answers with them without loading the controller.
 */

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  engine: 'auto',
  camera: 'user',
  mic: false,
  // AKOOL's recommended capture and bitrate (its live face swap docs); `video-preset` lowers it.
  video: { ...VIDEO_PRESETS[DEFAULT_VIDEO_PRESET] },
  // AKOOL gives no queue time; these only bound a session that never delivers.
  swapTimeoutMs: 60_000,
  queueTimeoutMs: 180_000,
  statusPollMs: 2_500,
  joinTimeoutMs: DEFAULT_JOIN_TIMEOUT_MS,
  heartbeatMs: 15_000,
};

/** The snapshot of a controller that has not started yet. */
export function idleSnapshot(micEnabled: boolean): SessionSnapshot {
  return {
    state: 'idle',
    error: null,
    engine: null,
    sessionId: null,
    source: null,
    localStream: null,
    remoteTrack: null,
    facing: null,
    micEnabled,
    waitingSince: null,
    queued: false,
    autoplayBlocked: false,
  };
}
