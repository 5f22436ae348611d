import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionStats } from '../session/session-api.js';

/** The in-browser engine's own figures in a reading (tracking rate, per-frame cost); absent for Agora. */
export type EngineFigures = NonNullable<SessionStats['engine']>;

/** How well the connection carries the swapped video, judged from round trip and packet loss. */
export type NetworkQuality = 'good' | 'fair' | 'poor';

/** Upper bounds of `good` and `fair` (WebRTC video degrades visibly past about 150 ms and 2 % loss). */
const QUALITY_LIMITS = { good: { rttMs: 150, packetLoss: 0.02 }, fair: { rttMs: 400, packetLoss: 0.08 } };

/**
 * The quality level of a stats reading: the worse of what its round trip and its packet loss say, or `null`
 * when it has neither (the in-browser engine, which has no network path).
 */
export function networkQuality({ rttMs, packetLoss }: SessionStats): NetworkQuality | null {
  if (rttMs === undefined && packetLoss === undefined) return null;
  const within = (limits: { rttMs: number; packetLoss: number }) => (rttMs ?? 0) <= limits.rttMs && (packetLoss ?? 0) <= limits.packetLoss;
  return within(QUALITY_LIMITS.good) ? 'good' : within(QUALITY_LIMITS.fair) ? 'fair' : 'poor';
}

export interface StatsOptions {
  /** Whether figures are wanted now (checked after every update of the host). */
  active: () => boolean;
  /** Reads the current figures. */
  read: () => Promise<SessionStats> | undefined;
  /** Milliseconds between two readings (default 1000). */
  intervalMs?: number;
}

/**
 * Polls media statistics while `active()` holds and keeps the latest reading in `value` (`null` while
 * inactive or after a failed reading). Polling stops when the host disconnects.
 */
export class StatsController implements ReactiveController {
  /** The latest reading, or `null`. */
  value: SessionStats | null = null;

  /** The network quality of the latest reading, or `null` (no reading, or one without network figures). */
  get quality(): NetworkQuality | null {
    return this.value ? networkQuality(this.value) : null;
  }

  private readonly host: ReactiveControllerHost;
  private readonly options: StatsOptions;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(host: ReactiveControllerHost, options: StatsOptions) {
    (this.host = host).addController(this);
    this.options = options;
  }

  hostUpdated(): void {
    const active = this.options.active();
    if (active && !this.timer) {
      this.poll();
      this.timer = setInterval(() => this.poll(), this.options.intervalMs ?? 1000);
    }
    if (!active && this.timer) this.stop();
  }

  hostDisconnected(): void {
    this.stop();
  }

  private poll(): void {
    const reading = this.options.read();
    if (!reading) return this.set(null);
    reading.then(
      (stats) => this.timer && this.set(stats),
      () => this.set(null),
    );
  }

  private set(value: SessionStats | null): void {
    if (value === this.value) return;
    this.value = value;
    this.host.requestUpdate();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.set(null);
  }
}
