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

/**
 * Moves the camera mesh's inner points part of the way towards the source face's proportions (the source
 * mesh laid over the camera face by a least-squares similarity: rotation, scale, shift). A texture warp alone
 * keeps the camera person's eye, nose and mouth geometry, which carries much of a face's identity. `weights`
 * (0 on the contour) keep the outline, and so the seam, where the camera face is; `amount` 0 keeps the camera
 * shape, 1 takes the source's. Writes into `out` (may be `camera`).
 */
export function transferShape(
  camera: Float32Array,
  source: Float32Array,
  weights: Float32Array,
  amount: number,
  out: Float32Array,
): void {
  const n = weights.length;
  let scx = 0;
  let scy = 0;
  let ccx = 0;
  let ccy = 0;
  for (let i = 0; i < n; i++) {
    scx += source[i * 2];
    scy += source[i * 2 + 1];
    ccx += camera[i * 2];
    ccy += camera[i * 2 + 1];
  }
  scx /= n;
  scy /= n;
  ccx /= n;
  ccy /= n;
  let a = 0;
  let b = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const sx = source[i * 2] - scx;
    const sy = source[i * 2 + 1] - scy;
    const cx = camera[i * 2] - ccx;
    const cy = camera[i * 2 + 1] - ccy;
    a += sx * cx + sy * cy;
    b += sx * cy - sy * cx;
    norm += sx * sx + sy * sy;
  }
  if (norm === 0) {
    out.set(camera);
    return;
  }
  const cos = a / norm;
  const sin = b / norm;
  for (let i = 0; i < n; i++) {
    const sx = source[i * 2] - scx;
    const sy = source[i * 2 + 1] - scy;
    const tx = cos * sx - sin * sy + ccx;
    const ty = sin * sx + cos * sy + ccy;
    const k = amount * weights[i];
    out[i * 2] = camera[i * 2] + k * (tx - camera[i * 2]);
    out[i * 2 + 1] = camera[i * 2 + 1] + k * (ty - camera[i * 2 + 1]);
  }
}
