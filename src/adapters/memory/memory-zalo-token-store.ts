import type { ZaloTokenStore, ZaloTokens } from '../../ports/zalo-token-store.js';

/** Tokens in process memory: enough for one process in development. */
export class MemoryZaloTokenStore implements ZaloTokenStore {
  private readonly pairs = new Map<string, ZaloTokens>();

  async get(appId: string): Promise<ZaloTokens | null> {
    const pair = this.pairs.get(appId);
    return pair ? { ...pair } : null;
  }

  async put(appId: string, tokens: ZaloTokens): Promise<void> {
    this.pairs.set(appId, { ...tokens });
  }
}
