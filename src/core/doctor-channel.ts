/**
 * What `faceswap-elements doctor` (src/server/doctor-agora.ts) and its browser page (src/doctor/agora-probe.ts)
 * exchange: the page's orders, read from its URL fragment, and the page's account of the Agora channel, posted
 * back once.
 */

/** The page's orders. The fragment never reaches a server, so the RTC token stays in the browser. */
export interface ChannelProbeRequest {
  appId: string;
  channel: string;
  /** The browser's uid (`front_user_id`). */
  uid: string;
  token: string;
  /** The create answer's `algorithm_user_id`, `''` when it named none. */
  remoteUid: string;
  /** Sent with the result; the doctor accepts one result with it, then no more. */
  resultKey: string;
  /** Longest the page waits, after joining, for the client to show remote video. */
  observeMs: number;
  /** How long it keeps listening after the first frame (for audio and further publishers). */
  settleMs: number;
}

/** One thing a remote uid did in the channel, `atMs` after the page started joining. */
export interface ChannelEvent {
  atMs: number;
  uid: string;
  kind: 'joined' | 'published' | 'unpublished' | 'left';
  media?: 'audio' | 'video' | 'datachannel';
}

/** What the page saw. */
export interface ChannelProbeResult {
  /** When the join completed, ms after it started; absent when it failed. */
  joinMs?: number;
  /** The join or publish failed: the client's stable error code and its message. */
  error?: { code: string; message: string };
  events: ChannelEvent[];
  /** The uid whose video the client (AgoraTransport) took as the swapped video. */
  playedUid?: string;
  /** When that video's first frame arrived, ms after the join started. */
  firstFrameMs?: number;
  userAgent: string;
}
