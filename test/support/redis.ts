import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connectRedis, deleteMatching, type RedisClient } from '../../src/adapters/redis/redis-client.js';

export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A unique key prefix per test, so tests never see each other's keys. */
export function randomPrefix(label = 't'): string {
  return `test:${label}:${randomBytes(6).toString('hex')}`;
}

/** Deletes every key under `prefix` (SCAN on every primary, so a shared server is not blocked). */
export async function cleanPrefix(redis: RedisClient, prefix: string): Promise<void> {
  await deleteMatching(redis, `${prefix}:*`);
}

/** Set only in the `redis-cluster` test project (vitest.config.ts): the local cluster's URL. */
export function redisClusterUrl(): string | undefined {
  return inject('redisClusterUrl') || undefined;
}

/**
 * A test file's backends: the usual ones (memory, the shared Redis), or in the `redis-cluster`
 * project only those built on the cluster.
 */
export function testBackends<T>(usual: T[], onCluster: (url: string) => T[]): T[] {
  const url = redisClusterUrl();
  return url ? onCluster(url) : usual;
}

export function openTestRedis(): RedisClient {
  return connectRedis(testRedisUrl());
}
