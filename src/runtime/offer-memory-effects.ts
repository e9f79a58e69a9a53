import type { Logger } from 'pino';
import type { TextCatalogue } from '../core/content.js';
import { encodePayload } from '../core/engine/payload.js';
import { isLocale, type Locale } from '../core/locale.js';
import type { InboundMessage, Reply } from '../core/messages.js';
import { applyLabel } from '../core/offers/label-level.js';
import type { OfferLevel } from '../core/offers/score.js';
import type { ChannelName } from '../core/user-ref.js';
import type { OutboxEnvelope } from '../pipeline/envelopes.js';
import type { Clock } from '../ports/clock.js';
import type { DurableQueue } from '../ports/durable-queue.js';
import type { EffectRunner } from './conversation-runtime.js';
import type { LabelOutcome, MemoryNote, OfferMemoryService } from './offer-memory-service.js';

/** Work started after a step (the second opinion, OCR) that tests and shutdown can wait for. */
export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>();
  private readonly deferred = new Map<string, Array<() => Promise<unknown>>>();

  /**
   * Holds a task until `release(key)`: work whose reply must come after the step's own replies
   * (a fast cached second opinion must not overtake the rules answer).
   */
  defer(key: string, task: () => Promise<unknown>): void {
    const list = this.deferred.get(key) ?? [];
    list.push(task);
    this.deferred.set(key, list);
  }

  /** Starts the tasks held for `key` (the runtime calls this once the step's replies are queued). */
  release(key: string): void {
    const list = this.deferred.get(key);
    this.deferred.delete(key);
    for (const task of list ?? []) this.run(task);
  }

  run(task: () => Promise<unknown>): void {
    const p = task()
      .catch(() => undefined)
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

/** The key under which work waits for a message's step to be committed. */
export function messageKey(message: InboundMessage): string {
  return `${message.channel}:${message.chat.id}:${message.messageId}`;
}

/** What the runner needs from the second opinion (src/adapters/openai). */
export type SecondOpinionPort = {
  review(
    text: string,
    rules: { level: OfferLevel; flagIds: string[] },
    locale: Locale,
  ): Promise<{ raised: boolean; finalLevel: OfferLevel; opinion?: { summary: string } | undefined }>;
};

const DATE_OPTIONS: Record<Locale, [string, Intl.DateTimeFormatOptions]> = {
  vi: ['vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric' }],
  en: ['en-GB', { day: 'numeric', month: 'long', year: 'numeric' }],
};
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date as the person reads it: their language, the hotline's day (TIME_ZONE). */
function formatDate(at: number, locale: Locale, timeZone: string): string {
  const key = `${locale}\u0000${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    const [tag, options] = DATE_OPTIONS[locale];
    format = new Intl.DateTimeFormat(tag, { ...options, timeZone });
    dateFormats.set(key, format);
  }
  return format.format(at);
}

/** The memory lines shown after a check, and the consent button when nobody labelled the offer. */
export function memoryReply(
  note: MemoryNote,
  rulesLevel: string,
  texts: TextCatalogue,
  locale: Locale,
  session: string,
  timeZone: string,
): Reply | undefined {
  const lines: string[] = [];
  if (note.count > 1)
    lines.push(
      texts.t(locale, 'offer_memory.seen', {
        count: note.count,
        date: formatDate(note.firstSeen, locale, timeZone),
      }),
    );
  if (note.label) {
    lines.push(texts.t(locale, `offer_memory.label_${note.label.label}`));
    const level = rulesLevel as OfferLevel;
    if (applyLabel(level, note.label.label) !== level)
      lines.push(texts.t(locale, 'offer_memory.legit_lowered'));
  }
  const contactLabel = note.contactLabels[0];
  if (contactLabel) lines.push(texts.t(locale, `offer_memory.contact_label_${contactLabel}`));
  else if (note.contactsSeenBefore > 0 && note.count <= 1)
    lines.push(texts.t(locale, 'offer_memory.contact_seen'));
  if (note.label) return { text: lines.join('\n'), locale };
  lines.push(texts.t(locale, 'offer_memory.subscribe_prompt'));
  return {
    text: lines.join('\n'),
    buttons: [
      [
        {
          label: texts.t(locale, 'offer_memory.subscribe_button'),
          payload: encodePayload(session, { kind: 'action', action: 'subscribe_offer', arg: note.clusterId }),
        },
      ],
    ],
    locale,
  };
}

/**
 * Carries out `remember_offer` and `subscribe_offer`. Memory replies come with the step's answer;
 * the second opinion runs in the background and adds one message only when it raises the level,
 * so the rules answer never waits for the model.
 */
export function createOfferMemoryEffectRunner(deps: {
  service: OfferMemoryService | undefined;
  secondOpinion: SecondOpinionPort | undefined;
  texts: TextCatalogue;
  /** The hotline's time zone (TIME_ZONE): "first seen on" names its day. */
  timeZone: string;
  background: BackgroundTasks;
  /** Queues replies to the message's chat later, with ids derived from the message and `suffix`. */
  sendLater: (message: InboundMessage, replies: Reply[], suffix: string) => Promise<void>;
  logger: Logger;
}): EffectRunner {
  return async ({ effect, message, state }) => {
    const locale = state.locale;
    if (effect.type === 'remember_offer') {
      const opinion = deps.secondOpinion;
      if (opinion) {
        deps.background.defer(messageKey(message), async () => {
          const r = await opinion.review(
            effect.text,
            { level: effect.level as OfferLevel, flagIds: effect.flagIds },
            locale,
          );
          if (!r.raised || (r.finalLevel !== 'medium' && r.finalLevel !== 'high')) return;
          const text = deps.texts.t(locale, `offer_memory.llm_raised_${r.finalLevel}`, {
            summary: r.opinion?.summary ?? '',
          });
          await deps.sendLater(message, [{ text: text.trim(), locale }], 'llm');
        });
      }
      if (!deps.service) return undefined;
      try {
        const note = await deps.service.remember({
          text: effect.text,
          level: effect.level,
          flagIds: effect.flagIds,
          user: message.user,
        });
        const reply =
          note && memoryReply(note, effect.level, deps.texts, locale, state.session, deps.timeZone);
        return reply ? { replies: [reply] } : undefined;
      } catch (err) {
        // The rules answer matters more than the memory: go on without it.
        deps.logger.warn({ err: { message: (err as Error).message } }, 'offer memory unavailable');
        return undefined;
      }
    }
    if (effect.type === 'subscribe_offer' && deps.service) {
      const ok = await deps.service.subscribe(effect.clusterId, {
        channel: message.channel,
        userId: message.user.id,
        chatId: message.chat.id,
        locale,
      });
      return {
        replies: [
          {
            text: deps.texts.t(locale, ok ? 'offer_memory.subscribed' : 'offer_memory.subscribe_expired'),
            locale,
          },
        ],
      };
    }
    return undefined;
  };
}

/** Queues one short message to each subscriber of a label, on their own channel. */
export async function deliverLabelNotifications(
  outcome: LabelOutcome,
  deps: { outbox: (channel: ChannelName) => DurableQueue; texts: TextCatalogue; clock: Clock },
): Promise<number> {
  let sent = 0;
  for (const { subscriber, clusterId } of outcome.notify) {
    const locale: Locale = isLocale(subscriber.locale) ? subscriber.locale : 'vi';
    const envelope: OutboxEnvelope = {
      v: 1,
      id: `label:${clusterId}:${outcome.record.at}:${subscriber.channel}:${subscriber.chatId}`,
      channel: subscriber.channel,
      chatId: subscriber.chatId,
      userId: subscriber.userId,
      reply: { text: deps.texts.t(locale, `offer_memory.notify_${outcome.record.label}`), locale },
      createdAt: deps.clock.now(),
    };
    await deps.outbox(subscriber.channel).add(JSON.stringify(envelope), envelope.chatId);
    sent++;
  }
  return sent;
}
