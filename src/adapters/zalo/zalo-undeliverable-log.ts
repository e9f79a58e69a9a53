import type { UserRef } from '../../core/user-ref.js';
import type { Clock } from '../../ports/clock.js';
import type { UserStore } from '../../ports/user-store.js';

/** Field names in the user record for Zalo delivery state. Short: repeated for every user. */
export const ZALO_USER_FIELDS = { undeliverable: 'zu', unreachable: 'zx' } as const;

/** One reply Zalo refused for good: which outbox entry, why, and the case it belonged to. */
export interface UndeliveredReply {
  /** Outbox envelope id. */
  id: string;
  at: number;
  /** ChannelApiError code, e.g. ZALO_OUTSIDE_WINDOW. */
  code: string;
  /** Zalo's numeric error. */
  zaloError?: number;
  caseId?: string;
  /** Relayed words of an operator (not a bot reply). */
  fromOperator?: boolean;
}

const CAP = 10;

/**
 * Remembers, per Zalo user, the last replies that could not be delivered ("not delivered: user
 * must write first"), in the user's own record so that "forget me" removes it with the rest.
 * Whether the user has left the OA (unfollow) is kept there too.
 */
export class ZaloUndeliverableLog {
  constructor(
    private readonly users: UserStore,
    private readonly clock: Clock,
  ) {}

  async record(userId: string, entry: Omit<UndeliveredReply, 'at'>): Promise<void> {
    const user = zaloUser(userId);
    const list = await this.list(userId);
    const next = [...list.filter((e) => e.id !== entry.id), { ...entry, at: this.clock.now() }].slice(-CAP);
    await this.users.set(user, { [ZALO_USER_FIELDS.undeliverable]: JSON.stringify(next) });
  }

  /** Oldest first. */
  async list(userId: string): Promise<UndeliveredReply[]> {
    const raw = await this.users.get(zaloUser(userId), ZALO_USER_FIELDS.undeliverable);
    if (!raw) return [];
    try {
      const value = JSON.parse(raw) as unknown;
      return Array.isArray(value) ? (value as UndeliveredReply[]) : [];
    } catch {
      return [];
    }
  }

  async markUnreachable(userId: string): Promise<void> {
    await this.users.set(zaloUser(userId), { [ZALO_USER_FIELDS.unreachable]: String(this.clock.now()) });
  }

  /** Epoch ms of the unfollow, or undefined while the user is reachable. */
  async unreachableSince(userId: string): Promise<number | undefined> {
    const raw = await this.users.get(zaloUser(userId), ZALO_USER_FIELDS.unreachable);
    return raw ? Number(raw) : undefined;
  }

  async markReachable(userId: string): Promise<void> {
    await this.users.set(zaloUser(userId), { [ZALO_USER_FIELDS.unreachable]: null });
  }
}

function zaloUser(id: string): UserRef {
  return { channel: 'zalo', id };
}
