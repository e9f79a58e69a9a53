import { randomUUID } from 'node:crypto';
import type { LockStore } from '../../ports/lock-store.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

// Delete only our own lease: a lease that expired and was taken by another holder must survive.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class RedisLockStore implements LockStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async acquire(name: string, ttlMs: number): Promise<string | null> {
    const token = randomUUID();
    const result = await wrap('take lock', () =>
      this.redis.set(this.keys.lock(name), token, 'PX', ttlMs, 'NX'),
    );
    return result === 'OK' ? token : null;
  }

  async release(name: string, token: string): Promise<void> {
    await wrap('release lock', () => this.redis.eval(RELEASE, 1, this.keys.lock(name), token));
  }
}
