import { TelegramError } from 'telegraf';
import { ChannelApiError } from '../../errors.js';

/** Codes the rest of the app may act on (the sender's undeliverable hook looks for BLOCKED). */
export const TELEGRAM_ERROR_CODES = {
  blocked: 'TELEGRAM_BLOCKED',
  forbidden: 'TELEGRAM_FORBIDDEN',
  badRequest: 'TELEGRAM_BAD_REQUEST',
  rateLimited: 'TELEGRAM_RATE_LIMITED',
  server: 'TELEGRAM_SERVER_ERROR',
  auth: 'TELEGRAM_AUTH',
  network: 'TELEGRAM_NETWORK',
} as const;

/**
 * Maps whatever a telegraf call threw to a ChannelApiError. 429 carries retry_after; 5xx and
 * network failures are retried; 400 and 403 never will succeed. A wrong token (401/404) is
 * retried: the operator fixes the token, and the replies waiting in the outbox then go out.
 * The original error is not kept as `cause`: telegraf attaches the call's payload (the user's
 * text) to it, and whatever logs the cause would leak that text.
 */
export function toChannelApiError(error: unknown): ChannelApiError {
  if (error instanceof ChannelApiError) return error;
  if (error instanceof TelegramError) {
    const status = error.code;
    const description = error.description ?? '';
    if (status === 429) {
      const seconds = error.parameters?.retry_after ?? 1;
      return new ChannelApiError(TELEGRAM_ERROR_CODES.rateLimited, 'Telegram asked to slow down', {
        status,
        retryAfterMs: Math.max(0, seconds) * 1000,
      });
    }
    if (status >= 500) {
      return new ChannelApiError(TELEGRAM_ERROR_CODES.server, 'Telegram server error', { status });
    }
    if (status === 403) {
      const blocked = /blocked by the user|user is deactivated/i.test(description);
      return new ChannelApiError(
        blocked ? TELEGRAM_ERROR_CODES.blocked : TELEGRAM_ERROR_CODES.forbidden,
        blocked ? 'the user blocked the bot' : 'Telegram refused the chat',
        { status, permanent: true },
      );
    }
    if (status === 401 || status === 404) {
      return new ChannelApiError(TELEGRAM_ERROR_CODES.auth, 'Telegram refused the bot token', {
        status,
      });
    }
    // Descriptions quote nothing the user wrote, so they are safe to keep for operators' logs.
    return new ChannelApiError(TELEGRAM_ERROR_CODES.badRequest, `Telegram refused the call: ${description}`, {
      status,
      permanent: true,
    });
  }
  const code = (error as { code?: unknown } | null)?.code;
  const detail = typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? ` (${code})` : '';
  return new ChannelApiError(TELEGRAM_ERROR_CODES.network, `Telegram could not be reached${detail}`);
}
