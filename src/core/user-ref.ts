/** Channels the bot talks through. */
export const CHANNELS = ['telegram', 'zalo', 'webchat', 'terminal'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** A person on one channel. `id` is the platform's user id (a string even when numeric). */
export interface UserRef {
  channel: ChannelName;
  id: string;
}

/** Stable text form of a user ref, e.g. "telegram:123". */
export function userKeyOf(user: UserRef): string {
  return `${user.channel}:${user.id}`;
}
