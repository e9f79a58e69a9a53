import type { Logger } from 'pino';
import { ChannelApiError } from '../../errors.js';
import type { OutboxEnvelope } from '../../pipeline/envelopes.js';
import type { ChannelSender, UndeliverableHandler } from '../../pipeline/outbox.js';
import type { ZaloApi } from './zalo-api.js';
import { renderZaloReply } from './zalo-render.js';
import type { ZaloTokenManager } from './zalo-token-manager.js';
import type { ZaloUndeliverableLog } from './zalo-undeliverable-log.js';

/** Zalo errors meaning the user must write to the OA before we may send again. */
const OUTSIDE_WINDOW = new Set([-213, -230, -232]);
const TOKEN_ERRORS = new Set([-216, -220]);
const RATE_LIMITED = new Set([-32, -211]);

export interface ZaloSenderOptions {
  api: Pick<ZaloApi, 'sendCs'>;
  tokens: Pick<ZaloTokenManager, 'accessToken' | 'refresh'>;
  undeliverable: ZaloUndeliverableLog;
  logger: Logger;
  /** Told after an undeliverable reply is recorded (the integrator wires cases here). */
  onUndeliverable?: UndeliverableHandler;
}

/**
 * Sends outbox replies with the v3 consultation API. Every answer's `error` is checked (Zalo
 * reports failures with HTTP 200). A refused token is refreshed and the call tried once more.
 * A reply split into several messages remembers, in this process, which parts went out, so a
 * retry does not repeat them.
 */
export class ZaloSender implements ChannelSender {
  readonly channel = 'zalo' as const;
  /** 4,000 requests a minute per app; one message a second per user with a small burst. */
  readonly limits = { perSecond: 60, perChatPerSecond: 1, perChatBurst: 3 };
  private readonly partsSent = new Map<string, number>();

  constructor(private readonly options: ZaloSenderOptions) {}

  async send(envelope: OutboxEnvelope): Promise<void> {
    const messages = renderZaloReply(envelope.reply);
    const done = this.partsSent.get(envelope.id) ?? 0;
    try {
      for (let i = done; i < messages.length; i++) {
        await this.sendOne(envelope.chatId, messages[i]);
        if (i + 1 < messages.length) this.remember(envelope.id, i + 1);
      }
    } catch (error) {
      if (error instanceof ChannelApiError && error.permanent) {
        this.partsSent.delete(envelope.id);
        await this.reportUndeliverable(envelope, error);
      }
      throw error;
    }
    this.partsSent.delete(envelope.id);
  }

  private async sendOne(userId: string, message: unknown): Promise<void> {
    const body = { recipient: { user_id: userId }, message };
    let token = await this.token();
    for (let attempt = 0; ; attempt++) {
      const answer = await this.options.api.sendCs(token, body);
      const code = Number(answer.error ?? 0);
      if (code === 0) return;
      if (TOKEN_ERRORS.has(code) && attempt === 0) {
        this.options.logger.warn(
          { channel: 'zalo', zaloError: code },
          'zalo refused the access token; refreshing',
        );
        token = await this.token(token);
        continue;
      }
      throw zaloError(code);
    }
  }

  /** A token problem is not the message's fault: keep it queued (retryable) until tokens work again. */
  private async token(rejected?: string): Promise<string> {
    try {
      if (rejected !== undefined) return (await this.options.tokens.refresh(rejected)).accessToken;
      return await this.options.tokens.accessToken();
    } catch (error) {
      throw new ChannelApiError('ZALO_TOKEN_UNAVAILABLE', 'No usable Zalo access token', { cause: error });
    }
  }

  private async reportUndeliverable(envelope: OutboxEnvelope, error: ChannelApiError): Promise<void> {
    const zaloCode = (error as ChannelApiError & { zaloError?: number }).zaloError;
    try {
      await this.options.undeliverable.record(envelope.userId, {
        id: envelope.id,
        code: error.code,
        zaloError: zaloCode,
        caseId: envelope.caseId,
        fromOperator: envelope.reply.from === 'operator' || undefined,
      });
      await this.options.onUndeliverable?.(envelope, error);
    } catch (hookError) {
      this.options.logger.warn(
        { err: hookError, channel: 'zalo' },
        'recording an undeliverable zalo reply failed',
      );
    }
  }

  private remember(id: string, parts: number): void {
    this.partsSent.set(id, parts);
    if (this.partsSent.size > 1000) {
      const oldest = this.partsSent.keys().next().value;
      if (oldest !== undefined) this.partsSent.delete(oldest);
    }
  }
}

/** A ChannelApiError that also carries Zalo's numeric error. */
export class ZaloApiError extends ChannelApiError {
  readonly zaloError: number;
  constructor(
    zaloError: number,
    code: string,
    message: string,
    details: { permanent?: boolean; retryAfterMs?: number },
  ) {
    super(code, message, details);
    this.zaloError = zaloError;
  }
}

/** Maps Zalo's `error` field to what the outbox should do. */
export function zaloError(code: number): ZaloApiError {
  if (OUTSIDE_WINDOW.has(code)) {
    return new ZaloApiError(code, 'ZALO_OUTSIDE_WINDOW', 'undeliverable: user must write first', {
      permanent: true,
    });
  }
  if (TOKEN_ERRORS.has(code)) {
    return new ZaloApiError(code, 'ZALO_TOKEN_REJECTED', `Zalo rejected the access token (${code})`, {});
  }
  if (RATE_LIMITED.has(code)) {
    return new ZaloApiError(code, 'ZALO_RATE_LIMITED', `Zalo rate limit or quota (${code})`, {
      retryAfterMs: code === -32 ? 1000 : undefined,
    });
  }
  if (code === -201) {
    return new ZaloApiError(code, 'ZALO_BAD_PARAMETER', 'Zalo refused a parameter of the message (-201)', {
      permanent: true,
    });
  }
  // Unknown errors: retrying blindly could spam a person; report and keep the code for a human.
  return new ZaloApiError(code, 'ZALO_API_ERROR', `Zalo error ${code}`, { permanent: true });
}
