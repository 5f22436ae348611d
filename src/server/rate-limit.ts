/** A sliding-window request limit per key (the client address), in memory, per process. */

export interface RateLimit {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {}

  /** Counts one request for `key`. Resolves the seconds to wait when it is over the limit, else 0. */
  take(key: string): number {
    const now = this.now();
    const since = now - this.limit.windowMs;
    this.sweep(now, since);
    const times = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (times.length >= this.limit.max) {
      this.hits.set(key, times);
      return Math.max(1, Math.ceil((times[0]! + this.limit.windowMs - now) / 1000));
    }
    times.push(now);
    this.hits.set(key, times);
    return 0;
  }

  /** Drops idle keys now and then, so many distinct addresses cannot grow the map forever. */
  private sweep(now: number, since: number): void {
    if (now - this.lastSweep < this.limit.windowMs) return;
    this.lastSweep = now;
    for (const [key, times] of this.hits) {
      if (times[times.length - 1]! <= since) this.hits.delete(key);
    }
  }
}
