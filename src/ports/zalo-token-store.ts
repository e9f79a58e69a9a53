/**
 * The Zalo OA token pair. The refresh token is single use: every refresh returns a new one and
 * kills the old, so the pair must live in one shared place and be replaced as a whole.
 */
export interface ZaloTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token stops working (0 when unknown: refresh before use). */
  expiresAt: number;
  /** Fingerprint of the configured refresh token this pair descends from (see ZaloTokenManager). */
  seed: string;
  /** Epoch ms of the last write. */
  updatedAt: number;
}

/** Where the token pair lives: Redis in production, process memory otherwise. */
export interface ZaloTokenStore {
  get(appId: string): Promise<ZaloTokens | null>;
  put(appId: string, tokens: ZaloTokens): Promise<void>;
}
