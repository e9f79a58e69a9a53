import { createHash } from 'node:crypto';
import type { DurableQueue, QueueEntry } from '../../ports/durable-queue.js';
import { idDigest } from './id-digest.js';
import type { Keys } from './keys.js';
import { duplicateClient, type RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

const GROUP = 'workers';
// Far above any real backlog: a safety net so a stuck consumer cannot fill Redis' memory.
const MAX_LEN = 1_000_000;

// A quiet chat's order index goes away by itself (done entries in it are dropped when seen anyway).
const ORDER_TTL_MS = 3 * 86_400_000;

/** Lua: entry `id` joins the order index `order` (score: the id as a number), which then expires. */
const JOIN_ORDER = (order: string, ttlMs: string) => `
local ms, seq = string.match(id, '^(%d+)-(%d+)$')
redis.call('ZADD', ${order}, tonumber(ms) * 1000 + math.min(tonumber(seq), 999), id)
redis.call('PEXPIRE', ${order}, ${ttlMs})`;

/** Adds to the stream and, in the same step, to the chat's order. */
const ADD_ORDERED = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'p', ARGV[2])
${JOIN_ORDER('KEYS[2]', 'ARGV[3]')}
return id`;

/**
 * addOnce in one round trip: SET NX of the mark, XADD and, with a third key, joining the chat's
 * order. The mark (named by a digest of the id, never the id), the stream and the order share the
 * queue's hash tag (one slot on Redis Cluster). If XADD fails the mark is removed again, so a
 * platform's retry is not mistaken for a duplicate.
 * KEYS: mark, stream[, order]. ARGV: ttl seconds, max length, payload, order ttl ms.
 */
const ADD_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'EX', ARGV[1], 'NX') then return false end
local ok, id = pcall(redis.call, 'XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'p', ARGV[3])
if not ok then
  redis.call('DEL', KEYS[1])
  return redis.error_reply(tostring(id.err or id))
end
if KEYS[3] then
${JOIN_ORDER('KEYS[3]', 'ARGV[4]')}
end
return id
`;
const ADD_ONCE_SHA = createHash('sha1').update(ADD_ONCE).digest('hex');

interface PendingAddOnce {
  keys: string[];
  args: Array<string | number>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** 1 when an entry of the order older than ARGV[1] is still in the stream; drops done ones. */
const QUEUED_BEFORE = `
for i = 1, 100 do
  local first = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1], 'LIMIT', 0, 1)
  if #first == 0 then return 0 end
  if #redis.call('XRANGE', KEYS[1], first[1], first[1]) > 0 then return 1 end
  redis.call('ZREM', KEYS[2], first[1])
end
return 1`;

/** The score of a stream id in an order index: milliseconds * 1000 + sequence (capped). */
function orderScore(id: string): string {
  const [ms, seq] = id.split('-');
  return String(Number(ms) * 1000 + Math.min(Number(seq ?? 0), 999));
}

type StreamReply = Array<[string, Array<[string, string[]]>]> | null;

/**
 * A Redis stream with one consumer group. Acked entries are deleted (XACK + XDEL) so the stream
 * holds only work not yet done. Blocking reads use a connection of their own.
 */
export class RedisQueue implements DurableQueue {
  private readonly stream: string;
  private readonly dead: string;
  private blocking: RedisClient | undefined;
  private groupReady: Promise<void> | undefined;

  constructor(
    readonly name: string,
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    /** Keys the digest of addOnce ids (HASH_SECRET); the same in every process, or none. */
    private readonly hashSecret?: string,
  ) {
    this.stream = keys.stream(name);
    this.dead = keys.deadStream(name);
  }

  private ensureGroup(): Promise<void> {
    this.groupReady ??= this.redis
      .xgroup('CREATE', this.stream, GROUP, '0', 'MKSTREAM')
      .then(() => undefined)
      .catch((error: Error) => {
        if (!String(error.message).includes('BUSYGROUP')) {
          this.groupReady = undefined;
          throw error;
        }
      });
    return this.groupReady;
  }

  /**
   * Runs `op`; if Redis lost the stream and its group (a restart without persistence, a flush),
   * creates them again and retries once instead of failing forever.
   */
  private async withGroup<T>(what: string, op: () => Promise<T>): Promise<T> {
    await wrap('prepare queue', () => this.ensureGroup());
    try {
      return await wrap(what, op);
    } catch (error) {
      if (!String((error as { cause?: Error }).cause?.message ?? '').includes('NOGROUP')) throw error;
      this.groupReady = undefined;
      await wrap('prepare queue', () => this.ensureGroup());
      return wrap(what, op);
    }
  }

  async add(payload: string, orderKey?: string): Promise<string> {
    await wrap('prepare queue', () => this.ensureGroup());
    if (orderKey !== undefined) {
      const ordered = await wrap('add to queue', () =>
        this.redis.eval(
          ADD_ORDERED,
          2,
          this.stream,
          this.order(orderKey),
          String(MAX_LEN),
          payload,
          String(ORDER_TTL_MS),
        ),
      );
      return ordered as string;
    }
    const id = await wrap('add to queue', () =>
      this.redis.xadd(this.stream, 'MAXLEN', '~', String(MAX_LEN), '*', 'p', payload),
    );
    return id as string;
  }

  /**
   * addOnce calls made in the same turn of the event loop (webhooks arriving together) go to
   * Redis as one pipeline: one write and one reply read for all of them instead of one each.
   * Each call still gets its own answer or error.
   *
   * No token in the mark (as RedisDedupeStore.markIfNew has): the mark and the entry are written
   * by one script, so when Redis restarts after applying it and the client sends it again, the
   * "duplicate" answer is true: the entry is stored, and the webhook may answer 200.
   */
  async addOnce(
    onceId: string,
    ttlSeconds: number,
    payload: string,
    orderKey?: string,
  ): Promise<string | null> {
    await wrap('prepare queue', () => this.ensureGroup());
    const keys = [this.keys.queueOnce(this.name, idDigest(onceId, this.hashSecret)), this.stream];
    if (orderKey !== undefined) keys.push(this.order(orderKey));
    const args = [ttlSeconds, MAX_LEN, payload, ORDER_TTL_MS];
    const id = await wrap(
      'add to queue once',
      () =>
        new Promise<unknown>((resolve, reject) => {
          if (this.onceBatch.length === 0) setImmediate(() => this.flushOnce());
          this.onceBatch.push({ keys, args, resolve, reject });
        }),
    );
    return typeof id === 'string' ? id : null;
  }

  private readonly onceBatch: PendingAddOnce[] = [];

  private flushOnce(): void {
    const batch = this.onceBatch.splice(0);
    const pipeline = this.redis.pipeline();
    for (const call of batch) pipeline.evalsha(ADD_ONCE_SHA, call.keys.length, ...call.keys, ...call.args);
    pipeline.exec().then(
      (results) => {
        for (const [i, call] of batch.entries()) {
          const [error, value] = results?.[i] ?? [new Error('no reply'), null];
          if (!error) call.resolve(value);
          // After a restart or SCRIPT FLUSH Redis no longer knows the script: send it (and cache it).
          else if (String(error.message).includes('NOSCRIPT'))
            this.redis
              .eval(ADD_ONCE, call.keys.length, ...call.keys, ...call.args)
              .then(call.resolve, call.reject);
          else call.reject(error);
        }
      },
      (error: unknown) => {
        for (const call of batch) call.reject(error);
      },
    );
  }

  async read(consumer: string, count: number, blockMs: number): Promise<QueueEntry[]> {
    this.blocking ??= duplicateClient(this.redis);
    const client = this.blocking;
    const reply = (await this.withGroup('read queue', () =>
      blockMs > 0
        ? client.xreadgroup(
            'GROUP',
            GROUP,
            consumer,
            'COUNT',
            count,
            'BLOCK',
            blockMs,
            'STREAMS',
            this.stream,
            '>',
          )
        : client.xreadgroup('GROUP', GROUP, consumer, 'COUNT', count, 'STREAMS', this.stream, '>'),
    )) as StreamReply;
    const entries = reply?.[0]?.[1] ?? [];
    return entries.map(([id, fields]) => ({ id, payload: fieldValue(fields), deliveries: 1 }));
  }

  async reclaim(consumer: string, minIdleMs: number, count: number): Promise<QueueEntry[]> {
    const reply = (await this.withGroup('reclaim queue', () =>
      this.redis.xautoclaim(this.stream, GROUP, consumer, minIdleMs, '0-0', 'COUNT', count),
    )) as [string, Array<[string, string[]] | null>, string[]?];
    const claimed = (reply[1] ?? []).filter((e): e is [string, string[]] => e !== null);
    if (claimed.length === 0) return [];
    // XAUTOCLAIM does not return delivery counts; XPENDING does, for the same ids.
    const first = claimed[0]![0];
    const last = claimed[claimed.length - 1]![0];
    const pending = (await wrap('read pending', () =>
      this.redis.xpending(this.stream, GROUP, first, last, claimed.length + 10, consumer),
    )) as Array<[string, string, number, number]>;
    const counts = new Map(pending.map(([id, , , deliveries]) => [id, Number(deliveries)]));
    return claimed.map(([id, fields]) => ({
      id,
      payload: fieldValue(fields),
      deliveries: counts.get(id) ?? 2,
    }));
  }

  async queuedBefore(orderKey: string, id: string): Promise<boolean> {
    const found = await wrap('read queue order', () =>
      this.redis.eval(QUEUED_BEFORE, 2, this.stream, this.order(orderKey), orderScore(id)),
    );
    return Number(found) === 1;
  }

  async ack(id: string, orderKey?: string): Promise<void> {
    const tx = this.redis.multi().xack(this.stream, GROUP, id).xdel(this.stream, id);
    if (orderKey !== undefined) tx.zrem(this.order(orderKey), id);
    await wrap('ack queue', () => tx.exec());
  }

  /** The order key names a chat: the key name carries only its digest. */
  private order(orderKey: string): string {
    return this.keys.queueOrder(this.name, idDigest(orderKey, this.hashSecret));
  }

  async deadLetter(entry: QueueEntry, reason: string): Promise<void> {
    await wrap('dead-letter', () =>
      this.redis
        .multi()
        .xadd(this.dead, 'MAXLEN', '~', '100000', '*', 'p', entry.payload, 'id', entry.id, 'reason', reason)
        .xack(this.stream, GROUP, entry.id)
        .xdel(this.stream, entry.id)
        .exec(),
    );
  }

  async trimDeadBefore(time: number): Promise<number> {
    return wrap('trim dead letters', () =>
      this.redis.xtrim(this.dead, 'MINID', `${Math.max(0, Math.floor(time))}-0`),
    );
  }

  async depth(): Promise<{ waiting: number; pending: number; dead: number }> {
    await wrap('prepare queue', () => this.ensureGroup());
    const [length, summary, dead] = await wrap('read depth', () =>
      Promise.all([
        this.redis.xlen(this.stream),
        this.redis.xpending(this.stream, GROUP) as Promise<[number, ...unknown[]]>,
        this.redis.xlen(this.dead),
      ]),
    );
    const pending = Number(summary[0] ?? 0);
    return { waiting: Math.max(0, length - pending), pending, dead };
  }

  /** Closes the blocking connection (the shared one belongs to the container). */
  async close(): Promise<void> {
    const client = this.blocking;
    this.blocking = undefined;
    client?.disconnect();
  }
}

function fieldValue(fields: string[]): string {
  const index = fields.indexOf('p');
  return index >= 0 ? (fields[index + 1] ?? '') : '';
}
