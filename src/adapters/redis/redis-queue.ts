import { createHash } from 'node:crypto';
import type { DurableQueue, QueueEntry } from '../../ports/durable-queue.js';
import type { Keys } from './keys.js';
import { duplicateClient, type RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

const GROUP = 'workers';
// Far above any real backlog: a safety net so a stuck consumer cannot fill Redis' memory.
const MAX_LEN = 1_000_000;

/**
 * addOnce in one round trip: SET NX of the mark, then XADD. The mark and the stream share the
 * queue's hash tag (one slot on Redis Cluster). If XADD fails the mark is removed again, so a
 * platform's retry is not mistaken for a duplicate.
 * KEYS: mark, stream. ARGV: ttl seconds, max length, payload.
 */
const ADD_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'EX', ARGV[1], 'NX') then return false end
local ok, id = pcall(redis.call, 'XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'p', ARGV[3])
if not ok then
  redis.call('DEL', KEYS[1])
  return redis.error_reply(tostring(id.err or id))
end
return id
`;
const ADD_ONCE_SHA = createHash('sha1').update(ADD_ONCE).digest('hex');

interface PendingAddOnce {
  args: Array<string | number>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
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

  async add(payload: string): Promise<string> {
    await wrap('prepare queue', () => this.ensureGroup());
    const id = await wrap('add to queue', () =>
      this.redis.xadd(this.stream, 'MAXLEN', '~', String(MAX_LEN), '*', 'p', payload),
    );
    return id as string;
  }

  /**
   * addOnce calls made in the same turn of the event loop (webhooks arriving together) go to
   * Redis as one pipeline: one write and one reply read for all of them instead of one each.
   * Each call still gets its own answer or error.
   */
  async addOnce(onceId: string, ttlSeconds: number, payload: string): Promise<string | null> {
    await wrap('prepare queue', () => this.ensureGroup());
    const id = await wrap(
      'add to queue once',
      () =>
        new Promise<unknown>((resolve, reject) => {
          const args = [this.keys.queueOnce(this.name, onceId), this.stream, ttlSeconds, MAX_LEN, payload];
          if (this.onceBatch.length === 0) setImmediate(() => this.flushOnce());
          this.onceBatch.push({ args, resolve, reject });
        }),
    );
    return typeof id === 'string' ? id : null;
  }

  private readonly onceBatch: PendingAddOnce[] = [];

  private flushOnce(): void {
    const batch = this.onceBatch.splice(0);
    const pipeline = this.redis.pipeline();
    for (const call of batch) pipeline.evalsha(ADD_ONCE_SHA, 2, ...call.args);
    pipeline.exec().then(
      (results) => {
        for (const [i, call] of batch.entries()) {
          const [error, value] = results?.[i] ?? [new Error('no reply'), null];
          if (!error) call.resolve(value);
          // After a restart or SCRIPT FLUSH Redis no longer knows the script: send it (and cache it).
          else if (String(error.message).includes('NOSCRIPT'))
            this.redis.eval(ADD_ONCE, 2, ...call.args).then(call.resolve, call.reject);
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

  async ack(id: string): Promise<void> {
    await wrap('ack queue', () =>
      this.redis.multi().xack(this.stream, GROUP, id).xdel(this.stream, id).exec(),
    );
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
