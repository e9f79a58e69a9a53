import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createKeys } from '../src/adapters/redis/keys.js';
import { connectRedis } from '../src/adapters/redis/redis-client.js';
import { RedisUserStore } from '../src/adapters/redis/redis-user-store.js';
import type { ConversationState } from '../src/core/engine/state.js';
import { benchRedisUrl, deletePrefix } from './_server.js';
import type { BenchResult } from './types.js';

const USERS = 100_000;

/**
 * Issue 11, figure 5: Redis memory per idle user (conversation state with lesson progress and the
 * record's expiry), for 100,000 users, as used_memory before and after on the same server.
 */
export async function run(): Promise<BenchResult[]> {
  const redis = connectRedis(benchRedisUrl()) as Redis;
  const prefix = `bench:mem:${randomBytes(4).toString('hex')}`;
  const store = new RedisUserStore(redis, createKeys(prefix), 30 * 86_400);
  const used = async () => Number((await redis.info('memory')).match(/used_memory:(\d+)/)?.[1] ?? 0);
  const state = (i: number): ConversationState => ({
    v: 1,
    flow: 'main',
    flowVersion: 1,
    node: 'menu',
    session: randomBytes(5).toString('base64url'),
    locale: i % 3 === 0 ? 'en' : 'vi',
    lastOffer: { level: 'high', flags: ['risky_destination', 'travel_costs_paid', 'too_good_to_be_true'] },
    // A teen half-way through the lessons: some done, one in progress, a few reviews scheduled.
    lessons: {
      v: 1,
      a: 1,
      c: 'debt',
      p: { debt: [2, ''] },
      d: { job_lure: [3, 5000], fake_friend: [2, 5100] },
      r: { job_lure: { q1: [5060, 1], q2: [5100, 0] } },
    },
    seen: Array.from({ length: 8 }, (_, k) => String(1_000_000 + i * 10 + k)),
    flood: [29_000_000, 3],
  });
  const before = await used();
  for (let i = 0; i < USERS; i += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, k) =>
        store.set(
          { channel: 'telegram', id: String(700_000_000 + i + k) },
          { s: JSON.stringify(state(i + k)) },
        ),
      ),
    );
  }
  const after = await used();
  await deletePrefix(redis, prefix);
  redis.disconnect();
  const perUser = (after - before) / USERS;
  return [
    {
      name: 'Redis memory per idle user (state + lesson progress)',
      value: perUser,
      unit: 'bytes',
      target: '<= 1024 bytes',
      note: `${USERS.toLocaleString('en-US')} users, used_memory ${((after - before) / 1e6).toFixed(1)} MB, state JSON ${JSON.stringify(state(1)).length} chars`,
    },
  ];
}
