/**
 * `faceswap-elements doctor`: checks a real AKOOL account before the first visitor does. It calls each API
 * the token endpoint uses (auth, detect by upload and by URL, create, status, update, close) with one throwaway
 * session, reads which answer shape AKOOL gives for each point its docs leave open (the emulator's readings,
 * src/server/emulator/readings.ts, and the README section "What we assume about AKOOL"), and always closes what it
 * opened, also when aborted. WHATWG APIs only; the key and the RTC token are never part of the report.
 */
import { readFile } from 'node:fs/promises';
import { AKOOL_BASE_URL, codeForAkool, parseJsonObject, type AkoolAuth } from './akool-client.js';
import type { DetectFacesResponse, LiveSession, SourceImage } from './akool-types.js';
import { parseLandmarks, regionToBox } from './detect-result.js';
import { appIdFromToken } from '../core/app-id.js';
import { DOCTOR_PHOTO, probeChannelInBrowser, readChannel, type BrowserStepOptions } from './doctor-agora.js';

export interface DoctorOptions {
  auth: AkoolAuth;
  /** Default `https://openapi.akool.com`. */
  baseUrl?: string;
  /** Longest wait for AKOOL to take the session out of its queue (status 2). Default 120 s. */
  queueWaitMs?: number;
  /** Status poll period while queued. Default 2 s. */
  pollMs?: number;
  /** Per-call timeout. Default 30 s. */
  timeoutMs?: number;
  /**
   * The Agora step: a page on 127.0.0.1 that joins the session's channel (see doctor-agora.ts). Without it the
   * channel readings are reported as not checked.
   */
  browser?: BrowserStepOptions;
  /** Stops the checks; what was opened is still closed. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** Which reading of each open question the account's answers showed (undefined: not reached). */
export interface DoctorReadings {
  /**
   * Which uid published the swapped video in the channel: `algorithm` the create answer's `algorithm_user_id`,
   * `other` another uid although create named one, `announced` a uid only `user-published` named (create named none).
   */
  videoUid?: 'algorithm' | 'other' | 'announced';
  /** From the start of the page's join to the first frame of the swapped video, in ms. */
  firstVideoMs?: number;
  /** Whether a remote uid published audio in the channel. */
  workerAudio?: 'sent' | 'none';
  /** Measured time from create to `faceswap_status` 2, in ms; `null` when still queued at the wait limit. */
  queueMs?: number | null;
  appId?: 'empty' | 'filled';
  detectErrors?: 'http-200' | 'http-4xx';
  businessErrors?: 'http-200' | 'http-4xx';
  region?: 'xywh' | 'corners';
  liveInfo?: 'present' | 'absent';
  /** The code closing the already closed session answered. */
  closeEnded?: number;
}

export interface DoctorCheck {
  name: string;
  /** False only for a failure; a check that could not run (`skipped`) is not one. */
  ok: boolean;
  skipped?: boolean;
  ms: number;
  detail: string;
}

export interface DoctorReport {
  baseUrl: string;
  ok: boolean;
  checks: DoctorCheck[];
  readings: DoctorReadings;
  /** Every session the doctor opened, and whether it is closed now. */
  sessions: Array<{ id: string; closed: boolean }>;
}

/** An answer as it came: HTTP status and the parsed body (undefined when not JSON). */
interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

const NO_SUCH_SESSION = '000000000000000000000000';
const UNREACHABLE_PHOTO = 'https://faceswap-elements-doctor.invalid/face.jpg';

class Doctor {
  readonly report: DoctorReport;
  readonly #options: DoctorOptions;
  readonly #fetch: typeof fetch;
  #token: string | undefined;
  #signal: AbortSignal | undefined;

  constructor(options: DoctorOptions) {
    this.#options = options;
    this.#signal = options.signal;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.report = { baseUrl: (options.baseUrl ?? AKOOL_BASE_URL).replace(/\/+$/, ''), ok: true, checks: [], readings: {}, sessions: [] };
  }

  /** One check: its time, and a failure (thrown `DoctorFailure` or anything else) recorded rather than thrown. */
  async check<T>(name: string, run: () => Promise<{ detail: string; value: T }>): Promise<T | undefined> {
    const started = performance.now();
    try {
      this.#signal?.throwIfAborted();
      const { detail, value } = await run();
      this.report.checks.push({ name, ok: true, ms: Math.round(performance.now() - started), detail });
      return value;
    } catch (error) {
      if (error instanceof NotChecked) return void this.skip(name, error.message);
      this.report.ok = false;
      const detail = error instanceof Error && error.name === 'AbortError' ? 'aborted' : (error as Error).message;
      this.report.checks.push({ name, ok: false, ms: Math.round(performance.now() - started), detail });
      return undefined;
    }
  }

  /** A check that could not run: reported, but not a failure. */
  skip(name: string, detail: string): void {
    this.report.checks.push({ name, ok: true, skipped: true, ms: 0, detail });
  }

  /** `finish`: not cancelled by an abort (a create AKOOL may carry out anyway must answer, so it can be closed). */
  async call(path: string, body?: unknown, options: { anonymous?: boolean; finish?: boolean } = {}): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const { auth } = this.#options;
    if (!options.anonymous) {
      if ('apiKey' in auth) headers['x-api-key'] = auth.apiKey;
      else headers.authorization = `Bearer ${this.#token ?? ''}`;
    }
    const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 30_000);
    const signal = this.#signal && !options.finish ? AbortSignal.any([this.#signal, timeout]) : timeout;
    const response = await this.#fetch(this.report.baseUrl + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    return { status: response.status, body: parseJsonObject(await response.text()) };
  }

  /** Notes how a business error arrived (HTTP 200 or 4xx) the first time one does. */
  noteBusinessError(answer: Answer): void {
    const code = answer.body?.code;
    if (typeof code === 'number' && code !== 1000) this.report.readings.businessErrors ??= answer.status === 200 ? 'http-200' : 'http-4xx';
  }

  setToken(token: string): void {
    this.#token = token;
  }

  /** Stops following the caller's signal: closing what was opened must still happen after an abort. */
  detach(): void {
    this.#signal = undefined;
  }
}

/** What an AKOOL answer means, for a failed check: its code, the stable code it maps to, its message. */
function explain(answer: Answer): string {
  const body = answer.body ?? {};
  const code = body.code ?? body.error_code;
  const message = body.msg ?? body.error_msg;
  if (typeof code !== 'number') return `HTTP ${answer.status} without an AKOOL code`;
  // Business error codes (above 1000, AKOOL's success) map to the endpoint's stable codes; detect's small error codes do not.
  const stable = code > 1000 ? ` (${codeForAkool(code)})` : '';
  return `AKOOL ${code}${stable}${typeof message === 'string' ? `: ${message}` : ''}, HTTP ${answer.status}`;
}

const fail = (text: string): never => {
  throw new Error(text);
};

/** Thrown by a check that found it could not run (nobody opened the page): a skip, not a failure. */
class NotChecked extends Error {}

async function checkAuth(doctor: Doctor, auth: AkoolAuth): Promise<boolean> {
  const done = await doctor.check('auth', async () => {
    if ('clientId' in auth) {
      const answer = await doctor.call('/api/open/v3/getToken', { clientId: auth.clientId, clientSecret: auth.clientSecret }, { anonymous: true });
      doctor.noteBusinessError(answer);
      const token = answer.body?.token ?? (answer.body?.data as { token?: unknown } | undefined)?.token;
      if (answer.body?.code !== 1000 || typeof token !== 'string') fail(`getToken refused the client id and secret: ${explain(answer)}`);
      doctor.setToken(token as string);
    }
    const quota = await doctor.call('/api/open/v3/faceswap/quota/info');
    doctor.noteBusinessError(quota);
    if (quota.body?.code !== 1000) fail(`the key was refused: ${explain(quota)}`);
    const credit = (quota.body?.data as { credit?: unknown } | undefined)?.credit;
    return { detail: `${'clientId' in auth ? 'client id and secret' : 'API key'} accepted, credit ${String(credit)}`, value: true };
  });
  return done === true;
}

function readRegion(entry: NonNullable<DetectFacesResponse['faces_obj']>[string]): 'xywh' | 'corners' {
  const region = entry.region?.[0];
  const points = parseLandmarks(entry.landmarks_str?.[0]);
  if (!region || !points) fail('detect answered a face without region or landmarks');
  const box = regionToBox(region, points!, DOCTOR_PHOTO.size);
  return box.every((n, i) => n === Math.round(region![i]!)) ? 'xywh' : 'corners';
}

/** Detect by upload (the bundled photo) and by URL (the crop AKOOL made of it, then an unreachable URL). */
async function checkDetect(doctor: Doctor): Promise<SourceImage | undefined> {
  const path = '/interface/detect-api/detect_faces';
  const source = await doctor.check('detect upload', async () => {
    const img = (await readFile(DOCTOR_PHOTO.url)).toString('base64');
    const answer = await doctor.call(path, { img, return_face_url: true, single_face: true });
    const reply = answer.body as DetectFacesResponse | undefined;
    if (reply?.error_code !== 0) fail(`detect refused the bundled photo: ${explain(answer)}`);
    const entry = Object.values(reply!.faces_obj ?? {})[0];
    if (!entry?.region?.length) fail('detect found no face in the bundled photo');
    doctor.report.readings.region = readRegion(entry!);
    const url = entry!.face_urls?.[0];
    const opts = entry!.crop_landmarks?.[0] ?? entry!.landmarks_str?.[0];
    if (!url || !opts) fail('detect answered without face_urls (return_face_url) or landmarks');
    return { detail: `1 face, region read as ${doctor.report.readings.region}`, value: { path: url!, opts: opts! } };
  });
  await doctor.check('detect url', async () => {
    if (!source) fail('skipped: no face crop to detect');
    const answer = await doctor.call(path, { url: source!.path, single_face: true });
    if ((answer.body as DetectFacesResponse | undefined)?.error_code !== 0) fail(`detect refused AKOOL's own face crop URL: ${explain(answer)}`);
    return { detail: 'the face crop URL detects', value: true };
  });
  await doctor.check('detect error', async () => {
    const answer = await doctor.call(path, { url: UNREACHABLE_PHOTO });
    const code = answer.body?.error_code;
    if (typeof code !== 'number' || code === 0) fail(`an unreachable photo URL did not answer an error_code: HTTP ${answer.status}`);
    doctor.report.readings.detectErrors = answer.status === 200 ? 'http-200' : 'http-4xx';
    return { detail: `an unreachable photo answers ${explain(answer)}`, value: true };
  });
  return source;
}

async function checkCreate(doctor: Doctor, source: SourceImage): Promise<LiveSession | undefined> {
  return doctor.check('create', async () => {
    const answer = await doctor.call('/api/open/v3/faceswap/live/create', { sourceImage: [source] }, { finish: true });
    doctor.noteBusinessError(answer);
    const session = answer.body?.data as LiveSession | undefined;
    if (answer.body?.code !== 1000 || typeof session?._id !== 'string') fail(`create refused: ${explain(answer)}`);
    doctor.report.sessions.push({ id: session!._id, closed: false });
    const { readings } = doctor.report;
    readings.appId = session!.app_id ? 'filled' : 'empty';
    const uid = session!.algorithm_user_id ? `algorithm_user_id ${session!.algorithm_user_id}` : 'no algorithm_user_id';
    return { detail: `session ${session!._id}, status ${session!.faceswap_status}, app_id ${readings.appId}, ${uid}`, value: session! };
  });
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/** Polls `/live/info` until status 2 (or the wait limit): the queue time, or that the call does not exist. */
async function checkStatus(doctor: Doctor, session: LiveSession, options: DoctorOptions): Promise<void> {
  const created = performance.now();
  await doctor.check('status', async () => {
    const waitMs = options.queueWaitMs ?? 120_000;
    for (;;) {
      const answer = await doctor.call('/api/open/v3/faceswap/live/info', { _id: session._id });
      if (answer.status === 404 && !(typeof answer.body?.code === 'number' && answer.body.code >= 1000)) {
        doctor.report.readings.liveInfo = 'absent';
        return { detail: '/live/info does not exist (HTTP 404): queue time unknown, the client waits on the video', value: true };
      }
      doctor.report.readings.liveInfo = 'present';
      const data = answer.body?.data as { faceswap_status?: unknown; status?: unknown } | undefined;
      const status = data?.faceswap_status ?? data?.status;
      if (answer.body?.code !== 1000 || typeof status !== 'number') fail(`/live/info answered ${explain(answer)}`);
      const elapsed = Math.round(performance.now() - created);
      if (status === 2) {
        doctor.report.readings.queueMs = elapsed;
        return { detail: `status 2 (ready) ${elapsed} ms after create`, value: true };
      }
      if (status !== 1) fail(`status ${String(status)} while waiting for 2`);
      if (elapsed >= waitMs) {
        doctor.report.readings.queueMs = null;
        return { detail: `still queued (status 1) after ${Math.round(elapsed / 1000)} s; raise queueTimeoutMs if this is usual`, value: true };
      }
      await sleep(options.pollMs ?? 2_000, options.signal);
    }
  });
}

/** Joins the session's channel from a browser page (doctor-agora.ts): which uid sends the swapped video, and when. */
async function checkChannel(doctor: Doctor, session: LiveSession, options: DoctorOptions): Promise<void> {
  const browser = options.browser;
  if (!browser) return doctor.skip('agora', 'not checked: the browser step was switched off (--no-browser)');
  if (doctor.report.readings.queueMs === null) return doctor.skip('agora', 'not checked: AKOOL still queued the session, no swap worker to meet');
  await doctor.check('agora', async () => {
    const algorithmUid = session.algorithm_user_id ?? '';
    const credentials = {
      appId: session.app_id || (await appIdFromToken(session.front_rtc_token)) || '',
      channel: session.channel_id,
      uid: session.front_user_id,
      token: session.front_rtc_token,
      remoteUid: algorithmUid,
    };
    const result = await probeChannelInBrowser(credentials, browser, options.signal);
    if (!result) throw new NotChecked(`not checked: no page reported within ${Math.round(browser.waitMs / 1000)} s (open the URL printed above)`);
    const { ok, detail, videoUid, firstVideoMs, workerAudio } = readChannel(result, algorithmUid);
    Object.assign(doctor.report.readings, { videoUid, firstVideoMs, workerAudio });
    if (!ok) fail(detail);
    return { detail, value: true };
  });
}

async function checkUpdateAndClose(doctor: Doctor, session: LiveSession, source: SourceImage): Promise<void> {
  await doctor.check('update', async () => {
    const answer = await doctor.call('/api/open/v3/faceswap/live/update', { _id: session._id, sourceImage: [source] });
    doctor.noteBusinessError(answer);
    if (answer.body?.code !== 1000) fail(`update refused: ${explain(answer)}`);
    return { detail: 'the source update was accepted', value: true };
  });
  await closeSessions(doctor);
  await doctor.check('close again', async () => {
    const answer = await doctor.call('/api/open/v3/faceswap/live/close', { _id: session._id });
    doctor.noteBusinessError(answer);
    const code = answer.body?.code;
    if (typeof code !== 'number') fail(`closing a closed session answered HTTP ${answer.status} without a code`);
    doctor.report.readings.closeEnded = code as number;
    return { detail: `closing the closed session answers ${explain(answer)} (counted as closed)`, value: true };
  });
}

/** Closes every session still open; runs even after an abort (with its own timeout). */
async function closeSessions(doctor: Doctor): Promise<void> {
  for (const session of doctor.report.sessions.filter((s) => !s.closed)) {
    await doctor.check('close', async () => {
      const answer = await doctor.call('/api/open/v3/faceswap/live/close', { _id: session.id });
      doctor.noteBusinessError(answer);
      if (answer.body?.code !== 1000) fail(`close of ${session.id} refused: ${explain(answer)}; close it in AKOOL's console`);
      session.closed = true;
      return { detail: `session ${session.id} closed`, value: true };
    });
  }
}

/** Runs every check in order; a failed step skips what depends on it. Never throws. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const doctor = new Doctor(options);
  try {
    if (!(await checkAuth(doctor, options.auth))) return doctor.report;
    const source = await checkDetect(doctor);
    await doctor.check('business error', async () => {
      const answer = await doctor.call('/api/open/v3/faceswap/live/close', { _id: NO_SUCH_SESSION });
      doctor.noteBusinessError(answer);
      return { detail: `closing an unknown session answers ${explain(answer)}`, value: true };
    });
    if (!source) return doctor.report;
    const session = await checkCreate(doctor, source);
    if (!session) return doctor.report;
    await checkStatus(doctor, session, options);
    if (options.signal?.aborted) return doctor.report;
    await checkChannel(doctor, session, options);
    if (options.signal?.aborted) return doctor.report;
    await checkUpdateAndClose(doctor, session, source);
  } finally {
    // Aborted or failed midway: whatever is still open is closed, whatever the caller's signal says.
    doctor.detach();
    await closeSessions(doctor);
  }
  return doctor.report;
}

const READING_NOTES: Record<keyof DoctorReadings, string> = {
  videoUid: 'the client plays algorithm_user_id, or after 3 s the only other video publisher, or the first one',
  firstVideoMs: 'counts against swapTimeoutMs (60 s)',
  workerAudio: 'played only with remote-audio',
  queueMs: 'the client shows "queued" and waits up to queueTimeoutMs (180 s)',
  appId: 'an empty one is read from the token on the server',
  detectErrors: 'both read',
  businessErrors: 'both read',
  region: '[x, y, w, h] is read first',
  liveInfo: 'used when present; when absent, asked once and the client waits on the video',
  closeEnded: '1000/1003/1008/1014 all count as closed',
};

/** The readings only the browser step reads. */
const CHANNEL_READINGS = new Set<keyof DoctorReadings>(['videoUid', 'firstVideoMs', 'workerAudio']);

/** The report as text for a terminal. */
export function formatReport(report: DoctorReport): string {
  const lines = [`faceswap-elements doctor: ${report.baseUrl}`, ''];
  for (const check of report.checks) {
    lines.push(`  ${check.skipped ? 'skip' : check.ok ? 'ok  ' : 'FAIL'}  ${check.name.padEnd(15)} ${check.detail} (${check.ms} ms)`);
  }
  const channelSkipped = report.checks.some((c) => c.name === 'agora' && c.skipped);
  lines.push('', 'Readings (README "What we assume about AKOOL"):');
  for (const key of Object.keys(READING_NOTES) as Array<keyof DoctorReadings>) {
    const value = report.readings[key];
    const unread = channelSkipped && CHANNEL_READINGS.has(key) ? 'not checked' : 'not reached';
    const shown = value === undefined ? unread : value === null ? 'still queued at the wait limit' : key.endsWith('Ms') ? `${value} ms` : String(value);
    lines.push(`  ${key.padEnd(15)} ${shown.padEnd(30)} ${value === undefined ? '' : READING_NOTES[key]}`.trimEnd());
  }
  const open = report.sessions.filter((s) => !s.closed);
  lines.push('');
  if (report.sessions.length === 0) lines.push('No session was opened.');
  else if (open.length === 0) lines.push(`Every session it opened is closed (${report.sessions.map((s) => s.id).join(', ')}).`);
  else lines.push(`STILL OPEN, close in AKOOL's console: ${open.map((s) => s.id).join(', ')}`);
  const skipped = report.checks.filter((c) => c.skipped).map((c) => c.name);
  lines.push(!report.ok ? 'Result: problems found (see FAIL above)' : skipped.length ? `Result: ok, but not checked: ${skipped.join(', ')}` : 'Result: ok');
  return lines.join('\n');
}
