/**
 * Head pose from the 468-point mesh's own 3D landmarks (x, y in pixels, z in the same units, growing away
 * from the camera), with no reference model: the face's left-right axis from symmetric landmark pairs, its
 * up-down axis from the midline, made orthonormal. The same construction on every face gives every face the
 * same frontal frame, so a tilted or turned photo can be compared with, and mapped onto, the camera face.
 */

/** Symmetric pairs (the person's right side first, which a frontal face shows on the image's left). */
export const ACROSS: ReadonlyArray<readonly [number, number]> = [
  [33, 263],
  [133, 362],
  [234, 454],
  [93, 323],
  [132, 361],
  [58, 288],
  [127, 356],
  [70, 300],
  [105, 334],
  [61, 291],
];
/** Midline pairs, top first. */
const DOWN: ReadonlyArray<readonly [number, number]> = [
  [10, 152],
  [151, 175],
  [9, 199],
  [168, 18],
];

export interface HeadPose {
  /** Rotation, row-major 3x3; its columns are the face's right, down and backward axes in image space. */
  rotation: Float64Array;
  /** Centroid of the landmarks (x, y, z). */
  centre: [number, number, number];
  /** RMS distance of the landmarks from the centroid (pixels). */
  scale: number;
  /** Turn left-right, nod up-down and tilt in the image plane, in radians (0 when facing the camera). */
  yaw: number;
  pitch: number;
  roll: number;
}

function normalise(v: number[]): number[] {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** The pose of a face: `points` x0 y0 x1 y1 ..., `depth` z0 z1 ... (same units as the points). */
export function headPose(points: Float32Array, depth: Float32Array): HeadPose {
  const n = depth.length;
  const at = (v: number) => [points[v * 2], points[v * 2 + 1], depth[v]];
  const across = [0, 0, 0];
  for (const [r, l] of ACROSS) {
    const a = at(r);
    const b = at(l);
    for (let k = 0; k < 3; k++) across[k] += b[k] - a[k];
  }
  const down = [0, 0, 0];
  for (const [t, b] of DOWN) {
    const a = at(t);
    const c = at(b);
    for (let k = 0; k < 3; k++) down[k] += c[k] - a[k];
  }
  const x = normalise(across);
  const dot = down[0] * x[0] + down[1] * x[1] + down[2] * x[2];
  const y = normalise([down[0] - dot * x[0], down[1] - dot * x[1], down[2] - dot * x[2]]);
  const z = [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]];
  const rotation = Float64Array.of(x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]);
  const centre: [number, number, number] = [0, 0, 0];
  for (let v = 0; v < n; v++) {
    centre[0] += points[v * 2] / n;
    centre[1] += points[v * 2 + 1] / n;
    centre[2] += depth[v] / n;
  }
  let sum = 0;
  for (let v = 0; v < n; v++) {
    sum += (points[v * 2] - centre[0]) ** 2 + (points[v * 2 + 1] - centre[1]) ** 2 + (depth[v] - centre[2]) ** 2;
  }
  return {
    rotation,
    centre,
    scale: Math.sqrt(sum / Math.max(1, n)) || 1,
    // How far the face's own right axis leaves the image plane (turn), and its down axis (nod): unaffected by roll.
    yaw: Math.atan2(-x[2], Math.hypot(x[0], x[1])),
    pitch: Math.atan2(y[2], Math.hypot(y[0], y[1])),
    roll: Math.atan2(x[1], x[0]),
  };
}

/**
 * The face as seen from the front at unit scale: each landmark moved into the face's own frame
 * (rotation transposed, centred, divided by the scale). Writes x, y, z per point into `out`.
 */
export function frontalise(points: Float32Array, depth: Float32Array, pose: HeadPose, out = new Float32Array(depth.length * 3)): Float32Array {
  const r = pose.rotation;
  const [cx, cy, cz] = pose.centre;
  const s = 1 / pose.scale;
  for (let v = 0; v < depth.length; v++) {
    const dx = points[v * 2] - cx;
    const dy = points[v * 2 + 1] - cy;
    const dz = depth[v] - cz;
    out[v * 3] = (r[0] * dx + r[3] * dy + r[6] * dz) * s;
    out[v * 3 + 1] = (r[1] * dx + r[4] * dy + r[7] * dz) * s;
    out[v * 3 + 2] = (r[2] * dx + r[5] * dy + r[8] * dz) * s;
  }
  return out;
}

/**
 * Adds frontal-frame offsets (x, y, z per point, unit scale, from two frontalised faces) to a face's image
 * points, turned and scaled as that face is posed: `out[v] = points[v] + amount * weights[v] * (R * s * offset)`
 * on x and y. `out` may be `points`.
 */
export function addFrontalOffsets(points: Float32Array, pose: HeadPose, offsets: Float32Array, weights: Float32Array, amount: number, out: Float32Array): void {
  const r = pose.rotation;
  for (let v = 0; v < weights.length; v++) {
    const k = amount * weights[v] * pose.scale;
    const ox = offsets[v * 3];
    const oy = offsets[v * 3 + 1];
    const oz = offsets[v * 3 + 2];
    out[v * 2] = points[v * 2] + k * (r[0] * ox + r[1] * oy + r[2] * oz);
    out[v * 2 + 1] = points[v * 2 + 1] + k * (r[3] * ox + r[4] * oy + r[5] * oz);
  }
}
