/** One entry read from a durable queue. `deliveries` counts how often it was handed out. */
export interface QueueEntry {
  id: string;
  payload: string;
  deliveries: number;
}

/**
 * An at-least-once queue with a consumer group (Redis streams in production). An entry read but
 * not acked stays pending; after `minIdleMs` another consumer may reclaim it. Acked entries are
 * deleted. Entries that failed too often are moved to a dead-letter queue, never dropped.
 */
export interface DurableQueue {
  readonly name: string;
  add(payload: string): Promise<string>;
  /**
   * Adds `payload` unless an entry with the same `onceId` was added within `ttlSeconds`, in one
   * atomic step: null for such a duplicate. A failed call leaves no mark, so a retry is accepted.
   */
  addOnce(onceId: string, ttlSeconds: number, payload: string): Promise<string | null>;
  /** New entries for `consumer`, waiting up to `blockMs` when there are none. */
  read(consumer: string, count: number, blockMs: number): Promise<QueueEntry[]>;
  /** Entries pending longer than `minIdleMs` (any consumer), now owned by `consumer`. */
  reclaim(consumer: string, minIdleMs: number, count: number): Promise<QueueEntry[]>;
  ack(id: string): Promise<void>;
  /** Acks the entry and keeps its payload in the dead-letter queue with the reason. */
  deadLetter(entry: QueueEntry, reason: string): Promise<void>;
  depth(): Promise<{ waiting: number; pending: number; dead: number }>;
}
