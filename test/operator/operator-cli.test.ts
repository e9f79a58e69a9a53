import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeys } from '../../src/adapters/redis/keys.js';
import type { RedisClient } from '../../src/adapters/redis/redis-client.js';
import { RedisOperatorStore } from '../../src/adapters/redis/redis-operator-store.js';
import { cleanPrefix, openTestRedis, testRedisUrl } from '../support/redis.js';
import { envPrefix, HASH_SECRET } from './operator-harness.js';

describe('operator CLI', () => {
  let redis: RedisClient;
  let prefix: string;
  let store: RedisOperatorStore;
  beforeAll(() => {
    redis = openTestRedis();
    prefix = envPrefix('cli');
    store = new RedisOperatorStore(redis, createKeys(prefix), { hashSecret: HASH_SECRET, sessionHours: 12 });
  });
  afterAll(async () => {
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  });

  // The first call goes through npx exactly as documented; the rest call tsx directly (faster).
  let viaNpx = true;
  const run = (...args: string[]) => {
    const [command, prefixArgs] = viaNpx ? ['npx', ['tsx']] : [join('node_modules', '.bin', 'tsx'), []];
    viaNpx = false;
    const result = spawnSync(command, [...prefixArgs, 'src/cli/operator.ts', ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: prefix,
        HASH_SECRET,
        LOG_LEVEL: 'silent',
      },
      timeout: 60_000,
    });
    return {
      status: result.status,
      lines: result.stdout.trim().split('\n').filter(Boolean),
      stderr: result.stderr,
    };
  };

  it('adds, lists, resets and disables accounts in the server’s store', async () => {
    const added = run('add', 'alice', '--role', 'operator');
    expect(added.status).toBe(0);
    expect(added.lines).toHaveLength(1);
    const account = JSON.parse(added.lines[0]!);
    expect(Object.keys(account)).toEqual(['name', 'role', 'secret']);
    expect(account).toMatchObject({ name: 'alice', role: 'operator' });
    expect(await store.verify('alice', account.secret)).toMatchObject({ name: 'alice' });
    const stored = await redis.hgetall(createKeys(prefix).operatorAccount('alice'));
    expect(stored.hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(JSON.stringify(stored)).not.toContain(account.secret);

    expect(run('add', 'alice', '--role', 'boss').status).toBe(2);

    const listed = run('list');
    expect(listed.lines.map((l) => JSON.parse(l))).toEqual([
      { name: 'alice', role: 'operator', disabled: false, createdAt: expect.any(Number) },
    ]);
    expect(listed.lines.join('\n')).not.toContain(account.secret);

    const reset = run('reset', 'alice');
    const fresh = JSON.parse(reset.lines[0]!);
    expect(fresh).toEqual({ name: 'alice', secret: expect.any(String) });
    expect(await store.verify('alice', account.secret)).toBeNull();
    expect(await store.verify(undefined, fresh.secret)).toMatchObject({ name: 'alice' });

    expect(JSON.parse(run('disable', 'alice').lines[0]!)).toEqual({ name: 'alice', disabled: true });
    expect(await store.verify('alice', fresh.secret)).toBeNull();
  }, 180_000);
});
