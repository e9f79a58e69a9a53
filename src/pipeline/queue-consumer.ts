import type { Logger } from 'pino';
import type { DurableQueue, QueueEntry } from '../ports/durable-queue.js';

export interface QueueConsumerOptions {
  queue: DurableQueue;
  /** Unique per process (and per loop): Redis tracks pending entries per consumer name. */
  consumer: string;
  handle: (entry: QueueEntry) => Promise<void>;
  /**
   * Entries with the same ordering key are handled one after another, in queue order; different
   * keys run side by side. Returning the chat or user keeps each conversation in order.
   */
  orderingKey?: (entry: QueueEntry) => string;
  /**
   * Keep to the ordering key's order across consumers in other processes too (entries must be
   * added with the key as their order key): an entry waits up to `waitMs` while an earlier one
   * with its key is still queued, then is left pending for a later round.
   */
  orderAcrossConsumers?: { waitMs: number };
  logger: Logger;
  batchSize?: number;
  blockMs?: number;
  /** An entry pending this long is taken to belong to a dead consumer and is reclaimed. */
  reclaimIdleMs?: number;
  /** After this many deliveries a failing entry goes to the dead-letter queue. */
  maxDeliveries?: number;
  onDeadLetter?: (entry: QueueEntry, error: unknown) => void;
}

/**
 * The worker loop over a durable queue: read, handle, ack; reclaim what dead consumers left.
 * A handler that throws leaves its entry pending, so it is retried after `reclaimIdleMs`.
 */
export class QueueConsumer {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private lastReclaim = 0;
  /** Ordering keys with an entry this consumer left pending (failed, or behind another's). */
  private readonly failedHere = new Set<string>();

  constructor(private readonly options: QueueConsumerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops reading, then waits for the entries being handled to finish. */
  async stop(): Promise<void> {
    this.running = false;
    const queue = this.options.queue as { interrupt?: () => void };
    queue.interrupt?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Handles what is there now and returns (tests and CLIs that do not keep a loop running). */
  async drainOnce(): Promise<number> {
    const entries = [
      ...(await this.options.queue.reclaim(this.options.consumer, this.reclaimIdleMs, this.batchSize)),
      ...(await this.options.queue.read(this.options.consumer, this.batchSize, 0)),
    ];
    await this.handleBatch(entries);
    return entries.length;
  }

  private get batchSize() {
    return this.options.batchSize ?? 32;
  }
  private get reclaimIdleMs() {
    return this.options.reclaimIdleMs ?? 30_000;
  }

  private async run(): Promise<void> {
    const { queue, consumer, logger } = this.options;
    while (this.running) {
      try {
        let entries: QueueEntry[] = [];
        const now = Date.now();
        if (now - this.lastReclaim >= Math.min(this.reclaimIdleMs, 5000)) {
          this.lastReclaim = now;
          entries = await queue.reclaim(consumer, this.reclaimIdleMs, this.batchSize);
        }
        if (entries.length === 0)
          entries = await queue.read(consumer, this.batchSize, this.options.blockMs ?? 1000);
        if (entries.length > 0) {
          const work = this.handleBatch(entries);
          this.inFlight.add(work);
          await work.finally(() => this.inFlight.delete(work));
        }
      } catch (error) {
        logger.error({ err: error, queue: queue.name }, 'queue loop failed; retrying');
        await sleep(500);
      }
    }
  }

  private async handleBatch(entries: QueueEntry[]): Promise<void> {
    const keyOf = this.options.orderingKey;
    const groups = new Map<string, { orderKey: string | undefined; entries: QueueEntry[] }>();
    for (const entry of entries) {
      let orderKey: string | undefined;
      try {
        orderKey = keyOf?.(entry);
      } catch {
        orderKey = undefined;
      }
      const groupKey = orderKey ?? entry.id;
      const group = groups.get(groupKey);
      if (group) group.entries.push(entry);
      else groups.set(groupKey, { orderKey, entries: [entry] });
    }
    await Promise.all(
      [...groups.values()].map(async (group) => {
        for (const entry of group.entries) {
          // Keep a conversation in order: once one entry fails, later ones wait for the retry.
          if (!(await this.handleOne(entry, group.orderKey))) break;
        }
      }),
    );
  }

  /** Waits while an entry queued earlier with the same key (held by another consumer) is not done. */
  private async earlierDone(entry: QueueEntry, orderKey: string): Promise<boolean> {
    const { queue, orderAcrossConsumers } = this.options;
    if (!orderAcrossConsumers) return true;
    // When this consumer itself left an entry of the chat pending, waiting again would only hold
    // up the other chats: the entries come back, in order, after the reclaim time.
    const until = Date.now() + (this.failedHere.has(orderKey) ? 0 : orderAcrossConsumers.waitMs);
    while (await queue.queuedBefore(orderKey, entry.id)) {
      if (Date.now() >= until) return false;
      await sleep(20);
    }
    return true;
  }

  private rememberFailed(orderKey: string): void {
    this.failedHere.add(orderKey);
    if (this.failedHere.size > 10_000) {
      const oldest = this.failedHere.values().next().value;
      if (oldest !== undefined) this.failedHere.delete(oldest);
    }
  }

  private async handleOne(entry: QueueEntry, orderKey: string | undefined): Promise<boolean> {
    const { queue, logger } = this.options;
    const ordered = orderKey !== undefined && this.options.orderAcrossConsumers !== undefined;
    try {
      if (ordered && !(await this.earlierDone(entry, orderKey))) {
        logger.info(
          { queue: queue.name, entry: entry.id },
          'an earlier entry of the same chat is not done; later',
        );
        this.rememberFailed(orderKey);
        return false;
      }
      await this.options.handle(entry);
      await queue.ack(entry.id, ordered ? orderKey : undefined);
      if (orderKey !== undefined) this.failedHere.delete(orderKey);
      return true;
    } catch (error) {
      if (ordered) this.rememberFailed(orderKey);
      const maxDeliveries = this.options.maxDeliveries ?? 10;
      if (entry.deliveries >= maxDeliveries) {
        logger.error(
          { err: error, queue: queue.name, entry: entry.id },
          'entry failed too often; dead-lettered',
        );
        await queue
          .deadLetter(entry, errorCode(error))
          .catch((e: unknown) => logger.error({ err: e }, 'dead-letter failed'));
        this.options.onDeadLetter?.(entry, error);
        return true;
      }
      logger.warn(
        { err: error, queue: queue.name, entry: entry.id, deliveries: entry.deliveries },
        'entry failed; left pending for retry',
      );
      return false;
    }
  }
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) return String((error as { code: unknown }).code);
  return error instanceof Error ? error.name : 'unknown';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
