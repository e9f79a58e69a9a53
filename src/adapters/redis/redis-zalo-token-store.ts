import { z } from 'zod';
import type { ZaloTokenStore, ZaloTokens } from '../../ports/zalo-token-store.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

const tokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresAt: z.number(),
  seed: z.string(),
  updatedAt: z.number(),
});

/**
 * The token pair as one JSON string, so a reader never sees a new access token with an old
 * refresh token. No expiry: the refresh token lives for months and losing it means a person has
 * to authorise the OA again.
 */
export class RedisZaloTokenStore implements ZaloTokenStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async get(appId: string): Promise<ZaloTokens | null> {
    const raw = await wrap('read zalo tokens', () => this.redis.get(this.keys.zaloTokens(appId)));
    if (!raw) return null;
    try {
      return tokensSchema.parse(JSON.parse(raw));
    } catch {
      return null;
    }
  }

  async put(appId: string, tokens: ZaloTokens): Promise<void> {
    await wrap('write zalo tokens', () =>
      this.redis.set(this.keys.zaloTokens(appId), JSON.stringify(tokensSchema.parse(tokens))),
    );
  }
}
