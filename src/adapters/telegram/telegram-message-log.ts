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

type Entry = [id: number, atSeconds: number];

/** Remembers message ids of both sides of a private chat, with their time, for the quick exit. */
export class TelegramMessageLog {
  constructor(
    private readonly users: UserStore,
    private readonly clock: { now(): number },
  ) {}

  /** Adds a user's message id; also clears the unreachable mark, since they are writing to us. */
  async rememberInbound(user: UserRef, messageId: number): Promise<void> {
    const stored = await this.users.get(user, TELEGRAM_USER_FIELDS.inboundIds);
    await this.users.set(user, {
      [TELEGRAM_USER_FIELDS.inboundIds]: this.append(stored, messageId),
      [TELEGRAM_USER_FIELDS.unreachable]: null,
    });
  }

  async rememberOutbound(user: UserRef, messageIds: number[]): Promise<void> {
    let stored = await this.users.get(user, TELEGRAM_USER_FIELDS.outboundIds);
    for (const id of messageIds) stored = this.append(stored, id);
    if (stored !== null) await this.users.set(user, { [TELEGRAM_USER_FIELDS.outboundIds]: stored });
  }

  /** The ids of both sides still deletable, with a margin for the time a deletion waits in the outbox. */
  async peekDeletable(user: UserRef, marginMs = 10 * 60_000): Promise<number[]> {
    const all = await this.users.getAll(user);
    const cutoff = (this.clock.now() - DELETABLE_FOR_MS + marginMs) / 1000;
    const ids = [
      ...parse(all[TELEGRAM_USER_FIELDS.inboundIds] ?? null),
      ...parse(all[TELEGRAM_USER_FIELDS.outboundIds] ?? null),
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
      const kept = parse(stored).filter(([id]) => !gone.has(id));
      fields[field] = kept.length > 0 ? serialise(kept) : null;
    }
    if (Object.keys(fields).length > 0) await this.users.set(user, fields);
  }

  async markUnreachable(user: UserRef): Promise<void> {
    await this.users.set(user, { [TELEGRAM_USER_FIELDS.unreachable]: String(this.clock.now()) });
  }

  private append(stored: string | null, id: number): string {
    const now = Math.floor(this.clock.now() / 1000);
    const cutoff = now - DELETABLE_FOR_MS / 1000;
    const entries = parse(stored).filter(([known, at]) => at >= cutoff && known !== id);
    entries.push([id, now]);
    return serialise(entries.slice(-MAX_IDS_PER_SIDE));
  }
}

/** "id.seconds" pairs, comma separated: about 20 bytes per message. */
function serialise(entries: Entry[]): string {
  return entries.map(([id, at]) => `${id}.${at}`).join(',');
}

function parse(stored: string | null): Entry[] {
  if (!stored) return [];
  const out: Entry[] = [];
  for (const part of stored.split(',')) {
    const [id, at] = part.split('.').map(Number);
    if (Number.isSafeInteger(id) && Number.isSafeInteger(at)) out.push([id!, at!]);
  }
  return out;
}
