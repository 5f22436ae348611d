import type { SessionOptions, SessionSnapshot } from './session-api.js';

/**
 * The session core's starting values, in a module of their own so the lazy stand-in for the controller
 * (`LazySessionController`) answers with them without loading the controller.
 */

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  engine: 'auto',
  camera: 'user',
  mic: false,
  // AKOOL's recommended capture (reference/akool-api.md §4.1). Its 5000 Kbps bitrate is most likely a typo
  // for 640x480 (§5.12); 400-1000 Kbps is what working live-faceswap clients use (§4.3).
  video: { width: 640, height: 480, frameRate: 20, bitrateMin: 400, bitrateMax: 1000 },
  // AKOOL gives no queue time; these only bound a session that never delivers.
  swapTimeoutMs: 60_000,
  queueTimeoutMs: 180_000,
  statusPollMs: 2_500,
  joinTimeoutMs: 15_000,
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
