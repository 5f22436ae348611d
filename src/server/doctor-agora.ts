/**
 * The doctor's Agora step. Joining an Agora channel takes WebRTC, which Node lacks, so the doctor serves a small
 * page on 127.0.0.1 (src/doctor/agora-probe.ts, built into the package as dist/doctor/agora-probe.js) with the
 * package's own copy of agora-rtc-sdk-ng, hands the person running it the page's URL (the session's RTC credentials
 * in its fragment, which no server sees), and waits for the page to post what it saw, once, with the one-time key
 * from that fragment. The page joins with the client's AgoraTransport, so the step also shows whether the client
 * takes the swapped video from the uid AKOOL really uses.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ChannelEvent, ChannelProbeRequest, ChannelProbeResult } from '../core/doctor-channel.js';

export interface BrowserStepOptions {
  /** How long to wait for the page's result, in ms (the time to open the URL included). */
  waitMs: number;
  /**
   * Given the page's URL once it is served. The URL carries the throwaway session's RTC token in its fragment:
   * show it only to the person running the doctor, never in a log.
   */
  onUrl: (url: string) => void;
  /** Longest the page waits for the swapped video after joining. Default 60 s. */
  observeMs?: number;
  /** How long the page listens on after the first frame (audio, more publishers). Default 5 s. */
  settleMs?: number;
}

/** The channel's credentials, from the create answer (an empty `app_id` already read from the token). */
export type ChannelCredentials = Pick<ChannelProbeRequest, 'appId' | 'channel' | 'uid' | 'token' | 'remoteUid'>;

/**
 * The doctor's photo (shipped in the package): detected through AKOOL, and the video the page sends. Its face lies
 * well away from the image's origin, so the two `region` layouts read differently.
 */
export const DOCTOR_PHOTO = { url: new URL('../../src/server/doctor-face.jpg', import.meta.url), size: { width: 800, height: 600 } };

/** Loading the SDK and the client's own join timeout (15 s), with room to spare, before the page's observation starts. */
const PAGE_START_MS = 30_000;
const MAX_RESULT_BYTES = 256 * 1024;
const MAX_EVENTS = 500;

/** The page's script: the built one next to this module in the package, else bundled from the source (a checkout). */
async function probeScript(): Promise<string> {
  const built = new URL('../doctor/agora-probe.js', import.meta.url);
  if (existsSync(built)) return readFile(built, 'utf8');
  const source = fileURLToPath(new URL('../doctor/agora-probe.ts', import.meta.url));
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('the doctor page is not built: run `npm run build` (or install esbuild) first');
  }
  const out = await esbuild.build({ entryPoints: [source], bundle: true, format: 'esm', target: 'es2022', external: ['agora-rtc-sdk-ng'], write: false });
  return out.outputFiles[0]!.text;
}

/** The SDK file the package's own dependency resolves to (its UMD build also works as a module: it sets `AgoraRTC`). */
function sdkPath(): string {
  return createRequire(import.meta.url).resolve('agora-rtc-sdk-ng');
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>faceswap-elements doctor: Agora channel</title>
<meta name="referrer" content="no-referrer">
<script type="importmap">{"imports":{"agora-rtc-sdk-ng":"/agora-rtc-sdk-ng.js"}}</script>
<script type="module" src="/agora-probe.js"></script>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:1rem;overflow:auto}</style>
</head>
<body>
<h1>faceswap-elements doctor: Agora channel</h1>
<p id="status">Loading the Agora SDK…</p>
<pre id="result"></pre>
</body>
</html>
`;

interface Served {
  url: string;
  result: Promise<ChannelProbeResult>;
  close: () => Promise<void>;
}

/**
 * Serves the page on 127.0.0.1 until `close`; `result` settles with the first result posted with the key, and
 * `onOpened` runs when a browser loads the page's script.
 */
async function servePage(credentials: ChannelCredentials, timing: Pick<ChannelProbeRequest, 'observeMs' | 'settleMs'>, onOpened: () => void): Promise<Served> {
  const [script, sdk, face] = await Promise.all([probeScript(), readFile(sdkPath()), readFile(DOCTOR_PHOTO.url)]);
  const resultKey = randomBytes(24).toString('base64url');
  let keyUsed = false;
  let deliver!: (result: ChannelProbeResult) => void;
  const result = new Promise<ChannelProbeResult>((resolve) => (deliver = resolve));
  const files: Record<string, [string, string | Buffer]> = {
    '/': ['text/html; charset=utf-8', PAGE],
    '/agora-probe.js': ['text/javascript; charset=utf-8', script],
    '/agora-rtc-sdk-ng.js': ['text/javascript; charset=utf-8', sdk],
    '/face.jpg': ['image/jpeg', face],
  };
  let origin = '';
  const server: Server = createServer((request, response) => {
    const send = (status: number, type: string, body: string | Buffer) => {
      response
        .writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' })
        .end(body);
    };
    // Only this page's own origin: no other site (nor a rebound DNS name) may read the page or post a result.
    if (`http://${request.headers.host}` !== origin || (request.headers.origin !== undefined && request.headers.origin !== origin)) {
      return send(403, 'text/plain', 'forbidden');
    }
    const path = new URL(request.url ?? '/', origin).pathname;
    if (request.method === 'GET' && files[path]) {
      if (path === '/agora-probe.js') onOpened();
      return send(200, ...files[path]);
    }
    if (request.method !== 'POST' || path !== '/result') return send(404, 'text/plain', 'not found');
    const key = String(request.headers['x-doctor-key'] ?? '');
    if (keyUsed || key.length !== resultKey.length || !timingSafeEqual(Buffer.from(key), Buffer.from(resultKey))) return send(403, 'text/plain', 'forbidden');
    keyUsed = true;
    void readResult(request, response).then((parsed) => {
      if (parsed) deliver(parsed);
      else keyUsed = false;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request: ChannelProbeRequest = { ...credentials, resultKey, ...timing };
  return {
    url: `${origin}/#${Buffer.from(JSON.stringify(request)).toString('base64url')}`,
    result,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Reads a posted result; a body that is too large or not a result is refused with 400 (the key stays usable). */
async function readResult(request: IncomingMessage, response: ServerResponse): Promise<ChannelProbeResult | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_RESULT_BYTES) break;
    chunks.push(chunk);
  }
  let parsed: ChannelProbeResult | undefined;
  try {
    parsed = size > MAX_RESULT_BYTES ? undefined : parseResult(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  } catch {
    parsed = undefined;
  }
  response.writeHead(parsed ? 204 : 400, { 'cache-control': 'no-store' }).end();
  return parsed;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const EVENT_KINDS = new Set(['joined', 'published', 'unpublished', 'left']);
const MEDIA = new Set(['audio', 'video', 'datachannel']);

/** The page's post, checked field by field: only what has the right shape is kept. */
function parseResult(value: unknown): ChannelProbeResult | undefined {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as ChannelProbeResult).events)) return undefined;
  const raw = value as Record<string, unknown>;
  const events: ChannelEvent[] = [];
  for (const item of (raw.events as unknown[]).slice(0, MAX_EVENTS)) {
    const { atMs, uid, kind, media } = (item ?? {}) as Record<string, unknown>;
    if (!isCount(atMs) || typeof uid !== 'string' || !EVENT_KINDS.has(String(kind)) || (media !== undefined && !MEDIA.has(String(media)))) return undefined;
    events.push({ atMs, uid, kind: kind as ChannelEvent['kind'], ...(media === undefined ? {} : { media: media as ChannelEvent['media'] }) });
  }
  const error = raw.error as { code?: unknown; message?: unknown } | undefined;
  return {
    events,
    userAgent: String(raw.userAgent ?? '').slice(0, 300),
    ...(isCount(raw.joinMs) ? { joinMs: raw.joinMs } : {}),
    ...(isCount(raw.firstFrameMs) ? { firstFrameMs: raw.firstFrameMs } : {}),
    ...(typeof raw.playedUid === 'string' ? { playedUid: raw.playedUid } : {}),
    ...(error && typeof error.code === 'string' ? { error: { code: error.code.slice(0, 100), message: String(error.message ?? '').slice(0, 500) } } : {}),
  };
}

/**
 * Serves the page and waits for its result: `undefined` when none came within `waitMs`. Rejects with the
 * signal's reason on abort. The page's server is closed in every case.
 */
export async function probeChannelInBrowser(
  credentials: ChannelCredentials,
  options: BrowserStepOptions,
  signal?: AbortSignal,
): Promise<ChannelProbeResult | undefined> {
  signal?.throwIfAborted();
  const timing = { observeMs: options.observeMs ?? 60_000, settleMs: options.settleMs ?? 5_000 };
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let expire!: () => void;
  const expired = new Promise<undefined>((resolve) => (expire = () => resolve(undefined)));
  const waitFor = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(expire, ms);
  };
  // A page opened late still gets the time its run takes: no result is cut off halfway.
  const served = await servePage(credentials, timing, () =>
    waitFor(Math.max(options.waitMs - (performance.now() - started), timing.observeMs + timing.settleMs + PAGE_START_MS)),
  );
  let onAbort: (() => void) | undefined;
  try {
    options.onUrl(served.url);
    waitFor(options.waitMs);
    return await Promise.race([
      served.result,
      expired,
      new Promise<never>((_resolve, reject) => {
        onAbort = () => reject(signal!.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    await served.close();
  }
}

/** Which uid sent the swapped video, by what the page saw. */
export interface ChannelReading {
  ok: boolean;
  detail: string;
  videoUid?: 'algorithm' | 'other' | 'announced';
  /** From the start of the join to the first frame of the swapped video, in ms. */
  firstVideoMs?: number;
  workerAudio?: 'sent' | 'none';
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Reads the page's account against create's `algorithm_user_id` (`''` when none). */
export function readChannel(result: ChannelProbeResult, algorithmUid: string): ChannelReading {
  if (result.error) {
    const where = result.joinMs === undefined ? 'could not join the Agora channel' : 'lost the Agora channel';
    // The SDK retries an unreachable Agora for ever; the client's own join timeout is what ends it.
    const hint =
      result.error.code === 'rtc-join-timeout' ? ' Agora did not answer this browser: is it offline, or behind a firewall or VPN that blocks Agora?' : '';
    return { ok: false, detail: `the page ${where}: ${result.error.code}: ${result.error.message}${hint}` };
  }
  const uidsThat = (kind: ChannelEvent['kind'], media?: ChannelEvent['media']) => [
    ...new Set(result.events.filter((e) => e.kind === kind && (media === undefined || e.media === media)).map((e) => e.uid)),
  ];
  const videoUids = uidsThat('published', 'video');
  const audioUids = uidsThat('published', 'audio');
  const workerAudio = audioUids.length > 0 ? 'sent' : 'none';
  const joined = `joined in ${seconds(result.joinMs ?? 0)}`;
  if (videoUids.length === 0) {
    const seen = uidsThat('joined');
    return { ok: false, workerAudio, detail: `${joined}; no uid published video (uids that joined: ${seen.join(', ') || 'none'})` };
  }
  const videoUid = !algorithmUid ? 'announced' : videoUids.includes(algorithmUid) ? 'algorithm' : 'other';
  const from = videoUids.map((uid) => (uid === algorithmUid ? `${uid} (algorithm_user_id)` : uid)).join(', ');
  const silent = uidsThat('joined').filter((uid) => !videoUids.includes(uid));
  const audio = [
    ...silent.map((uid) => `uid ${uid}${uid === algorithmUid ? ' (algorithm_user_id)' : ''} joined without video`),
    workerAudio === 'sent' ? `audio from uid ${audioUids.join(', ')}` : 'no audio',
  ].join('; ');
  if (result.firstFrameMs === undefined || result.playedUid === undefined) {
    return { ok: false, videoUid, workerAudio, detail: `${joined}; video published by uid ${from}, but the client showed none of it; ${audio}` };
  }
  return {
    ok: true,
    videoUid,
    workerAudio,
    firstVideoMs: result.firstFrameMs,
    detail: `${joined}; video published by uid ${from}, the client showed uid ${result.playedUid} ${seconds(result.firstFrameMs)} after joining began; ${audio}`,
  };
}
