/** One entry read from a durable queue. `deliveries` counts how often it was handed out. */
export interface QueueEntry {
  id: string;
  payload: string;
  deliveries: number;
}

/** See DurableQueue.readiness. */
export type Readiness = 'done' | 'wait' | 'go';

/** Marks an id done when its entry is acked, so that a copy of the entry is not handled again. */
export interface DoneMark {
  id: string;
  ttlSeconds: number;
}

/**
 * An at-least-once queue with a consumer group (Redis streams in production). An entry read but
 * not acked stays pending; after `minIdleMs` another consumer may reclaim it. Acked entries are
 * deleted. Entries that failed too often are moved to a dead-letter queue, never dropped.
 */
export interface DurableQueue {
  readonly name: string;
  /**
   * Adds an entry. With `orderKey` (a chat), the entry also joins that key's order, so that
   * consumers in several processes can keep to it: see `readiness`.
   */
  add(payload: string, orderKey?: string): Promise<string>;
  /**
   * Adds `payload` (joining `orderKey`'s order, as `add` does) unless an entry with the same
   * `onceId` was added within `ttlSeconds`, in one atomic step: null for such a duplicate. A
   * failed call leaves no mark, so a retry is accepted. Redis key names carry only a digest of
   * `onceId` (it may hold a chat or session id).
   */
  addOnce(onceId: string, ttlSeconds: number, payload: string, orderKey?: string): Promise<string | null>;
  /**
   * Whether entry `id` may be handled now, in one step: 'done' when `doneId` was marked done (by
   * `ack`) within its time, 'wait' when an entry added with `orderKey` before it is still in the
   * queue (not yet acked or dead-lettered), else 'go'. Entries found done are dropped from the
   * order on the way. Redis key names carry only a digest of `doneId`.
   */
  readiness(id: string, options: { orderKey?: string; doneId?: string }): Promise<Readiness>;
  /** New entries for `consumer`, waiting up to `blockMs` when there are none. */
  read(consumer: string, count: number, blockMs: number): Promise<QueueEntry[]>;
  /** Entries pending longer than `minIdleMs` (any consumer), now owned by `consumer`. */
  reclaim(consumer: string, minIdleMs: number, count: number): Promise<QueueEntry[]>;
  /**
   * Deletes a handled entry; with `orderKey`, it also leaves that key's order; with `done`, marks
   * `done.id` done for `done.ttlSeconds` (see `readiness`). One atomic step.
   */
  ack(id: string, orderKey?: string, done?: DoneMark): Promise<void>;
  /** Acks the entry and keeps its payload in the dead-letter queue with the reason. */
  deadLetter(entry: QueueEntry, reason: string): Promise<void>;
  /** Drops dead letters older than `time` (they hold message payloads: kept only so long). */
  trimDeadBefore(time: number): Promise<number>;
  depth(): Promise<{ waiting: number; pending: number; dead: number }>;
}
