/** Geometry of the 468-point face mesh shared by the renderer and the tracker. */

export const MESH_POINTS = 468;

/** The face's outer contour in the 468-point mesh (MediaPipe's FACE_OVAL), forehead clockwise. */
export const FACE_OVAL = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150,
  136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
];

/** Distance from (px, py) to the segment a-b. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * Blend weight per vertex: 0 on the face contour rising smoothly to 1 a `feather` fraction of the face width
 * inside it, measured on the canonical face (`uv`, x0 y0 x1 y1 ...), so the seam fades out the same way for
 * every face. Interpolated across triangles, this is the feathered mask.
 */
export function featherWeights(uv: Float32Array, feather = 0.2): Float32Array {
  let minX = Infinity;
  let maxX = -Infinity;
  for (const i of FACE_OVAL) {
    minX = Math.min(minX, uv[i * 2]);
    maxX = Math.max(maxX, uv[i * 2]);
  }
  const width = Math.max(1e-6, (maxX - minX) * feather);
  const weights = new Float32Array(MESH_POINTS);
  for (let v = 0; v < MESH_POINTS; v++) {
    const px = uv[v * 2];
    const py = uv[v * 2 + 1];
    let d = Infinity;
    for (let k = 0; k < FACE_OVAL.length; k++) {
      const a = FACE_OVAL[k];
      const b = FACE_OVAL[(k + 1) % FACE_OVAL.length];
      d = Math.min(d, segmentDistance(px, py, uv[a * 2], uv[a * 2 + 1], uv[b * 2], uv[b * 2 + 1]));
    }
    const t = Math.min(1, d / width);
    weights[v] = t * t * (3 - 2 * t);
  }
  return weights;
}

/** A least-squares similarity (rotation + uniform scale, then shift) taking `from` onto `to`. */
interface Similarity {
  cos: number;
  sin: number;
  fromX: number;
  fromY: number;
  toX: number;
  toY: number;
}

function fitSimilarity(from: Float32Array, to: Float32Array): Similarity | null {
  const n = from.length / 2;
  let fromX = 0;
  let fromY = 0;
  let toX = 0;
  let toY = 0;
  for (let i = 0; i < from.length; i += 2) {
    fromX += from[i];
    fromY += from[i + 1];
    toX += to[i];
    toY += to[i + 1];
  }
  fromX /= n;
  fromY /= n;
  toX /= n;
  toY /= n;
  let a = 0;
  let b = 0;
  let norm = 0;
  for (let i = 0; i < from.length; i += 2) {
    const fx = from[i] - fromX;
    const fy = from[i + 1] - fromY;
    const tx = to[i] - toX;
    const ty = to[i + 1] - toY;
    a += fx * tx + fy * ty;
    b += fx * ty - fy * tx;
    norm += fx * fx + fy * fy;
  }
  return norm === 0 ? null : { cos: a / norm, sin: b / norm, fromX, fromY, toX, toY };
}

/**
 * Keeps `average` (null to start) as a running mean of the camera face's shape, laid onto the source face by
 * a similarity so head motion does not count: what stays is the camera person's usual proportions, and the
 * difference from them is their expression of the moment. `rate` is the weight of this update (0..1).
 */
export function averageShape(camera: Float32Array, source: Float32Array, average: Float32Array | null, rate: number): Float32Array {
  const fit = fitSimilarity(camera, source);
  const out = average ?? new Float32Array(camera.length);
  const weight = average ? rate : 1;
  for (let i = 0; i < camera.length; i += 2) {
    let x = camera[i];
    let y = camera[i + 1];
    if (fit) {
      const dx = x - fit.fromX;
      const dy = y - fit.fromY;
      x = fit.cos * dx - fit.sin * dy + fit.toX;
      y = fit.sin * dx + fit.cos * dy + fit.toY;
    }
    out[i] += weight * (x - out[i]);
    out[i + 1] += weight * (y - out[i + 1]);
  }
  return out;
}

/**
 * Moves the camera mesh's inner points towards the source face's proportions (the source mesh laid over the
 * camera face by a least-squares similarity). A texture warp alone keeps the camera person's eye, nose and
 * mouth geometry, which carries much of a face's identity. With `cameraAverage` (from averageShape) only the
 * difference between the two people's usual shapes is applied, so the camera's expression of the moment
 * (blinks, an open mouth) stays; without it the inner points move towards the source's shape as it is in its
 * photo. `weights` (0 on the contour) keep the outline, and so the seam, where the camera face is; `amount`
 * 0 keeps the camera shape, 1 applies the full difference. Writes into `out` (may be `camera`).
 */
export function transferShape(
  camera: Float32Array,
  source: Float32Array,
  weights: Float32Array,
  amount: number,
  out: Float32Array,
  cameraAverage: Float32Array | null = null,
): void {
  const fit = fitSimilarity(source, camera);
  if (!fit) {
    out.set(camera);
    return;
  }
  const { cos, sin } = fit;
  for (let i = 0; i < weights.length; i++) {
    const x = i * 2;
    const y = x + 1;
    let dx: number;
    let dy: number;
    if (cameraAverage) {
      const sx = source[x] - cameraAverage[x];
      const sy = source[y] - cameraAverage[y];
      dx = cos * sx - sin * sy;
      dy = sin * sx + cos * sy;
    } else {
      const sx = source[x] - fit.fromX;
      const sy = source[y] - fit.fromY;
      dx = cos * sx - sin * sy + fit.toX - camera[x];
      dy = sin * sx + cos * sy + fit.toY - camera[y];
    }
    const k = amount * weights[i];
    out[x] = camera[x] + k * dx;
    out[y] = camera[y] + k * dy;
  }
}
