import { afterEach, describe, expect, it } from 'vitest';
import { MemoryDedupeStore } from '../../src/adapters/memory/memory-dedupe-store.js';
import { MemoryQueue } from '../../src/adapters/memory/memory-queue.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { connectRedis, type RedisClient } from '../../src/adapters/redis/redis-client.js';
import { RedisDedupeStore } from '../../src/adapters/redis/redis-dedupe-store.js';
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
      return { queue, inbox: new Inbox(queue, new RedisDedupeStore(redis, keys)) };
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
        return { queue, inbox: new Inbox(queue, new MemoryDedupeStore()) };
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
