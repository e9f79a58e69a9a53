import type { Logger } from 'pino';
import { Telegraf } from 'telegraf';
import type { Config } from '../../config.js';
import type { TelegramCommandMenu } from '../../content/telegram-commands.js';
import type { TextCatalogue } from '../../core/content.js';
import type { Locale } from '../../core/locale.js';
import type { InboundMessage } from '../../core/messages.js';
import type { UserRef } from '../../core/user-ref.js';
import { ChannelApiError } from '../../errors.js';
import type { InboxEnvelope, OutboxEnvelope } from '../../pipeline/envelopes.js';
import type { ChannelSender, UndeliverableHandler } from '../../pipeline/outbox.js';
import type { Clock } from '../../ports/clock.js';
import type { DurableQueue } from '../../ports/durable-queue.js';
import type { UserStore } from '../../ports/user-store.js';
import type { ChannelAdapter } from '../../runtime/channel-adapter.js';
import type { EffectRunner } from '../../runtime/conversation-runtime.js';
import { TELEGRAM_ERROR_CODES, toChannelApiError } from './telegram-errors.js';
import {
  type BotIdentity,
  callbackQueryIdOf,
  chatIdOfUpdate,
  telegramMessageIdOf,
  updateToInbound,
} from './telegram-mapping.js';
import { TelegramMessageLog } from './telegram-message-log.js';
import { renderReply } from './telegram-render.js';
import { telegramUpdateSchema } from './telegram-update.js';

export type TelegramConfig = NonNullable<Config['telegram']>;

/** Outbox action that deletes messages for a quick exit: `data` is `{ ids: number[] }`. */
export const DELETE_MESSAGES_ACTION = 'delete_messages';
/** deleteMessages takes at most 100 ids per call. */
const DELETE_BATCH = 100;

export interface TelegramAdapterOptions {
  telegram: TelegramConfig;
  users: UserStore;
  /** The Telegram outbox: the quick exit queues its deletion there, ahead of the neutral line. */
  outbox: DurableQueue;
  texts: TextCatalogue;
  commands: TelegramCommandMenu;
  logger: Logger;
  clock: Clock;
  /** Known bot username (skips nothing: getMe at start still fills it when absent). */
  botUsername?: string;
  /** Longest wait for one Bot API call; telegraf's own default is several minutes. */
  requestTimeoutMs?: number;
}

/**
 * The Telegram channel.
 *
 * Why updates are parsed here rather than through `bot.handleUpdate`: the runtime's
 * `toInbound` is synchronous (the inbox consumer also calls it to find a message's chat for
 * ordering), and an update must become the same InboundMessage in both places. telegraf's
 * middleware chain is asynchronous, so the translation is a pure function over the zod-checked
 * update (`updateToInbound`), which is also what unit tests exercise. telegraf is used for what
 * it does well: the Bot API client (created with `webhookReply: false`, so every call is a real
 * request whose result and errors we see, and with `apiRoot` from config), its TelegramError,
 * and `botInfo` filled once from getMe at start.
 */
export class TelegramAdapter implements ChannelAdapter {
  readonly channel = 'telegram' as const;
  readonly sender: ChannelSender;
  readonly bot: Telegraf;
  readonly log: TelegramMessageLog;
  /**
   * Called after a message could not be delivered and never will be (blocked bot, bad request).
   * The integrator points this at the cases module ("tell the operator"); the user is already
   * marked unreachable in their record when they blocked the bot.
   */
  onUndeliverable: UndeliverableHandler | undefined;
  private readonly identity: BotIdentity;
  /** Parts of a long reply already sent, so an in-process retry does not repeat them. */
  private readonly progress = new Map<string, number>();

  constructor(private readonly options: TelegramAdapterOptions) {
    this.bot = new Telegraf(options.telegram.token, {
      telegram: { webhookReply: false, apiRoot: options.telegram.apiRoot },
    });
    const id = Number(options.telegram.token.split(':')[0]);
    this.identity = { id, username: options.botUsername?.replace(/^@/, '') };
    this.log = new TelegramMessageLog(options.users, options.clock);
    this.sender = {
      channel: 'telegram',
      limits: { perSecond: options.telegram.sendsPerSecond, perChatPerSecond: 1, perChatBurst: 3 },
      send: (envelope) => this.send(envelope),
    };
  }

  /** Bot API call with a timeout; errors come out as ChannelApiError. */
  async call(
    method: string,
    payload: Record<string, unknown>,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<unknown> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.options.requestTimeoutMs ?? 30_000);
    try {
      // Typed loosely on purpose: the payloads are built here from our own types.
      return await this.bot.telegram.callApi(method as 'getMe', payload as never, {
        signal: (options.signal ? AbortSignal.any([timeout, options.signal]) : timeout) as never,
      });
    } catch (error) {
      throw toChannelApiError(error);
    }
  }

  toInbound(envelope: InboxEnvelope): InboundMessage[] {
    const parsed = telegramUpdateSchema.safeParse(envelope.payload);
    if (!parsed.success) return [];
    return updateToInbound(parsed.data, this.identity, envelope.receivedAt);
  }

  chatOf(envelope: InboxEnvelope): string | undefined {
    return chatIdOfUpdate(envelope.payload);
  }

  /** Answers a button press at once (the app shows a spinner until then) and remembers message ids. */
  async onInbound(message: InboundMessage): Promise<void> {
    const callbackId = callbackQueryIdOf(message);
    if (callbackId !== undefined) {
      // Best effort: an unanswered press only leaves a spinner; it must not hold up the reply.
      await this.call('answerCallbackQuery', { callback_query_id: callbackId }, { timeoutMs: 5000 }).catch(
        (error: ChannelApiError) =>
          this.options.logger.debug({ code: error.code }, 'answerCallbackQuery failed'),
      );
      return;
    }
    const id = telegramMessageIdOf(message);
    // Stickers and voice notes (event 'unsupported') are on the screen too: they are remembered.
    if (id === undefined || message.chat.kind !== 'private') return;
    await this.log
      .rememberInbound(message.user, id)
      .catch((error: Error) =>
        this.options.logger.warn({ err: { message: error.message } }, 'could not remember a message id'),
      );
  }

  /** Carries out the engine's quick exit and unreachable effects for Telegram chats. */
  readonly effectRunner: EffectRunner = async ({ effect, message }) => {
    if (message.channel !== 'telegram') return undefined;
    if (effect.type === 'mark_unreachable') {
      await this.log.markUnreachable(message.user);
      return undefined;
    }
    // Deleting in a group would remove other people's messages.
    if (effect.type !== 'quick_exit' || message.chat.kind !== 'private') return undefined;
    const ids = await this.log.peekDeletable(message.user);
    const envelope: OutboxEnvelope = {
      v: 1,
      id: `telegram:${message.chat.id}:${message.messageId}:qx`,
      channel: 'telegram',
      chatId: message.chat.id,
      userId: message.user.id,
      reply: { text: '' },
      createdAt: this.options.clock.now(),
      action: { kind: DELETE_MESSAGES_ACTION, data: { ids } },
    };
    // Queued before the engine's neutral line, and the outbox keeps one chat's entries in order.
    await this.options.outbox.add(JSON.stringify(envelope), envelope.chatId);
    return undefined;
  };

  /** For the outbox sender: marks a user who blocked the bot, then tells `onUndeliverable`. */
  readonly handleUndeliverable: UndeliverableHandler = async (envelope, error) => {
    if (error.code === TELEGRAM_ERROR_CODES.blocked && !isGroupChat(envelope.chatId)) {
      await this.log
        .markUnreachable(userOf(envelope))
        .catch((e: Error) =>
          this.options.logger.warn({ err: { message: e.message } }, 'could not mark user unreachable'),
        );
    }
    await this.onUndeliverable?.(envelope, error);
  };

  /** Learns the bot's username (for mentions in groups) and registers the "/" menu in vi and en. */
  async start(): Promise<void> {
    const { logger, commands } = this.options;
    // getMe once per process; retried a few times because a group mention is missed until it answers.
    for (let attempt = 0; attempt < 4 && this.identity.username === undefined; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 5000 * attempt).unref());
      try {
        const me = (await this.call('getMe', {})) as Telegraf['botInfo'];
        if (me) {
          this.bot.botInfo = me;
          this.identity.username = me.username;
        }
      } catch (error) {
        logger.warn({ code: (error as ChannelApiError).code, attempt }, 'telegram getMe failed');
      }
    }
    // Vietnamese is the default for clients in any other language.
    const menus: Array<[Locale | undefined, Locale]> = [
      [undefined, 'vi'],
      ['vi', 'vi'],
      ['en', 'en'],
    ];
    for (const [languageCode, locale] of menus) {
      await this.call('setMyCommands', {
        commands: commands[locale],
        ...(languageCode ? { language_code: languageCode } : {}),
      }).catch((error: ChannelApiError) =>
        logger.warn({ code: error.code, locale: languageCode ?? 'default' }, 'telegram setMyCommands failed'),
      );
    }
  }

  /** The bot's identity as known now (username after getMe). */
  botIdentity(): Readonly<BotIdentity> {
    return this.identity;
  }

  private async send(envelope: OutboxEnvelope): Promise<void> {
    const group = isGroupChat(envelope.chatId);
    if (envelope.action) return this.runAction(envelope, group);
    if (group && (envelope.reply.from === 'operator' || envelope.caseId !== undefined)) {
      // A relative may add the bot to a family group: case details never go there.
      throw new ChannelApiError('TELEGRAM_GROUP_REFUSED', 'case messages are not sent into groups', {
        permanent: true,
      });
    }
    const parts = renderReply(envelope.reply, {
      group,
      quickExitLabel: this.quickExitLabel(envelope.reply.locale),
    });
    const user = userOf(envelope);
    for (let index = this.progress.get(envelope.id) ?? 0; index < parts.length; index++) {
      const part = parts[index]!;
      const sent = (await this.call('sendMessage', {
        chat_id: envelope.chatId,
        text: part.text,
        // Offer checks quote scam links: no preview card that would make them look trustworthy.
        link_preview_options: { is_disabled: true },
        ...(part.reply_markup ? { reply_markup: part.reply_markup } : {}),
      })) as { message_id?: number };
      if (parts.length > 1) this.rememberProgress(envelope.id, index + 1);
      // After "forget me" even the confirmation's id is not kept (the quick exit cannot reach it).
      if (!group && !envelope.reply.leavesNoTrace && typeof sent?.message_id === 'number') {
        await this.log
          .rememberOutbound(user, [sent.message_id])
          .catch((e: Error) =>
            this.options.logger.warn({ err: { message: e.message } }, 'could not remember a message id'),
          );
      }
    }
    this.progress.delete(envelope.id);
  }

  private async runAction(envelope: OutboxEnvelope, group: boolean): Promise<void> {
    const action = envelope.action!;
    if (action.kind !== DELETE_MESSAGES_ACTION) {
      throw new ChannelApiError('TELEGRAM_UNKNOWN_ACTION', `unknown outbox action ${action.kind}`, {
        permanent: true,
      });
    }
    if (group) return;
    const user = userOf(envelope);
    const queued = Array.isArray((action.data as { ids?: unknown })?.ids)
      ? ((action.data as { ids: unknown[] }).ids.filter((v) => Number.isSafeInteger(v)) as number[])
      : [];
    // Replies that were still waiting in the outbox when the user pressed exit are sent by now.
    const ids = [...new Set([...queued, ...(await this.log.peekDeletable(user))])].sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += DELETE_BATCH) {
      await this.call('deleteMessages', {
        chat_id: envelope.chatId,
        message_ids: ids.slice(i, i + DELETE_BATCH),
      });
    }
    await this.log.forget(user, ids);
  }

  private quickExitLabel(locale: Locale | undefined): string | undefined {
    const { texts } = this.options;
    return texts.has('common.quick_exit') ? texts.t(locale ?? 'vi', 'common.quick_exit') : undefined;
  }

  private rememberProgress(id: string, done: number): void {
    this.progress.set(id, done);
    // Bounded: entries are removed on success; this only guards against ones that never finish.
    if (this.progress.size > 1000) {
      const oldest = this.progress.keys().next().value;
      if (oldest !== undefined) this.progress.delete(oldest);
    }
  }
}

/** Telegram group and channel ids are negative; private chat ids are the user's (positive) id. */
export function isGroupChat(chatId: string): boolean {
  return chatId.startsWith('-');
}

function userOf(envelope: OutboxEnvelope): UserRef {
  return { channel: 'telegram', id: envelope.userId };
}
