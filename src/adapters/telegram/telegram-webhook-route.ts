import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { AppPlugin } from '../../app.js';
import type { Inbox } from '../../pipeline/inbox.js';
import { classifyUpdate } from './telegram-update.js';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** What happened to one posted or polled update. */
export type AcceptOutcome = 'stored' | 'duplicate' | 'ignored' | 'invalid';

/**
 * The one path every update takes into the inbox, from the webhook and from polling alike, so
 * dedupe by update_id and the worker behave the same in both modes. Throws when storing fails.
 */
export async function acceptTelegramUpdate(
  inbox: Inbox,
  body: unknown,
  logger: Logger,
): Promise<AcceptOutcome> {
  const classified = classifyUpdate(body);
  if (classified.kind === 'invalid') return 'invalid';
  if (classified.kind === 'ignored') {
    logger.debug({ updateId: classified.updateId, reason: classified.reason }, 'telegram update ignored');
    return 'ignored';
  }
  return inbox.accept('telegram', String(classified.update.update_id), classified.update);
}

/** Compares in constant time; hashing first makes both sides the same length whatever was sent. */
export function secretMatches(expected: string, given: unknown): boolean {
  return secretChecker(expected)(given);
}

/** `secretMatches` for one fixed secret, whose digest is computed once instead of per request. */
export function secretChecker(expected: string): (given: unknown) => boolean {
  const a = createHash('sha256').update(expected).digest();
  return (given) => {
    if (typeof given !== 'string') return false;
    return timingSafeEqual(a, createHash('sha256').update(given).digest());
  };
}

/**
 * `POST /webhooks/telegram`. The secret is checked before the body is even parsed (a stranger's
 * post costs nothing and stores nothing). A valid update is stored, then answered 200; a failure
 * to store answers 500 so Telegram delivers it again. No rate limit is registered in this scope:
 * a 429 would make Telegram back off and delay every chat.
 */
export function telegramWebhookRoute(options: { inbox: Inbox; secret: string; logger: Logger }): AppPlugin {
  const { inbox, logger } = options;
  const matches = secretChecker(options.secret);
  return (app) => {
    app.addHook('onRequest', async (request, reply) => {
      if (!matches(request.headers[SECRET_HEADER])) {
        return reply
          .code(401)
          .send({ error: { code: 'UNAUTHORIZED', message: 'Wrong or missing secret token.' } });
      }
      return undefined;
    });

    app.post(TELEGRAM_WEBHOOK_PATH, async (request, reply) => {
      let outcome: AcceptOutcome;
      try {
        outcome = await acceptTelegramUpdate(inbox, request.body, logger);
      } catch (error) {
        logger.error(
          { err: { message: (error as Error).message } },
          'telegram update not stored; Telegram will retry',
        );
        return reply.code(500).send({ error: { code: 'NOT_STORED', message: 'Not stored; please retry.' } });
      }
      if (outcome === 'invalid') {
        return reply.code(400).send({ error: { code: 'INVALID_UPDATE', message: 'Not a Telegram update.' } });
      }
      return reply.code(200).send({ ok: true });
    });
  };
}
