import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connectRedis, type RedisClient } from '../../src/adapters/redis/redis-client.js';

export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A unique key prefix per test, so tests never see each other's keys. */
export function randomPrefix(label = 't'): string {
  return `test:${label}:${randomBytes(6).toString('hex')}`;
}

/** Deletes every key under `prefix` (SCAN, not KEYS, so a shared server is not blocked). */
export async function cleanPrefix(redis: RedisClient, prefix: string): Promise<void> {
  const client = 'nodes' in redis ? undefined : redis;
  if (!client) return;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

export function openTestRedis(): RedisClient {
  return connectRedis(testRedisUrl());
}
