/**
 * The emulator's readings of what AKOOL's docs leave open or contradict. Each field is one open question;
 * each value is one plausible answer. The defaults follow the docs where they speak (see the README section
 * "What we assume about AKOOL"), and tests and the doctor switch them to prove the client copes with each.
 */
export interface EmulatorReadings {
  /**
   * Which Agora uid publishes the swapped video: `algorithm` the create answer's `algorithm_user_id`;
   * `other` a different uid (the `algorithm_user_id` joins but sends no video); `announced` a uid that only
   * `user-published` reveals (`algorithm_user_id` is empty).
   */
  videoUid: 'algorithm' | 'other' | 'announced';
  /** Time from create until `faceswap_status` turns 2 ("Queuing" → "Processing"), in ms. */
  queueMs: number;
  /** The create answer's `app_id`: `empty` as in the doc example, or `filled` with the token's App ID. */
  appId: 'empty' | 'filled';
  /** Detect failures: `http-4xx` HTTP 400/500 with `error_code`/`error_msg` (documented), or `http-200` with them. */
  detectErrors: 'http-200' | 'http-4xx';
  /** Business codes of the session APIs: `http-200` with `code` (documented), or `http-4xx` with `code` in the body. */
  businessErrors: 'http-200' | 'http-4xx';
  /** detect's `region`: `xywh` `[x, y, width, height]` (documented), or `corners` `[x1, y1, x2, y2]` (the example). */
  region: 'xywh' | 'corners';
  /** The undocumented `/live/info` status call: `present`, or `absent` (HTTP 404). */
  liveInfo: 'present' | 'absent';
  /** What closing a session that has already ended answers (1000 idempotent, 1003, 1008 or 1014 not found). */
  closeEnded: 1000 | 1003 | 1008 | 1014;
}

export const DEFAULT_READINGS: EmulatorReadings = {
  videoUid: 'algorithm',
  queueMs: 1500,
  appId: 'empty',
  detectErrors: 'http-4xx',
  businessErrors: 'http-200',
  region: 'xywh',
  // Undocumented, but the bundled demo shows its status; the `absent` reading is tested and diagnosed.
  liveInfo: 'present',
  closeEnded: 1000,
};

/** Every value of each reading (queue times as samples: none, a short one, AKOOL's longest plausible). */
export const READING_VALUES: { readonly [K in keyof EmulatorReadings]: readonly EmulatorReadings[K][] } = {
  videoUid: ['algorithm', 'other', 'announced'],
  queueMs: [0, 1500, 90_000],
  appId: ['empty', 'filled'],
  detectErrors: ['http-200', 'http-4xx'],
  businessErrors: ['http-200', 'http-4xx'],
  region: ['xywh', 'corners'],
  liveInfo: ['present', 'absent'],
  closeEnded: [1000, 1003, 1008, 1014],
};

/** AKOOL's global business codes (error-code page), each a value the `forceCode` fault can answer. */
export const AKOOL_CODES: Readonly<Record<number, string>> = {
  1003: 'Parameter error or parameter cannot be empty',
  1004: 'Requires verification',
  1005: 'Operation is too frequent',
  1006: 'Insufficient quota balance',
  1007: 'The number of faces cannot exceed 8',
  1008: 'The content you get does not exist',
  1009: 'You do not have permission to operate',
  1101: 'Invalid authorization or the request token has expired',
  1102: 'Authorization cannot be empty',
  1103: 'Not paid or payment is overdue',
  1104: 'Insufficient quota',
  1200: 'The account has been banned',
  1213: 'Requires a subscription',
  1014: 'Session not found',
  1221: 'The account is not subscribed',
};

/** Reads the readings a caller sent (control API, CLI), keeping `base` for anything missing or invalid. */
export function pickReadings(input: unknown, base: EmulatorReadings = DEFAULT_READINGS): EmulatorReadings {
  const out: EmulatorReadings = { ...base };
  if (typeof input !== 'object' || input === null) return out;
  const given = input as Record<string, unknown>;
  for (const key of Object.keys(READING_VALUES) as Array<keyof EmulatorReadings>) {
    const value = given[key];
    if (key === 'queueMs') {
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) out.queueMs = value;
    } else if ((READING_VALUES[key] as readonly unknown[]).includes(value)) {
      (out as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

/** The HTTP status a 4xx-style AKOOL would pair with a business code. */
export function httpStatusForCode(code: number): number {
  if (code === 1101 || code === 1102) return 401;
  if (code === 1009 || code === 1200 || code === 1004) return 403;
  if (code === 1008 || code === 1014) return 404;
  if (code === 1005) return 429;
  if (code === 1104 || code === 1006 || code === 1103 || code === 1213 || code === 1221) return 402;
  if (code >= 500 && code < 600) return code;
  return 400;
}
