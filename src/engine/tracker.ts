/**
 * Smooths landmark updates and predicts the mesh for frames between them, with head motion filtered apart
 * from expression. Each update is split into the head's pose in the image (centre, scale, in-plane angle:
 * a least-squares similarity against the face's current shape) and the face's shape in its own frame. The
 * pose runs through a One Euro filter (Casiez et al. 2012: little smoothing when the head moves fast, strong
 * against jitter when it is still) whose filtered velocity takes out the filter's own lag and extrapolates
 * the head to the time of the frame drawn, since landmarks arrive slower than the camera and about one model
 * run late. The shape has its own, faster One Euro filter per coordinate, so a still head does not hold the
 * mouth still: speech and blinks pass, jitter is damped. A face that jumps (another person, a cut) resets.
 */
export interface TrackerOptions {
  /** Head pose: cut-off frequency (Hz) when still, lower is smoother. */
  minCutoff?: number;
  /** Head pose: how fast the cut-off rises with speed (per pixel/second). */
  beta?: number;
  /** Cut-off frequency (Hz) for the head's velocity estimate. */
  derivativeCutoff?: number;
  /** Expression: cut-off frequency (Hz) of a still feature; speech moves at 3-6 Hz. */
  shapeMinCutoff?: number;
  /** Expression: how fast its cut-off rises with the feature's speed (per face-scale/second). */
  shapeBeta?: number;
  /** Extrapolate at most this far past the last update (ms). */
  maxLeadMs?: number;
  /** A face whose centre lands farther than this many face scales from where it was predicted is a new face. */
  jumpDistance?: number;
}

function smoothingFactor(cutoffHz: number, dtSeconds: number): number {
  const tau = 1 / (2 * Math.PI * cutoffHz);
  return 1 / (1 + tau / dtSeconds);
}

/** Centroid and RMS distance from it of x0 y0 x1 y1 ... */
function centroidAndScale(points: Float32Array): [number, number, number] {
  const n = points.length / 2;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < points.length; i += 2) {
    cx += points[i];
    cy += points[i + 1];
  }
  cx /= n;
  cy /= n;
  let sum = 0;
  for (let i = 0; i < points.length; i += 2) sum += (points[i] - cx) ** 2 + (points[i + 1] - cy) ** 2;
  return [cx, cy, Math.sqrt(sum / n) || 1];
}

/** The in-plane angle that best turns unit-scale `shape` (centred) onto `points` centred at (cx, cy). */
function bestAngle(points: Float32Array, cx: number, cy: number, shape: Float32Array): number {
  let a = 0;
  let b = 0;
  for (let i = 0; i < points.length; i += 2) {
    const px = points[i] - cx;
    const py = points[i + 1] - cy;
    a += shape[i] * px + shape[i + 1] * py;
    b += shape[i] * py - shape[i + 1] * px;
  }
  return Math.atan2(b, a);
}

/** Pose parameters: centre x, y (pixels), log scale, angle (radians). */
type Pose = [number, number, number, number];

export class LandmarkTracker {
  readonly #minCutoff: number;
  readonly #beta: number;
  readonly #derivativeCutoff: number;
  readonly #shapeMinCutoff: number;
  readonly #shapeBeta: number;
  readonly #maxLeadMs: number;
  readonly #jumpDistance: number;
  /** Filtered pose, its velocity (per second) and the low-pass lag of each parameter (seconds of motion). */
  #pose: Pose = [0, 0, 0, 0];
  #poseRate: Pose = [0, 0, 0, 0];
  #poseLag: Pose = [0, 0, 0, 0];
  /** Raw pose of the last update (for the velocity estimate). */
  #rawPose: Pose = [0, 0, 0, 0];
  /** Filtered shape in the face's frame (centred, unit scale, upright), its filtered speed per coordinate. */
  #shape: Float32Array | null = null;
  #shapeSpeed: Float32Array | null = null;
  #local: Float32Array | null = null;
  #lastTime = 0;

  constructor(options: TrackerOptions = {}) {
    this.#minCutoff = options.minCutoff ?? 1.5;
    this.#beta = options.beta ?? 0.02;
    this.#derivativeCutoff = options.derivativeCutoff ?? 2;
    this.#shapeMinCutoff = options.shapeMinCutoff ?? 2.5;
    this.#shapeBeta = options.shapeBeta ?? 8;
    this.#maxLeadMs = options.maxLeadMs ?? 120;
    this.#jumpDistance = options.jumpDistance ?? 1.2;
  }

  get tracking(): boolean {
    return this.#shape !== null;
  }

  reset(): void {
    this.#shape = this.#shapeSpeed = this.#local = null;
  }

  /**
   * Feed the landmarks measured on the frame captured at `timeMs`. Returns true when they start a new track:
   * the first face, or one that jumped away from where the tracked face was expected (never blended with it).
   */
  update(points: Float32Array, timeMs: number): boolean {
    const [cx, cy, scale] = centroidAndScale(points);
    let jumped = false;
    if (this.#shape && timeMs > this.#lastTime) {
      const lead = Math.min(this.#maxLeadMs, timeMs - this.#lastTime) / 1000;
      const ex = this.#pose[0] + this.#poseRate[0] * (lead + this.#poseLag[0]);
      const ey = this.#pose[1] + this.#poseRate[1] * (lead + this.#poseLag[1]);
      const expectedScale = Math.exp(this.#pose[2]);
      jumped = Math.hypot(cx - ex, cy - ey) > this.#jumpDistance * expectedScale || Math.abs(Math.log(scale / expectedScale)) > 0.5;
    }
    if (!this.#shape || !this.#shapeSpeed || !this.#local || timeMs <= this.#lastTime || jumped) {
      this.#pose = [cx, cy, Math.log(scale), 0];
      this.#rawPose = [...this.#pose];
      this.#poseRate = [0, 0, 0, 0];
      this.#poseLag = [0, 0, 0, 0];
      this.#shape = new Float32Array(points.length);
      for (let i = 0; i < points.length; i += 2) {
        this.#shape[i] = (points[i] - cx) / scale;
        this.#shape[i + 1] = (points[i + 1] - cy) / scale;
      }
      this.#shapeSpeed = new Float32Array(points.length);
      this.#local = new Float32Array(points.length);
      this.#lastTime = timeMs;
      return true;
    }
    const dt = (timeMs - this.#lastTime) / 1000;
    // The shape is kept in its own upright frame (the first face's); the measured angle is how far the
    // measured face is turned from that shape, which is also the angle the shape is drawn at.
    const angle = bestAngle(points, cx, cy, this.#shape);
    const raw: Pose = [cx, cy, Math.log(scale), angle];

    // Head pose: One Euro on each parameter, speeds measured in pixels so one beta serves all four.
    const aD = smoothingFactor(this.#derivativeCutoff, dt);
    const pixelsPer = [1, 1, scale, scale];
    for (let k = 0; k < 4; k++) {
      this.#poseRate[k] += aD * ((raw[k] - this.#rawPose[k]) / dt - this.#poseRate[k]);
      const a = smoothingFactor(this.#minCutoff + this.#beta * Math.abs(this.#poseRate[k]) * pixelsPer[k], dt);
      this.#pose[k] += a * (raw[k] - this.#pose[k]);
      // A low-pass trails a steady motion by v * dt * (1 - a) / a: remembered to take it back out.
      this.#poseLag[k] = (dt * (1 - a)) / a;
    }
    this.#rawPose = raw;

    // Expression: the measured shape in the shape's frame, filtered per coordinate.
    const cos = Math.cos(angle) / scale;
    const sin = Math.sin(angle) / scale;
    const local = this.#local;
    for (let i = 0; i < points.length; i += 2) {
      const px = points[i] - cx;
      const py = points[i + 1] - cy;
      local[i] = cos * px + sin * py;
      local[i + 1] = -sin * px + cos * py;
    }
    const shape = this.#shape;
    const speed = this.#shapeSpeed;
    for (let i = 0; i < shape.length; i++) {
      speed[i] += aD * (Math.abs(local[i] - shape[i]) / dt - speed[i]);
      const a = smoothingFactor(this.#shapeMinCutoff + this.#shapeBeta * speed[i], dt);
      shape[i] += a * (local[i] - shape[i]);
    }
    this.#lastTime = timeMs;
    return false;
  }

  /** The mesh expected at `timeMs` into `out`; false when nothing is tracked. */
  predict(timeMs: number, out: Float32Array): boolean {
    const shape = this.#shape;
    if (!shape) return false;
    const lead = Math.min(this.#maxLeadMs, Math.max(0, timeMs - this.#lastTime)) / 1000;
    const at = (k: number) => this.#pose[k] + this.#poseRate[k] * (lead + this.#poseLag[k]);
    const cx = at(0);
    const cy = at(1);
    const scale = Math.exp(at(2));
    const angle = at(3);
    const cos = Math.cos(angle) * scale;
    const sin = Math.sin(angle) * scale;
    for (let i = 0; i < out.length; i += 2) {
      out[i] = cx + cos * shape[i] - sin * shape[i + 1];
      out[i + 1] = cy + sin * shape[i] + cos * shape[i + 1];
    }
    return true;
  }
}
