import type { Logger } from 'pino';
import type { AppPlugin } from '../../app.js';
import type { Container } from '../../container.js';
import { loadTelegramCommands } from '../../content/telegram-commands.js';
import type { TextCatalogue } from '../../core/content.js';
import { TelegramAdapter, type TelegramConfig } from './telegram-adapter.js';
import { TelegramPoller } from './telegram-polling.js';
import { telegramWebhookRoute } from './telegram-webhook-route.js';

/** Everything the server needs from the Telegram channel. */
export interface TelegramChannel {
  adapter: TelegramAdapter;
  /** The webhook route; absent in polling mode. */
  plugin: AppPlugin | undefined;
  /** getMe, setMyCommands, and the polling loop in polling mode (`poll` false on a web-only node). */
  start(options: { poll: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the Telegram channel from its config section. Throws ContentError when the command menu is broken. */
export function createTelegramChannel(deps: {
  telegram: TelegramConfig;
  container: Container;
  texts: TextCatalogue;
  root: string;
  logger: Logger;
}): TelegramChannel {
  const { telegram, container, logger } = deps;
  const adapter = new TelegramAdapter({
    telegram,
    users: container.users,
    outbox: container.outbox('telegram'),
    texts: deps.texts,
    commands: loadTelegramCommands(deps.root),
    logger,
    clock: container.clock,
  });
  const plugin =
    telegram.mode === 'webhook' && telegram.webhookSecret
      ? telegramWebhookRoute({ inbox: container.inbox, secret: telegram.webhookSecret, logger })
      : undefined;
  let poller: TelegramPoller | undefined;
  return {
    adapter,
    plugin,
    async start({ poll }) {
      // Not awaited: a slow or unreachable Telegram must not hold up the start of the whole server
      // (each call already logs its own failure; mentions in groups work once getMe answered).
      void adapter.start();
      if (telegram.mode === 'polling' && poll && !poller) {
        poller = new TelegramPoller({ adapter, inbox: container.inbox, logger });
        poller.start();
      }
    },
    async stop() {
      await poller?.stop();
      poller = undefined;
    },
  };
}
