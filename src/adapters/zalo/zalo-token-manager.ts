import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { ChannelApiError } from '../../errors.js';
import type { Clock } from '../../ports/clock.js';
import type { LockStore } from '../../ports/lock-store.js';
import type { ZaloTokenStore, ZaloTokens } from '../../ports/zalo-token-store.js';
import type { ZaloApi } from './zalo-api.js';

export interface ZaloTokenManagerOptions {
  appId: string;
  /** From config, used only to seed the store (first start, or after an operator re-authorised). */
  configRefreshToken: string | undefined;
  configAccessToken: string | undefined;
  store: ZaloTokenStore;
  locks: LockStore;
  api: Pick<ZaloApi, 'refresh'>;
  clock: Clock;
  logger: Logger;
  /** Refresh when less than this is left of the access token's life. */
  refreshMarginMs?: number;
  lockTtlMs?: number;
  /** How long to wait for another process's refresh before giving up. */
  waitForOtherMs?: number;
}

const LOCK = 'zalo:token-refresh';

/**
 * Keeps the OA access token usable. The refresh token is single use, so every refresh happens
 * under a lease, and the holder re-reads the store first: when another process refreshed in the
 * meantime, its tokens are used and nothing is spent. Within one process, concurrent callers
 * share one refresh.
 */
export class ZaloTokenManager {
  private inflight: Promise<ZaloTokens> | undefined;
  private problem: string | undefined;
  private seeded = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ZaloTokenManagerOptions) {}

  /** For /readyz: undefined-free status text, 'ok' when sending can work. */
  async health(): Promise<string> {
    if (this.problem) return `degraded: ${this.problem}`;
    const tokens = await this.options.store.get(this.options.appId);
    if (!tokens && !this.options.configRefreshToken && !this.options.configAccessToken) {
      return 'degraded: no token configured';
    }
    return 'ok';
  }

  /** An access token that should work now; refreshes first when it is about to expire. */
  async accessToken(): Promise<string> {
    let tokens = await this.current();
    if (!tokens?.accessToken || this.expiresSoon(tokens)) tokens = await this.refresh();
    return tokens.accessToken;
  }

  /**
   * Refreshes the pair. `rejected` is the access token Zalo just refused: if the store already
   * holds a different one, another process refreshed and that one is used.
   */
  refresh(rejected?: string): Promise<ZaloTokens> {
    if (!this.inflight) {
      this.inflight = this.refreshShared(rejected).finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /** Checks every `intervalMs` and refreshes ahead of expiry, so an idle OA keeps its refresh token alive. */
  startTimer(intervalMs = 10 * 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.accessToken().catch(() => undefined);
    }, intervalMs);
    this.timer.unref();
  }

  stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private expiresSoon(tokens: ZaloTokens): boolean {
    return tokens.expiresAt - this.options.clock.now() < (this.options.refreshMarginMs ?? 60 * 60_000);
  }

  private usable(tokens: ZaloTokens | null, rejected: string | undefined): boolean {
    return (
      !!tokens && tokens.accessToken !== '' && tokens.accessToken !== rejected && !this.expiresSoon(tokens)
    );
  }

  /** The stored pair, seeding it from config the first time (or when config names a new grant). */
  private async current(): Promise<ZaloTokens | null> {
    const { store, appId } = this.options;
    const stored = await store.get(appId);
    if (this.seeded) return stored;
    const seed = this.seedFingerprint();
    if (!seed || stored?.seed === seed) {
      this.seeded = true;
      return stored;
    }
    return this.withLease(async () => {
      const again = await store.get(appId);
      if (again?.seed !== seed) {
        const now = this.options.clock.now();
        const tokens: ZaloTokens = {
          accessToken: this.options.configAccessToken ?? '',
          refreshToken: this.options.configRefreshToken ?? again?.refreshToken ?? '',
          // The configured access token's age is unknown: use it a little, then refresh.
          expiresAt: this.options.configAccessToken ? now + 2 * 60 * 60_000 : 0,
          seed,
          updatedAt: now,
        };
        await store.put(appId, tokens);
        this.options.logger.info({ channel: 'zalo' }, 'zalo tokens seeded from configuration');
        this.seeded = true;
        return tokens;
      }
      this.seeded = true;
      return again;
    });
  }

  private seedFingerprint(): string | undefined {
    const source = this.options.configRefreshToken ?? this.options.configAccessToken;
    if (!source) return undefined;
    return createHash('sha256').update(`zalo-seed:${source}`).digest('hex').slice(0, 16);
  }

  private async refreshShared(rejected: string | undefined): Promise<ZaloTokens> {
    const { store, appId, api, clock, logger } = this.options;
    try {
      await this.current();
      const result = await this.withLease(async () => {
        const stored = await store.get(appId);
        if (stored && this.usable(stored, rejected)) return stored;
        if (!stored?.refreshToken) {
          throw new ChannelApiError('ZALO_NO_REFRESH_TOKEN', 'No Zalo refresh token stored or configured', {
            permanent: true,
          });
        }
        const fresh = await api.refresh(stored.refreshToken);
        const now = clock.now();
        const next: ZaloTokens = {
          accessToken: fresh.accessToken,
          refreshToken: fresh.refreshToken,
          expiresAt: now + fresh.expiresInSeconds * 1000,
          seed: stored.seed,
          updatedAt: now,
        };
        // The old refresh token is dead now: losing this write would lose the OA. Try hard.
        await retry(() => store.put(appId, next), 3);
        return next;
      }, rejected);
      if (this.problem) logger.info({ channel: 'zalo' }, 'zalo token refresh works again');
      this.problem = undefined;
      return result;
    } catch (error) {
      const code = error instanceof ChannelApiError ? error.code : 'ZALO_REFRESH_FAILED';
      this.problem = code === 'ZALO_REFRESH_REFUSED' ? 'token refresh refused' : 'token refresh failed';
      logger.error(
        { channel: 'zalo', code, status: (error as ChannelApiError).status },
        'ZALO TOKEN REFRESH FAILED: replies cannot be sent until it works; if Zalo refused the refresh token, authorise the OA again and set ZALO_REFRESH_TOKEN',
      );
      if (error instanceof ChannelApiError) throw error;
      throw new ChannelApiError('ZALO_REFRESH_FAILED', 'Zalo token refresh failed', { cause: error });
    }
  }

  /**
   * Runs `work` holding the refresh lease. While another process holds it, waits and watches the
   * store: once a usable token appears there, returns it without taking the lease.
   */
  private async withLease(work: () => Promise<ZaloTokens | null>, rejected?: string): Promise<ZaloTokens> {
    const { locks, store, appId } = this.options;
    const ttl = this.options.lockTtlMs ?? 20_000;
    // Real time on purpose: this bounds how long we actually wait, whatever the injected clock says.
    const deadline = Date.now() + (this.options.waitForOtherMs ?? ttl + 5000);
    for (let attempt = 0; ; attempt++) {
      const lease = await locks.acquire(LOCK, ttl);
      if (lease) {
        try {
          const result = await work();
          if (!result)
            throw new ChannelApiError('ZALO_NO_TOKEN', 'No Zalo token available', { permanent: true });
          return result;
        } finally {
          await locks.release(LOCK, lease).catch(() => undefined);
        }
      }
      const other = await store.get(appId);
      if (other && this.seeded && this.usable(other, rejected)) return other;
      if (Date.now() > deadline) {
        throw new ChannelApiError(
          'ZALO_REFRESH_BUSY',
          'Another process holds the Zalo token lease for too long',
        );
      }
      await sleep(Math.min(50 + attempt * 25, 250));
    }
  }
}

async function retry(run: () => Promise<void>, times: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= times) throw error;
      await sleep(100 * attempt);
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
