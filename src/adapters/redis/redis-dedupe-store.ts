import { createHash, createHmac } from 'node:crypto';
import type { DedupeStore } from '../../ports/dedupe-store.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

/**
 * Seen-marks as expiring keys. Ids often carry a chat or session id (`webchat:<session>:<msg>`),
 * so only a digest of the id becomes the key name: keyed with HASH_SECRET when one is configured.
 */
export class RedisDedupeStore implements DedupeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly hashSecret?: string,
  ) {}

  private key(scope: string, id: string): string {
    const digest = this.hashSecret
      ? createHmac('sha256', this.hashSecret).update(`dedupe:${id}`)
      : createHash('sha256').update(`dedupe:${id}`);
    return this.keys.dedupe(scope, digest.digest('base64url').slice(0, 27));
  }

  async markIfNew(scope: string, id: string, ttlSeconds: number): Promise<boolean> {
    const result = await wrap('mark id', () =>
      this.redis.set(this.key(scope, id), '1', 'EX', ttlSeconds, 'NX'),
    );
    return result === 'OK';
  }

  async forget(scope: string, id: string): Promise<void> {
    await wrap('forget id', () => this.redis.del(this.key(scope, id)));
  }

  async has(scope: string, id: string): Promise<boolean> {
    return (await wrap('check id', () => this.redis.exists(this.key(scope, id)))) === 1;
  }
}
