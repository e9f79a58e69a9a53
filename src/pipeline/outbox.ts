import type { Logger } from 'pino';
import type { ChannelName } from '../core/user-ref.js';
import { ChannelApiError } from '../errors.js';
import type { DurableQueue, QueueEntry } from '../ports/durable-queue.js';
import { type OutboxEnvelope, parseOutboxEnvelope } from './envelopes.js';
import { QueueConsumer } from './queue-consumer.js';
import { SendRateLimiter } from './rate-limiter.js';

/** Sends one outbox entry on a platform. Throws ChannelApiError; `permanent` means never retry. */
export interface ChannelSender {
  readonly channel: ChannelName;
  readonly limits: { perSecond: number; perChatPerSecond: number; perChatBurst: number };
  send(envelope: OutboxEnvelope): Promise<void>;
}

/** Told when a message could not be delivered and never will be (blocked bot, closed window). */
export type UndeliverableHandler = (envelope: OutboxEnvelope, error: ChannelApiError) => Promise<void>;
/** Told after each successful send (quick-exit id tracking, case delivery state). */
export type DeliveredHandler = (envelope: OutboxEnvelope) => Promise<void>;

export interface OutboxMetrics {
  retries(channel: ChannelName): void;
  sent(channel: ChannelName): void;
  failed(channel: ChannelName): void;
}

const SENT_TTL_SECONDS = 3 * 86_400;

/**
 * Drains a channel's outbox: keeps to the platform's limits, waits `retry_after` on 429, retries
 * 5xx and network errors with backoff, gives up on permanent errors and reports them. Replies for
 * one chat go out in order. An entry is acked only after the platform took it, so a restart loses
 * nothing; a sent-mark (the queue's done mark, set by the ack) makes a replayed entry go out once.
 */
export class OutboxSender {
  private readonly consumer: QueueConsumer;
  private readonly limiter: SendRateLimiter;
  /** Ids this process sent lately, so a retry after a Redis failure never sends twice. */
  private readonly sentHere = new Set<string>();
  private readonly parsed = new WeakMap<QueueEntry, OutboxEnvelope | Error>();

  constructor(
    private readonly deps: {
      queue: DurableQueue;
      sender: ChannelSender;
      logger: Logger;
      consumerName: string;
      metrics?: OutboxMetrics;
      onUndeliverable?: UndeliverableHandler;
      onDelivered?: DeliveredHandler;
      /** How long to keep retrying in place before leaving the entry for a later round. */
      maxInlineRetryMs?: number;
      reclaimIdleMs?: number;
    },
  ) {
    this.limiter = new SendRateLimiter(deps.sender.limits);
    this.consumer = new QueueConsumer({
      queue: deps.queue,
      consumer: deps.consumerName,
      logger: deps.logger,
      handle: (entry) => this.deliver(entry),
      orderingKey: (entry) => this.envelopeOf(entry).chatId,
      // The sent-mark: set with the ack of a sent reply and read with the chat's order before a send.
      doneMarks: { idOf: (entry) => this.envelopeOf(entry).id, ttlSeconds: SENT_TTL_SECONDS },
      // Replies are queued with the chat as order key: a chat's replies go out in order even when
      // several processes send (an entry waits for an earlier one another process holds).
      orderAcrossConsumers: { waitMs: Math.floor((deps.reclaimIdleMs ?? 15_000) / 4) },
      reclaimIdleMs: deps.reclaimIdleMs ?? 15_000,
      maxDeliveries: 20,
      // Sends mostly wait (on the network, on a chat's rate limit): many chats at once, so that a
      // chat whose long reply waits out its per-chat limit does not hold back the others.
      concurrency: 512,
    });
  }

  start(): void {
    this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  drainOnce(): Promise<number> {
    return this.consumer.drainOnce();
  }

  /** Sends one entry; 'done' when the platform has it (the ack then sets the sent-mark). */
  private async deliver(entry: QueueEntry): Promise<'done' | undefined> {
    const { sender, logger, metrics } = this.deps;
    let envelope: OutboxEnvelope;
    try {
      envelope = this.envelopeOf(entry);
    } catch (error) {
      // Not ours to fix by retrying: keep it in the dead-letter queue for a person to look at.
      await this.deps.queue.deadLetter(entry, 'malformed outbox entry');
      logger.error({ err: error, entry: entry.id }, 'malformed outbox entry dead-lettered');
      return undefined;
    }
    if (this.sentHere.has(envelope.id)) {
      // Sent by this process, but the sent-mark and ack did not reach Redis: record, never resend.
      await this.deps
        .onDelivered?.(envelope)
        .catch((error: unknown) => logger.warn({ err: error }, 'delivery hook failed'));
      return 'done';
    }

    const deadline = Date.now() + (this.deps.maxInlineRetryMs ?? 60_000);
    for (let attempt = 0; ; attempt++) {
      await this.limiter.wait(envelope.chatId);
      try {
        await sender.send(envelope);
      } catch (error) {
        const apiError =
          error instanceof ChannelApiError
            ? error
            : new ChannelApiError('SEND_FAILED', 'send failed', { cause: error });
        if (apiError.permanent) {
          metrics?.failed(sender.channel);
          logger.warn(
            { channel: sender.channel, code: apiError.code, status: apiError.status, entry: entry.id },
            'message undeliverable',
          );
          await this.deps.onUndeliverable?.(envelope, apiError);
          return undefined;
        }
        const wait =
          apiError.retryAfterMs ?? Math.min(30_000, 500 * 2 ** attempt) * (0.8 + Math.random() * 0.4);
        if (Date.now() + wait > deadline) throw apiError;
        metrics?.retries(sender.channel);
        logger.info(
          { channel: sender.channel, code: apiError.code, status: apiError.status, waitMs: Math.round(wait) },
          'send failed; retrying',
        );
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      // The platform has it. Whatever fails from here on (Redis away) must not send it again.
      this.rememberSent(envelope.id);
      metrics?.sent(sender.channel);
      await this.deps
        .onDelivered?.(envelope)
        .catch((error: unknown) => logger.warn({ err: error }, 'delivery hook failed'));
      return 'done';
    }
  }

  /** The entry's envelope, parsed once though the order, the sent-mark and the send all need it. */
  private envelopeOf(entry: QueueEntry): OutboxEnvelope {
    let parsed = this.parsed.get(entry);
    if (parsed === undefined) {
      try {
        parsed = parseOutboxEnvelope(entry.payload);
      } catch (error) {
        parsed = error instanceof Error ? error : new Error(String(error));
      }
      this.parsed.set(entry, parsed);
    }
    if (parsed instanceof Error) throw parsed;
    return parsed;
  }

  private rememberSent(id: string): void {
    this.sentHere.add(id);
    if (this.sentHere.size > 10_000) {
      const oldest = this.sentHere.values().next().value;
      if (oldest !== undefined) this.sentHere.delete(oldest);
    }
  }
}
