/**
 * Turns an AKOOL detect_faces answer into the token endpoint's `/detect` answer.
 *
 * AKOOL's docs disagree with themselves in two places, so this reads both forms:
 * - `faces_obj` is keyed "by face index" (live page) or "by frame index" (detect-faces page). Every entry is
 *   read and every index of its parallel arrays is one face, which covers both.
 * - `region` is documented as `[x, y, width, height]` (detect-faces page and OpenAPI), and the doc examples
 *   only make sense that way: in `[150,261,437,661]` with landmarks at x 249-460, y 510-739 the right eye and
 *   the mouth fall outside a corner reading. So `[x, y, w, h]` is taken whenever its box holds the landmarks
 *   (and fits the image, when its size is known); the corner reading `[x1, y1, x2, y2]` only when it does not.
 */
import { FaceswapError } from '../core/errors.js';
import type { DetectedFace } from '../core/protocol.js';
import type { DetectFacesResponse } from './akool-types.js';
import type { DetectInput } from './validation.js';

type Point = [number, number];
type Box = [number, number, number, number];

export function parseLandmarks(text: unknown): Point[] | undefined {
  if (typeof text !== 'string') return undefined;
  const points = text.split(':').map((pair) => pair.split(',').map(Number));
  if (points.length !== 4 || points.some((p) => p.length !== 2 || !p.every(Number.isFinite))) return undefined;
  return points as Point[];
}

/** Whole, non-negative pixels: the form AKOOL's examples use and the endpoint's own validation accepts. */
export function formatLandmarks(points: Point[]): string {
  return points.map(([x, y]) => `${Math.max(0, Math.round(x))},${Math.max(0, Math.round(y))}`).join(':');
}

/** `[x, y, w, h]` from an AKOOL region of unknown convention (see the module comment). */
export function regionToBox(region: unknown, points: Point[], size?: { width: number; height: number }): Box {
  const valid = Array.isArray(region) && region.length === 4 && region.every((n) => typeof n === 'number' && Number.isFinite(n));
  if (!valid) return boundingBox(points);
  const [a, b, c, d] = region as Box;
  const slack = 0.02;
  const fits = (x2: number, y2: number) => !size || (x2 <= size.width * (1 + slack) && y2 <= size.height * (1 + slack));
  // Landmarks of a turned face can sit a little outside the detector's box, hence the margin.
  const contains = (x1: number, y1: number, x2: number, y2: number) => {
    const mx = (x2 - x1) * 0.15;
    const my = (y2 - y1) * 0.15;
    return points.every(([x, y]) => x >= x1 - mx && x <= x2 + mx && y >= y1 - my && y <= y2 + my);
  };
  const asCorners = c > a && d > b && fits(c, d) && contains(a, b, c, d);
  const asSize = c > 0 && d > 0 && fits(a + c, b + d) && contains(a, b, a + c, b + d);
  // The documented `[x, y, w, h]` wins whenever its box holds the face; corners only when it cannot.
  const corners = !asSize && (asCorners || (c > a && d > b));
  return corners ? round([a, b, c - a, d - b]) : round([a, b, c, d]);
}

function boundingBox(points: Point[]): Box {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x1, x2, y1, y2] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // The 4 points span eyes to mouth; a face box is about twice as wide and 1.6 times as tall.
  const w = (x2 - x1) * 2;
  const h = (y2 - y1) * 1.6;
  return round([Math.max(0, (x1 + x2) / 2 - w / 2), Math.max(0, y1 - h * 0.3), w, h]);
}

const round = (box: Box): Box => box.map((n) => Math.round(n)) as Box;

export function facesFromDetect(reply: DetectFacesResponse, input: DetectInput): DetectedFace[] {
  const size = input.kind === 'image' ? input.info : undefined;
  const entries = Object.keys(reply.faces_obj ?? {})
    .sort((x, y) => Number(x) - Number(y))
    .map((key) => reply.faces_obj![key]!);
  const faces: DetectedFace[] = [];
  for (const entry of entries) {
    const strings = Array.isArray(entry.landmarks_str) ? entry.landmarks_str : [];
    strings.forEach((text, i) => {
      const points = parseLandmarks(text);
      if (!points) return;
      const landmarks = formatLandmarks(points);
      const box = regionToBox(entry.region?.[i], points, size);
      if (input.kind === 'url') {
        faces.push({ box, landmarks, source: { path: input.url, opts: landmarks } });
        return;
      }
      // An upload has no URL AKOOL can fetch: the face crop AKOOL stored is the source.
      const path = entry.face_urls?.[i];
      const cropPoints = parseLandmarks(entry.crop_landmarks?.[i]);
      if (typeof path !== 'string' || !/^https?:\/\//.test(path) || !cropPoints) {
        throw new FaceswapError('upstream-error', 'AKOOL detected a face but returned no face URL for it.');
      }
      faces.push({ box, landmarks, source: { path, opts: formatLandmarks(cropPoints) } });
    });
  }
  return input.singleFace ? faces.slice(0, 1) : faces;
}
