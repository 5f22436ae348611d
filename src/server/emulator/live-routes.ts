/** The emulator's auth and session paths: getToken, live create/update/close/info, quota. */
import { randomBytes } from 'node:crypto';
import { LANDMARKS_PATTERN } from '../../core/protocol.js';
import type { LiveSession, SourceImage } from '../akool-types.js';
import { buildRtcToken } from './agora-token.js';
import { envelope, remainingCredit, Reply, runningSeconds, statusOf, type EmulatorContext, type EmulatorSession } from './context.js';
import { AKOOL_CODES } from './readings.js';

const TOKEN_LIFETIME_S = 3600;
const FRONT_UID = '1';
const ALGORITHM_UID = '3';
/** The uid that sends the video in the `other` reading: not the one create names. */
const OTHER_VIDEO_UID = '2';

/** AKOOL: `Authorization` wins over `x-api-key`; 1102 when neither is sent, 1101 when wrong. */
export function authCode(ctx: EmulatorContext, request: Request): number {
  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
    return token !== undefined && ctx.tokens.has(token) ? 1000 : token === undefined || token === '' ? 1102 : 1101;
  }
  const key = request.headers.get('x-api-key');
  if (key === null || key === '') return 1102;
  return key === ctx.apiKey ? 1000 : 1101;
}

export const authFailure = (ctx: EmulatorContext, code: number) => envelope(ctx, code, AKOOL_CODES[code]!);

export function getToken(ctx: EmulatorContext, body: Record<string, unknown>): Reply {
  const { clientId: id, clientSecret: secret } = body;
  if (typeof id !== 'string' || id === '' || typeof secret !== 'string' || secret === '') return authFailure(ctx, 1102);
  if (id !== ctx.clientId || secret !== ctx.clientSecret) return authFailure(ctx, 1101);
  const token = randomBytes(24).toString('base64url');
  ctx.tokens.add(token);
  return new Reply(200, { code: 1000, token });
}

function parseSourceImage(value: unknown): SourceImage[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > 8) return undefined;
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { path, opts } = item as Record<string, unknown>;
    if (typeof path !== 'string' || !/^https?:\/\/\S+$/.test(path)) return undefined;
    if (typeof opts !== 'string' || !LANDMARKS_PATTERN.test(opts)) return undefined;
  }
  return (value as SourceImage[]).map(({ path, opts }) => ({ path, opts }));
}

/** The uid create names and the uid that really sends the video, by the `videoUid` reading. */
function workerUids(ctx: EmulatorContext): { algorithm: string; video: string } {
  switch (ctx.readings.videoUid) {
    case 'other':
      return { algorithm: ALGORITHM_UID, video: OTHER_VIDEO_UID };
    case 'announced':
      return { algorithm: '', video: String(1000 + (randomBytes(2).readUInt16LE() % 9000)) };
    default:
      return { algorithm: ALGORITHM_UID, video: ALGORITHM_UID };
  }
}

export function createLive(ctx: EmulatorContext, body: Record<string, unknown>): Reply {
  const sourceImage = parseSourceImage(body.sourceImage);
  if (!sourceImage) return envelope(ctx, 1003, 'Parameter error: sourceImage must be a list of {path, opts}');
  if (remainingCredit(ctx) <= 0) return envelope(ctx, 1104, AKOOL_CODES[1104]!);
  const createdAt = ctx.now();
  const id = randomBytes(12).toString('hex');
  const uids = workerUids(ctx);
  const session: EmulatorSession = {
    _id: id,
    faceswap_status: 1,
    closed: false,
    createdAt,
    billedSeconds: 0,
    updates: 0,
    sourceImage,
    channel_id: channelName(createdAt),
    algorithm_user_id: uids.algorithm,
    video_uid: uids.video,
    readyAt: createdAt + ctx.readings.queueMs,
  };
  ctx.sessions.set(id, session);
  const data: LiveSession = {
    _id: id,
    faceswap_status: statusOf(ctx, session),
    front_user_id: FRONT_UID,
    algorithm_user_id: uids.algorithm,
    front_rtc_token: buildRtcToken({
      appId: ctx.appId,
      appCertificate: ctx.appCertificate,
      channel: session.channel_id,
      uid: FRONT_UID,
      issuedAt: Math.floor(createdAt / 1000),
      expireSeconds: TOKEN_LIFETIME_S,
    }),
    channel_id: session.channel_id,
    app_id: ctx.readings.appId === 'filled' ? ctx.appId : '',
  };
  return envelope(ctx, 1000, 'OK', data);
}

function knownSession(ctx: EmulatorContext, body: Record<string, unknown>): EmulatorSession | Reply {
  const id = body._id;
  if (typeof id !== 'string' || id === '') return envelope(ctx, 1003, 'Parameter error: _id cannot be empty');
  return ctx.sessions.get(id) ?? envelope(ctx, 1003, 'Parameter error: session not found');
}

export function updateLive(ctx: EmulatorContext, body: Record<string, unknown>): Reply {
  const session = knownSession(ctx, body);
  if (session instanceof Reply) return session;
  if (session.closed) return envelope(ctx, 1003, 'Parameter error: session is closed');
  const sourceImage = parseSourceImage(body.sourceImage);
  if (!sourceImage) return envelope(ctx, 1003, 'Parameter error: sourceImage must be a list of {path, opts}');
  if (remainingCredit(ctx) <= 0) return envelope(ctx, 1104, AKOOL_CODES[1104]!);
  session.sourceImage = sourceImage;
  session.updates += 1;
  return envelope(ctx, 1000, 'OK');
}

/** Ends a session and bills it; `by` says whether the caller closed it or AKOOL ended it. */
export function endSession(ctx: EmulatorContext, session: EmulatorSession, by: 'close' | 'ended'): void {
  if (session.closed) return;
  session.billedSeconds = runningSeconds(ctx, session);
  session.closed = true;
  session.closedBy = by;
  session.closedAt = ctx.now();
  ctx.credit -= session.billedSeconds;
}

export function closeLive(ctx: EmulatorContext, body: Record<string, unknown>): Reply {
  const session = knownSession(ctx, body);
  if (session instanceof Reply) return session;
  if (session.closed) {
    const code = ctx.readings.closeEnded;
    return code === 1000 ? envelope(ctx, 1000, 'OK') : envelope(ctx, code, AKOOL_CODES[code]!);
  }
  endSession(ctx, session, 'close');
  return envelope(ctx, 1000, 'OK');
}

export function liveInfo(ctx: EmulatorContext, body: Record<string, unknown>): Reply {
  if (ctx.readings.liveInfo === 'absent') return new Reply(404, { code: 404, msg: 'Not Found' });
  const session = knownSession(ctx, body);
  if (session instanceof Reply) return session;
  return envelope(ctx, 1000, 'OK', { _id: session._id, faceswap_status: statusOf(ctx, session) });
}

export function quota(ctx: EmulatorContext, request: Request): Reply {
  const code = authCode(ctx, request);
  return code === 1000 ? envelope(ctx, 1000, 'OK', { credit: Math.max(0, remainingCredit(ctx)) }) : authFailure(ctx, code);
}

/** AKOOL's channel names: `YYYYMMDDhhmmssSSS_NNNN` (UTC creation time and a random suffix). */
function channelName(at: number): string {
  const d = new Date(at);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp =
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${pad(d.getUTCMilliseconds(), 3)}`;
  return `${stamp}_${pad(randomBytes(2).readUInt16LE() % 10_000, 4)}`;
}
