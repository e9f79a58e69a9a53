import { MemoryCaseStore } from '../../src/adapters/memory/memory-case-store.js';
import { MemoryEventBus } from '../../src/adapters/memory/memory-event-bus.js';
import { MemoryOperatorStore } from '../../src/adapters/memory/memory-operator-store.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisCaseStore } from '../../src/adapters/redis/redis-case-store.js';
import { connectRedis, type RedisClient } from '../../src/adapters/redis/redis-client.js';
import { RedisEventBus } from '../../src/adapters/redis/redis-event-bus.js';
import { RedisOperatorStore } from '../../src/adapters/redis/redis-operator-store.js';
import type { SlaPolicy } from '../../src/core/cases/sla.js';
import type { CaseStore } from '../../src/ports/case-store.js';
import type { EventBus } from '../../src/ports/event-bus.js';
import type { LockoutPolicy, OperatorStore } from '../../src/ports/operator-store.js';
import { cleanPrefix, openTestRedis, randomPrefix, testBackends } from '../support/redis.js';

export const TEST_SLA: SlaPolicy = { imminent: 120, high: 600, concern: 3600 };
export const TEST_HASH_SECRET = 'contract-test-hash-secret-0123456789';

/** The case-side ports on one backend (memory or a real Redis under a random prefix). */
export interface CaseBackend {
  cases(): CaseStore;
  operators(lockout?: LockoutPolicy): OperatorStore;
  /** Two buses as if in two processes (on memory, the same bus). */
  events(): [EventBus, EventBus];
  close(): Promise<void>;
}

/** The Redis adapters under a random prefix, on the client that `connect` opens. */
export function redisCaseBackend(
  name: string,
  connect: () => RedisClient,
): { name: string; open: () => CaseBackend } {
  return {
    name,
    open: () => {
      const redis = connect();
      const prefix = randomPrefix('cases');
      const keys = createKeys(prefix);
      const buses: EventBus[] = [];
      return {
        cases: () => new RedisCaseStore(redis, keys, TEST_SLA),
        operators: (lockout) =>
          new RedisOperatorStore(redis, keys, { hashSecret: TEST_HASH_SECRET, sessionHours: 12, lockout }),
        events: () => {
          const pair: [EventBus, EventBus] = [new RedisEventBus(redis, keys), new RedisEventBus(redis, keys)];
          buses.push(...pair);
          return pair;
        },
        close: async () => {
          for (const b of buses) await b.close();
          await cleanPrefix(redis, prefix);
          redis.disconnect();
        },
      };
    },
  };
}

const memoryCaseBackend = {
  name: 'memory',
  open: (): CaseBackend => {
    const bus = new MemoryEventBus();
    return {
      cases: () => new MemoryCaseStore(TEST_SLA),
      operators: (lockout) =>
        new MemoryOperatorStore({ hashSecret: TEST_HASH_SECRET, sessionHours: 12, lockout }),
      events: () => [bus, bus],
      close: async () => bus.close(),
    };
  },
};

/** Memory and the shared test Redis; in the `redis-cluster` test project, the local cluster only. */
export const caseBackends: Array<{ name: string; open: () => CaseBackend }> = testBackends(
  [memoryCaseBackend, redisCaseBackend('redis', openTestRedis)],
  (url) => [redisCaseBackend('redis-cluster', () => connectRedis(url))],
);
