import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { RequestError } from '../../errors.js';
import type { Inbox } from '../../pipeline/inbox.js';
import type { Clock } from '../../ports/clock.js';
import { zaloDedupeId, zaloEventSchema } from './zalo-events.js';
import { parseJsonKeepingBigInts } from './zalo-json.js';
import { verifyZaloSignature } from './zalo-signature.js';

export interface ZaloWebhookOptions {
  appId: string;
  /** The secret in the signature (ZALO_OA_SECRET_KEY; which Zalo secret it is, is unconfirmed). */
  secret: string;
  maxEventAgeSeconds: number;
  inbox: Inbox;
  clock: Clock;
  logger: Logger;
  /** Zalo events are small; a large body is not from Zalo. */
  bodyLimit?: number;
}

/**
 * POST /webhooks/zalo. Must be registered in its own encapsulated scope: it replaces the JSON
 * parser with one that keeps the raw bytes, because the signature covers them exactly.
 * Order: parse, verify signature, check age, validate, store; only a stored or duplicate event
 * gets 200, so Zalo retries whatever we failed to keep.
 */
export async function zaloWebhookRoutes(app: FastifyInstance, options: ZaloWebhookOptions): Promise<void> {
  const { inbox, clock, logger } = options;
  app.removeAllContentTypeParsers();
  // Zalo's content type is not documented precisely: accept any, the signature decides.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post('/webhooks/zalo', { bodyLimit: options.bodyLimit ?? 64 * 1024 }, async (request, reply) => {
    const raw = request.body;
    if (!Buffer.isBuffer(raw) || raw.length === 0) {
      throw new RequestError(400, 'ZALO_EMPTY_BODY', 'Empty body.');
    }
    let parsed: unknown;
    try {
      parsed = parseJsonKeepingBigInts(raw.toString('utf8'));
    } catch {
      throw new RequestError(400, 'INVALID_JSON', 'Body is not valid JSON.');
    }
    const fields = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
    const timestamp =
      typeof fields.timestamp === 'string' || typeof fields.timestamp === 'number'
        ? String(fields.timestamp)
        : '';
    const header = request.headers['x-zevent-signature'];
    const signature = Array.isArray(header) ? header[0] : header;
    if (!verifyZaloSignature(signature, options.appId, raw, timestamp, options.secret)) {
      logger.warn(
        { channel: 'zalo', reason: signature ? 'mismatch' : 'missing' },
        'zalo webhook signature rejected',
      );
      throw new RequestError(401, 'ZALO_BAD_SIGNATURE', 'Signature missing or wrong.');
    }
    if (fields.app_id !== undefined && String(fields.app_id) !== options.appId) {
      throw new RequestError(401, 'ZALO_WRONG_APP', 'Event for another app.');
    }
    const sentAt = Number(timestamp);
    if (!Number.isFinite(sentAt) || Math.abs(clock.now() - sentAt) > options.maxEventAgeSeconds * 1000) {
      logger.warn({ channel: 'zalo' }, 'zalo webhook event too old or from the future; rejected as a replay');
      throw new RequestError(401, 'ZALO_STALE_EVENT', 'Event timestamp too far from now.');
    }
    const event = zaloEventSchema.parse(parsed);
    const status = await inbox.accept('zalo', zaloDedupeId(event), event);
    return reply.code(200).send({ status });
  });
}
