import { Telegraf } from 'telegraf';
import type { TelegramConfig } from './telegram-adapter.js';
import { toChannelApiError } from './telegram-errors.js';
import { ALLOWED_UPDATES } from './telegram-update.js';
import { TELEGRAM_WEBHOOK_PATH } from './telegram-webhook-route.js';

export type WebhookCommand = 'set' | 'delete' | 'info';

/** The webhook URL Telegram should call, from PUBLIC_BASE_URL. */
export function webhookUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
}

/**
 * Registers, removes or describes the bot's webhook. `set` sends the secret and the update kinds
 * the bot reads; pending updates are kept (they are people's messages). Throws ChannelApiError.
 */
export async function manageWebhook(
  telegram: TelegramConfig,
  publicBaseUrl: string | undefined,
  command: WebhookCommand,
): Promise<unknown> {
  if (command === 'set' && !publicBaseUrl) {
    throw new Error('PUBLIC_BASE_URL must be set to register the webhook');
  }
  if (command === 'set' && !telegram.webhookSecret) {
    throw new Error('TELEGRAM_WEBHOOK_SECRET must be set to register the webhook');
  }
  const client = new Telegraf(telegram.token, {
    telegram: { webhookReply: false, apiRoot: telegram.apiRoot },
  }).telegram;
  try {
    if (command === 'info') return await client.getWebhookInfo();
    if (command === 'delete') return await client.deleteWebhook({ drop_pending_updates: false });
    const url = webhookUrl(publicBaseUrl!);
    const done = await client.setWebhook(url, {
      secret_token: telegram.webhookSecret,
      allowed_updates: [...ALLOWED_UPDATES],
      drop_pending_updates: false,
    });
    return { ok: done, url, allowed_updates: ALLOWED_UPDATES };
  } catch (error) {
    throw toChannelApiError(error);
  }
}
