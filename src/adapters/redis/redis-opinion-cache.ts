import type { OpinionCache } from '../openai/offer-second-opinion.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

/** Second opinions cached in Redis by text hash, with an expiry. */
export class RedisOpinionCache implements OpinionCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.llmCache(key))) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.keys.llmCache(key), value, 'EX', ttlSeconds);
  }
}
