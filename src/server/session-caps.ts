/**
 * Billing caps: how many AKOOL sessions one visitor (client address) and this handler instance may hold open
 * at once. Creates still in flight count too, so a burst of parallel creates cannot slip past the cap. The
 * counts are per instance and checked against the store before refusing, so a session closed elsewhere (by
 * another instance's reaper, or a client close that reached another instance) frees its place.
 */
import { RetryLater } from './http-answers.js';
import type { SessionStore } from './session-store.js';

/** When to try again after a cap refused a create: a place frees when a session closes, at no known time. */
const PLACE_RETRY_S = 30;

export interface SessionCapLimits {
  perVisitor: number;
  total: number;
}

export class SessionCaps {
  /** Open sessions this instance created: id → visitor. */
  private readonly open = new Map<string, string>();
  /** Creates in flight (or timed out and still awaited), per visitor. */
  private readonly pending = new Map<string, number>();
  private pendingTotal = 0;

  constructor(
    private readonly limits: SessionCapLimits,
    private readonly store: SessionStore,
  ) {}

  /**
   * Takes a place for one create by `visitor`, or throws `rate-limited` when the visitor or the instance is at
   * its cap. Call the returned function once the create has settled (after `opened`, or on failure).
   */
  async reserve(visitor: string): Promise<() => void> {
    if (this.full(visitor)) await this.forgetClosed();
    // Checked and taken with no await in between, so parallel creates cannot both take the last place.
    if (this.countFor(visitor) >= this.limits.perVisitor) {
      throw new RetryLater(PLACE_RETRY_S, `At most ${this.limits.perVisitor} open sessions per visitor; close one first.`);
    }
    if (this.open.size + this.pendingTotal >= this.limits.total) {
      throw new RetryLater(PLACE_RETRY_S, 'The service is at its limit of open sessions; try again later.');
    }
    this.pending.set(visitor, (this.pending.get(visitor) ?? 0) + 1);
    this.pendingTotal += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.pending.get(visitor) ?? 1) - 1;
      if (left > 0) this.pending.set(visitor, left);
      else this.pending.delete(visitor);
      this.pendingTotal -= 1;
    };
  }

  opened(sessionId: string, visitor: string): void {
    this.open.set(sessionId, visitor);
  }

  closed(sessionId: string): void {
    this.open.delete(sessionId);
  }

  /** Open sessions (created here) plus creates in flight. */
  get size(): number {
    return this.open.size + this.pendingTotal;
  }

  private full(visitor: string): boolean {
    return this.countFor(visitor) >= this.limits.perVisitor || this.open.size + this.pendingTotal >= this.limits.total;
  }

  private countFor(visitor: string): number {
    let count = this.pending.get(visitor) ?? 0;
    for (const owner of this.open.values()) if (owner === visitor) count += 1;
    return count;
  }

  /** Drops the sessions the store says are closed or gone. */
  private async forgetClosed(): Promise<void> {
    for (const sessionId of [...this.open.keys()]) {
      const record = await this.store.get(sessionId);
      if (!record || record.closed) this.open.delete(sessionId);
    }
  }
}
