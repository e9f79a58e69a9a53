import { z } from 'zod';

/**
 * The part of a Telegram Update we read. Objects are loose: Telegram adds fields in every Bot API
 * release and an unknown field must never turn a real user's message into an error.
 */

const tgUser = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const tgChat = z.looseObject({
  id: z.number().int(),
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
});

const tgEntity = z.looseObject({
  type: z.string(),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  url: z.string().optional(),
});

const tgPhotoSize = z.looseObject({
  file_id: z.string(),
  file_size: z.number().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
});

/** Bot API 7: `forward_origin` replaced the forward_from* fields. */
const tgForwardOrigin = z.looseObject({
  type: z.string(),
  date: z.number().optional(),
});

const tgMessage = z.looseObject({
  message_id: z.number().int(),
  date: z.number(),
  edit_date: z.number().optional(),
  chat: tgChat,
  from: tgUser.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(tgEntity).optional(),
  caption_entities: z.array(tgEntity).optional(),
  photo: z.array(tgPhotoSize).optional(),
  forward_origin: tgForwardOrigin.optional(),
  /** Pre-7.0 servers (a self-hosted Bot API that is behind) still send this. */
  forward_date: z.number().optional(),
  reply_to_message: z.looseObject({ from: tgUser.optional() }).optional(),
  sticker: z.unknown().optional(),
  animation: z.unknown().optional(),
  document: z.unknown().optional(),
  voice: z.unknown().optional(),
  audio: z.unknown().optional(),
  video: z.unknown().optional(),
  video_note: z.unknown().optional(),
  location: z.unknown().optional(),
});

const tgCallbackQuery = z.looseObject({
  id: z.string(),
  from: tgUser,
  message: z.looseObject({ message_id: z.number().int(), chat: tgChat }).optional(),
  data: z.string().optional(),
});

const tgChatMemberUpdated = z.looseObject({
  chat: tgChat,
  from: tgUser,
  date: z.number(),
  new_chat_member: z.looseObject({ status: z.string() }),
});

/** The update kinds we ask Telegram for (setWebhook / getUpdates `allowed_updates`). */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

export const telegramUpdateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: tgMessage.optional(),
  edited_message: tgMessage.optional(),
  callback_query: tgCallbackQuery.optional(),
  my_chat_member: tgChatMemberUpdated.optional(),
});

export type TelegramUpdate = z.output<typeof telegramUpdateSchema>;
export type TelegramMessage = z.output<typeof tgMessage>;
export type TelegramEntity = z.output<typeof tgEntity>;

/**
 * Classifies a posted body. `invalid`: not an update at all (HTTP 400). `ignored`: a real update
 * of a kind we do not handle, or one whose known part we cannot read; it is acknowledged so that
 * Telegram does not retry it for a day and hold back that chat's later updates. The head check is
 * plain code (it runs on every post); only a known kind goes through the full schema.
 */
export function classifyUpdate(
  body: unknown,
):
  | { kind: 'update'; update: TelegramUpdate }
  | { kind: 'ignored'; updateId: number; reason: string }
  | { kind: 'invalid' } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return INVALID;
  const fields = body as Record<string, unknown>;
  const updateId = fields.update_id;
  if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId) || updateId < 0) return INVALID;
  let known = false;
  for (const kind of ALLOWED_UPDATES) if (fields[kind] !== undefined) known = true;
  if (!known) return { kind: 'ignored', updateId, reason: 'unhandled update kind' };
  const parsed = telegramUpdateSchema.safeParse(body);
  if (!parsed.success) return { kind: 'ignored', updateId, reason: 'unreadable update' };
  return { kind: 'update', update: parsed.data };
}

const INVALID = { kind: 'invalid' } as const;
