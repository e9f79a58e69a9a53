import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Case } from '../core/cases/case.js';
import { waitingMs } from '../core/cases/sla.js';

/** Posts short alerts to the operators' Telegram chat; a no-op when none is configured. */
export interface OperatorAlerts {
  readonly enabled: boolean;
  send(text: string): Promise<void>;
}

export type AlertKind = 'new' | 'sla_breach' | 'returned';

const HEADINGS: Record<AlertKind, string> = {
  new: 'Ca mới / New case',
  sla_breach: 'Chưa ai nhận / Still waiting',
  returned: 'Trả lại hàng đợi / Back in the queue',
};

/**
 * One alert line: kind, level, waiting time and a console link. Deliberately nothing else: the
 * chat is outside our control, so no name, channel id, place or message text goes there.
 */
export function caseAlertText(
  kind: AlertKind,
  c: Pick<Case, 'id' | 'level' | 'createdAt'>,
  now: number,
  publicBaseUrl: string | undefined,
): string {
  const minutes = Math.floor(waitingMs(c, now) / 60_000);
  const link = `${publicBaseUrl ?? ''}/console#case=${encodeURIComponent(c.id)}`;
  return `${HEADINGS[kind]} · ${c.level.toUpperCase()} · ${minutes} min · ${link}`;
}

/**
 * Alerts through the Bot API `sendMessage` when OPERATOR_TELEGRAM_CHAT_ID and a bot token are set.
 * Failures are logged (without the token) and never thrown: an alert must not break a case.
 */
export function createOperatorAlerts(
  config: Config,
  logger: Logger,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): OperatorAlerts {
  const chatId = config.operators.telegramChatId;
  const telegram = config.telegram;
  if (!chatId || !telegram) return { enabled: false, send: async () => {} };
  const doFetch = options.fetch ?? fetch;
  const url = `${telegram.apiRoot}/bot${telegram.token}/sendMessage`;
  return {
    enabled: true,
    async send(text: string) {
      try {
        const response = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ chat_id: chatId, text, disable_web_page_preview: true }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        });
        if (!response.ok) logger.warn({ status: response.status }, 'operator alert refused by Telegram');
      } catch (error) {
        logger.warn({ err: { name: (error as Error).name } }, 'operator alert failed');
      }
    },
  };
}
