import type { UserRef } from '../../core/user-ref.js';
import { StoreError } from '../../errors.js';
import type { UserStore } from '../../ports/user-store.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

/** One hash per user, expiring after inactivity: small (listpack) and erasable in one DEL. */
export class RedisUserStore implements UserStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly ttlSeconds: number,
  ) {}

  async getAll(user: UserRef): Promise<Record<string, string>> {
    return wrap('read user', () => this.redis.hgetall(this.keys.user(user)));
  }

  async get(user: UserRef, field: string): Promise<string | null> {
    return wrap('read user field', () => this.redis.hget(this.keys.user(user), field));
  }

  async set(user: UserRef, fields: Record<string, string | null>): Promise<void> {
    const key = this.keys.user(user);
    const toSet: Record<string, string> = {};
    const toDelete: string[] = [];
    for (const [name, value] of Object.entries(fields)) {
      if (value === null) toDelete.push(name);
      else toSet[name] = value;
    }
    const tx = this.redis.multi();
    if (Object.keys(toSet).length > 0) tx.hset(key, toSet);
    if (toDelete.length > 0) tx.hdel(key, ...toDelete);
    tx.expire(key, this.ttlSeconds);
    await wrap('write user', () => tx.exec());
  }

  async erase(user: UserRef): Promise<void> {
    await wrap('erase user', () => this.redis.del(this.keys.user(user)));
  }
}

export async function wrap<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new StoreError(`Redis failed to ${what}`, { cause: error });
  }
}
