/**
 * Smooths landmark updates and predicts the mesh for frames between them. Landmarks arrive slower than the
 * camera and about one model run late, so each coordinate runs through a One Euro filter (Casiez et al.
 * 2012: little smoothing when the face moves fast, strong smoothing against jitter when it is still); its
 * filtered velocity takes out the filter's own lag and extrapolates the mesh to the time of the frame drawn.
 */
export interface TrackerOptions {
  /** Cut-off frequency (Hz) when still: lower is smoother. */
  minCutoff?: number;
  /** How fast the cut-off rises with speed (per pixel/second). */
  beta?: number;
  /** Cut-off frequency (Hz) for the velocity estimate. */
  derivativeCutoff?: number;
  /** Extrapolate at most this far past the last update (ms). */
  maxLeadMs?: number;
}

function smoothingFactor(cutoffHz: number, dtSeconds: number): number {
  const tau = 1 / (2 * Math.PI * cutoffHz);
  return 1 / (1 + tau / dtSeconds);
}

/** Centroid and mean distance from it of x0 y0 x1 y1 ... */
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
  let scale = 0;
  for (let i = 0; i < points.length; i += 2) scale += Math.hypot(points[i] - cx, points[i + 1] - cy);
  return [cx, cy, scale / n];
}

export class LandmarkTracker {
  readonly #minCutoff: number;
  readonly #beta: number;
  readonly #derivativeCutoff: number;
  readonly #maxLeadMs: number;
  #value: Float32Array | null = null;
  /** Per-point velocity (px/s) from the face's overall motion. */
  #velocity: Float32Array | null = null;
  /** Per-point lag of the low-pass, in seconds of motion. */
  #lag: Float32Array | null = null;
  /** Raw centroid x, y and scale of the last update, and their filtered rates of change. */
  #shape: [number, number, number] = [0, 0, 0];
  #shapeRate: [number, number, number] = [0, 0, 0];
  #lastTime = 0;

  constructor(options: TrackerOptions = {}) {
    this.#minCutoff = options.minCutoff ?? 1.5;
    this.#beta = options.beta ?? 0.02;
    this.#derivativeCutoff = options.derivativeCutoff ?? 2;
    this.#maxLeadMs = options.maxLeadMs ?? 120;
  }

  get tracking(): boolean {
    return this.#value !== null;
  }

  reset(): void {
    this.#value = this.#velocity = this.#lag = null;
  }

  /** Feed the landmarks measured on the frame captured at `timeMs`. */
  update(points: Float32Array, timeMs: number): void {
    const shape = centroidAndScale(points);
    if (!this.#value || !this.#velocity || !this.#lag || timeMs <= this.#lastTime) {
      this.#value = Float32Array.from(points);
      this.#velocity = new Float32Array(points.length);
      this.#lag = new Float32Array(points.length / 2);
      this.#shape = shape;
      this.#shapeRate = [0, 0, 0];
      this.#lastTime = timeMs;
      return;
    }
    const dt = (timeMs - this.#lastTime) / 1000;
    // The face's motion is estimated from all points together (translation and zoom): averaging hundreds
    // of points cancels the per-point jitter that would otherwise be extrapolated.
    const aD = smoothingFactor(this.#derivativeCutoff, dt);
    for (let k = 0; k < 3; k++) this.#shapeRate[k] += aD * ((shape[k] - this.#shape[k]) / dt - this.#shapeRate[k]);
    this.#shape = shape;
    const [cx, cy, scale] = shape;
    const [vx, vy, vs] = this.#shapeRate;
    const zoomRate = scale > 0 ? vs / scale : 0;
    for (let i = 0; i < points.length; i += 2) {
      const velocityX = vx + zoomRate * (points[i] - cx);
      const velocityY = vy + zoomRate * (points[i + 1] - cy);
      this.#velocity[i] = velocityX;
      this.#velocity[i + 1] = velocityY;
      const a = smoothingFactor(this.#minCutoff + this.#beta * Math.hypot(velocityX, velocityY), dt);
      this.#value[i] += a * (points[i] - this.#value[i]);
      this.#value[i + 1] += a * (points[i + 1] - this.#value[i + 1]);
      // A low-pass trails a steady motion by v * dt * (1 - a) / a: remembered to take it back out.
      this.#lag[i / 2] = (dt * (1 - a)) / a;
    }
    this.#lastTime = timeMs;
  }

  /** The mesh expected at `timeMs` into `out`; false when nothing is tracked. */
  predict(timeMs: number, out: Float32Array): boolean {
    if (!this.#value || !this.#velocity || !this.#lag) return false;
    const lead = Math.min(this.#maxLeadMs, Math.max(0, timeMs - this.#lastTime)) / 1000;
    for (let i = 0; i < out.length; i++) out[i] = this.#value[i] + this.#velocity[i] * (lead + this.#lag[i >> 1]);
    return true;
  }
}
