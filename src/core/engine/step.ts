import type { Locale } from '../locale.js';
import { DEFAULT_LOCALE, localeFromHint } from '../locale.js';
import type { InboundMessage, Reply, ReplyButton } from '../messages.js';
import { commandOf, type GlobalCommand } from './commands.js';
import type { Effect } from './effects.js';
import type { ActionOutcome, StepContext, StepResult } from './engine-types.js';
import type { FlowDefinition, FlowTarget } from './flow-schema.js';
import { decodePayload, encodePayload } from './payload.js';
import { type ConversationState, rememberSeen } from './state.js';

/** Texts at least this long, sent as a first message, are handled as well as greeted (often an offer). */
const FIRST_MESSAGE_HANDLE_LENGTH = 40;

/**
 * One conversation step: (state, message, context) -> (new state, replies, effects). Pure: the same
 * inputs give the same outputs, and nothing here touches a store, a clock or a platform.
 */
export function step(
  prev: ConversationState | undefined,
  message: InboundMessage,
  ctx: StepContext,
): StepResult {
  const run = new StepRun(ctx, message);
  return run.execute(prev);
}

/** The state a new user starts in (language from the platform hint, else Vietnamese). */
export function initialState(message: InboundMessage, ctx: StepContext): ConversationState {
  return new StepRun(ctx, message).initial();
}

/** Shows a node as a step would (its on_enter action runs too), for replies that the runtime adds. */
export function showNode(
  state: ConversationState,
  nodeId: string,
  message: InboundMessage,
  ctx: StepContext,
): StepResult {
  const run = new StepRun(ctx, message);
  return run.showOnly(nodeId, state);
}

class StepRun {
  private replies: Reply[] = [];
  private effects: Effect[] = [];

  constructor(
    private readonly ctx: StepContext,
    private readonly message: InboundMessage,
  ) {}

  execute(prev: ConversationState | undefined): StepResult {
    const { message } = this;
    let state: ConversationState;
    let firstContact = false;
    if (!prev) {
      state = this.freshState(localeFromHint(message.localeHint) ?? DEFAULT_LOCALE);
      firstContact = true;
    } else if (this.isOutdated(prev)) {
      state = {
        ...this.freshState(prev.locale),
        localeChosen: prev.localeChosen,
        discreet: prev.discreet,
        caseId: prev.caseId,
        seen: prev.seen,
      };
      this.say(state, 'engine.flow_updated');
      state = this.show(state.node, state);
      return this.finish(state);
    } else {
      state = prev;
    }

    if (message.event === 'unfollow') {
      this.effects.push({ type: 'mark_unreachable' });
      return this.finish(state);
    }
    if (message.event === 'follow') return this.finish(this.show(this.flow(state).start, state));
    if (message.event === 'unsupported') {
      this.say(state, 'engine.unsupported', this.menuButton(state));
      return this.finish(state);
    }

    if (message.button !== undefined) return this.finish(this.pressButton(state, message.button));

    const command = commandOf(message);
    if (command) return this.finish(this.runCommand(state, command.name, command.args, firstContact));

    // A forwarded message is almost always something to check, whatever the conversation was doing.
    if (
      message.forwarded &&
      this.ctx.actions.check_offer &&
      (message.text.trim() || message.attachments.length)
    ) {
      return this.finish(this.runTarget(state, { action: 'check_offer' }));
    }

    if (firstContact) {
      state = this.show(this.flow(state).start, state);
      if (message.text.trim().length < FIRST_MESSAGE_HANDLE_LENGTH && message.attachments.length === 0) {
        return this.finish(state);
      }
    }

    const numbered = this.numberedChoice(state);
    if (numbered !== undefined) return this.finish(this.pressNodeButton(state, state.node, numbered));

    const node = this.flow(state).nodes[state.node];
    const target = node?.text ?? { action: 'fallback' };
    return this.finish(this.runTarget(state, target));
  }

  initial(): ConversationState {
    return this.freshState(localeFromHint(this.message.localeHint) ?? DEFAULT_LOCALE);
  }

  showOnly(nodeId: string, state: ConversationState): StepResult {
    const next = this.show(nodeId, state);
    return { state: next, replies: this.replies, effects: this.effects };
  }

  private finish(state: ConversationState): StepResult {
    const withSeen = this.message.messageId ? rememberSeen(state, this.message.messageId) : state;
    return { state: withSeen, replies: this.replies, effects: this.effects };
  }

  private flow(state: ConversationState): FlowDefinition {
    return this.ctx.flows.get(state.flow) ?? this.ctx.flows.get(this.ctx.mainFlow)!;
  }

  private freshState(locale: Locale): ConversationState {
    const flow = this.ctx.flows.get(this.ctx.mainFlow)!;
    return {
      v: 1,
      flow: flow.id,
      flowVersion: flow.version,
      node: flow.start,
      session: this.ctx.newSessionId(),
      locale,
      seen: [],
    };
  }

  private isOutdated(state: ConversationState): boolean {
    const flow = this.ctx.flows.get(state.flow);
    return !flow || flow.version !== state.flowVersion || !(state.node in flow.nodes);
  }

  private pressButton(state: ConversationState, payload: string): ConversationState {
    const decoded = decodePayload(payload);
    if (!decoded || decoded.session !== state.session) {
      this.say(state, 'engine.stale_button');
      return this.show(state.node, state);
    }
    const { target } = decoded;
    switch (target.kind) {
      case 'node_button':
        return this.pressNodeButton(state, target.node, target.index);
      case 'action':
        if (!this.ctx.actions[target.action]) {
          this.say(state, 'engine.stale_button');
          return this.show(state.node, state);
        }
        return this.runTarget(state, { action: target.action, arg: target.arg });
      case 'command':
        return this.runCommand(state, target.command as GlobalCommand, '', false);
    }
  }

  private pressNodeButton(state: ConversationState, nodeId: string, index: number): ConversationState {
    const button = this.flow(state).nodes[nodeId]?.buttons[index];
    if (!button) {
      this.say(state, 'engine.stale_button');
      return this.show(state.node, state);
    }
    return this.runTarget(state, button);
  }

  private runCommand(
    state: ConversationState,
    name: GlobalCommand,
    args: string,
    firstContact: boolean,
  ): ConversationState {
    const flow = this.flow(state);
    if (name === 'start' || name === 'menu') {
      const renewed = { ...state, session: this.ctx.newSessionId() };
      const deepLink = name === 'start' ? this.deepLink(args) : undefined;
      if (deepLink) return this.runTarget(firstContact ? this.show(flow.start, renewed) : renewed, deepLink);
      const target = firstContact || name === 'start' ? flow.start : (flow.commands.menu?.goto ?? flow.start);
      return this.show(target, renewed);
    }
    if (name === 'lang' && (args === 'vi' || args === 'en') && this.ctx.actions.set_language) {
      return this.runTarget(state, { action: 'set_language', arg: args });
    }
    const target = flow.commands[name];
    if (!target) {
      this.say(state, 'engine.unknown_command', this.menuButton(state));
      return state;
    }
    return this.runTarget(state, target);
  }

  /** `/start lesson_3` or `/start check`: deep links from a website or a shared link. */
  private deepLink(args: string): FlowTarget | undefined {
    const lesson = args.match(/^lesson_([a-z0-9_]{1,20})$/);
    if (lesson && this.ctx.actions.start_lesson) return { action: 'start_lesson', arg: lesson[1] };
    if (args === 'check' || args === 'learn' || args === 'hotlines' || args === 'help') {
      return this.flow({ flow: this.ctx.mainFlow } as ConversationState).commands[args] ?? undefined;
    }
    return undefined;
  }

  private runTarget(state: ConversationState, target: FlowTarget): ConversationState {
    if (target.goto) return this.show(target.goto, state);
    const handler = this.ctx.actions[target.action!];
    if (!handler) {
      // Flows are validated against the registry at start-up; this guards hand-made payloads.
      this.say(state, 'engine.stale_button');
      return this.show(state.node, state);
    }
    const outcome: ActionOutcome = handler({
      state,
      message: this.message,
      arg: target.arg,
      ctx: this.ctx,
      locale: state.locale,
      render: (node, s) => this.renderNode(node, s),
    });
    this.replies.push(...outcome.replies);
    this.effects.push(...(outcome.effects ?? []));
    return outcome.goto ? this.show(outcome.goto, outcome.state) : outcome.state;
  }

  /** Moves to a node and shows it. */
  private show(nodeId: string, state: ConversationState): ConversationState {
    const next = { ...state, node: nodeId };
    this.replies.push(...this.renderNode(nodeId, next));
    return next;
  }

  private renderNode(nodeId: string, state: ConversationState): Reply[] {
    const flow = this.flow(state);
    const node = flow.nodes[nodeId];
    if (!node) return [];
    const out: Reply[] = [];
    if (node.on_enter) {
      const handler = this.ctx.actions[node.on_enter];
      if (handler) {
        const extra = handler({
          state,
          message: this.message,
          arg: undefined,
          ctx: this.ctx,
          locale: state.locale,
          render: () => [],
        });
        out.push(...extra.replies);
        this.effects.push(...(extra.effects ?? []));
      }
    }
    const buttons: ReplyButton[][] = node.buttons.map((button, index) => [
      {
        label: this.text(state, button.label),
        payload: encodePayload(state.session, { kind: 'node_button', node: nodeId, index }),
      },
    ]);
    out.push({
      text: this.text(state, node.message),
      buttons: buttons.length > 0 ? buttons : undefined,
      offersQuickExit: node.quick_exit || undefined,
      locale: state.locale,
    });
    return out;
  }

  /** Picks "3" as the third button of the current node (channels without buttons show numbers). */
  private numberedChoice(state: ConversationState): number | undefined {
    const match = this.message.text.trim().match(/^([1-9])[.)]?$/);
    if (!match) return undefined;
    const index = Number(match[1]) - 1;
    const node = this.flow(state).nodes[state.node];
    return node && index < node.buttons.length ? index : undefined;
  }

  private menuButton(state: ConversationState): ReplyButton[][] {
    return [
      [
        {
          label: this.text(state, 'common.menu'),
          payload: encodePayload(state.session, { kind: 'command', command: 'menu' }),
        },
      ],
    ];
  }

  private text(state: ConversationState, key: string): string {
    // Someone who may be watched gets the discreet wording where one exists.
    if (state.discreet && this.ctx.texts.has(`discreet.${key}`))
      return this.ctx.texts.t(state.locale, `discreet.${key}`);
    return this.ctx.texts.t(state.locale, key);
  }

  private say(state: ConversationState, key: string, buttons?: ReplyButton[][]): void {
    this.replies.push({ text: this.text(state, key), buttons, locale: state.locale });
  }
}
