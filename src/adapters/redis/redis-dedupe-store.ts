import type { DedupeStore } from '../../ports/dedupe-store.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

export class RedisDedupeStore implements DedupeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async markIfNew(scope: string, id: string, ttlSeconds: number): Promise<boolean> {
    const result = await wrap('mark id', () =>
      this.redis.set(this.keys.dedupe(scope, id), '1', 'EX', ttlSeconds, 'NX'),
    );
    return result === 'OK';
  }

  async forget(scope: string, id: string): Promise<void> {
    await wrap('forget id', () => this.redis.del(this.keys.dedupe(scope, id)));
  }

  async has(scope: string, id: string): Promise<boolean> {
    return (await wrap('check id', () => this.redis.exists(this.keys.dedupe(scope, id)))) === 1;
  }
}
