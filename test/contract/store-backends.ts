import { MemoryDedupeStore } from '../../src/adapters/memory/memory-dedupe-store.js';
import { MemoryLockStore } from '../../src/adapters/memory/memory-lock-store.js';
import { MemoryOfferMemory } from '../../src/adapters/memory/memory-offer-memory.js';
import { MemoryQueue } from '../../src/adapters/memory/memory-queue.js';
import { MemoryStatsStore } from '../../src/adapters/memory/memory-stats-store.js';
import { MemoryUserStore } from '../../src/adapters/memory/memory-user-store.js';
import { MemoryZaloTokenStore } from '../../src/adapters/memory/memory-zalo-token-store.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { connectRedis, type RedisClient } from '../../src/adapters/redis/redis-client.js';
import { RedisDedupeStore } from '../../src/adapters/redis/redis-dedupe-store.js';
import { RedisLockStore } from '../../src/adapters/redis/redis-lock-store.js';
import { RedisOfferMemory } from '../../src/adapters/redis/redis-offer-memory.js';
import { RedisQueue } from '../../src/adapters/redis/redis-queue.js';
import { RedisStatsStore } from '../../src/adapters/redis/redis-stats-store.js';
import { RedisUserStore } from '../../src/adapters/redis/redis-user-store.js';
import { RedisZaloTokenStore } from '../../src/adapters/redis/redis-zalo-token-store.js';
import type { DedupeStore } from '../../src/ports/dedupe-store.js';
import type { DurableQueue } from '../../src/ports/durable-queue.js';
import type { LockStore } from '../../src/ports/lock-store.js';
import type { OfferMemory } from '../../src/ports/offer-memory.js';
import type { StatsStore } from '../../src/ports/stats-store.js';
import type { UserStore } from '../../src/ports/user-store.js';
import type { ZaloTokenStore } from '../../src/ports/zalo-token-store.js';
import { FakeClock } from '../support/fake-clock.js';
import { cleanPrefix, openTestRedis, randomPrefix, testBackends } from '../support/redis.js';

/** One backend under contract: the same ports, built on memory or on a real Redis. */
export interface Backend {
  users(ttlSeconds: number): UserStore;
  dedupe(): DedupeStore;
  locks(): LockStore;
  queue(name: string): DurableQueue;
  zaloTokens(): ZaloTokenStore;
  offerMemory(): OfferMemory;
  stats(): StatsStore;
  /** Lets time pass: moves the fake clock (memory) or sleeps (Redis, whose TTLs are real). */
  pass(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** The Redis adapters under a random prefix, on the client that `connect` opens. */
export function redisBackend(
  name: string,
  connect: () => RedisClient,
): { name: string; open: () => Backend } {
  return {
    name,
    open: () => {
      const redis = connect();
      const prefix = randomPrefix('contract');
      const keys = createKeys(prefix);
      const queues: RedisQueue[] = [];
      return {
        users: (ttl) => new RedisUserStore(redis, keys, ttl),
        dedupe: () => new RedisDedupeStore(redis, keys),
        locks: () => new RedisLockStore(redis, keys),
        queue: (name) => {
          const q = new RedisQueue(name, redis, keys);
          queues.push(q);
          return q;
        },
        zaloTokens: () => new RedisZaloTokenStore(redis, keys),
        offerMemory: () => new RedisOfferMemory(redis, keys),
        stats: () => new RedisStatsStore(redis, keys),
        pass: (ms) => new Promise((r) => setTimeout(r, ms + 20)),
        close: async () => {
          for (const q of queues) await q.close();
          await cleanPrefix(redis, prefix);
          redis.disconnect();
        },
      };
    },
  };
}

const memoryBackend = {
  name: 'memory',
  open: (): Backend => {
    const clock = new FakeClock();
    return {
      users: (ttl) => new MemoryUserStore(ttl, clock),
      dedupe: () => new MemoryDedupeStore(clock),
      locks: () => new MemoryLockStore(clock),
      queue: (name) => new MemoryQueue(name, clock),
      zaloTokens: () => new MemoryZaloTokenStore(),
      offerMemory: () => new MemoryOfferMemory(),
      stats: () => new MemoryStatsStore(),
      pass: async (ms) => clock.advance(ms),
      close: async () => {},
    };
  },
};

/**
 * Memory and the shared test Redis; in the `redis-cluster` test project (vitest.config.ts), the
 * local Redis Cluster only.
 */
export const backends: Array<{ name: string; open: () => Backend }> = testBackends(
  [memoryBackend, redisBackend('redis', openTestRedis)],
  (url) => [redisBackend('redis-cluster', () => connectRedis(url))],
);
