import type { UserRef } from '../core/user-ref.js';

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
  /** Deletes everything stored for the user. */
  erase(user: UserRef): Promise<void>;
}
