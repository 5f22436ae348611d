/** The emulator's detect paths (detect_faces and the legacy sg3 detect) on the real face detector. */
import { randomBytes } from 'node:crypto';
import type { DetectFacesEntry } from '../akool-types.js';
import { detectError, publicBase, Reply, type EmulatorContext } from './context.js';
import { ImageDecodeError, detectFaces, type DetectionResult, type FaceGeometry, type Point } from './detector.js';

const MAX_FACE_CROPS = 500;

/** The image bytes of a detect call, from `img` (base64 or data URL) or a permitted `url`. */
async function imageFor(ctx: EmulatorContext, request: Request, url: unknown, img: unknown): Promise<Uint8Array | Reply> {
  if (typeof url === 'string' && url !== '') return downloadImage(ctx, request, url);
  if (typeof img === 'string' && img !== '') {
    const base64 = img.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return detectError(ctx, 1, 'Invalid base64 image');
    const bytes = Buffer.from(base64, 'base64');
    return bytes.byteLength > ctx.maxImageBytes ? detectError(ctx, 1, 'Media file is too large') : bytes;
  }
  return detectError(ctx, 1, "Either 'url' or 'img' parameter must be provided");
}

async function downloadImage(ctx: EmulatorContext, request: Request, url: string): Promise<Uint8Array | Reply> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return detectError(ctx, 1, 'Invalid URL format');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return detectError(ctx, 1, 'Invalid URL format');
  const base = new URL(publicBase(ctx, request));
  const own = [base.origin, new URL(request.url).origin];
  const facePrefix = base.pathname.replace(/\/+$/, '') + '/faces/';
  if (own.includes(target.origin) && target.pathname.startsWith(facePrefix)) {
    const crop = ctx.faces.get(target.pathname.slice(facePrefix.length).replace(/\.jpg$/, ''));
    return crop ?? detectError(ctx, 1, 'Failed to download media from URL', 'download');
  }
  // Only a configured public URL counts as "own" for downloading: the request's own origin comes from its
  // Host header, which the caller chooses (Host: 10.0.0.5 would otherwise open the internal network).
  const configured = ctx.contexts.get(request)?.publicUrl ?? ctx.options.publicUrl;
  const fetchable = [...(configured ? [new URL(configured).origin] : []), ...(ctx.options.allowedFetchOrigins ?? [])];
  if (!fetchable.includes(target.origin)) {
    return detectError(ctx, 1, 'Failed to download media from URL (the emulator only downloads from its own origin and allowedFetchOrigins)', 'download');
  }
  try {
    const response = await ctx.fetch(target, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return detectError(ctx, 1, 'Failed to download media from URL', 'download');
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.byteLength > ctx.maxImageBytes ? detectError(ctx, 1, 'Media file is too large') : bytes;
  } catch {
    return detectError(ctx, 1, 'Failed to download media from URL', 'download');
  }
}

async function facesIn(ctx: EmulatorContext, request: Request, url: unknown, img: unknown, single: unknown) {
  const image = await imageFor(ctx, request, url, img);
  if (image instanceof Reply) return image;
  let result: DetectionResult;
  try {
    ctx.detections += 1;
    result = await detectFaces(image);
  } catch (error) {
    if (error instanceof ImageDecodeError) return detectError(ctx, 1, 'Failed to decode the image');
    throw error;
  }
  const found = single === true ? result.faces.slice(0, 1) : result.faces;
  if (found.length === 0) return detectError(ctx, 1, 'No face detected in the image');
  return { result, found };
}

/** `region` by the reading: `[x, y, w, h]` as documented, or the corners the doc example seems to show. */
function region(ctx: EmulatorContext, face: FaceGeometry): number[] {
  const [x1, y1, x2, y2] = face.region.map(Math.round) as [number, number, number, number];
  return ctx.readings.region === 'corners' ? [x1, y1, x2, y2] : [x1, y1, x2 - x1, y2 - y1];
}

export async function detectFacesV3(ctx: EmulatorContext, request: Request, body: Record<string, unknown>): Promise<Reply> {
  const detected = await facesIn(ctx, request, body.url, body.img, body.single_face);
  if (detected instanceof Reply) return detected;
  const { result, found } = detected;
  const entry: DetectFacesEntry = {
    landmarks: found.map((f) => f.points.map(roundPoint)),
    landmarks_str: found.map((f) => landmarkString(f.points)),
    region: found.map((f) => region(ctx, f)),
    frame_time: null,
    crop_region: null,
    crop_landmarks: null,
    face_urls: null,
  };
  if (body.return_face_url === true) {
    const crops = await Promise.all(found.map((f) => cropFace(ctx, result, f)));
    entry.crop_region = crops.map((c) => c.region);
    entry.crop_landmarks = crops.map((c) => c.landmarks);
    entry.face_urls = crops.map((c) => `${publicBase(ctx, request)}/faces/${c.id}.jpg`);
  }
  // Keyed by frame index (an image is frame 0), one array element per face: the detect-faces page's reading.
  return new Reply(200, { error_code: 0, error_msg: 'SUCCESS', faces_obj: { '0': entry } });
}

export async function detectLegacy(ctx: EmulatorContext, request: Request, body: Record<string, unknown>): Promise<Reply> {
  const started = ctx.now();
  const detected = await facesIn(ctx, request, body.image_url, body.img, body.single_face);
  if (detected instanceof Reply) return detected;
  const { found } = detected;
  return new Reply(200, {
    error_code: 0,
    error_msg: 'SUCCESS',
    // The legacy example lists 6 points with the last two zeroed.
    landmarks: found.map((f) => [...akoolFour(f.points).map(roundPoint), [0, 0], [0, 0]]),
    landmarks_str: found.map((f) => landmarkString(f.points)),
    region: found.map((f) => region(ctx, f)),
    seconds: (ctx.now() - started) / 1000,
    trx_id: crypto.randomUUID(),
  });
}

/** Cuts a generous crop around a face (AKOOL's crops include hair and neck) and keeps it for `/faces/`. */
async function cropFace(ctx: EmulatorContext, result: DetectionResult, face: FaceGeometry) {
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
  ctx.faces.set(id, jpeg);
  if (ctx.faces.size > MAX_FACE_CROPS) ctx.faces.delete(ctx.faces.keys().next().value!);
  const shifted = face.points.map(([x, y]): Point => [x - left, y - top]);
  // crop_region is in the original image's coordinates, with the same layout as `region`.
  const cropRegion = ctx.readings.region === 'corners' ? [left, top, right, bottom] : [left, top, right - left, bottom - top];
  return { id, region: cropRegion, landmarks: landmarkString(shifted) };
}

const roundPoint = ([x, y]: Point): [number, number] => [Math.round(x), Math.round(y)];

/**
 * The 4 points AKOOL's `opts` carries: left eye, right eye, nose tip, left mouth corner (the OpenAPI schema
 * and the create/update examples, whose 4th point sits under the left eye; the detect-faces example alone
 * puts the mouth centre there).
 */
const akoolFour = (points: readonly Point[]): Point[] => [points[0]!, points[1]!, points[2]!, points[4]!];

function landmarkString(points: readonly Point[]): string {
  return akoolFour(points)
    .map(([x, y]) => `${Math.max(0, Math.round(x))},${Math.max(0, Math.round(y))}`)
    .join(':');
}
