import type { Locale } from '../locale.js';
import type { Reply } from '../messages.js';
import type { ActionHandler, ActionInput, ActionOutcome } from './engine-types.js';

/** Hotline text for the hotlines menu, built from the sourced directory in content. */
export type HotlineText = (locale: Locale) => string;

/** Actions that need nothing but the flow and the texts. */
export function coreActions(deps: { hotlineText: HotlineText }): Record<string, ActionHandler> {
  return {
    set_language: ({ state, arg, ctx }) => {
      const locale: Locale = arg === 'en' ? 'en' : 'vi';
      const next = { ...state, locale, localeChosen: true, session: ctx.newSessionId() };
      return {
        state: next,
        replies: [say(next.locale, ctx.texts.t(locale, 'language.changed'))],
        goto: menuNode(ctx, next),
      };
    },

    toggle_discreet: ({ state, ctx }) => {
      const next = { ...state, discreet: !state.discreet };
      const key = next.discreet ? 'discreet_mode.on' : 'discreet_mode.off';
      return {
        state: next,
        replies: [
          {
            text: ctx.texts.t(state.locale, key),
            offersQuickExit: next.discreet || undefined,
            locale: state.locale,
          },
        ],
        goto: state.caseId ? 'case_open' : undefined,
        effects: [{ type: 'count', event: next.discreet ? 'discreet_on' : 'discreet_off' }],
      };
    },

    forget_me: ({ state, ctx }) => ({
      // The runtime erases the stored record; what stays is a fresh state in the same language.
      state: {
        ...state,
        node: flowStart(ctx, state),
        caseId: state.caseId,
        lastOffer: undefined,
        session: ctx.newSessionId(),
      },
      replies: [{ ...say(state.locale, ctx.texts.t(state.locale, 'forget.done')), leavesNoTrace: true }],
      effects: [{ type: 'erase_user' }],
    }),

    quick_exit: ({ state, ctx }) => ({
      state: { ...state, session: ctx.newSessionId() },
      replies: [say(state.locale, ctx.texts.t(state.locale, 'exit.done'))],
      effects: [{ type: 'quick_exit' }],
    }),

    show_hotlines: ({ state }) => ({
      state,
      replies: [say(state.locale, deps.hotlineText(state.locale))],
    }),

    open_case: (input) => openCase(input),

    note_for_case: (input): ActionOutcome => {
      const { state, ctx } = input;
      if (!state.caseId) return openCase({ ...input, arg: 'unsure' });
      return { state, replies: [say(state.locale, ctx.texts.t(state.locale, 'case.waiting_reply'))] };
    },
  };
}

/**
 * Asks the runtime to open (or find) a case. The confirmation that a person was alerted is sent
 * by the runtime only after the case is stored; here the user gets nothing that promises it.
 */
function openCase({ state, arg }: ActionInput): ActionOutcome {
  const who = arg === 'self' || arg === 'other' ? arg : 'unsure';
  return {
    state: { ...state, node: 'case_open' },
    replies: [],
    effects: [{ type: 'open_case', reason: 'user_request', who }],
  };
}

function say(locale: Locale, text: string): Reply {
  return { text, locale };
}

function menuNode(ctx: ActionInput['ctx'], state: ActionInput['state']): string {
  const flow = ctx.flows.get(state.flow);
  return flow?.commands.menu?.goto ?? flow?.start ?? 'menu';
}

function flowStart(ctx: ActionInput['ctx'], state: ActionInput['state']): string {
  return ctx.flows.get(state.flow)?.start ?? 'welcome';
}

/** Nodes that actions move to by themselves (for the reachability check). */
export const CORE_ACTION_NODES: Record<string, readonly string[]> = {
  // After storing the case the runtime shows the first intake question.
  open_case: ['case_open', 'intake_safe'],
  note_for_case: ['case_open'],
  toggle_discreet: ['case_open'],
};
