import type { Locale } from '../locale.js';
import type { InboundMessage } from '../messages.js';
import type { ActionHandler, ActionInput, ActionOutcome } from './engine-types.js';
import { encodePayload } from './payload.js';

/** What the conversation needs from the offer checker (rules now; memory and LLM add to it). */
export interface OfferAdvisor {
  check(text: string, locale: Locale): { isOffer: boolean; level: string; flagIds: string[]; answer: string };
  /** The long explanation of a past check, rebuilt from its level and flag ids (no text kept). */
  explain(level: string, flagIds: string[], locale: Locale): string;
  /** A lesson that teaches about this kind of lure, if there is one. */
  lessonFor?(flagIds: string[]): string | undefined;
}

/** The text to check: the message, its caption and any links it carries. */
export function offerTextOf(message: InboundMessage): string {
  const links = message.attachments.filter((a) => a.kind === 'link' && a.url).map((a) => a.url!);
  return [message.text, ...links.filter((url) => !message.text.includes(url))].join('\n').trim();
}

export function offerActions(advisor: OfferAdvisor): Record<string, ActionHandler> {
  const check = (input: ActionInput, fromFallback: boolean): ActionOutcome | undefined => {
    const { state, message, ctx } = input;
    const text = offerTextOf(message);
    if (!text) {
      const hasImage = message.attachments.some((a) => a.kind === 'image');
      const key = hasImage ? 'offer.image_unreadable' : 'offer.ask';
      return {
        state: { ...state, node: 'check_offer' },
        replies: [{ text: ctx.texts.t(state.locale, key), locale: state.locale }],
      };
    }
    const result = advisor.check(text, state.locale);
    if (!result.isOffer) {
      if (fromFallback) return undefined;
      return {
        state,
        replies: [{ text: ctx.texts.t(state.locale, 'offer.not_offer'), locale: state.locale }],
      };
    }
    const next = { ...state, lastOffer: { level: result.level, flags: result.flagIds.slice(0, 12) } };
    const lesson =
      result.level === 'medium' || result.level === 'high' ? advisor.lessonFor?.(result.flagIds) : undefined;
    const replies = [{ text: result.answer, locale: state.locale }];
    if (lesson && ctx.actions.start_lesson && !state.caseId) {
      replies.push({
        text: ctx.texts.t(state.locale, 'lessons.offer_after_check'),
        buttons: [
          [
            {
              label: ctx.texts.t(state.locale, 'lessons.open'),
              payload: encodePayload(state.session, { kind: 'action', action: 'start_lesson', arg: lesson }),
            },
          ],
        ],
        locale: state.locale,
      } as (typeof replies)[number]);
    }
    return {
      state: next,
      replies,
      goto: 'offer_result',
      effects: [
        { type: 'count', event: 'offer_checked', labels: { level: result.level } },
        // One count per red flag raised (catalogue ids only), for the dashboard's most frequent flags.
        ...result.flagIds.map((flag) => ({ type: 'count' as const, event: 'offer_flag', labels: { flag } })),
        { type: 'remember_offer', text, level: result.level, flagIds: result.flagIds },
      ],
    };
  };

  return {
    check_offer: (input) => check(input, false)!,

    explain_offer: ({ state, ctx }) => {
      if (!state.lastOffer) {
        return {
          state,
          replies: [{ text: ctx.texts.t(state.locale, 'offer.nothing_to_explain'), locale: state.locale }],
          goto: 'check_offer',
        };
      }
      return {
        state,
        replies: [
          {
            text: advisor.explain(state.lastOffer.level, state.lastOffer.flags, state.locale),
            locale: state.locale,
          },
        ],
      };
    },

    /** The consent button after a check: the runtime stores the subscription and confirms. */
    subscribe_offer: ({ state, arg }) => ({
      state,
      replies: [],
      effects: arg ? [{ type: 'subscribe_offer', clusterId: arg }] : [],
    }),

    report_offer: ({ state, ctx }) => ({
      state,
      replies: [{ text: ctx.texts.t(state.locale, 'offer.reported'), locale: state.locale }],
      effects: [
        { type: 'count', event: 'offer_reported', labels: { level: state.lastOffer?.level ?? 'unknown' } },
      ],
    }),

    /** Free text nobody asked for: check it if it looks like an offer, otherwise help. */
    fallback: (input) => {
      const checked = check(input, true);
      if (checked) return checked;
      const { state, ctx } = input;
      return {
        state,
        replies: [
          {
            text: ctx.texts.t(state.locale, 'engine.fallback'),
            buttons: [
              [
                {
                  label: ctx.texts.t(state.locale, 'menu.check_offer'),
                  payload: encodePayload(state.session, { kind: 'command', command: 'check' }),
                },
              ],
              [
                {
                  label: ctx.texts.t(state.locale, 'menu.help_now'),
                  payload: encodePayload(state.session, { kind: 'command', command: 'human' }),
                },
              ],
              [
                {
                  label: ctx.texts.t(state.locale, 'common.menu'),
                  payload: encodePayload(state.session, { kind: 'command', command: 'menu' }),
                },
              ],
            ],
            locale: state.locale,
          },
        ],
      };
    },
  };
}

export const OFFER_ACTION_NODES: Record<string, readonly string[]> = {
  check_offer: ['offer_result', 'check_offer'],
  fallback: ['offer_result'],
  explain_offer: ['check_offer'],
};
