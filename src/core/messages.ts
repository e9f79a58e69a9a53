import type { Locale } from './locale.js';
import type { ChannelName, UserRef } from './user-ref.js';

/** Something the user sent besides text: a link, a picture, a sticker... */
export interface Attachment {
  kind: 'link' | 'image' | 'sticker' | 'gif' | 'location' | 'file' | 'audio' | 'video' | 'other';
  /** Link target, or a URL the platform gives for the file. */
  url?: string;
  /** Platform reference to fetch the file later (Telegram file_id). */
  ref?: string;
  size?: number;
}

/** Where a forwarded message came from, as far as the platform tells. */
export interface ForwardInfo {
  origin: 'user' | 'hidden_user' | 'chat' | 'channel' | 'unknown';
  date?: number;
}

/** A message from a user, translated by a channel adapter. The core never sees platform types. */
export interface InboundMessage {
  channel: ChannelName;
  user: UserRef;
  /** The conversation to answer in (a private chat, or a group the bot was added to). */
  chat: { id: string; kind: 'private' | 'group' };
  /** Platform message id: dedupe key and quick-exit deletion target. */
  messageId: string;
  text: string;
  forwarded?: ForwardInfo;
  attachments: Attachment[];
  /** Payload of a pressed button (as the engine issued it). */
  button?: string;
  /** A slash command or its equivalent ("start", "menu", ...) with its argument. */
  command?: { name: string; args: string };
  localeHint?: string;
  /** Events that are not messages: a new follower, someone leaving, something we cannot read. */
  event?: 'follow' | 'unfollow' | 'unsupported';
  receivedAt: number;
}

/** A button that sends `payload` back to the engine when pressed. */
export interface ReplyButton {
  label: string;
  payload: string;
}

/** A reply the bot sends. Channels render what they can (buttons become numbered choices where needed). */
export interface Reply {
  text: string;
  /** Rows of buttons. */
  buttons?: ReplyButton[][];
  links?: Array<{ label: string; url: string }>;
  phones?: Array<{ label: string; phone: string }>;
  /** This reply offers the quick exit that deletes the conversation (where the channel can). */
  offersQuickExit?: boolean;
  /** Sent right after the user's data was erased ("forget me"): channels keep no trace of it. */
  leavesNoTrace?: boolean;
  /** Who speaks: the bot, or a person from the hotline team relayed through the bot. */
  from?: 'bot' | 'operator';
  locale?: Locale;
}
