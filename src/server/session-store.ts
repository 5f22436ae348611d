/**
 * Where the token endpoint remembers open sessions, so abandoned ones can be closed (the reaper) and every
 * session ends at its maximum length. Async throughout so a shared store (Redis) can back several instances.
 */

/** Why a session was closed (`ended-upstream`: AKOOL reported it over, found on a heartbeat). */
export type CloseReason = 'client' | 'heartbeat-timeout' | 'max-length' | 'ended-upstream';

/** One AKOOL live session, as the handler tracks it. Times are epoch milliseconds. */
export interface SessionRecord {
  /** AKOOL's `_id`. */
  sessionId: string;
  createdAt: number;
  /** Creation time until the first heartbeat. */
  lastHeartbeatAt: number;
  /** Maximum length: the session is closed at this time whatever its heartbeats. */
  expiresAt: number;
  /** Set by the one caller that won `claimClose`. */
  closed: boolean;
  closedAt?: number;
  closeReason?: CloseReason;
  /** Last AKOOL `faceswap_status` seen (from create or the status call). */
  status?: number;
}

/**
 * Storage for session records. Implementations must make `claimClose` atomic across every instance that
 * shares the store (Redis: a Lua script or `SET ... NX` on a close marker), because the reaper of each
 * instance and the visitor's own close may race for the same session, and AKOOL must be asked to close a
 * session only once.
 */
export interface SessionStore {
  /** Saves a new, open session. */
  create(record: SessionRecord): Promise<void>;
  /** The record, or `undefined` for an unknown (or purged) session. */
  get(sessionId: string): Promise<SessionRecord | undefined>;
  /**
   * Records a heartbeat (and optionally the latest status) on an open session.
   * Resolves the updated record, the unchanged record if it is closed, or `undefined` if unknown.
   */
  touch(sessionId: string, at: number, status?: number): Promise<SessionRecord | undefined>;
  /**
   * Atomically marks an open session closed. Resolves `true` for exactly one caller (who must then close it
   * at AKOOL), `false` for every other caller and for unknown sessions.
   */
  claimClose(sessionId: string, reason: CloseReason, at: number): Promise<boolean>;
  /**
   * Undoes a won `claimClose` when closing at AKOOL failed, so a later reaper pass retries it.
   */
  releaseClose(sessionId: string): Promise<void>;
  /**
   * Ids of open sessions due for closing at `now`: no heartbeat for `heartbeatTimeoutMs`, or past `expiresAt`.
   * (Redis: two sorted sets scored by `lastHeartbeatAt` and `expiresAt`, read with ZRANGEBYSCORE.)
   */
  listDue(now: number, heartbeatTimeoutMs: number): Promise<string[]>;
  /** Forgets closed sessions closed before `before` (a retention window keeps late closes idempotent). */
  purgeClosed(before: number): Promise<void>;
}

/** The default store: one process, in memory. Use a shared store when running several instances. */
export class MemorySessionStore implements SessionStore {
  private readonly records = new Map<string, SessionRecord>();

  async create(record: SessionRecord): Promise<void> {
    this.records.set(record.sessionId, { ...record });
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    const record = this.records.get(sessionId);
    return record && { ...record };
  }

  async touch(sessionId: string, at: number, status?: number): Promise<SessionRecord | undefined> {
    const record = this.records.get(sessionId);
    if (!record) return undefined;
    if (!record.closed) {
      record.lastHeartbeatAt = Math.max(record.lastHeartbeatAt, at);
      if (status !== undefined) record.status = status;
    }
    return { ...record };
  }

  async claimClose(sessionId: string, reason: CloseReason, at: number): Promise<boolean> {
    const record = this.records.get(sessionId);
    if (!record || record.closed) return false;
    record.closed = true;
    record.closedAt = at;
    record.closeReason = reason;
    return true;
  }

  async releaseClose(sessionId: string): Promise<void> {
    const record = this.records.get(sessionId);
    if (!record) return;
    record.closed = false;
    delete record.closedAt;
    delete record.closeReason;
  }

  async listDue(now: number, heartbeatTimeoutMs: number): Promise<string[]> {
    const due: string[] = [];
    for (const record of this.records.values()) {
      if (!record.closed && (record.lastHeartbeatAt + heartbeatTimeoutMs <= now || record.expiresAt <= now)) {
        due.push(record.sessionId);
      }
    }
    return due;
  }

  async purgeClosed(before: number): Promise<void> {
    for (const [id, record] of this.records) {
      if (record.closed && (record.closedAt ?? 0) < before) this.records.delete(id);
    }
  }
}
