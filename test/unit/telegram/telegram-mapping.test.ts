import { describe, expect, it } from 'vitest';
import {
  type BotIdentity,
  callbackQueryIdOf,
  chatIdOfUpdate,
  QUICK_EXIT_CALLBACK,
  telegramMessageIdOf,
  updateToInbound,
} from '../../../src/adapters/telegram/telegram-mapping.js';
import { classifyUpdate, type TelegramUpdate } from '../../../src/adapters/telegram/telegram-update.js';

const BOT: BotIdentity = { id: 123456, username: 'SafeMigrationBot' };
const FROM = { id: 42, is_bot: false, first_name: 'Minh', language_code: 'vi' };
const PRIVATE = { id: 42, type: 'private' };
const GROUP = { id: -100777, type: 'supergroup', title: 'Gia đình' };

function update(message: Record<string, unknown>, chat: Record<string, unknown> = PRIVATE): TelegramUpdate {
  const classified = classifyUpdate({
    update_id: 1,
    message: { message_id: 9, date: 1_764_000_000, chat, from: FROM, ...message },
  });
  if (classified.kind !== 'update') throw new Error(`not an update: ${classified.kind}`);
  return classified.update;
}

function one(u: TelegramUpdate) {
  const messages = updateToInbound(u, BOT, 1000);
  expect(messages).toHaveLength(1);
  return messages[0]!;
}

describe('updateToInbound: private chats', () => {
  it('maps text, user, chat, message id and the language hint', () => {
    const m = one(update({ text: 'Xin chào' }));
    expect(m).toMatchObject({
      channel: 'telegram',
      user: { channel: 'telegram', id: '42' },
      chat: { id: '42', kind: 'private' },
      messageId: '9',
      text: 'Xin chào',
      localeHint: 'vi',
      receivedAt: 1000,
    });
    expect(m.forwarded).toBeUndefined();
    expect(m.command).toBeUndefined();
    expect(telegramMessageIdOf(m)).toBe(9);
  });

  it.each([
    ['user', { type: 'user', date: 1, sender_user: { id: 5, is_bot: false, first_name: 'A' } }],
    ['hidden_user', { type: 'hidden_user', date: 2, sender_user_name: 'Tuyển dụng' }],
    ['chat', { type: 'chat', date: 3, sender_chat: { id: -1, type: 'group' } }],
    ['channel', { type: 'channel', date: 4, chat: { id: -2, type: 'channel' }, message_id: 7 }],
  ])('reads a %s forward_origin', (kind, origin) => {
    const m = one(update({ text: 'Việc nhẹ lương cao', forward_origin: origin }));
    expect(m.forwarded).toEqual({ origin: kind, date: origin.date });
  });

  it('treats an origin kind it does not know, and a pre-7.0 forward_date, as forwarded from unknown', () => {
    expect(one(update({ text: 'x', forward_origin: { type: 'future_kind', date: 5 } })).forwarded).toEqual({
      origin: 'unknown',
      date: 5,
    });
    expect(one(update({ text: 'x', forward_date: 6 })).forwarded).toEqual({ origin: 'unknown', date: 6 });
  });

  it('uses the caption of a photo as text, keeps the largest photo, and reads caption links', () => {
    const caption = 'Tuyển gấp, xem https://viec-nhe.example/apply';
    const m = one(
      update({
        caption,
        caption_entities: [
          { type: 'url', offset: caption.indexOf('https'), length: 'https://viec-nhe.example/apply'.length },
        ],
        photo: [
          { file_id: 'small', width: 90, height: 90, file_size: 1000 },
          { file_id: 'large', width: 1280, height: 1280, file_size: 90_000 },
          { file_id: 'medium', width: 320, height: 320, file_size: 9000 },
        ],
      }),
    );
    expect(m.text).toBe(caption);
    expect(m.attachments).toEqual([
      { kind: 'link', url: 'https://viec-nhe.example/apply' },
      { kind: 'image', ref: 'large', size: 90_000 },
    ]);
    expect(m.event).toBeUndefined();
  });

  it('reads hidden text_link targets and counts each link once', () => {
    const text = 'Bấm vào đây hoặc https://a.example';
    const m = one(
      update({
        text,
        entities: [
          { type: 'text_link', offset: 0, length: 11, url: 'https://hidden.example/x' },
          { type: 'url', offset: 17, length: 17 },
          { type: 'text_link', offset: 12, length: 4, url: 'https://a.example' },
        ],
      }),
    );
    expect(m.attachments.map((a) => a.url)).toEqual(['https://hidden.example/x', 'https://a.example']);
  });

  it('maps /start with a deep-link payload and other commands, also addressed with @botname', () => {
    const start = one(
      update({ text: '/start lesson_3', entities: [{ type: 'bot_command', offset: 0, length: 6 }] }),
    );
    expect(start.command).toEqual({ name: 'start', args: 'lesson_3' });
    for (const name of ['menu', 'help', 'lang', 'hotlines', 'exit', 'forget', 'learn', 'quiz', 'check']) {
      const text = `/${name}@SafeMigrationBot`;
      const m = one(update({ text, entities: [{ type: 'bot_command', offset: 0, length: text.length }] }));
      expect(m.command).toEqual({ name, args: '' });
    }
    const lang = one(update({ text: '/LANG en', entities: [{ type: 'bot_command', offset: 0, length: 5 }] }));
    expect(lang.command).toEqual({ name: 'lang', args: 'en' });
  });

  it('marks stickers and voice notes without text as unsupported', () => {
    const m = one(update({ sticker: { file_id: 's' } }));
    expect(m.event).toBe('unsupported');
    expect(m.attachments).toEqual([{ kind: 'sticker' }]);
  });

  it('gives edited messages their own id so they are not taken for the original', () => {
    const classified = classifyUpdate({
      update_id: 3,
      edited_message: { message_id: 9, date: 1, edit_date: 50, chat: PRIVATE, from: FROM, text: 'sửa lại' },
    });
    if (classified.kind !== 'update') throw new Error('not an update');
    const m = one(classified.update);
    expect(m.messageId).toBe('9e50');
    expect(telegramMessageIdOf(m)).toBe(9);
  });

  it('maps a button press to the engine payload, and the quick-exit button to /exit', () => {
    const base = {
      update_id: 4,
      callback_query: {
        id: 'q1',
        from: { ...FROM, language_code: 'en' },
        chat_instance: '1',
        message: { message_id: 30, date: 1, chat: PRIVATE },
        data: 'AbCdEfGh:b:welcome:0',
      },
    };
    const classified = classifyUpdate(base);
    if (classified.kind !== 'update') throw new Error('not an update');
    const press = one(classified.update);
    expect(press).toMatchObject({ button: 'AbCdEfGh:b:welcome:0', text: '', localeHint: 'en' });
    expect(callbackQueryIdOf(press)).toBe('q1');
    expect(telegramMessageIdOf(press)).toBeUndefined();

    const exit = classifyUpdate({
      ...base,
      callback_query: { ...base.callback_query, data: QUICK_EXIT_CALLBACK },
    });
    if (exit.kind !== 'update') throw new Error('not an update');
    const m = one(exit.update);
    expect(m.button).toBeUndefined();
    expect(m.command).toEqual({ name: 'exit', args: '' });
  });

  it('turns a block in a private chat into an unfollow event, and ignores group membership changes', () => {
    const blocked = classifyUpdate({
      update_id: 5,
      my_chat_member: {
        chat: PRIVATE,
        from: FROM,
        date: 77,
        old_chat_member: { status: 'member' },
        new_chat_member: { status: 'kicked' },
      },
    });
    if (blocked.kind !== 'update') throw new Error('not an update');
    expect(one(blocked.update)).toMatchObject({ event: 'unfollow', user: { id: '42' } });

    const removedFromGroup = classifyUpdate({
      update_id: 6,
      my_chat_member: { chat: GROUP, from: FROM, date: 78, new_chat_member: { status: 'left' } },
    });
    if (removedFromGroup.kind !== 'update') throw new Error('not an update');
    expect(updateToInbound(removedFromGroup.update, BOT, 0)).toEqual([]);
  });
});

describe('updateToInbound: groups', () => {
  it('ignores ordinary group chatter and forwards nobody asked the bot about', () => {
    expect(updateToInbound(update({ text: 'Ăn cơm chưa?' }, GROUP), BOT, 0)).toEqual([]);
    expect(
      updateToInbound(
        update({ text: 'Việc nhẹ lương cao', forward_origin: { type: 'hidden_user', date: 1 } }, GROUP),
        BOT,
        0,
      ),
    ).toEqual([]);
  });

  it('handles commands for this bot and ignores commands for another bot', () => {
    const help = one(
      update({ text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] }, GROUP),
    );
    expect(help.chat).toEqual({ id: '-100777', kind: 'group' });
    // The same person has a separate identity in each group, apart from their private chat.
    expect(help.user).toEqual({ channel: 'telegram', id: `${FROM.id}@-100777` });
    expect(help.command).toEqual({ name: 'help', args: '' });
    const mine = '/check@safemigrationbot';
    expect(
      one(update({ text: mine, entities: [{ type: 'bot_command', offset: 0, length: mine.length }] }, GROUP))
        .command,
    ).toEqual({
      name: 'check',
      args: '',
    });
    const other = '/help@OtherBot';
    expect(
      updateToInbound(
        update({ text: other, entities: [{ type: 'bot_command', offset: 0, length: other.length }] }, GROUP),
        BOT,
        0,
      ),
    ).toEqual([]);
  });

  it('handles a mention of the bot (without the mention in the text) and replies to its messages', () => {
    const text = '@SafeMigrationBot tin này có lừa đảo không?';
    const m = one(update({ text, entities: [{ type: 'mention', offset: 0, length: 17 }] }, GROUP));
    expect(m.text).toBe('tin này có lừa đảo không?');
    const reply = one(
      update({ text: 'còn tin này?', reply_to_message: { from: { id: BOT.id, is_bot: true } } }, GROUP),
    );
    expect(reply.text).toBe('còn tin này?');
    // A mention of someone else is not for the bot.
    expect(
      updateToInbound(
        update({ text: '@ba ơi', entities: [{ type: 'mention', offset: 0, length: 3 }] }, GROUP),
        BOT,
        0,
      ),
    ).toEqual([]);
  });
});

describe('classifyUpdate', () => {
  it('tells updates, unknown kinds and non-updates apart', () => {
    expect(classifyUpdate({ update_id: 1, channel_post: {} }).kind).toBe('ignored');
    expect(classifyUpdate({ update_id: 1, message: { text: 'no ids' } }).kind).toBe('ignored');
    expect(classifyUpdate({ message: {} }).kind).toBe('invalid');
    expect(classifyUpdate('text').kind).toBe('invalid');
    expect(classifyUpdate({ update_id: -1 }).kind).toBe('invalid');
  });
});

describe('chatIdOfUpdate', () => {
  it('names the same chat as the full translation, for every kind of update that becomes a message', () => {
    const raw: Array<Record<string, unknown>> = [
      { update_id: 1, message: { message_id: 9, date: 1, chat: PRIVATE, from: FROM, text: 'chào' } },
      { update_id: 2, message: { message_id: 9, date: 1, chat: GROUP, from: FROM, text: '/help' } },
      {
        update_id: 3,
        edited_message: { message_id: 9, date: 1, edit_date: 5, chat: PRIVATE, from: FROM, text: 'sửa' },
      },
      {
        update_id: 4,
        callback_query: {
          id: 'q1',
          from: FROM,
          chat_instance: '1',
          message: { message_id: 30, date: 1, chat: GROUP },
          data: 'AbCdEfGh:b:welcome:0',
        },
      },
      {
        update_id: 5,
        my_chat_member: { chat: PRIVATE, from: FROM, date: 7, new_chat_member: { status: 'kicked' } },
      },
    ];
    for (const payload of raw) {
      const classified = classifyUpdate(payload);
      if (classified.kind !== 'update') throw new Error(`not an update: ${classified.kind}`);
      const [message] = updateToInbound(classified.update, BOT, 0);
      expect(chatIdOfUpdate(payload)).toBe(message?.chat.id);
    }
  });

  it('names no chat for what has none, and never throws on odd input', () => {
    for (const payload of [
      null,
      'x',
      7,
      [],
      {},
      { update_id: 1 },
      { message: { chat: null } },
      { message: 1 },
    ]) {
      expect(chatIdOfUpdate(payload)).toBeUndefined();
    }
    expect(chatIdOfUpdate({ callback_query: { id: 'q', data: 'x' } })).toBeUndefined();
  });
});
