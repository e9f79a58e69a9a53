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
  constructor(
    private readonly queue: DurableQueue,
    private readonly clock: { now(): number } = Date,
  ) {}

  async accept(channel: ChannelName, dedupeId: string, payload: unknown): Promise<'stored' | 'duplicate'> {
    const envelope: InboxEnvelope = { v: 1, channel, dedupeId, receivedAt: this.clock.now(), payload };
    const id = await this.queue.addOnce(
      `${channel}:${dedupeId}`,
      DEDUPE_TTL_SECONDS,
      JSON.stringify(envelope),
    );
    return id === null ? 'duplicate' : 'stored';
  }

  depth() {
    return this.queue.depth();
  }
}
