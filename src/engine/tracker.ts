/**
 * Smooths landmark updates and predicts the mesh for frames between them. Landmarks arrive slower than the
 * camera and about one model run late, so each coordinate runs through a One Euro filter (Casiez et al.
 * 2012: little smoothing when the face moves fast, strong smoothing against jitter when it is still) whose
 * filtered velocity extrapolates the mesh to the time of the frame being drawn.
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

export class LandmarkTracker {
  readonly #minCutoff: number;
  readonly #beta: number;
  readonly #derivativeCutoff: number;
  readonly #maxLeadMs: number;
  #value: Float32Array | null = null;
  #velocity: Float32Array | null = null;
  #lastRaw: Float32Array | null = null;
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
    this.#value = this.#velocity = this.#lastRaw = null;
  }

  /** Feed the landmarks measured on the frame captured at `timeMs`. */
  update(points: Float32Array, timeMs: number): void {
    if (!this.#value || !this.#velocity || !this.#lastRaw || timeMs <= this.#lastTime) {
      this.#value = Float32Array.from(points);
      this.#velocity = new Float32Array(points.length);
      this.#lastRaw = Float32Array.from(points);
      this.#lastTime = timeMs;
      return;
    }
    const dt = (timeMs - this.#lastTime) / 1000;
    const aD = smoothingFactor(this.#derivativeCutoff, dt);
    for (let i = 0; i < points.length; i++) {
      const rawVelocity = (points[i] - this.#lastRaw[i]) / dt;
      const velocity = this.#velocity[i] + aD * (rawVelocity - this.#velocity[i]);
      this.#velocity[i] = velocity;
      // Predict the previous estimate forward before blending, so smoothing does not add lag while moving.
      const predicted = this.#value[i] + velocity * dt;
      const a = smoothingFactor(this.#minCutoff + this.#beta * Math.abs(velocity), dt);
      this.#value[i] = predicted + a * (points[i] - predicted);
      this.#lastRaw[i] = points[i];
    }
    this.#lastTime = timeMs;
  }

  /** The mesh expected at `timeMs` into `out`; false when nothing is tracked. */
  predict(timeMs: number, out: Float32Array): boolean {
    if (!this.#value || !this.#velocity) return false;
    const lead = Math.min(this.#maxLeadMs, Math.max(0, timeMs - this.#lastTime)) / 1000;
    for (let i = 0; i < out.length; i++) out[i] = this.#value[i] + this.#velocity[i] * lead;
    return true;
  }
}
