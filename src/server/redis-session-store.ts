/**
 * A `SessionStore` in Redis, so several instances of the token endpoint (or serverless invocations) share
 * heartbeats, the reaper and the maximum length: a session created on one instance can be heartbeaten and
 * closed on another, and whichever reaper gets there first closes an abandoned session, once.
 *
 * The library does not depend on a Redis client: pass any connected client with `sendCommand(args)`
 * (node-redis v4/v5 as is; ioredis through `{ sendCommand: (args) => redis.call(args[0], ...args.slice(1)) }`).
 * Install the client yourself (`npm install redis`).
 *
 * Layout (every key shares the `{...}` hash tag of the prefix, so it works on Redis Cluster too):
 *   {prefix}s:{id}      hash: the record
 *   {prefix}heartbeats  sorted set of open sessions by last heartbeat
 *   {prefix}expiries    sorted set of open sessions by maximum-length deadline
 *   {prefix}closed      sorted set of closed sessions by close time (for purging)
 * Every change is one Lua script, so `claimClose` is atomic across instances.
 */
import type { CloseReason, SessionRecord, SessionStore } from './session-store.js';

/** The one method the store needs from a Redis client. */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface RedisSessionStoreOptions {
  /** A connected client. */
  client: RedisCommandClient;
  /** Key prefix. Keep a `{hash tag}` in it on Redis Cluster. Default `faceswap:{sessions}:`. */
  prefix?: string;
  /** Closed records expire from Redis after this long even if no reaper purges them. Default one day. */
  closedTtlMs?: number;
  /** Most ids one `listDue` call answers (the next reaper pass takes the rest). Default 1000. */
  maxDuePerPass?: number;
}

const CREATE = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'sessionId', ARGV[1], 'createdAt', ARGV[2], 'lastHeartbeatAt', ARGV[3], 'expiresAt', ARGV[4], 'closed', ARGV[5])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'status', ARGV[6]) end
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], 'closedAt', ARGV[7], 'closeReason', ARGV[8])
  redis.call('PEXPIRE', KEYS[1], ARGV[9])
  redis.call('ZADD', KEYS[4], ARGV[7], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
else
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
  redis.call('ZREM', KEYS[4], ARGV[1])
end
return 1`;

const TOUCH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if redis.call('HGET', KEYS[1], 'closed') == '0' then
  if tonumber(ARGV[2]) > tonumber(redis.call('HGET', KEYS[1], 'lastHeartbeatAt')) then
    redis.call('HSET', KEYS[1], 'lastHeartbeatAt', ARGV[2])
    redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
  end
  if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'status', ARGV[3]) end
end
return redis.call('HGETALL', KEYS[1])`;

const CLAIM_CLOSE = `
if redis.call('HGET', KEYS[1], 'closed') ~= '0' then return 0 end
redis.call('HSET', KEYS[1], 'closed', '1', 'closedAt', ARGV[2], 'closeReason', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
return 1`;

const RELEASE_CLOSE = `
if redis.call('HGET', KEYS[1], 'closed') ~= '1' then return 0 end
redis.call('HSET', KEYS[1], 'closed', '0')
redis.call('HDEL', KEYS[1], 'closedAt', 'closeReason')
redis.call('PERSIST', KEYS[1])
redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[1], 'lastHeartbeatAt'), ARGV[1])
redis.call('ZADD', KEYS[3], redis.call('HGET', KEYS[1], 'expiresAt'), ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
return 1`;

const LIST_DUE = `
local silent = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2], 'LIMIT', 0, ARGV[3])
for _, id in ipairs(expired) do table.insert(silent, id) end
return silent`;

/** KEYS: the closed set, then one record key per id in ARGV[2..]. A record reopened meanwhile is kept. */
const PURGE = `
local removed = 0
for i = 2, #ARGV do
  local key = KEYS[i]
  local closedAt = redis.call('HGET', key, 'closedAt')
  if redis.call('HGET', key, 'closed') ~= '0' and (not closedAt or tonumber(closedAt) < tonumber(ARGV[1])) then
    redis.call('DEL', key)
    redis.call('ZREM', KEYS[1], ARGV[i])
    removed = removed + 1
  end
end
return removed`;

const PURGE_BATCH = 500;

export class RedisSessionStore implements SessionStore {
  private readonly client: RedisCommandClient;
  private readonly prefix: string;
  private readonly closedTtlMs: number;
  private readonly maxDuePerPass: number;
  private readonly shas = new Map<string, Promise<string>>();

  constructor(options: RedisSessionStoreOptions) {
    this.client = options.client;
    this.prefix = options.prefix ?? 'faceswap:{sessions}:';
    this.closedTtlMs = Math.max(1000, Math.round(options.closedTtlMs ?? 24 * 60 * 60_000));
    this.maxDuePerPass = Math.max(1, Math.floor(options.maxDuePerPass ?? 1000));
  }

  async create(record: SessionRecord): Promise<void> {
    await this.script(CREATE, this.keysFor(record.sessionId), [
      record.sessionId,
      String(record.createdAt),
      String(record.lastHeartbeatAt),
      String(record.expiresAt),
      record.closed ? '1' : '0',
      record.status === undefined ? '' : String(record.status),
      String(record.closedAt ?? record.createdAt),
      record.closeReason ?? 'client',
      String(this.closedTtlMs),
    ]);
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    return parseRecord(await this.client.sendCommand(['HGETALL', this.recordKey(sessionId)]));
  }

  async touch(sessionId: string, at: number, status?: number): Promise<SessionRecord | undefined> {
    const reply = await this.script(TOUCH, this.keysFor(sessionId), [sessionId, String(at), status === undefined ? '' : String(status)]);
    return parseRecord(reply);
  }

  async claimClose(sessionId: string, reason: CloseReason, at: number): Promise<boolean> {
    const reply = await this.script(CLAIM_CLOSE, this.keysFor(sessionId), [sessionId, String(at), reason, String(this.closedTtlMs)]);
    return Number(reply) === 1;
  }

  async releaseClose(sessionId: string): Promise<void> {
    await this.script(RELEASE_CLOSE, this.keysFor(sessionId), [sessionId]);
  }

  async listDue(now: number, heartbeatTimeoutMs: number): Promise<string[]> {
    const reply = await this.script(
      LIST_DUE,
      [this.key('heartbeats'), this.key('expiries')],
      [String(now - heartbeatTimeoutMs), String(now), String(this.maxDuePerPass)],
    );
    return [...new Set(asArray(reply).map(String))];
  }

  async purgeClosed(before: number): Promise<void> {
    for (;;) {
      const ids = asArray(await this.client.sendCommand(['ZRANGEBYSCORE', this.key('closed'), '-inf', `(${before}`, 'LIMIT', '0', String(PURGE_BATCH)])).map(
        String,
      );
      if (ids.length === 0) return;
      const removed = Number(await this.script(PURGE, [this.key('closed'), ...ids.map((id) => this.recordKey(id))], [String(before), ...ids]));
      if (ids.length < PURGE_BATCH || removed === 0) return;
    }
  }

  private key(name: string): string {
    return this.prefix + name;
  }

  private recordKey(sessionId: string): string {
    return `${this.prefix}s:${sessionId}`;
  }

  private keysFor(sessionId: string): string[] {
    return [this.recordKey(sessionId), this.key('heartbeats'), this.key('expiries'), this.key('closed')];
  }

  /** EVALSHA, loading the script on NOSCRIPT (a restarted or failed-over Redis forgets loaded scripts). */
  private async script(source: string, keys: string[], args: string[]): Promise<unknown> {
    let sha = this.shas.get(source);
    if (!sha) {
      sha = sha1Hex(source);
      this.shas.set(source, sha);
    }
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.client.sendCommand(['EVALSHA', await sha, ...tail]);
    } catch (error) {
      if (!/NOSCRIPT/i.test(error instanceof Error ? error.message : String(error))) throw error;
      return this.client.sendCommand(['EVAL', source, ...tail]);
    }
  }
}

async function sha1Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function asArray(reply: unknown): unknown[] {
  return Array.isArray(reply) ? reply : [];
}

/** HGETALL answers a flat array under RESP2 and a map under RESP3; a missing key answers empty (or null from a script). */
function parseRecord(reply: unknown): SessionRecord | undefined {
  const fields = new Map<string, string>();
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) fields.set(String(reply[i]), String(reply[i + 1]));
  } else if (reply instanceof Map) {
    for (const [name, value] of reply) fields.set(String(name), String(value));
  } else if (reply !== null && typeof reply === 'object') {
    for (const [name, value] of Object.entries(reply)) fields.set(name, String(value));
  }
  const sessionId = fields.get('sessionId');
  if (sessionId === undefined) return undefined;
  const record: SessionRecord = {
    sessionId,
    createdAt: Number(fields.get('createdAt')),
    lastHeartbeatAt: Number(fields.get('lastHeartbeatAt')),
    expiresAt: Number(fields.get('expiresAt')),
    closed: fields.get('closed') === '1',
  };
  if (fields.has('status')) record.status = Number(fields.get('status'));
  if (record.closed) {
    if (fields.has('closedAt')) record.closedAt = Number(fields.get('closedAt'));
    if (fields.has('closeReason')) record.closeReason = fields.get('closeReason') as CloseReason;
  }
  return record;
}
