/** Remembers ids for a while so that retried webhooks and redelivered messages are handled once. */
export interface DedupeStore {
  /** True when `id` was not seen in `scope` within the last `ttlSeconds` (and marks it seen). */
  markIfNew(scope: string, id: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets a mark, so that a retry after a failed store is accepted again. */
  forget(scope: string, id: string): Promise<void>;
  has(scope: string, id: string): Promise<boolean>;
}
