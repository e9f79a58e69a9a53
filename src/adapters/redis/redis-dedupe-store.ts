import { randomBytes } from 'node:crypto';
import type { DedupeStore } from '../../ports/dedupe-store.js';
import { idDigest } from './id-digest.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

/**
 * Seen-marks as expiring keys. Ids often carry a chat or session id (`webchat:<session>:<msg>`),
 * so only a digest of the id becomes the key name (idDigest: keyed with HASH_SECRET when configured).
 */
export class RedisDedupeStore implements DedupeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly hashSecret?: string,
  ) {}

  private key(scope: string, id: string): string {
    return this.keys.dedupe(scope, idDigest(id, this.hashSecret));
  }

  /**
   * The mark holds a token of this call. When Redis restarts between storing the mark and
   * answering, the client sends the SET again after reconnecting and gets "exists": the token
   * tells that the mark is this call's own, so the message is not mistaken for a duplicate (and
   * dropped after a 200).
   */
  async markIfNew(scope: string, id: string, ttlSeconds: number): Promise<boolean> {
    const key = this.key(scope, id);
    const token = randomBytes(6).toString('base64url');
    const result = await wrap('mark id', () => this.redis.set(key, token, 'EX', ttlSeconds, 'NX'));
    if (result === 'OK') return true;
    return (await wrap('mark id', () => this.redis.get(key))) === token;
  }

  async forget(scope: string, id: string): Promise<void> {
    await wrap('forget id', () => this.redis.del(this.key(scope, id)));
  }

  async has(scope: string, id: string): Promise<boolean> {
    return (await wrap('check id', () => this.redis.exists(this.key(scope, id)))) === 1;
  }
}
