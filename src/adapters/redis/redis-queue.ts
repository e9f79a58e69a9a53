import type { DoneMark, DurableQueue, QueueEntry, Readiness } from '../../ports/durable-queue.js';
import { idDigest } from './id-digest.js';
import type { Keys } from './keys.js';
import { duplicateClient, type RedisClient } from './redis-client.js';
import { redisScript, runScript } from './redis-script.js';
import { wrap } from './redis-user-store.js';

const GROUP = 'workers';
// Far above any real backlog: a safety net so a stuck consumer cannot fill Redis' memory.
const MAX_LEN = 1_000_000;

// Digests kept by a queue (about 100 bytes each) before the memo starts over.
const MAX_DIGESTS_KEPT = 10_000;

// A quiet chat's order index goes away by itself (done entries in it are dropped when seen anyway).
const ORDER_TTL_MS = 3 * 86_400_000;

/** Lua: entry `id` joins the order index `order` (score: the id as a number), which then expires. */
const JOIN_ORDER = (order: string, ttlMs: string) => `
local ms, seq = string.match(id, '^(%d+)-(%d+)$')
redis.call('ZADD', ${order}, tonumber(ms) * 1000 + math.min(tonumber(seq), 999), id)
redis.call('PEXPIRE', ${order}, ${ttlMs})`;

/** Adds to the stream and, in the same step, to the chat's order. */
const ADD_ORDERED = redisScript(`
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'p', ARGV[2])
${JOIN_ORDER('KEYS[2]', 'ARGV[3]')}
return id`);

/**
 * addOnce in one round trip: SET NX of the mark, XADD and, with a third key, joining the chat's
 * order. The mark (named by a digest of the id, never the id), the stream and the order share the
 * queue's hash tag (one slot on Redis Cluster). If XADD fails the mark is removed again, so a
 * platform's retry is not mistaken for a duplicate.
 * KEYS: mark, stream[, order]. ARGV: ttl seconds, max length, payload, order ttl ms.
 */
const ADD_ONCE = redisScript(`
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
`);

interface PendingAddOnce {
  keys: string[];
  args: Array<string | number>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * readiness: 2 when the done mark exists, 1 when an entry of the order older than ARGV[1] is still
 * in the stream (done ones found on the way are dropped from the order), else 0.
 * KEYS: stream, then the order (when ARGV[2] is '1'), then the done mark (when ARGV[3] is '1').
 */
const READINESS = redisScript(`
local at = 2
local order, done
if ARGV[2] == '1' then order = KEYS[at]; at = at + 1 end
if ARGV[3] == '1' then done = KEYS[at] end
if done and redis.call('EXISTS', done) == 1 then return 2 end
if not order then return 0 end
for i = 1, 100 do
  local first = redis.call('ZRANGEBYSCORE', order, '-inf', '(' .. ARGV[1], 'LIMIT', 0, 1)
  if #first == 0 then return 0 end
  if #redis.call('XRANGE', KEYS[1], first[1], first[1]) > 0 then return 1 end
  redis.call('ZREM', order, first[1])
end
return 1`);

/**
 * ack in one command: XACK and XDEL, leaving the order, setting the done mark.
 * KEYS: stream, then the order (when ARGV[3] is '1'), then the done mark (when ARGV[4] is '1').
 * ARGV: group, entry id, order flag, done flag, done mark's seconds.
 */
const ACK = redisScript(`
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
local at = 2
if ARGV[3] == '1' then redis.call('ZREM', KEYS[at], ARGV[2]); at = at + 1 end
if ARGV[4] == '1' then redis.call('SET', KEYS[at], '1', 'EX', ARGV[5]) end
return 1`);

const READINESS_BY_CODE: readonly Readiness[] = ['go', 'wait', 'done'];

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
  private readonly digests = new Map<string, string>();

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
        runScript(
          this.redis,
          ADD_ORDERED,
          [this.stream, this.order(orderKey)],
          [MAX_LEN, payload, ORDER_TTL_MS],
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
    for (const call of batch) pipeline.evalsha(ADD_ONCE.sha, call.keys.length, ...call.keys, ...call.args);
    pipeline.exec().then(
      (results) => {
        for (const [i, call] of batch.entries()) {
          const [error, value] = results?.[i] ?? [new Error('no reply'), null];
          if (!error) call.resolve(value);
          // After a restart or SCRIPT FLUSH Redis no longer knows the script: send it (and cache it).
          else if (String(error.message).includes('NOSCRIPT'))
            this.redis
              .eval(ADD_ONCE.lua, call.keys.length, ...call.keys, ...call.args)
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

  async readiness(id: string, options: { orderKey?: string; doneId?: string }): Promise<Readiness> {
    const keys = [this.stream];
    if (options.orderKey !== undefined) keys.push(this.order(options.orderKey));
    if (options.doneId !== undefined) keys.push(this.doneMark(options.doneId));
    const code = await wrap('read queue order', () =>
      runScript(this.redis, READINESS, keys, [
        orderScore(id),
        options.orderKey === undefined ? '0' : '1',
        options.doneId === undefined ? '0' : '1',
      ]),
    );
    return READINESS_BY_CODE[Number(code)] ?? 'wait';
  }

  async ack(id: string, orderKey?: string, done?: DoneMark): Promise<void> {
    const keys = [this.stream];
    if (orderKey !== undefined) keys.push(this.order(orderKey));
    if (done !== undefined) keys.push(this.doneMark(done.id));
    await wrap('ack queue', () =>
      runScript(this.redis, ACK, keys, [
        GROUP,
        id,
        orderKey === undefined ? '0' : '1',
        done === undefined ? '0' : '1',
        done?.ttlSeconds ?? 0,
      ]),
    );
  }

  /**
   * idDigest of an order key or done id, kept for a while: one entry's add, readiness and ack all
   * name the same chat's order (and the same reply's mark), and an HMAC each time costs CPU.
   */
  private digest(id: string): string {
    let digest = this.digests.get(id);
    if (digest === undefined) {
      if (this.digests.size >= MAX_DIGESTS_KEPT) this.digests.clear();
      digest = idDigest(id, this.hashSecret);
      this.digests.set(id, digest);
    }
    return digest;
  }

  /** The done mark of an id, named by its digest only (the id may carry a chat id). */
  private doneMark(doneId: string): string {
    return this.keys.queueDone(this.name, this.digest(doneId));
  }

  /** The order key names a chat: the key name carries only its digest. */
  private order(orderKey: string): string {
    return this.keys.queueOrder(this.name, this.digest(orderKey));
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
