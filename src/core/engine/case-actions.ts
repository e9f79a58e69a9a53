import type { ActionHandler, ActionInput, ActionOutcome } from './engine-types.js';

/** The optional intake questions, in order. Each can be skipped; none blocks reaching a person. */
export const INTAKE_NODES = ['intake_safe', 'intake_minor', 'intake_country', 'intake_contact'] as const;
const FIELD_OF_NODE: Record<string, string> = {
  intake_safe: 'safe_to_talk',
  intake_minor: 'minor',
  intake_country: 'country',
  intake_contact: 'contact',
};
const MAX_ANSWER = 300;

function nextIntakeNode(node: string): string {
  const index = INTAKE_NODES.indexOf(node as (typeof INTAKE_NODES)[number]);
  return index >= 0 && index + 1 < INTAKE_NODES.length ? INTAKE_NODES[index + 1]! : 'case_open';
}

function answer(input: ActionInput, field: string, value: string | undefined): ActionOutcome {
  const { state } = input;
  const next = nextIntakeNode(state.node);
  if (value === undefined) return { state, replies: [], goto: next };
  // Someone who says it is not safe to write gets no more questions, and discreet replies.
  if (field === 'safe_to_talk' && value === 'no') {
    return {
      state: { ...state, discreet: true },
      replies: [],
      effects: [{ type: 'case_intake', answers: { [field]: value } }],
      goto: 'case_open',
    };
  }
  return { state, replies: [], effects: [{ type: 'case_intake', answers: { [field]: value } }], goto: next };
}

/** Consent to be contacted and the intake answers; the runtime stores them on the open case. */
export function caseActions(): Record<string, ActionHandler> {
  return {
    /** A button answer such as `safe_yes`, `minor_unknown`, `contact_phone` or `country_skip`. */
    intake: (input) => {
      const [field, ...rest] = (input.arg ?? '').split('_');
      const value = rest.join('_');
      const names: Record<string, string> = {
        safe: 'safe_to_talk',
        minor: 'minor',
        country: 'country',
        contact: 'contact',
      };
      const name = names[field ?? ''];
      if (!name) return { state: input.state, replies: [], goto: nextIntakeNode(input.state.node) };
      return answer(input, name, value === 'skip' ? undefined : value);
    },

    /** Typed text at an intake question: the answer where a text answer fits, otherwise a skip. */
    intake_text: (input) => {
      const field = FIELD_OF_NODE[input.state.node];
      const text = input.message.text.trim().slice(0, MAX_ANSWER);
      if (field === 'country' && text) return answer(input, field, text);
      return answer(input, field ?? 'note', undefined);
    },

    /** "May a person from the hotline contact you here?" after a safety reply. */
    case_consent: ({ state, arg, ctx }) => {
      const yes = arg === 'yes';
      if (!state.caseId) {
        if (yes)
          return { state, replies: [], effects: [{ type: 'open_case', reason: 'distress', who: 'unsure' }] };
        return {
          state: { ...state, pendingDistress: undefined },
          replies: [
            {
              text: ctx.texts.t(state.locale, 'case.consent_declined'),
              locale: state.locale,
              offersQuickExit: true,
            },
          ],
          goto: 'menu',
        };
      }
      return {
        state,
        replies: [],
        effects: [{ type: 'case_intake', answers: { contact_consent: yes ? 'yes' : 'not_now' } }],
        goto: state.node.startsWith('intake_') ? state.node : 'case_open',
      };
    },
  };
}

export const CASE_ACTION_NODES: Record<string, readonly string[]> = {
  intake: [...INTAKE_NODES, 'case_open'],
  intake_text: [...INTAKE_NODES, 'case_open'],
  case_consent: ['case_open', 'menu'],
};
