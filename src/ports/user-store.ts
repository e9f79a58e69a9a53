import type { RecentId, RecentIdsKeep } from '../core/recent-ids.js';
import type { UserRef } from '../core/user-ref.js';

/** A user's lease, taken together with one field of their record. */
export interface UserLease {
  token: string;
  /** The field asked for, read after the lease was taken (null when absent). */
  value: string | null;
}

/**
 * Everything we keep about one user (conversation state, lesson progress, message ids for quick
 * exit) lives in named fields of ONE record that expires after a period of inactivity. Keeping it
 * in one place makes "forget me" a single delete and keeps the per-user memory small.
 */
export interface UserStore {
  /** All fields of the user's record (empty when there is none). */
  getAll(user: UserRef): Promise<Record<string, string>>;
  get(user: UserRef, field: string): Promise<string | null>;
  /** Writes fields and restarts the record's expiry. A null value deletes that field. */
  set(user: UserRef, fields: Record<string, string | null>): Promise<void>;
  /**
   * Adds `entry` to the recent ids kept in `field` (see core/recent-ids: an earlier entry of the
   * same id and entries older than `keep` go) and deletes the `clear` fields, restarting the
   * record's expiry as `set` does: one step, so that two writers of the field lose nothing.
   */
  addRecentId(
    user: UserRef,
    field: string,
    entry: RecentId,
    keep: RecentIdsKeep,
    clear?: readonly string[],
  ): Promise<void>;
  /** Deletes everything stored for the user. */
  erase(user: UserRef): Promise<void>;
  /**
   * Takes the user's lease (one holder at a time; it lapses after `ttlMs`) and, in the same step,
   * reads `field`. Null when someone else holds the lease.
   */
  lease(user: UserRef, ttlMs: number, field: string): Promise<UserLease | null>;
  /**
   * Writes `fields` as `set` does (when given), then releases the lease if `token` still holds it,
   * in one step. The write happens even when the lease lapsed meanwhile; only the release needs it.
   */
  release(user: UserRef, token: string, fields?: Record<string, string | null>): Promise<void>;
}
