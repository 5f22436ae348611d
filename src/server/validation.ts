/**
 * Parsing and validation of token-endpoint request bodies. Every failure is a `FaceswapError` with a
 * protocol code (`bad-request`, `payload-too-large`); unknown fields are ignored.
 */
import { base64ToBytes } from '../core/base64.js';
import { FaceswapError } from '../core/errors.js';
import { LANDMARKS_PATTERN, type FaceSource } from '../core/protocol.js';
import { readImageInfo, type ImageInfo } from './image-info.js';

const MAX_URL_LENGTH = 2048;
/** Bodies of the calls that carry no image. */
export const SMALL_BODY_LIMIT = 16 * 1024;
const DATA_URL = /^data:image\/(jpeg|jpg|png|webp);base64,/i;
const SIGNABLE_DATA_URL = /^data:image\/(jpeg|jpg|png);base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const badRequest = (message: string) => new FaceswapError('bad-request', message);

/** Deepest nesting of arrays and objects in a request body; the protocol's bodies need 3. */
export const MAX_JSON_DEPTH = 16;

/**
 * Reads the body as JSON (whatever the content type, so `sendBeacon`'s text/plain works), up to `limit` bytes,
 * refusing bodies nested deeper than `MAX_JSON_DEPTH` before parsing them (deep nesting is slow to parse).
 */
export async function readJsonBody(request: Request, limit: number): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) throw new FaceswapError('payload-too-large', `The request body is over ${limit} bytes.`);
  const text = await readTextUpTo(request, limit);
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw badRequest(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

/**
 * Whether JSON text opens more than `max` arrays or objects at once. Strings are skipped with `indexOf`, so a
 * large image string costs little; brackets inside strings do not count. Malformed text is left to JSON.parse.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip to the closing quote: one not preceded by an odd number of backslashes.
      for (;;) {
        const end = text.indexOf('"', i + 1);
        if (end < 0) return false;
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
        i = end;
        if (slashes % 2 === 0) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The body as text, decoded chunk by chunk (no second copy of the bytes), refused once it passes `limit`. */
async function readTextUpTo(request: Request, limit: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The caller hung up mid-body: its problem, not an unexpected server error worth logging.
      throw badRequest('The request body could not be read.');
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Not awaited: cancelling one branch of a tee'd body (a cloned Request) settles only once both are cancelled.
      reader.cancel().catch(() => undefined);
      throw new FaceswapError('payload-too-large', `The request body is over ${limit} bytes.`);
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/** Body limit for `/detect`: the base64 form of the largest allowed image plus room for the JSON around it. */
export function detectBodyLimit(maxImageBytes: number): number {
  return Math.ceil(maxImageBytes / 3) * 4 + 64 * 1024;
}

export type DetectInput = { kind: 'image'; base64: string; info: ImageInfo; singleFace: boolean } | { kind: 'url'; url: string; singleFace: boolean };

export function parseDetectRequest(body: Record<string, unknown>, maxImageBytes: number): DetectInput {
  const { url, image, singleFace } = body;
  if (singleFace !== undefined && typeof singleFace !== 'boolean') throw badRequest('`singleFace` must be a boolean.');
  const single = singleFace === true;
  if ((url === undefined) === (image === undefined)) throw badRequest('Send exactly one of `url` and `image`.');
  if (url !== undefined) return { kind: 'url', url: parseHttpUrl(url, '`url`'), singleFace: single };

  const { base64 } = parseImageDataUrl(image, maxImageBytes, DATA_URL, 'a JPEG, PNG or WebP image');
  const info = readImageInfo(decodeBase64Head(base64, 256 * 1024));
  if (!info) throw badRequest('`image` is not a readable JPEG, PNG or WebP image.');
  return { kind: 'image', base64, info, singleFace: single };
}

/** The `image` field of a request: a base64 data URL whose type `pattern` accepts, decoding to at most `maxImageBytes`. */
function parseImageDataUrl(image: unknown, maxImageBytes: number, pattern: RegExp, what: string): { type: string; base64: string } {
  if (typeof image !== 'string') throw badRequest('`image` must be a data URL string.');
  const prefix = pattern.exec(image);
  if (!prefix) throw badRequest(`\`image\` must be a data URL of ${what} (data:image/...;base64,...).`);
  const encoded = image.slice(prefix[0].length);
  // Most uploads have no line breaks: skip the copy that removing them would make.
  const base64 = /\s/.test(encoded) ? encoded.replace(/\s+/g, '') : encoded;
  if (base64 === '' || base64.length % 4 !== 0 || !BASE64.test(base64)) throw badRequest('`image` is not valid base64.');
  const decodedSize = (base64.length / 4) * 3 - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
  if (decodedSize > maxImageBytes) {
    throw new FaceswapError('payload-too-large', `The image is ${decodedSize} bytes; the limit is ${maxImageBytes}.`);
  }
  return { type: `image/${prefix[1]!.toLowerCase().replace('jpg', 'jpeg')}`, base64 };
}

/** A snapshot to sign (`/sessions/{id}/sign`): a PNG or JPEG data URL, as its type and bytes. */
export function parseSignRequest(body: Record<string, unknown>, maxImageBytes: number): { type: 'image/png' | 'image/jpeg'; bytes: Uint8Array<ArrayBuffer> } {
  const { type, base64 } = parseImageDataUrl(body.image, maxImageBytes, SIGNABLE_DATA_URL, 'a PNG or JPEG image');
  return { type: type as 'image/png' | 'image/jpeg', bytes: base64ToBytes(base64) };
}

/** Decodes at most the first `bytes` bytes: enough for any image header, without copying a whole photo. */
function decodeBase64Head(base64: string, bytes: number): Uint8Array {
  const binary = atob(base64.slice(0, Math.ceil(bytes / 3) * 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function parseHttpUrl(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URL_LENGTH) {
    throw badRequest(`${name} must be a URL of at most ${MAX_URL_LENGTH} characters.`);
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw badRequest(`${name} is not a valid URL.`);
  }
  // AKOOL downloads the image itself: plain http is refused, except on this machine (the bundled emulator).
  const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) throw badRequest(`${name} must be an https URL.`);
  if (parsed.username || parsed.password) throw badRequest(`${name} must not carry credentials.`);
  return value;
}

export function parseSource(value: unknown): FaceSource {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('`source` must be an object {path, opts}.');
  }
  const { path, opts } = value as Record<string, unknown>;
  const checkedPath = parseHttpUrl(path, '`source.path`');
  if (typeof opts !== 'string' || opts.length > 200 || !LANDMARKS_PATTERN.test(opts)) {
    throw badRequest('`source.opts` must be a landmark string "x1,y1:x2,y2:x3,y3:x4,y4".');
  }
  return { path: checkedPath, opts };
}

export function parseSessionKey(body: Record<string, unknown>): string {
  const { sessionKey } = body;
  if (typeof sessionKey !== 'string' || sessionKey === '') throw badRequest('`sessionKey` is required.');
  return sessionKey;
}

/** AKOOL ids are 24-hex; other upstreams may differ, so accept any short token of safe characters. */
export function isPlausibleSessionId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(id);
}
