/**
 * The AKOOL emulator: AKOOL's documented Live Face Swap paths, request and response shapes and business
 * codes, with real session state (status 1 → 2, update, close, billed seconds, credit), real face detection
 * (see detector.ts) and fault injection for tests. `createEmulator` gives a WHATWG handler usable
 * in-process or mounted under a path; `startEmulator` serves it on its own port.
 *
 * Control API (no auth, no CORS: for tests and operators, never exposed publicly) under `/__emulator/`:
 *   GET  state | sessions       POST faults {latencyMs, failureRate, forceCode, forceHttpStatus, malformedJson, hang, paths}
 *   DELETE faults               POST config {credit, statusDelayMs}         POST reset
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LANDMARKS_PATTERN } from '../../core/protocol.js';
import type { DetectFacesEntry, FaceswapStatus, LiveSession, SourceImage } from '../akool-types.js';
import { toNodeListener } from '../node-adapter.js';
import { buildRtcToken } from './agora-token.js';
import { ImageDecodeError, detectFaces, loadDetector, type DetectionResult, type FaceGeometry, type Point } from './detector.js';

export interface EmulatorFaults {
  /** Delay before every AKOOL-path answer. */
  latencyMs?: number;
  /** Share (0-1) of AKOOL-path calls that fail: with `forceCode` if set, else HTTP 500. */
  failureRate?: number;
  /** Answer this business code (in `code`, or `error_code` on detect paths). */
  forceCode?: number;
  /** Answer this HTTP status with a plain-text body. */
  forceHttpStatus?: number;
  /** Answer 200 with a body that is not JSON. */
  malformedJson?: boolean;
  /** Never answer (until the caller gives up, or reset/close). */
  hang?: boolean;
  /** Only faults calls whose path contains one of these (e.g. `"/live/create"`). Default: every AKOOL path. */
  paths?: string[];
}

export interface EmulatorOptions {
  /** The API key accepted as `x-api-key`, and as getToken's `clientSecret`. Default `emulator-api-key`. */
  apiKey?: string;
  /** getToken's `clientId`. Default `emulator-client-id`. */
  clientId?: string;
  /** getToken's `clientSecret`. Default: the API key (AKOOL: "the API Key is the former clientSecret"). */
  clientSecret?: string;
  /** Credit in seconds of live session time; create answers 1104 once it is spent. Default 36000. */
  credit?: number;
  /** Time from create until `faceswap_status` turns 2. Default 1500 ms. */
  statusDelayMs?: number;
  /** Path prefix the emulator is mounted under (e.g. `/akool-emulator`). Default none. */
  mountPath?: string;
  /** Absolute URL (including the mount path) browsers reach the emulator at; used in `face_urls`. Default: from the request. */
  publicUrl?: string;
  /** Origins (besides its own) that detect may download `url`s from. Everything else is refused (SSRF). */
  allowedFetchOrigins?: string[];
  /** Largest image detect accepts, in bytes. Default 16 MiB. */
  maxImageBytes?: number;
  /** Agora App ID written into the RTC tokens (32 hex). Default random. */
  appId?: string;
  faults?: EmulatorFaults;
  now?: () => number;
  fetch?: typeof fetch;
}

export interface EmulatorRequestContext {
  /** Absolute URL (including the mount path) the browser reaches the emulator at, for `face_urls`. */
  publicUrl?: string;
}

export interface EmulatorSession {
  _id: string;
  faceswap_status: FaceswapStatus;
  closed: boolean;
  createdAt: number;
  closedAt?: number;
  billedSeconds: number;
  updates: number;
  sourceImage: SourceImage[];
  channel_id: string;
}

export interface EmulatorState {
  credit: number;
  billedSeconds: number;
  openSessions: number;
  sessions: number;
  detections: number;
  faults: EmulatorFaults;
}

export interface Emulator {
  /**
   * Answers one request (paths under `mountPath`). In-process callers may pass the `publicUrl` for this
   * request (e.g. from the browser's Host), which HTTP callers cannot forge.
   */
  handle(request: Request, context?: EmulatorRequestContext): Promise<Response>;
  sessions(): EmulatorSession[];
  state(): EmulatorState;
  setFaults(faults: EmulatorFaults): void;
  configure(config: { credit?: number; statusDelayMs?: number }): void;
  /** Forgets sessions, faults and face crops; restores the initial credit. */
  reset(): void;
  /** Loads the face detector now instead of on the first detect. */
  warmUp(): Promise<void>;
  /** Releases hanging requests. */
  close(): void;
  readonly apiKey: string;
}

const MiB = 1024 * 1024;
const MAX_FACE_CROPS = 500;
const TOKEN_LIFETIME_S = 3600;
const FRONT_UID = '1';
const ALGORITHM_UID = '3';

class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const now = options.now ?? Date.now;
  const apiKey = options.apiKey ?? 'emulator-api-key';
  const clientId = options.clientId ?? 'emulator-client-id';
  const clientSecret = options.clientSecret ?? apiKey;
  const initialCredit = options.credit ?? 36_000;
  const mountPath = (options.mountPath ?? '').replace(/\/+$/, '');
  const maxImageBytes = options.maxImageBytes ?? 16 * MiB;
  const appId = options.appId ?? randomBytes(16).toString('hex');
  const appCertificate = randomBytes(16).toString('hex');
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));

  let credit = initialCredit;
  let statusDelayMs = options.statusDelayMs ?? 1500;
  let faults: EmulatorFaults = { ...options.faults };
  let detections = 0;
  const sessions = new Map<string, EmulatorSession>();
  const tokens = new Set<string>();
  const faces = new Map<string, Buffer>();
  const hanging = new Set<() => void>();
  const contexts = new WeakMap<Request, EmulatorRequestContext>();

  const statusOf = (s: EmulatorSession): FaceswapStatus => (s.closed ? 3 : now() - s.createdAt >= statusDelayMs ? 2 : 1);
  const runningSeconds = (s: EmulatorSession) => Math.ceil((now() - s.createdAt) / 1000);
  const remainingCredit = () => credit - [...sessions.values()].filter((s) => !s.closed).reduce((n, s) => n + runningSeconds(s), 0);

  function snapshot(s: EmulatorSession): EmulatorSession {
    return { ...s, faceswap_status: statusOf(s), billedSeconds: s.closed ? s.billedSeconds : runningSeconds(s) };
  }

  /** AKOOL: `Authorization` wins over `x-api-key`; 1102 when neither is sent, 1101 when wrong. */
  function authCode(request: Request): number {
    const authorization = request.headers.get('authorization');
    if (authorization !== null) {
      const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
      return token !== undefined && tokens.has(token) ? 1000 : token === undefined || token === '' ? 1102 : 1101;
    }
    const key = request.headers.get('x-api-key');
    if (key === null || key === '') return 1102;
    return key === apiKey ? 1000 : 1101;
  }

  const envelope = (code: number, msg: string, data?: unknown) => new Reply(200, data === undefined ? { code, msg } : { code, msg, data });
  const detectError = (code: number, msg: string) => new Reply(200, { error_code: code, error_msg: msg });
  const AUTH_MESSAGES: Record<number, string> = {
    1101: 'Invalid authorization or the request token has expired',
    1102: 'Authorization cannot be empty',
  };

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

  function publicBase(request: Request): string {
    const url = contexts.get(request)?.publicUrl ?? options.publicUrl ?? new URL(request.url).origin + mountPath;
    return url.replace(/\/+$/, '');
  }

  // ---- AKOOL paths

  function getToken(body: Record<string, unknown>): Reply {
    const { clientId: id, clientSecret: secret } = body;
    if (typeof id !== 'string' || id === '' || typeof secret !== 'string' || secret === '') {
      return envelope(1102, AUTH_MESSAGES[1102]!);
    }
    if (id !== clientId || secret !== clientSecret) return envelope(1101, AUTH_MESSAGES[1101]!);
    const token = randomBytes(24).toString('base64url');
    tokens.add(token);
    return new Reply(200, { code: 1000, token });
  }

  function createLive(body: Record<string, unknown>): Reply {
    const sourceImage = parseSourceImage(body.sourceImage);
    if (!sourceImage) return envelope(1003, 'Parameter error: sourceImage must be a list of {path, opts}');
    if (remainingCredit() <= 0) return envelope(1104, 'Insufficient quota');
    const createdAt = now();
    const id = randomBytes(12).toString('hex');
    const session: EmulatorSession = {
      _id: id,
      faceswap_status: 1,
      closed: false,
      createdAt,
      billedSeconds: 0,
      updates: 0,
      sourceImage,
      channel_id: channelName(createdAt),
    };
    sessions.set(id, session);
    const data: LiveSession = {
      _id: id,
      faceswap_status: statusOf(session),
      front_user_id: FRONT_UID,
      algorithm_user_id: ALGORITHM_UID,
      front_rtc_token: buildRtcToken({
        appId,
        appCertificate,
        channel: session.channel_id,
        uid: FRONT_UID,
        issuedAt: Math.floor(createdAt / 1000),
        expireSeconds: TOKEN_LIFETIME_S,
      }),
      channel_id: session.channel_id,
      app_id: '',
    };
    return envelope(1000, 'OK', data);
  }

  function openSession(body: Record<string, unknown>): EmulatorSession | Reply {
    const id = body._id;
    if (typeof id !== 'string' || id === '') return envelope(1003, 'Parameter error: _id cannot be empty');
    const session = sessions.get(id);
    if (!session) return envelope(1003, 'Parameter error: session not found');
    return session;
  }

  function updateLive(body: Record<string, unknown>): Reply {
    const session = openSession(body);
    if (session instanceof Reply) return session;
    if (session.closed) return envelope(1003, 'Parameter error: session is closed');
    const sourceImage = parseSourceImage(body.sourceImage);
    if (!sourceImage) return envelope(1003, 'Parameter error: sourceImage must be a list of {path, opts}');
    if (remainingCredit() <= 0) return envelope(1104, 'Insufficient quota');
    session.sourceImage = sourceImage;
    session.updates += 1;
    return envelope(1000, 'OK');
  }

  function closeLive(body: Record<string, unknown>): Reply {
    const session = openSession(body);
    if (session instanceof Reply) return session;
    if (!session.closed) {
      session.billedSeconds = runningSeconds(session);
      session.closed = true;
      session.closedAt = now();
      credit -= session.billedSeconds;
    }
    return envelope(1000, 'OK');
  }

  function liveInfo(body: Record<string, unknown>): Reply {
    const session = openSession(body);
    if (session instanceof Reply) return session;
    return envelope(1000, 'OK', { _id: session._id, faceswap_status: statusOf(session) });
  }

  /** The image bytes of a detect call, from `img` (base64 or data URL) or a permitted `url`. */
  async function imageFor(request: Request, url: unknown, img: unknown): Promise<Uint8Array | Reply> {
    if (typeof url === 'string' && url !== '') {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return detectError(1, 'Invalid URL format');
      }
      if (target.protocol !== 'http:' && target.protocol !== 'https:') return detectError(1, 'Invalid URL format');
      const base = new URL(publicBase(request));
      const own = [base.origin, new URL(request.url).origin];
      const facePrefix = base.pathname.replace(/\/+$/, '') + '/faces/';
      if (own.includes(target.origin) && target.pathname.startsWith(facePrefix)) {
        const crop = faces.get(target.pathname.slice(facePrefix.length).replace(/\.jpg$/, ''));
        return crop ?? detectError(1, 'Failed to download media from URL');
      }
      // Only a configured public URL counts as "own" for downloading: the request's own origin comes from its
      // Host header, which the caller chooses (Host: 10.0.0.5 would otherwise open the internal network).
      const configured = contexts.get(request)?.publicUrl ?? options.publicUrl;
      const fetchable = [...(configured ? [new URL(configured).origin] : []), ...(options.allowedFetchOrigins ?? [])];
      if (!fetchable.includes(target.origin)) {
        return detectError(1, `Failed to download media from URL (the emulator only downloads from its own origin and allowedFetchOrigins)`);
      }
      try {
        const response = await fetchImpl(target, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
        if (!response.ok) return detectError(1, 'Failed to download media from URL');
        const bytes = new Uint8Array(await response.arrayBuffer());
        return bytes.byteLength > maxImageBytes ? detectError(1, 'Media file is too large') : bytes;
      } catch {
        return detectError(1, 'Failed to download media from URL');
      }
    }
    if (typeof img === 'string' && img !== '') {
      const base64 = img.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return detectError(1, 'Invalid base64 image');
      const bytes = Buffer.from(base64, 'base64');
      return bytes.byteLength > maxImageBytes ? detectError(1, 'Media file is too large') : bytes;
    }
    return detectError(1, "Either 'url' or 'img' parameter must be provided");
  }

  async function runDetector(image: Uint8Array): Promise<DetectionResult | Reply> {
    try {
      detections += 1;
      return await detectFaces(image);
    } catch (error) {
      if (error instanceof ImageDecodeError) return detectError(1, 'Failed to decode the image');
      throw error;
    }
  }

  async function detectFacesV3(request: Request, body: Record<string, unknown>): Promise<Reply> {
    const image = await imageFor(request, body.url, body.img);
    if (image instanceof Reply) return image;
    const result = await runDetector(image);
    if (result instanceof Reply) return result;
    const found = body.single_face === true ? result.faces.slice(0, 1) : result.faces;
    if (found.length === 0) return detectError(1, 'No face detected in the image');

    const entry: DetectFacesEntry = {
      landmarks: found.map((f) => f.points.map(roundPoint)),
      landmarks_str: found.map((f) => landmarkString(f.points)),
      region: found.map((f) => f.region.map(Math.round)),
      frame_time: null,
      crop_region: null,
      crop_landmarks: null,
      face_urls: null,
    };
    if (body.return_face_url === true) {
      const crops = await Promise.all(found.map((f) => cropFace(result, f)));
      entry.crop_region = crops.map((c) => c.region);
      entry.crop_landmarks = crops.map((c) => c.landmarks);
      entry.face_urls = crops.map((c) => `${publicBase(request)}/faces/${c.id}.jpg`);
    }
    // Keyed by frame index (an image is frame 0), one array element per face: the detect-faces page's reading.
    return new Reply(200, { error_code: 0, error_msg: 'SUCCESS', faces_obj: { '0': entry } });
  }

  async function detectLegacy(request: Request, body: Record<string, unknown>): Promise<Reply> {
    const started = now();
    const image = await imageFor(request, body.image_url, body.img);
    if (image instanceof Reply) return image;
    const result = await runDetector(image);
    if (result instanceof Reply) return result;
    const found = body.single_face === true ? result.faces.slice(0, 1) : result.faces;
    if (found.length === 0) return detectError(1, 'No face detected in the image');
    return new Reply(200, {
      error_code: 0,
      error_msg: 'SUCCESS',
      // The legacy example lists 6 points with the last two zeroed.
      landmarks: found.map((f) => [...f.points.slice(0, 4).map(roundPoint), [0, 0], [0, 0]]),
      landmarks_str: found.map((f) => landmarkString(f.points)),
      region: found.map((f) => f.region.map(Math.round)),
      seconds: (now() - started) / 1000,
      trx_id: crypto.randomUUID(),
    });
  }

  /** Cuts a generous crop around a face (AKOOL's crops include hair and neck) and keeps it for `/faces/`. */
  async function cropFace(result: DetectionResult, face: FaceGeometry) {
    const [x1, y1, x2, y2] = face.region;
    const side = Math.max(x2 - x1, y2 - y1) * 2.2;
    const cx = (x1 + x2) / 2;
    const cy = (y1 + y2) / 2;
    const left = Math.max(0, Math.round(cx - side / 2));
    const top = Math.max(0, Math.round(cy - side / 2));
    const right = Math.min(result.width, Math.round(cx + side / 2));
    const bottom = Math.min(result.height, Math.round(cy + side / 2));
    const jpeg = await result.oriented
      .clone()
      .extract({ left, top, width: right - left, height: bottom - top })
      .jpeg({ quality: 90 })
      .toBuffer();
    const id = randomBytes(9).toString('base64url');
    faces.set(id, jpeg);
    if (faces.size > MAX_FACE_CROPS) faces.delete(faces.keys().next().value!);
    const shifted = face.points.map(([x, y]): Point => [x - left, y - top]);
    return { id, region: [left, top, right, bottom], landmarks: landmarkString(shifted) };
  }

  // ---- dispatch

  const AKOOL_POST: Record<string, (request: Request, body: Record<string, unknown>) => Reply | Promise<Reply>> = {
    '/interface/detect-api/detect_faces': detectFacesV3,
    '/detect': detectLegacy,
    '/api/open/v3/faceswap/live/create': (_r, b) => createLive(b),
    '/api/open/v3/faceswap/live/update': (_r, b) => updateLive(b),
    '/api/open/v3/faceswap/live/close': (_r, b) => closeLive(b),
    '/api/open/v3/faceswap/live/info': (_r, b) => liveInfo(b),
  };
  const TOKEN_PATH = '/api/open/v3/getToken';
  const QUOTA_PATH = '/api/open/v3/faceswap/quota/info';
  const isDetectPath = (path: string) => path === '/detect' || path.startsWith('/interface/detect-api/');

  async function akool(request: Request, path: string): Promise<Reply | Response> {
    const fault = await applyFaults(path);
    if (fault) return fault;
    if (request.method === 'GET' && path === QUOTA_PATH) {
      const code = authCode(request);
      return code === 1000 ? envelope(1000, 'OK', { credit: Math.max(0, remainingCredit()) }) : envelope(code, AUTH_MESSAGES[code]!);
    }
    const action = AKOOL_POST[path];
    if (request.method !== 'POST' || (!action && path !== TOKEN_PATH)) return new Reply(404, { code: 404, msg: 'Not Found' });
    const body = await readBody(request, Math.ceil(maxImageBytes / 3) * 4 + MiB);
    if (body instanceof Reply) return body;
    if (path === TOKEN_PATH) return getToken(body);
    const code = authCode(request);
    if (code !== 1000) return isDetectPath(path) ? detectError(code, AUTH_MESSAGES[code]!) : envelope(code, AUTH_MESSAGES[code]!);
    return action!(request, body);
  }

  async function applyFaults(path: string): Promise<Reply | Response | undefined> {
    const f = faults;
    if (f.paths && !f.paths.some((p) => path.includes(p))) return undefined;
    if (f.latencyMs) await new Promise((resolve) => setTimeout(resolve, f.latencyMs));
    if (f.hang) {
      await new Promise<void>((resolve) => {
        const release = () => {
          clearTimeout(timer);
          hanging.delete(release);
          resolve();
        };
        const timer = setTimeout(release, 10 * 60_000);
        hanging.add(release);
      });
      return new Response(null, { status: 503 });
    }
    // With a failureRate, the forced answers below happen only on the failing share of calls.
    const failing = f.failureRate !== undefined && Math.random() < f.failureRate;
    if (f.failureRate !== undefined && !failing) return undefined;
    if (f.forceHttpStatus !== undefined) {
      return new Response('upstream failure', { status: f.forceHttpStatus, headers: { 'content-type': 'text/plain' } });
    }
    if (f.malformedJson) return new Response('<html><body>502 Bad Gateway</body></html>', { status: 200, headers: { 'content-type': 'text/html' } });
    if (f.forceCode !== undefined) {
      return isDetectPath(path) ? detectError(f.forceCode, `Forced error ${f.forceCode}`) : envelope(f.forceCode, `Forced error ${f.forceCode}`);
    }
    if (failing) return new Response('internal error', { status: 500, headers: { 'content-type': 'text/plain' } });
    return undefined;
  }

  async function control(request: Request, path: string): Promise<Reply> {
    const method = request.method;
    if (method === 'GET' && path === '/state') return new Reply(200, state());
    if (method === 'GET' && path === '/sessions') return new Reply(200, { sessions: [...sessions.values()].map(snapshot) });
    if (path === '/faults' && method === 'GET') return new Reply(200, faults);
    if (path === '/faults' && method === 'DELETE') {
      setFaults({});
      return new Reply(200, faults);
    }
    if (method === 'POST') {
      if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) return new Reply(415, { error: 'control bodies must be application/json' });
      const body = await readBody(request, 64 * 1024);
      if (body instanceof Reply) return body;
      if (path === '/faults') {
        setFaults(body as EmulatorFaults);
        return new Reply(200, faults);
      }
      if (path === '/config') {
        configure(body as { credit?: number; statusDelayMs?: number });
        return new Reply(200, state());
      }
      if (path === '/reset') {
        reset();
        return new Reply(200, state());
      }
    }
    return new Reply(404, { error: 'unknown control route' });
  }

  function state(): EmulatorState {
    const all = [...sessions.values()];
    return {
      credit: Math.max(0, remainingCredit()),
      billedSeconds: all.reduce((n, s) => n + (s.closed ? s.billedSeconds : runningSeconds(s)), 0),
      openSessions: all.filter((s) => !s.closed).length,
      sessions: all.length,
      detections,
      faults,
    };
  }

  function setFaults(next: EmulatorFaults): void {
    faults = pickFaults(next);
    if (!faults.hang) for (const release of [...hanging]) release();
  }

  function configure(config: { credit?: number; statusDelayMs?: number }): void {
    // The credit left once the open sessions' running seconds are counted too.
    if (typeof config.credit === 'number' && Number.isFinite(config.credit)) credit = config.credit;
    if (typeof config.statusDelayMs === 'number' && config.statusDelayMs >= 0) statusDelayMs = config.statusDelayMs;
  }

  function reset(): void {
    sessions.clear();
    tokens.clear();
    faces.clear();
    credit = initialCredit;
    statusDelayMs = options.statusDelayMs ?? 1500;
    detections = 0;
    setFaults({});
  }

  async function handle(request: Request, context?: EmulatorRequestContext): Promise<Response> {
    if (context) contexts.set(request, context);
    const url = new URL(request.url);
    if (mountPath && url.pathname !== mountPath && !url.pathname.startsWith(mountPath + '/')) return toResponse(new Reply(404, { code: 404, msg: 'Not Found' }));
    const path = url.pathname.slice(mountPath.length) || '/';
    // Control routes are for tests and operators, never for other origins: no CORS header, so a foreign page
    // can neither read them nor pass a preflight (and a POST must be JSON, which needs one).
    if (path.startsWith('/__emulator/')) return controlAnswer(await control(request, path.slice('/__emulator'.length)));
    if (request.method === 'OPTIONS') {
      return new Response(null, {
        status: 204,
        headers: {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
          'access-control-allow-headers': 'content-type, x-api-key, authorization',
          'access-control-max-age': '600',
        },
      });
    }
    try {
      if (request.method === 'GET' && path.startsWith('/faces/')) {
        const crop = faces.get(path.slice('/faces/'.length).replace(/\.jpg$/, ''));
        if (!crop) return new Response('not found', { status: 404, headers: { 'access-control-allow-origin': '*' } });
        return new Response(new Uint8Array(crop), {
          headers: { 'content-type': 'image/jpeg', 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=604800' },
        });
      }
      const answer = await akool(request, path);
      return answer instanceof Response ? withCors(answer) : toResponse(answer);
    } catch (error) {
      return toResponse(new Reply(500, { code: 500, msg: `Emulator failure: ${(error as Error).message}` }));
    }
  }

  return {
    handle,
    sessions: () => [...sessions.values()].map(snapshot),
    state,
    setFaults,
    configure,
    reset,
    warmUp: async () => {
      await loadDetector();
    },
    close() {
      for (const release of [...hanging]) release();
    },
    apiKey,
  };
}

function pickFaults(input: EmulatorFaults): EmulatorFaults {
  const out: EmulatorFaults = {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  if (num(input.latencyMs) !== undefined) out.latencyMs = Math.max(0, input.latencyMs!);
  if (num(input.failureRate) !== undefined) out.failureRate = Math.min(1, Math.max(0, input.failureRate!));
  if (num(input.forceCode) !== undefined) out.forceCode = input.forceCode!;
  if (num(input.forceHttpStatus) !== undefined) out.forceHttpStatus = input.forceHttpStatus!;
  if (input.malformedJson === true) out.malformedJson = true;
  if (input.hang === true) out.hang = true;
  if (Array.isArray(input.paths)) out.paths = input.paths.filter((p): p is string => typeof p === 'string');
  return out;
}

async function readBody(request: Request, limit: number): Promise<Record<string, unknown> | Reply> {
  const text = await request.text();
  if (text.length > limit) return new Reply(413, { code: 1003, msg: 'Parameter error: body too large' });
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  return new Reply(200, { code: 1003, msg: 'Parameter error: body must be a JSON object' });
}

function toResponse(reply: Reply): Response {
  return new Response(JSON.stringify(reply.body), {
    status: reply.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' },
  });
}

function controlAnswer(reply: Reply): Response {
  return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

function withCors(response: Response): Response {
  response.headers.set('access-control-allow-origin', '*');
  return response;
}

const roundPoint = ([x, y]: Point): [number, number] => [Math.round(x), Math.round(y)];

function landmarkString(points: readonly Point[]): string {
  return points
    .slice(0, 4)
    .map(([x, y]) => `${Math.max(0, Math.round(x))},${Math.max(0, Math.round(y))}`)
    .join(':');
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

export interface RunningEmulator extends Emulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` (AKOOL's paths sit at its root). */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves the emulator on its own port (0 = any free port). */
export async function startEmulator(options: EmulatorOptions & { port?: number; host?: string } = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const emulator = createEmulator(options);
  const server = createServer(toNodeListener((request) => emulator.handle(request)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    ...emulator,
    url,
    server,
    close: async () => {
      emulator.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
