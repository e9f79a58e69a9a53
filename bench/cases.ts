import { randomBytes } from 'node:crypto';
import { MemoryCaseStore } from '../src/adapters/memory/memory-case-store.js';
import { createKeys } from '../src/adapters/redis/keys.js';
import { RedisCaseStore } from '../src/adapters/redis/redis-case-store.js';
import { connectRedis, type RedisClient } from '../src/adapters/redis/redis-client.js';
import type { CaseStore } from '../src/ports/case-store.js';
import { deletePrefix } from './_server.js';
import type { BenchResult } from './types.js';

const SLA = { imminent: 120, high: 600, concern: 3600 };
const ROUNDS = 200;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

async function measure(store: CaseStore): Promise<{ open: number[]; claim: number[] }> {
  const open: number[] = [];
  const claim: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const { case: c } = await store.createOrGetOpen(
      {
        level: i % 3 === 0 ? 'imminent' : 'high',
        channel: 'telegram',
        userId: `bench-${i}`,
        chatId: `bench-${i}`,
        locale: 'vi',
        signals: ['confined'],
        transcript: [{ at: Date.now(), from: 'user', text: 'bench message' }],
      },
      Date.now(),
    );
    await store.list('waiting', 50);
    open.push(performance.now() - start);
    const t = performance.now();
    await store.claim(c.id, 'bench', Date.now());
    claim.push(performance.now() - t);
  }
  return { open, claim };
}

/**
 * Store side of "distress message → case visible to operators": opening a case and reading the
 * queue, and an atomic claim, on Redis (REDIS_URL or 127.0.0.1:6379) or memory when none answers.
 */
export async function run(): Promise<BenchResult[]> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `bench.cases.${randomBytes(4).toString('hex')}`;
  let redis: RedisClient | undefined = connectRedis(url, { lazy: true });
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    redis.disconnect();
    redis = undefined;
  }
  const store = redis ? new RedisCaseStore(redis, createKeys(prefix), SLA) : new MemoryCaseStore(SLA);
  const backend = redis ? 'redis' : 'memory';
  try {
    const { open, claim } = await measure(store);
    return [
      {
        name: `cases.open_and_list.p99 (${backend})`,
        value: Number(percentile(open, 0.99).toFixed(2)),
        unit: 'ms',
        target: '< 200 ms',
        note: `p50 ${percentile(open, 0.5).toFixed(2)} ms over ${ROUNDS} cases`,
      },
      {
        name: `cases.claim.p99 (${backend})`,
        value: Number(percentile(claim, 0.99).toFixed(2)),
        unit: 'ms',
        note: `p50 ${percentile(claim, 0.5).toFixed(2)} ms`,
      },
    ];
  } finally {
    if (redis) {
      await deletePrefix(redis, prefix);
      redis.disconnect();
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((results) => {
    for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
  });
}
