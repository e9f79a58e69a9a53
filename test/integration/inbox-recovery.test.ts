import { afterEach, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../../src/adapters/memory/memory-queue.js';
import { idDigest } from '../../src/adapters/redis/id-digest.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { connectRedis, type RedisClient } from '../../src/adapters/redis/redis-client.js';
import { RedisQueue } from '../../src/adapters/redis/redis-queue.js';
import { createLogger } from '../../src/observability/logger.js';
import { Inbox } from '../../src/pipeline/inbox.js';
import { QueueConsumer } from '../../src/pipeline/queue-consumer.js';
import type { DurableQueue, QueueEntry } from '../../src/ports/durable-queue.js';
import { cleanPrefix, openTestRedis, randomPrefix, testBackends } from '../support/redis.js';

const logger = createLogger('silent');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

type InboxBackend = { name: string; open: () => { queue: DurableQueue; inbox: Inbox } };

function redisInbox(name: string, connect: () => RedisClient): InboxBackend {
  return {
    name,
    open: () => {
      const redis = connect();
      const prefix = randomPrefix('inbox');
      const keys = createKeys(prefix);
      const queue = new RedisQueue('inbox', redis, keys);
      cleanups.push(async () => {
        await queue.close();
        await cleanPrefix(redis, prefix);
        redis.disconnect();
      });
      return { queue, inbox: new Inbox(queue) };
    },
  };
}

// Memory and the shared Redis; in the `redis-cluster` test project, the local cluster only.
const backends: InboxBackend[] = testBackends(
  [
    {
      name: 'memory',
      open: () => {
        const queue = new MemoryQueue('inbox');
        return { queue, inbox: new Inbox(queue) };
      },
    },
    redisInbox('redis', openTestRedis),
  ],
  (url) => [redisInbox('redis-cluster', () => connectRedis(url))],
);

describe.each(backends)('inbox recovery ($name)', ({ open }) => {
  it('keeps an entry a worker took but never acked, and a second worker handles it exactly once', async () => {
    const { queue, inbox } = open();
    expect(await inbox.accept('telegram', '1001', { update_id: 1001, text: 'hello' })).toBe('stored');
    expect(await inbox.accept('telegram', '1001', { update_id: 1001, text: 'hello' })).toBe('duplicate');

    // The first worker takes the entry and dies before it acks: the handler never returns.
    const dying = new QueueConsumer({
      queue,
      consumer: 'worker-a',
      logger,
      handle: () => new Promise<void>(() => undefined),
      reclaimIdleMs: 200,
    });
    void dying.drainOnce();
    // Wait until it holds the entry (its first read opens a connection: slower on a cluster).
    for (let i = 0; i < 200 && (await queue.depth()).pending === 0; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect((await queue.depth()).pending).toBe(1);

    const handled: QueueEntry[] = [];
    const survivor = new QueueConsumer({
      queue,
      consumer: 'worker-b',
      logger,
      handle: async (entry) => {
        handled.push(entry);
      },
      reclaimIdleMs: 200,
    });
    expect(await survivor.drainOnce()).toBe(0); // not idle long enough yet: still the first worker's
    await new Promise((r) => setTimeout(r, 300));
    await survivor.drainOnce();
    await survivor.drainOnce();
    expect(handled).toHaveLength(1);
    expect(JSON.parse(handled[0]!.payload).payload).toEqual({ update_id: 1001, text: 'hello' });
    expect(handled[0]!.deliveries).toBe(2);
    expect(await queue.depth()).toEqual({ waiting: 0, pending: 0, dead: 0 });
  });

  it('retries a failing handler and dead-letters it after too many deliveries, losing nothing', async () => {
    const { queue, inbox } = open();
    await inbox.accept('webchat', 's:1', { text: 'x' });
    let calls = 0;
    const consumer = new QueueConsumer({
      queue,
      consumer: 'worker',
      logger,
      handle: async () => {
        calls += 1;
        throw new Error('boom');
      },
      reclaimIdleMs: 20,
      maxDeliveries: 3,
    });
    for (let i = 0; i < 6; i++) {
      await consumer.drainOnce();
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(calls).toBe(3);
    expect(await queue.depth()).toEqual({ waiting: 0, pending: 0, dead: 1 });
  });
});

/** The inbox's queue on a fresh prefix of the test Redis, removed after the test. */
function inboxQueueOnRedis(hashSecret?: string) {
  const redis = openTestRedis();
  const prefix = randomPrefix('inbox');
  const keys = createKeys(prefix);
  const queue = new RedisQueue('inbox', redis, keys, hashSecret);
  cleanups.push(async () => {
    await queue.close();
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  });
  return { redis, prefix, keys, queue };
}

describe('inbox on Redis', () => {
  it('leaves no dedupe mark when the stream write fails, so the retry is stored', async () => {
    const { redis, keys, queue } = inboxQueueOnRedis();
    const inbox = new Inbox(queue);
    expect(await inbox.accept('telegram', '1', { update_id: 1 })).toBe('stored');
    // The stream's key now holds a string: XADD fails inside the script, after the mark was set.
    await redis.del(keys.stream('inbox'));
    await redis.set(keys.stream('inbox'), 'not a stream');
    await expect(inbox.accept('telegram', '2', { update_id: 2 })).rejects.toThrow();
    expect(await redis.exists(keys.queueOnce('inbox', idDigest('telegram:2')))).toBe(0);
    expect(await redis.exists(keys.queueOnce('inbox', idDigest('telegram:1')))).toBe(1);
    await redis.del(keys.stream('inbox'));
    expect(await inbox.accept('telegram', '2', { update_id: 2 })).toBe('stored');
    expect(await inbox.accept('telegram', '2', { update_id: 2 })).toBe('duplicate');
  });

  it('names the mark and the chat order by keyed digests (never the ids), lets the mark expire, joins the chat order', async () => {
    const secret = 'inbox-test-hash-secret';
    const { redis, prefix, keys, queue } = inboxQueueOnRedis(secret);
    const inbox = new Inbox(queue);
    inbox.orderBy(() => 'webchat:sess-4711');
    expect(await inbox.accept('webchat', 'webchat:sess-4711:m-9', { text: 'x' })).toBe('stored');
    const mark = keys.queueOnce('inbox', idDigest('webchat:webchat:sess-4711:m-9', secret));
    expect(mark).not.toBe(keys.queueOnce('inbox', idDigest('webchat:webchat:sess-4711:m-9')));
    const ttl = await redis.ttl(mark);
    expect(ttl).toBeGreaterThan(25 * 3600);
    expect(ttl).toBeLessThanOrEqual(26 * 3600);
    const names = await redis.keys(`${prefix}:*`);
    expect(names.filter((k) => k.includes('m-9') || k.includes('sess-4711'))).toEqual([]);
    const order = keys.queueOrder('inbox', idDigest('webchat:sess-4711', secret));
    expect(await redis.zcard(order)).toBe(1);
    expect(await inbox.accept('webchat', 'webchat:sess-4711:m-9', { text: 'x' })).toBe('duplicate');
    expect(await redis.zcard(order)).toBe(1);
  });

  it('sends the script again when Redis has forgotten it (restart, SCRIPT FLUSH)', async () => {
    const { redis, queue } = inboxQueueOnRedis();
    const inbox = new Inbox(queue);
    await redis.script('FLUSH');
    // Several at once: they go to Redis in one pipeline, and each is answered on its own.
    expect(
      await Promise.all([
        inbox.accept('telegram', '1', { update_id: 1 }),
        inbox.accept('telegram', '2', { update_id: 2 }),
        inbox.accept('telegram', '1', { update_id: 1 }),
      ]),
    ).toEqual(['stored', 'stored', 'duplicate']);
    expect(await inbox.accept('telegram', '1', { update_id: 1 })).toBe('duplicate');
  });
});
