import type { AppPlugin } from '../../app.js';
import type { Container } from '../../container.js';
import type { TextCatalogue } from '../../core/content.js';
import { limitPerAddress } from '../../http/rate-limit.js';
import type { UndeliverableHandler } from '../../pipeline/outbox.js';
import type { ZaloTokenStore } from '../../ports/zalo-token-store.js';
import type { EffectRunner } from '../../runtime/conversation-runtime.js';
import { MemoryZaloTokenStore } from '../memory/memory-zalo-token-store.js';
import { RedisZaloTokenStore } from '../redis/redis-zalo-token-store.js';
import { ZaloAdapter } from './zalo-adapter.js';
import { ZaloApi } from './zalo-api.js';
import { ZaloSender } from './zalo-sender.js';
import { ZaloTokenManager } from './zalo-token-manager.js';
import { ZaloUndeliverableLog } from './zalo-undeliverable-log.js';
import { zaloWebhookRoutes } from './zalo-webhook.js';

/** Everything the server wires for Zalo. */
export interface ZaloChannel {
  adapter: ZaloAdapter;
  sender: ZaloSender;
  /** POST /webhooks/zalo, in its own scope (raw-body parser). */
  plugin: AppPlugin;
  tokens: ZaloTokenManager;
  undeliverable: ZaloUndeliverableLog;
  /** Quick exit advice (Zalo cannot delete messages) and unfollow bookkeeping. */
  effectRunner(texts: TextCatalogue): EffectRunner;
}

export interface ZaloChannelOptions {
  /** Told after a reply was recorded as undeliverable (wire the case's delivery state here). */
  onUndeliverable?: UndeliverableHandler;
  tokenStore?: ZaloTokenStore;
}

/** Builds the Zalo channel from `container.config.zalo` (which must be set) and registers its readiness check. */
export function createZaloChannel(container: Container, options: ZaloChannelOptions = {}): ZaloChannel {
  const config = container.config.zalo;
  if (!config) throw new Error('createZaloChannel needs config.zalo');
  const { logger, clock } = container;
  const api = new ZaloApi({
    appId: config.appId,
    appSecret: config.appSecret,
    apiBase: config.apiBase,
    oauthBase: config.oauthBase,
  });
  const store =
    options.tokenStore ??
    (container.redis ? new RedisZaloTokenStore(container.redis, container.keys) : new MemoryZaloTokenStore());
  const tokens = new ZaloTokenManager({
    appId: config.appId,
    configRefreshToken: config.refreshToken,
    configAccessToken: config.accessToken,
    store,
    locks: container.locks,
    api,
    clock,
    logger,
  });
  const undeliverable = new ZaloUndeliverableLog(container.users, clock);
  const sender = new ZaloSender({
    api,
    tokens,
    undeliverable,
    logger,
    onUndeliverable: options.onUndeliverable,
  });
  const adapter = new ZaloAdapter(sender, logger, undeliverable);
  container.addReadinessCheck('zalo', () => tokens.health());

  return {
    adapter,
    sender,
    tokens,
    undeliverable,
    plugin: async (app) => {
      // Generous: Zalo's servers post from a few addresses; this only stops a flood of forgeries.
      await limitPerAddress(app, {
        max: container.config.http.rateLimits.zalo,
        redis: container.redis,
        nameSpace: container.keys.rateLimit('zalo'),
      });
      await zaloWebhookRoutes(app, {
        appId: config.appId,
        secret: config.oaSecretKey,
        maxEventAgeSeconds: config.maxEventAgeSeconds,
        inbox: container.inbox,
        clock,
        logger,
      });
    },
    effectRunner:
      (texts) =>
      async ({ effect, message, state }) => {
        if (message.channel !== 'zalo') return undefined;
        if (effect.type === 'quick_exit') {
          return { replies: [{ text: texts.t(state.locale, 'exit.zalo_advice'), locale: state.locale }] };
        }
        if (effect.type === 'mark_unreachable') await undeliverable.markUnreachable(message.user.id);
        return undefined;
      },
  };
}
