import type { TextCatalogue } from '../content.js';
import type { Locale } from '../locale.js';
import type { InboundMessage, Reply } from '../messages.js';
import type { Effect } from './effects.js';
import type { FlowDefinition } from './flow-schema.js';
import type { ConversationState } from './state.js';

export interface StepResult {
  state: ConversationState;
  replies: Reply[];
  effects: Effect[];
}

/** Everything a step may use. All of it is data or pure functions: the step does no I/O. */
export interface StepContext {
  flows: ReadonlyMap<string, FlowDefinition>;
  /** The flow new conversations start in. */
  mainFlow: string;
  texts: TextCatalogue;
  actions: ActionRegistry;
  now: number;
  /** A fresh session id (random in the runtime, predictable in tests). */
  newSessionId: () => string;
}

export interface ActionInput {
  state: ConversationState;
  message: InboundMessage;
  arg: string | undefined;
  ctx: StepContext;
  locale: Locale;
  /** Renders a node of the current flow as a reply, with buttons bound to the state's session. */
  render: (node: string, state: ConversationState) => Reply[];
}

/** An action's answer. `goto` moves to a node and shows it after the action's own replies. */
export interface ActionOutcome {
  state: ConversationState;
  replies: Reply[];
  effects?: Effect[];
  goto?: string;
}

export type ActionHandler = (input: ActionInput) => ActionOutcome;
export type ActionRegistry = Readonly<Record<string, ActionHandler>>;
