import type { Logger } from 'pino';
import { MemoryCaseStore } from './adapters/memory/memory-case-store.js';
import { MemoryDedupeStore } from './adapters/memory/memory-dedupe-store.js';
import { MemoryEventBus } from './adapters/memory/memory-event-bus.js';
import { MemoryLockStore } from './adapters/memory/memory-lock-store.js';
import { MemoryOperatorStore } from './adapters/memory/memory-operator-store.js';
import { MemoryQueue } from './adapters/memory/memory-queue.js';
import { MemoryStatsStore } from './adapters/memory/memory-stats-store.js';
import { MemoryUserStore } from './adapters/memory/memory-user-store.js';
import { createKeys, type Keys } from './adapters/redis/keys.js';
import { RedisCaseStore } from './adapters/redis/redis-case-store.js';
import { connectRedis, type RedisClient } from './adapters/redis/redis-client.js';
import { RedisDedupeStore } from './adapters/redis/redis-dedupe-store.js';
import { RedisEventBus } from './adapters/redis/redis-event-bus.js';
import { RedisLockStore } from './adapters/redis/redis-lock-store.js';
import { RedisOperatorStore } from './adapters/redis/redis-operator-store.js';
import { RedisQueue } from './adapters/redis/redis-queue.js';
import { RedisStatsStore } from './adapters/redis/redis-stats-store.js';
import { RedisUserStore } from './adapters/redis/redis-user-store.js';
import type { Config } from './config.js';
import type { ChannelName } from './core/user-ref.js';
import { Metrics } from './observability/metrics.js';
import { createPseudonymizer } from './observability/pseudonym.js';
import { Inbox } from './pipeline/inbox.js';
import type { CaseStore } from './ports/case-store.js';
import { type Clock, systemClock } from './ports/clock.js';
import type { DedupeStore } from './ports/dedupe-store.js';
import type { DurableQueue } from './ports/durable-queue.js';
import type { EventBus } from './ports/event-bus.js';
import type { LockStore } from './ports/lock-store.js';
import type { OperatorStore } from './ports/operator-store.js';
import type { StatsStore } from './ports/stats-store.js';
import type { UserStore } from './ports/user-store.js';

/** The ports wired to their adapters: Redis when REDIS_URL is set, process memory otherwise. */
export interface Container {
  config: Config;
  logger: Logger;
  clock: Clock;
  backend: 'redis' | 'memory';
  redis: RedisClient | undefined;
  keys: Keys;
  users: UserStore;
  dedupe: DedupeStore;
  locks: LockStore;
  inboxQueue: DurableQueue;
  inbox: Inbox;
  outbox(channel: ChannelName): DurableQueue;
  outboxes(): Array<[ChannelName, DurableQueue]>;
  metrics: Metrics;
  pseudonym: ReturnType<typeof createPseudonymizer>;
  /** Escalation cases and their queue. */
  cases: CaseStore;
  /** Operator accounts, sessions and login lockouts. */
  operators: OperatorStore;
  /** Operator console events (no text). */
  events: EventBus;
  /** Anonymous daily counters for the console dashboard. */
  stats: StatsStore;
  /** True when every configured backing service answers. */
  ready(): Promise<{ ok: boolean; checks: Record<string, string> }>;
  /** Extra readiness checks that channels add (a Zalo token that failed to refresh...). */
  addReadinessCheck(name: string, check: () => Promise<string | undefined>): void;
  close(): Promise<void>;
}

export function createContainer(config: Config, logger: Logger, options: { clock?: Clock } = {}): Container {
  const clock = options.clock ?? systemClock;
  const keys = createKeys(config.keyPrefix);
  const queues = new Map<string, DurableQueue>();
  const readiness = new Map<string, () => Promise<string | undefined>>();
  let redis: RedisClient | undefined;
  let users: UserStore;
  let dedupe: DedupeStore;
  let locks: LockStore;
  let makeQueue: (name: string) => DurableQueue;
  let cases: CaseStore;
  let operators: OperatorStore;
  let events: EventBus;
  let stats: StatsStore;
  const operatorOptions = {
    hashSecret: config.hashSecret,
    sessionHours: config.operators.sessionHours,
    sessionIdleMinutes: config.operators.sessionIdleMinutes,
  };

  if (config.redis) {
    const client = connectRedis(config.redis.url, { name: 'smb' });
    client.on('error', (error: Error) =>
      logger.warn({ err: { message: error.message } }, 'redis connection error'),
    );
    redis = client;
    users = new RedisUserStore(client, keys, config.userDataTtlSeconds);
    // A secret made up at start differs per process: marks would not match across processes.
    const idSecret = config.hashSecretEphemeral ? undefined : config.hashSecret;
    dedupe = new RedisDedupeStore(client, keys, idSecret);
    locks = new RedisLockStore(client, keys);
    makeQueue = (name) => new RedisQueue(name, client, keys, idSecret);
    cases = new RedisCaseStore(client, keys, config.operators.slaSeconds);
    operators = new RedisOperatorStore(client, keys, operatorOptions);
    events = new RedisEventBus(client, keys);
    stats = new RedisStatsStore(client, keys);
  } else {
    users = new MemoryUserStore(config.userDataTtlSeconds, clock);
    dedupe = new MemoryDedupeStore(clock);
    locks = new MemoryLockStore(clock);
    makeQueue = (name) => new MemoryQueue(name, clock);
    cases = new MemoryCaseStore(config.operators.slaSeconds);
    operators = new MemoryOperatorStore(operatorOptions);
    events = new MemoryEventBus();
    stats = new MemoryStatsStore();
  }

  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = makeQueue(name);
      queues.set(name, q);
    }
    return q;
  };
  const inboxQueue = queue('inbox');
  const outboxNames = new Set<ChannelName>();
  const outbox = (channel: ChannelName) => {
    outboxNames.add(channel);
    return queue(`outbox:${channel}`);
  };

  const metrics = new Metrics({
    inbox: () => inboxQueue.depth(),
    outboxes: () =>
      [...outboxNames].map(
        (c) => [c, () => outbox(c).depth()] as [string, () => ReturnType<DurableQueue['depth']>],
      ),
  });

  return {
    config,
    logger,
    clock,
    backend: redis ? 'redis' : 'memory',
    redis,
    keys,
    users,
    dedupe,
    locks,
    inboxQueue,
    inbox: new Inbox(inboxQueue, clock),
    outbox,
    outboxes: () => [...outboxNames].map((c) => [c, outbox(c)]),
    metrics,
    pseudonym: createPseudonymizer(config.hashSecret),
    cases,
    operators,
    events,
    stats,
    async ready() {
      const checks: Record<string, string> = {};
      if (redis) {
        try {
          await withTimeout(redis.ping(), 1000);
          checks.redis = 'ok';
        } catch {
          checks.redis = 'unreachable';
        }
      } else {
        checks.store = 'memory';
      }
      for (const [name, check] of readiness) {
        checks[name] = (await check().catch((e: Error) => e.message)) ?? 'ok';
      }
      const ok = Object.values(checks).every((v) => v === 'ok' || v === 'memory');
      return { ok, checks };
    },
    addReadinessCheck(name, check) {
      readiness.set(name, check);
    },
    async close() {
      for (const q of queues.values()) await (q as { close?: () => Promise<void> }).close?.();
      await events.close();
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
