import type { Attachment, ForwardInfo, InboundMessage } from '../../core/messages.js';
import type { UserRef } from '../../core/user-ref.js';
import type { TelegramEntity, TelegramMessage, TelegramUpdate } from './telegram-update.js';

/** callback_data of the quick-exit button: not an engine payload, so it needs no session. */
export const QUICK_EXIT_CALLBACK = 'qx';

/** Prefix of a callback query's message id; the rest is the id answerCallbackQuery needs. */
const CALLBACK_PREFIX = 'cb';

/** Who the bot is, for telling commands and mentions meant for it in a group. */
export interface BotIdentity {
  id: number;
  /** Unknown until getMe answered; commands without @name still work in groups then. */
  username: string | undefined;
}

const MAX_LINKS = 10;
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']{3,2000}/gi;

/** Translates one stored update into messages for the core (none for what we ignore). */
export function updateToInbound(
  update: TelegramUpdate,
  bot: BotIdentity,
  receivedAt: number,
): InboundMessage[] {
  if (update.message) return messageToInbound(update.message, bot, receivedAt, false);
  if (update.edited_message) return messageToInbound(update.edited_message, bot, receivedAt, true);
  if (update.callback_query) {
    const q = update.callback_query;
    const chat = q.message?.chat;
    // A press on a button of an inline-mode message has no chat to answer in.
    if (!chat || q.data === undefined || chat.type === 'channel') return [];
    const kind = chatKind(chat.type);
    const base = {
      channel: 'telegram' as const,
      user: personIn(q.from.id, chat.id, kind),
      chat: { id: String(chat.id), kind },
      messageId: `${CALLBACK_PREFIX}${q.id}`,
      text: '',
      attachments: [],
      localeHint: q.from.language_code,
      receivedAt,
    };
    if (q.data === QUICK_EXIT_CALLBACK) return [{ ...base, command: { name: 'exit', args: '' } }];
    return [{ ...base, button: q.data }];
  }
  if (update.my_chat_member) {
    const m = update.my_chat_member;
    // Only a private chat tells us the person blocked the bot; leaving a group says nothing about them.
    if (m.chat.type !== 'private') return [];
    const status = m.new_chat_member.status;
    if (status !== 'kicked' && status !== 'left') return [];
    return [
      {
        channel: 'telegram',
        user: { channel: 'telegram', id: String(m.from.id) },
        chat: { id: String(m.chat.id), kind: 'private' },
        messageId: `m${m.date}`,
        text: '',
        attachments: [],
        event: 'unfollow',
        receivedAt,
      },
    ];
  }
  return [];
}

/**
 * The chat an update belongs to, read from the raw update without the full parse: the webhook
 * names each stored update's chat (to keep a chat in order across processes) on its hot path.
 * Gives the same chat id as `updateToInbound` for every update that becomes a message.
 */
export function chatIdOfUpdate(payload: unknown): string | undefined {
  if (!isRecord(payload)) return undefined;
  const holder =
    payload.message ??
    payload.edited_message ??
    (isRecord(payload.callback_query) ? payload.callback_query.message : undefined) ??
    payload.my_chat_member;
  if (!isRecord(holder) || !isRecord(holder.chat)) return undefined;
  const id = holder.chat.id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The callback query id inside a message id made by `updateToInbound`, if it is one. */
export function callbackQueryIdOf(message: InboundMessage): string | undefined {
  return message.messageId.startsWith(CALLBACK_PREFIX)
    ? message.messageId.slice(CALLBACK_PREFIX.length)
    : undefined;
}

/** The numeric Telegram message id of a user's message (undefined for presses and events). */
export function telegramMessageIdOf(message: InboundMessage): number | undefined {
  const match = /^(\d+)(?:e\d+)?$/.exec(message.messageId);
  return match ? Number(match[1]) : undefined;
}

/**
 * The person a message is from, as the conversation knows them. In a group the same person gets a
 * separate identity per group: their private conversation (a lesson half done, an open case, an
 * operator talking with them) must never be moved on, or read into a case transcript, by what
 * they write where their family or classmates can see it.
 */
function personIn(userId: number, chatId: number, kind: 'private' | 'group'): UserRef {
  return { channel: 'telegram', id: kind === 'group' ? `${userId}@${chatId}` : String(userId) };
}

function chatKind(type: string): 'private' | 'group' {
  return type === 'private' ? 'private' : 'group';
}

function messageToInbound(
  m: TelegramMessage,
  bot: BotIdentity,
  receivedAt: number,
  edited: boolean,
): InboundMessage[] {
  if (!m.from || m.from.is_bot || m.chat.type === 'channel') return [];
  const kind = chatKind(m.chat.type);
  const rawText = (m.text ?? m.caption ?? '').normalize('NFC');
  const entities = (m.text !== undefined ? m.entities : m.caption_entities) ?? [];
  let text = rawText;
  const command = commandIn(rawText, entities);

  if (kind === 'group') {
    const username = bot.username?.toLowerCase();
    if (command) {
      // "/help@otherbot" in a family group is for another bot.
      if (command.target && command.target !== username) return [];
    } else {
      const mentioned = username !== undefined && mentions(rawText, entities, username);
      const repliedToBot = m.reply_to_message?.from?.id === bot.id;
      if (!mentioned && !repliedToBot) return [];
      if (mentioned) text = rawText.replace(new RegExp(`@${escapeRegExp(username)}\\b`, 'gi'), '').trim();
    }
  }
  const attachments: Attachment[] = [...linksOf(rawText, entities)];
  const photo = largestPhoto(m.photo);
  if (photo) attachments.push(photo);
  const other = otherMedia(m);
  if (other) attachments.push({ kind: other });

  const message: InboundMessage = {
    channel: 'telegram',
    user: personIn(m.from.id, m.chat.id, kind),
    chat: { id: String(m.chat.id), kind },
    messageId: edited ? `${m.message_id}e${m.edit_date ?? m.date}` : String(m.message_id),
    text,
    attachments,
    localeHint: m.from.language_code,
    receivedAt,
  };
  const forwarded = forwardInfo(m);
  if (forwarded) message.forwarded = forwarded;
  if (command) message.command = { name: command.name, args: command.args };
  // Stickers, voice notes and the like carry nothing the bot can read.
  if (!rawText.trim() && !photo && other) message.event = 'unsupported';
  return [message];
}

function forwardInfo(m: TelegramMessage): ForwardInfo | undefined {
  const origin = m.forward_origin;
  if (origin) {
    const known = ['user', 'hidden_user', 'chat', 'channel'] as const;
    const type = (known as readonly string[]).includes(origin.type)
      ? (origin.type as ForwardInfo['origin'])
      : 'unknown';
    return origin.date !== undefined ? { origin: type, date: origin.date } : { origin: type };
  }
  if (m.forward_date !== undefined) return { origin: 'unknown', date: m.forward_date };
  return undefined;
}

/** A bot_command entity at the start: "/start@MyBot lesson_3" gives start, mybot, "lesson_3". */
function commandIn(
  text: string,
  entities: TelegramEntity[],
): { name: string; target: string | undefined; args: string } | undefined {
  const entity = entities.find((e) => e.type === 'bot_command' && e.offset === 0);
  const raw = entity ? text.slice(0, entity.length) : /^\/[A-Za-z0-9_]+(?:@\w+)?/.exec(text)?.[0];
  if (!raw) return undefined;
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@(\w+))?$/.exec(raw);
  if (!match) return undefined;
  return {
    name: match[1]!.toLowerCase(),
    target: match[2]?.toLowerCase(),
    args: text.slice(raw.length).trim(),
  };
}

function mentions(text: string, entities: TelegramEntity[], username: string): boolean {
  return entities.some(
    (e) =>
      e.type === 'mention' &&
      text
        .slice(e.offset, e.offset + e.length)
        .toLowerCase()
        .replace(/^@/, '') === username,
  );
}

/** Links from entities (offsets are UTF-16, as JS strings are), or from the text when there are none. */
function linksOf(text: string, entities: TelegramEntity[]): Attachment[] {
  const urls: string[] = [];
  for (const e of entities) {
    if (e.type === 'url') urls.push(text.slice(e.offset, e.offset + e.length));
    else if (e.type === 'text_link' && e.url) urls.push(e.url);
  }
  if (urls.length === 0) for (const m of text.matchAll(URL_PATTERN)) urls.push(m[0]);
  return [...new Set(urls)].slice(0, MAX_LINKS).map((url) => ({ kind: 'link' as const, url }));
}

/** Telegram sends each photo in several sizes; the checker wants the largest. */
function largestPhoto(sizes: TelegramMessage['photo']): Attachment | undefined {
  if (!sizes || sizes.length === 0) return undefined;
  const best = sizes.reduce((a, b) =>
    (b.file_size ?? (b.width ?? 0) * (b.height ?? 0)) >= (a.file_size ?? (a.width ?? 0) * (a.height ?? 0))
      ? b
      : a,
  );
  const attachment: Attachment = { kind: 'image', ref: best.file_id };
  if (best.file_size !== undefined) attachment.size = best.file_size;
  return attachment;
}

function otherMedia(m: TelegramMessage): Attachment['kind'] | undefined {
  if (m.sticker !== undefined) return 'sticker';
  if (m.animation !== undefined) return 'gif';
  if (m.video !== undefined || m.video_note !== undefined) return 'video';
  if (m.voice !== undefined || m.audio !== undefined) return 'audio';
  if (m.location !== undefined) return 'location';
  if (m.document !== undefined) return 'file';
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
