import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { connectRedis, type RedisClient } from '../../src/adapters/redis/redis-client.js';
import { RedisQueue } from '../../src/adapters/redis/redis-queue.js';
import { redisBinariesMissing } from '../support/redis-cluster.js';
import { OwnRedisSentinel } from '../support/redis-sentinel.js';
import { eventually } from '../support/test-server.js';

// Starts its own primary, replica and Sentinel: needs redis-server on PATH (CI installs it).
const missing = redisBinariesMissing();
if (missing) console.warn(`Redis Sentinel test skipped: ${missing}.`);

describe.skipIf(missing)('Redis Sentinel (redis+sentinel:// URL)', () => {
  const sentinel = new OwnRedisSentinel();
  let client: RedisClient | undefined;
  beforeAll(() => sentinel.start());
  afterAll(async () => {
    client?.disconnect();
    await sentinel.destroy();
  });

  it('finds the primary through the Sentinel and follows a failover to the replica, keeping the queue', async () => {
    client = connectRedis(sentinel.url);
    client.on('error', () => undefined);
    const queue = new RedisQueue('inbox', client, createKeys('sentinel-test'));
    await queue.add('before');
    // The entry reaches the replica before the failover (replication is asynchronous).
    expect(Number(await client.call('WAIT', '1', '5000'))).toBe(1);
    expect(await sentinel.primaryPort()).toBe(sentinel.primary.port);

    await sentinel.failover();

    // Commands during the switch may fail (callers retry); then writes go to the new primary.
    let lastError = '';
    await eventually(
      async () =>
        (await queue.add('after').catch((e: Error) => {
          lastError = String((e as { cause?: Error }).cause?.message ?? e.message);
          return undefined;
        })) !== undefined,
      15_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last error: ${lastError}`);
    });
    const entries = await queue.read('worker', 10, 0);
    expect(entries.map((e) => e.payload)).toEqual(['before', 'after']);
    const role = String(await client.call('ROLE'));
    expect(role.startsWith('master')).toBe(true);
    await queue.close();
  });
});
