import type { ChannelName } from '../core/user-ref.js';
import type { DurableQueue } from '../ports/durable-queue.js';
import type { InboxEnvelope } from './envelopes.js';

/** Platforms retry for about a day; remember ids a little longer than that. */
const DEDUPE_TTL_SECONDS = 26 * 3600;

/**
 * The front door of the pipeline: a webhook calls `accept` and answers 200 only after it returns.
 * A duplicate is recognised and not stored twice. Dedupe and storing are one atomic step of the
 * queue (one Redis round trip): when storing fails nothing is marked, so the platform's retry is
 * accepted instead of being mistaken for a duplicate.
 */
export class Inbox {
  private orderKeyOf: ((envelope: InboxEnvelope) => string | undefined) | undefined;

  constructor(
    private readonly queue: DurableQueue,
    private readonly clock: { now(): number } = Date,
  ) {}

  /**
   * Names each envelope's conversation (its chat), so that worker processes handle one chat's
   * messages in the order they came, however many processes read the queue.
   */
  orderBy(keyOf: (envelope: InboxEnvelope) => string | undefined): void {
    this.orderKeyOf = keyOf;
  }

  async accept(channel: ChannelName, dedupeId: string, payload: unknown): Promise<'stored' | 'duplicate'> {
    const envelope: InboxEnvelope = { v: 1, channel, dedupeId, receivedAt: this.clock.now(), payload };
    // One atomic step: mark, store and join the chat's order. No per-call token is needed (as
    // RedisDedupeStore.markIfNew keeps against a Redis restart): a resend of a script Redis had
    // already applied answers "duplicate" only because the entry is stored, so a 200 is right.
    const id = await this.queue.addOnce(
      `${channel}:${dedupeId}`,
      DEDUPE_TTL_SECONDS,
      JSON.stringify(envelope),
      this.orderKey(envelope),
    );
    return id === null ? 'duplicate' : 'stored';
  }

  private orderKey(envelope: InboxEnvelope): string | undefined {
    try {
      return this.orderKeyOf?.(envelope);
    } catch {
      // Not readable as a message: it has no conversation to keep in order.
      return undefined;
    }
  }

  depth() {
    return this.queue.depth();
  }
}
