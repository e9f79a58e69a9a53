import { parseRecentIds, type RecentIdsKeep, serialiseRecentIds } from '../../core/recent-ids.js';
import type { UserRef } from '../../core/user-ref.js';
import type { UserStore } from '../../ports/user-store.js';

/**
 * Fields this channel keeps in the user record. Inbound and outbound ids live in separate fields
 * because they have different writers (the inbox worker and the outbox sender): one field each
 * means neither read-modify-write can overwrite the other's ids.
 */
export const TELEGRAM_USER_FIELDS = {
  inboundIds: 'ti',
  outboundIds: 'to',
  /** Epoch ms when the user blocked the bot (cleared when they write again). */
  unreachable: 'tu',
} as const;

/** Telegram lets a bot delete messages younger than 48 h. */
export const DELETABLE_FOR_MS = 48 * 3600 * 1000;
/** Keep the newest ids only: a quick exit needs the recent screen, and the record stays small. */
export const MAX_IDS_PER_SIDE = 300;

/**
 * Remembers message ids of both sides of a private chat, with their time, for the quick exit. Each
 * add is one step in the store (no read before the write).
 */
export class TelegramMessageLog {
  constructor(
    private readonly users: UserStore,
    private readonly clock: { now(): number },
  ) {}

  /** Adds a user's message id; also clears the unreachable mark, since they are writing to us. */
  async rememberInbound(user: UserRef, messageId: number): Promise<void> {
    await this.users.addRecentId(
      user,
      TELEGRAM_USER_FIELDS.inboundIds,
      [messageId, this.nowSeconds()],
      this.keep(),
      [TELEGRAM_USER_FIELDS.unreachable],
    );
  }

  async rememberOutbound(user: UserRef, messageIds: number[]): Promise<void> {
    for (const id of messageIds) {
      await this.users.addRecentId(
        user,
        TELEGRAM_USER_FIELDS.outboundIds,
        [id, this.nowSeconds()],
        this.keep(),
      );
    }
  }

  /** The ids of both sides still deletable, with a margin for the time a deletion waits in the outbox. */
  async peekDeletable(user: UserRef, marginMs = 10 * 60_000): Promise<number[]> {
    const all = await this.users.getAll(user);
    const cutoff = (this.clock.now() - DELETABLE_FOR_MS + marginMs) / 1000;
    const ids = [
      ...parseRecentIds(all[TELEGRAM_USER_FIELDS.inboundIds] ?? null),
      ...parseRecentIds(all[TELEGRAM_USER_FIELDS.outboundIds] ?? null),
    ]
      .filter(([, at]) => at >= cutoff)
      .map(([id]) => id);
    return [...new Set(ids)].sort((a, b) => a - b);
  }

  /**
   * Drops ids once they were deleted. Called only after the deletion succeeded, so a retried
   * quick exit still finds them.
   */
  async forget(user: UserRef, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    const all = await this.users.getAll(user);
    const fields: Record<string, string | null> = {};
    for (const field of [TELEGRAM_USER_FIELDS.inboundIds, TELEGRAM_USER_FIELDS.outboundIds]) {
      const stored = all[field];
      if (stored === undefined) continue;
      const kept = parseRecentIds(stored).filter(([id]) => !gone.has(id));
      fields[field] = kept.length > 0 ? serialiseRecentIds(kept) : null;
    }
    if (Object.keys(fields).length > 0) await this.users.set(user, fields);
  }

  async markUnreachable(user: UserRef): Promise<void> {
    await this.users.set(user, { [TELEGRAM_USER_FIELDS.unreachable]: String(this.clock.now()) });
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /** Ids young enough to delete, the newest MAX_IDS_PER_SIDE of them. */
  private keep(): RecentIdsKeep {
    return { sinceSeconds: this.nowSeconds() - DELETABLE_FOR_MS / 1000, max: MAX_IDS_PER_SIDE };
  }
}
