import type { SessionState } from '../core/protocol.js';

/** The string-table key that names each session state. */
export const STATE_TERMS = {
  idle: 'stateIdle',
  preparing: 'statePreparing',
  connecting: 'stateConnecting',
  waiting: 'stateWaiting',
  live: 'stateLive',
  reconnecting: 'stateReconnecting',
  ending: 'stateEnding',
  ended: 'stateEnded',
  error: 'stateError',
} as const satisfies Record<SessionState, string>;

/** States in which a session holds the camera or a server session, so Stop is the useful action. */
export const RUNNING_STATES: ReadonlySet<SessionState> = new Set(['preparing', 'connecting', 'waiting', 'live', 'reconnecting']);
