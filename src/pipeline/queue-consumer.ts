import type { Logger } from 'pino';
import type { DurableQueue, QueueEntry, Readiness } from '../ports/durable-queue.js';

export interface QueueConsumerOptions {
  queue: DurableQueue;
  /** Unique per process (and per loop): Redis tracks pending entries per consumer name. */
  consumer: string;
  /** Handles an entry; returning 'done' marks the entry's done id (see `doneMarks`) with its ack. */
  handle: (entry: QueueEntry) => Promise<void> | Promise<'done' | undefined>;
  /**
   * Names the work an entry stands for (a reply's id), so that a copy of work already done (the
   * same reply queued again by a replayed message) is acked without handling. The mark is set
   * with the ack and checked in the same step as the order, and lasts `ttlSeconds`.
   */
  doneMarks?: { idOf: (entry: QueueEntry) => string | undefined; ttlSeconds: number };
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
  /**
   * Most entries being handled (or waiting behind their key) at once; the loop reads more as
   * soon as some finish, so one slow entry does not hold back entries of other keys.
   */
  concurrency?: number;
  blockMs?: number;
  /** An entry pending this long is taken to belong to a dead consumer and is reclaimed. */
  reclaimIdleMs?: number;
  /** After this many deliveries a failing entry goes to the dead-letter queue. */
  maxDeliveries?: number;
  onDeadLetter?: (entry: QueueEntry, error: unknown) => void;
}

/** The entries of one ordering key in flight: each runs after the one before it. */
interface Chain {
  tail: Promise<void>;
  /** Entries queued on this chain and not finished. */
  count: number;
  /** An entry failed: later ones of this key are left pending for the retry, in order. */
  failed: boolean;
}

/**
 * The worker loop over a durable queue: read, handle, ack; reclaim what dead consumers left.
 * A handler that throws leaves its entry pending, so it is retried after `reclaimIdleMs`.
 * Entries run side by side up to `concurrency`, one key after another; the loop keeps reading
 * while they run (no batch waits for its slowest entry).
 */
export class QueueConsumer {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly chains = new Map<string, Chain>();
  private lastReclaim = 0;
  private slotFreed: (() => void) | undefined;
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
    this.slotFreed?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Handles what is there now and returns (tests and CLIs that do not keep a loop running). */
  async drainOnce(): Promise<number> {
    const entries = [
      ...(await this.options.queue.reclaim(this.options.consumer, this.reclaimIdleMs, this.batchSize)),
      ...(await this.options.queue.read(this.options.consumer, this.batchSize, 0)),
    ];
    await Promise.all(entries.map((entry) => this.dispatch(entry)));
    return entries.length;
  }

  private get batchSize() {
    return this.options.batchSize ?? 32;
  }
  private get concurrency() {
    return Math.max(1, this.options.concurrency ?? this.batchSize);
  }
  private get reclaimIdleMs() {
    return this.options.reclaimIdleMs ?? 30_000;
  }

  private async run(): Promise<void> {
    const { queue, consumer, logger } = this.options;
    while (this.running) {
      try {
        const room = this.concurrency - this.inFlight.size;
        if (room <= 0) {
          await new Promise<void>((resolve) => {
            this.slotFreed = resolve;
          });
          this.slotFreed = undefined;
          continue;
        }
        const count = Math.min(this.batchSize, room);
        let entries: QueueEntry[] = [];
        const now = Date.now();
        if (now - this.lastReclaim >= Math.min(this.reclaimIdleMs, 5000)) {
          this.lastReclaim = now;
          entries = await queue.reclaim(consumer, this.reclaimIdleMs, count);
        }
        if (entries.length === 0) entries = await queue.read(consumer, count, this.options.blockMs ?? 1000);
        for (const entry of entries) void this.dispatch(entry);
      } catch (error) {
        logger.error({ err: error, queue: queue.name }, 'queue loop failed; retrying');
        await sleep(500);
      }
    }
  }

  /**
   * Queues `entry` behind the entries of its key in flight here; resolves when it was handled.
   * Within this process a chat's entries run in order on its chain; across processes (with
   * `orderAcrossConsumers`) each one also waits for earlier ones in the queue's order.
   */
  private dispatch(entry: QueueEntry): Promise<void> {
    let orderKey: string | undefined;
    try {
      orderKey = this.options.orderingKey?.(entry);
    } catch {
      orderKey = undefined;
    }
    const key = orderKey ?? entry.id;
    let chain = this.chains.get(key);
    if (!chain) {
      chain = { tail: Promise.resolve(), count: 0, failed: false };
      this.chains.set(key, chain);
    }
    const own = chain;
    own.count += 1;
    const work = own.tail.then(async () => {
      try {
        // Keep a conversation in order: once one entry fails, later ones wait for the retry.
        if (!own.failed && !(await this.handleOne(entry, orderKey))) own.failed = true;
      } catch (error) {
        own.failed = true;
        this.options.logger.error({ err: error, entry: entry.id }, 'entry handling failed');
      }
    });
    own.tail = work;
    this.inFlight.add(work);
    return work.finally(() => {
      this.inFlight.delete(work);
      own.count -= 1;
      if (own.count === 0 && this.chains.get(key) === own) this.chains.delete(key);
      this.slotFreed?.();
    });
  }

  /**
   * Whether the entry may be handled: 'done' when its work was already done, 'wait' while an entry
   * queued earlier with the same order key (held by another consumer) is not done, else 'go'.
   * Asks again for a while when told to wait; one Redis call answers both questions.
   */
  private async readiness(
    entry: QueueEntry,
    orderKey: string | undefined,
    doneId: string | undefined,
  ): Promise<Readiness> {
    const { queue, orderAcrossConsumers } = this.options;
    if (orderKey === undefined && doneId === undefined) return 'go';
    // When this consumer itself left an entry of the chat pending, waiting again would only hold
    // up the other chats: the entries come back, in order, after the reclaim time.
    const waitMs =
      orderKey === undefined || this.failedHere.has(orderKey) ? 0 : (orderAcrossConsumers?.waitMs ?? 0);
    const until = Date.now() + waitMs;
    // The earlier entry may itself be waiting out a platform's per-chat limit (seconds): ask again
    // soon at first, then less often, so a long wait costs Redis a few calls rather than hundreds.
    let pause = 5;
    for (;;) {
      const ready = await queue.readiness(entry.id, { orderKey, doneId });
      if (ready !== 'wait' || Date.now() >= until) return ready;
      await sleep(pause);
      pause = Math.min(pause * 2, MAX_ORDER_POLL_MS);
    }
  }

  private rememberFailed(orderKey: string): void {
    this.failedHere.add(orderKey);
    if (this.failedHere.size > 10_000) {
      const oldest = this.failedHere.values().next().value;
      if (oldest !== undefined) this.failedHere.delete(oldest);
    }
  }

  private async handleOne(entry: QueueEntry, orderKey: string | undefined): Promise<boolean> {
    const { queue, logger, doneMarks } = this.options;
    const ordered = orderKey !== undefined && this.options.orderAcrossConsumers !== undefined;
    const ackOrder = ordered ? orderKey : undefined;
    const doneId = this.doneIdOf(entry);
    try {
      const ready = await this.readiness(entry, ackOrder, doneId);
      if (ready === 'wait') {
        logger.info(
          { queue: queue.name, entry: entry.id },
          'an earlier entry of the same chat is not done; later',
        );
        if (orderKey !== undefined) this.rememberFailed(orderKey);
        return false;
      }
      // A copy of work already done (a reply already sent) is only acked.
      const outcome = ready === 'done' ? undefined : await this.options.handle(entry);
      const mark =
        outcome === 'done' && doneMarks && doneId !== undefined
          ? { id: doneId, ttlSeconds: doneMarks.ttlSeconds }
          : undefined;
      await queue.ack(entry.id, ackOrder, mark);
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

  private doneIdOf(entry: QueueEntry): string | undefined {
    try {
      return this.options.doneMarks?.idOf(entry);
    } catch {
      return undefined;
    }
  }
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) return String((error as { code: unknown }).code);
  return error instanceof Error ? error.name : 'unknown';
}

/** Longest pause between two looks at whether a chat's earlier entry is done. */
const MAX_ORDER_POLL_MS = 160;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
