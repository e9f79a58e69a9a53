import type { Logger } from 'pino';
import type { SafetyContent } from '../content/safety.js';
import type { CaseLevel } from '../core/cases/case.js';
import type { TextCatalogue } from '../core/content.js';
import { type DistressResult, detectDistress } from '../core/distress/detect.js';
import { distressBesideOffer } from '../core/distress/offer-context.js';
import { composeSafetyReply } from '../core/distress/safety-reply.js';
import { commandOf, foldForCommand } from '../core/engine/commands.js';
import type { StepContext } from '../core/engine/engine-types.js';
import { offerTextOf } from '../core/engine/offer-actions.js';
import { encodePayload } from '../core/engine/payload.js';
import type { ConversationState } from '../core/engine/state.js';
import { initialState, showNode } from '../core/engine/step.js';
import type { InboundMessage, Reply } from '../core/messages.js';
import {
  type EscalationDeps as CaseEscalationDeps,
  escalate,
  recordCaseMessage,
} from '../operator/escalation.js';
import type { CaseStore } from '../ports/case-store.js';
import type { Clock } from '../ports/clock.js';
import type { EventBus } from '../ports/event-bus.js';
import type { EffectRunner, MessageInterceptor } from './conversation-runtime.js';
import { type DistressSecondLookDeps, modelRaise, wantsSecondLook } from './distress-second-look.js';

export interface EscalationDeps {
  cases: CaseStore;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  safety: SafetyContent;
  texts: TextCatalogue;
  engine: () => Omit<StepContext, 'now' | 'newSessionId'>;
  newSessionId: () => string;
  /** Queues replies to the message's chat at once, with ids derived from `idBase`. */
  enqueue: (message: InboundMessage, replies: Reply[], idBase: string) => Promise<void>;
  /** The case helpers' dependencies (config for alert links, the operators' alert channel). */
  caseDeps: CaseEscalationDeps;
  discreetCodeWord?: string;
  /** Whether a text is a job offer: unclear signs inside an offer are the offer's, not the writer's. */
  isOffer: (text: string) => boolean;
  /** The language model's second look at messages the rules rate below `high` (DISTRESS_LLM=on). */
  secondLook?: DistressSecondLookDeps;
}

const RANK: Record<CaseLevel, number> = { concern: 1, high: 2, imminent: 3 };

/** The person is past `limit` messages this minute, by the flood-control count of their state. */
const flooding = (state: ConversationState | undefined, limit: number | undefined, now: number): boolean =>
  limit !== undefined &&
  state?.flood !== undefined &&
  state.flood[0] === Math.floor(now / 60_000) &&
  state.flood[1] >= limit;

/** The id of the message a case came from; a redelivered copy of the message has the same. */
const originOf = (message: InboundMessage) => `${message.channel}:${message.chat.id}:${message.messageId}`;

/**
 * Safety first, on every message, before the engine: a message with signs of danger gets the
 * static safety reply at once (queued before anything else can fail), then a case is stored, and
 * only then is the person told that someone was alerted. While a case is open, the person's
 * messages go to its transcript; while an operator holds it, they go to the operator instead of
 * the engine (quick exit still works).
 */
/** Whom a case is about and where to answer them: the person, their chat and their language. */
function whoAndWhere(message: InboundMessage, state: Pick<ConversationState, 'locale'>) {
  return {
    channel: message.channel,
    userId: message.user.id,
    chatId: message.chat.id,
    locale: state.locale,
  };
}

export function escalationHooks(deps: EscalationDeps): {
  interceptor: MessageInterceptor;
  effectRunner: EffectRunner;
} {
  const { cases, events, clock } = deps;

  const stepContext = (): StepContext => ({
    ...deps.engine(),
    now: clock.now(),
    newSessionId: deps.newSessionId,
  });

  const safetyReply = (result: DistressResult, state: ConversationState): Reply => {
    const content = deps.safety[state.locale];
    const composed = composeSafetyReply(result, {
      locale: state.locale,
      discreet: Boolean(state.discreet),
      hotlines: content.hotlines,
      texts: content.texts,
    });
    const labels = state.discreet ? content.texts.discreet.buttons : content.texts.reply.buttons;
    return {
      text: composed.text,
      buttons: [
        [
          {
            label: labels.yes,
            payload: encodePayload(state.session, { kind: 'action', action: 'case_consent', arg: 'yes' }),
          },
        ],
        [
          {
            label: labels.not_now,
            payload: encodePayload(state.session, { kind: 'action', action: 'case_consent', arg: 'no' }),
          },
        ],
      ],
      offersQuickExit: true,
      locale: state.locale,
    };
  };

  const alerted = (state: ConversationState): Reply => ({
    text: deps.texts.t(state.locale, state.discreet ? 'safety.alerted_discreet' : 'safety.alerted'),
    offersQuickExit: true,
    locale: state.locale,
  });

  /** Stores the case (or finds the open one), then says so; shows the first intake question. */
  const openCase = async (
    message: InboundMessage,
    state: ConversationState,
    level: CaseLevel,
    result: Pick<DistressResult, 'signals' | 'minor'>,
    intake: Record<string, string>,
    byModel?: { note: string },
  ): Promise<{ replies: Reply[]; state: ConversationState }> => {
    const now = clock.now();
    const text = message.text.trim();
    const transcript: Array<{ at: number; from: 'user' | 'system'; text: string }> = text
      ? [{ at: now, from: 'user', text }]
      : [];
    if (byModel) transcript.push({ at: now, from: 'system' as const, text: byModel.note });
    // Stored (or found) before anything tells the person that someone was alerted.
    const {
      case: c,
      created,
      replayed,
    } = await escalate(deps.caseDeps, {
      level,
      ...whoAndWhere(message, state),
      discreet: Boolean(state.discreet),
      minor: result.minor,
      intake,
      signals: result.signals,
      transcript,
      origin: originOf(message),
      ...(byModel ? { raisedByModel: level } : {}),
    });
    if (!created && !replayed) {
      if (Object.keys(intake).length > 0) await cases.setIntake(c.id, intake, now);
      return {
        replies: [reply(state, 'case.already_open')],
        state: { ...state, caseId: c.id, node: 'case_open', pendingDistress: undefined },
      };
    }
    const opened = { ...state, caseId: c.id, pendingDistress: undefined };
    const intro = showNode(opened, 'intake_safe', message, stepContext());
    if (!replayed) await cases.appendTranscript(c.id, [{ at: now, from: 'bot', text: alerted(opened).text }]);
    return { replies: [alerted(opened), ...intro.replies], state: intro.state };
  };

  /** Raises an open case's level when a later message is more urgent (escalate only raises). */
  const raise = async (
    message: InboundMessage,
    state: ConversationState,
    level: CaseLevel,
    signals: string[],
    byModel = false,
  ) => {
    await escalate(deps.caseDeps, {
      level,
      ...whoAndWhere(message, state),
      signals,
      ...(byModel ? { raisedByModel: level } : {}),
    });
  };

  /** The model's note in the operator's transcript: who raised the level, and its one-line reason. */
  const modelNote = (level: CaseLevel, reason: string | null | undefined): string =>
    `Second opinion (language model): ${level.toUpperCase()}; the rules alone saw less.${reason ? ` ${reason}` : ''}`;

  /**
   * Asks the model about a message the rules rated below `high`, in the background: the rules'
   * answer has gone (or goes) out without waiting. Only a raise does anything, and then what the
   * rules would have done at that level, under the user's lease (so the message's own state save
   * comes first and is never overwritten): the numbers at once, then a case marked as raised by
   * the model; for `concern`, the question whether a person may write (the answer opens the case).
   */
  const scheduleSecondLook = (
    look: NonNullable<EscalationDeps['secondLook']>,
    message: InboundMessage,
    text: string,
    rules: DistressResult,
    asked: Pick<ConversationState, 'locale' | 'session'>,
    looksLikeOffer: boolean,
  ): void => {
    const { locale } = asked;
    const idBase = `${originOf(message)}:llm`;
    const group = message.chat.kind === 'group';
    look.runInBackground(async () => {
      // The conversation's session when this message was read, to tell later whether the person
      // left (quick exit), restarted or was forgotten while the model thought. Read from the
      // message's own handling, not from a later look at the store, which a next message of theirs
      // (the /exit itself) could reach first. Free text does not change the session; if a step
      // ever did, the cautious path below follows (nothing sent to the chat, the case still made).
      const sessionAfter = asked.session;
      const r = await look.opinion.review(
        text,
        { level: rules.level },
        { locale, forwarded: Boolean(message.forwarded), looksLikeOffer },
      );
      const raised = r.opinion && modelRaise(rules, r.opinion, looksLikeOffer);
      look.count?.(r.failure ? `failed_${r.failure}` : raised ? `raised_${raised.level}` : 'kept');
      deps.logger.info(
        {
          rulesLevel: rules.level,
          modelLevel: r.opinion?.level,
          failure: r.failure,
          raised: Boolean(raised),
        },
        'distress second opinion',
      );
      if (!raised || raised.level === 'none') return;
      const level = raised.level;

      if (group) {
        // As the rules do in a group: the numbers, and nothing about a case.
        if (rules.level !== 'none') return;
        const base = initialState(message, stepContext());
        const state = { ...base, locale };
        await deps.enqueue(
          message,
          [{ ...safetyReply(raised, state), buttons: undefined }, reply(state, 'case.group_private')],
          idBase,
        );
        return;
      }

      await look
        .withUserState(message.user, async (stored) => {
          // Gone (the person asked to be forgotten meanwhile): nothing to act on.
          if (!stored) return undefined;
          let state = stored;
          const open = await cases.getOpenForUser(message.user);
          if (open) {
            // One case per person: a model that sees more raises the open case, silently.
            if (RANK[level] > RANK[open.level]) await raise(message, state, level, raised.signals, true);
            return state.caseId === open.id ? undefined : { ...state, caseId: open.id };
          }
          if (state.caseId) state = { ...state, caseId: undefined };
          if (state.session !== sessionAfter) {
            // They left (quick exit) or started again before the answer came: a message now could
            // be read by whoever made them leave. Unclear signs are dropped; a high opinion still
            // reaches the operators, as a case that says nothing was sent to the person.
            if (level === 'concern') return undefined;
            const now = clock.now();
            const { case: c } = await escalate(deps.caseDeps, {
              level,
              ...whoAndWhere(message, state),
              discreet: Boolean(state.discreet),
              minor: raised.minor,
              signals: raised.signals,
              transcript: [
                { at: now, from: 'user', text },
                {
                  at: now,
                  from: 'system',
                  text: `${modelNote(level, r.opinion?.reason)} The person left or restarted the conversation before this opinion came: nothing was sent to them.`,
                },
              ],
              origin: originOf(message),
              raisedByModel: level,
            });
            return { ...state, caseId: c.id };
          }
          if (level === 'concern') {
            // Already asked (a later message of theirs): the question stands.
            if (state.pendingDistress) return state;
            await deps.enqueue(message, [safetyReply(raised, state)], `${idBase}:safety`);
            const pending = {
              level,
              signals: raised.signals,
              minor: raised.minor,
              abroad: raised.abroad,
              thirdPerson: raised.thirdPerson,
              byModel: true,
            };
            return { ...state, pendingDistress: pending };
          }
          // Rules at `concern` already sent the numbers a moment ago; from `none`, they go now.
          if (rules.level === 'none')
            await deps.enqueue(message, [safetyReply(raised, state)], `${idBase}:safety`);
          const outcome = await openCase(
            message,
            state,
            level,
            raised,
            {},
            {
              note: modelNote(level, r.opinion?.reason),
            },
          );
          await deps.enqueue(message, outcome.replies, `${idBase}:case`);
          return outcome.state;
        })
        .catch((error: Error) =>
          deps.logger.warn({ err: { message: error.message } }, 'distress second opinion not acted on'),
        );
    });
  };

  const interceptor: MessageInterceptor = async ({ message, state: stored }) => {
    if (message.event === 'follow' || message.event === 'unfollow') return undefined;
    // A new user keeps an undefined state unless something happens here, so the engine greets them.
    const base = stored ?? initialState(message, stepContext());
    let state = base;
    const unchanged = () => (state === base ? stored : state);
    const text = offerTextOf(message);

    if (deps.discreetCodeWord && text && foldForCommand(text) === foldForCommand(deps.discreetCodeWord)) {
      state = { ...state, discreet: !state.discreet };
      const content = deps.safety[state.locale].texts.discreet;
      return {
        replies: [
          {
            text: state.discreet ? content.turned_on : content.turned_off,
            offersQuickExit: true,
            locale: state.locale,
          },
        ],
        state,
        handled: true,
      };
    }

    const found = await cases.getOpenForUser(message.user);
    // A case opened by this very message means its handling was cut short (the worker died after
    // storing the case): handle it as the first time. Reply ids come from the message, so what
    // the first attempt queued still goes out once.
    const open = found && found.origin === originOf(message) ? null : found;
    // Commands ("/help", "menu") are commands; the help page itself says how to reach a person.
    const isCommand = Boolean(message.command) || /^\/[a-z]/i.test(text) || commandOf(message) !== undefined;
    let result =
      text && !message.button && !isCommand
        ? detectDistress(text, { forwarded: Boolean(message.forwarded) })
        : undefined;
    // Unclear words inside a job offer belong to the offer (its check names the risks and numbers).
    if (result && result.level !== 'none' && result.level !== 'imminent') {
      result = distressBesideOffer(result, deps.isOffer(text));
    }
    // A second look by the model where the rules saw little, never while a case is open (the
    // person is already with the operators), never in a group where the rules already spoke, and
    // never on a forwarded job offer (not distress; the offer's own second opinion reads it).
    if (
      deps.secondLook &&
      result &&
      !open &&
      wantsSecondLook(text, result.level) &&
      !(message.chat.kind === 'group' && result.level !== 'none') &&
      !flooding(stored, deps.secondLook.messagesPerMinute, clock.now())
    ) {
      const looksLikeOffer = deps.isOffer(text);
      if (!(message.forwarded && looksLikeOffer)) {
        scheduleSecondLook(deps.secondLook, message, text, result, state, looksLikeOffer);
      }
    }

    if (open) {
      if (state.caseId !== open.id) state = { ...state, caseId: open.id };
      if (text && !message.button) {
        await recordCaseMessage(deps.caseDeps, open, { at: clock.now(), from: 'user', text });
      }
      if (result && result.level !== 'none' && RANK[result.level] > RANK[open.level]) {
        await raise(message, state, result.level, result.signals);
      }
      const isExit = message.command?.name === 'exit' || /^\/exit\b/.test(message.text.trim());
      // An operator is talking with this person: their words go to the operator, not the menu.
      if (open.state === 'claimed' && !message.button && !isExit)
        return { replies: [], state, handled: true };
      return { replies: [], state: unchanged(), handled: false };
    }

    if (state.caseId) state = { ...state, caseId: undefined };
    if (!result || result.level === 'none') return { replies: [], state: unchanged(), handled: false };

    // In a group the numbers are given, but nothing about a case is said or opened there.
    if (message.chat.kind === 'group') {
      const numbers = { ...safetyReply(result, state), buttons: undefined };
      return { replies: [numbers, reply(state, 'case.group_private')], state: unchanged(), handled: true };
    }
    // Safety first: queued now, so it goes out even if storing the case fails below.
    await deps.enqueue(
      message,
      [safetyReply(result, state)],
      `${message.channel}:${message.chat.id}:${message.messageId}:safety`,
    );
    if (result.level === 'concern') {
      // Unclear signs: ask before putting a person on it (the answer opens the case).
      const pending = {
        level: result.level,
        signals: result.signals,
        minor: result.minor,
        abroad: result.abroad,
        thirdPerson: result.thirdPerson,
      };
      return { replies: [], state: { ...state, pendingDistress: pending }, handled: true };
    }
    const outcome = await openCase(message, state, result.level, result, {});
    return { replies: outcome.replies, state: outcome.state, handled: true };
  };

  const effectRunner: EffectRunner = async ({ effect, message, state }) => {
    switch (effect.type) {
      case 'open_case': {
        const detected = detectDistress(message.text, { forwarded: Boolean(message.forwarded) });
        const pending = state.pendingDistress;
        // Someone asking for a person for themselves or someone they know is taken as high.
        const asked: CaseLevel = effect.who === 'self' || effect.who === 'other' ? 'high' : 'concern';
        const levels = [asked, pending?.level, detected.level === 'none' ? undefined : detected.level].filter(
          (l): l is CaseLevel => l !== undefined,
        );
        const level = levels.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'concern' as CaseLevel);
        const signals = [...new Set([...(pending?.signals ?? []), ...detected.signals])];
        const intake: Record<string, string> = effect.who ? { who: effect.who } : {};
        if (pending) intake.contact_consent = 'yes';
        // In a group nothing about a case is opened or said, as for distress found there: the
        // operator's words, the intake questions and "a counsellor was told" would all go to the group.
        if (message.chat.kind === 'group') {
          const numbers = safetyReply({ ...detected, level, thirdPerson: effect.who === 'other' }, state);
          return {
            replies: [{ ...numbers, buttons: undefined }, reply(state, 'case.group_private')],
            state: { ...state, node: 'menu', pendingDistress: undefined },
          };
        }
        const replies: Reply[] = [];
        if (!pending && effect.reason === 'user_request') {
          const safety = safetyReply(
            { ...detected, level, thirdPerson: detected.thirdPerson || effect.who === 'other' },
            state,
          );
          replies.push({ ...safety, buttons: undefined });
        }
        // The person said yes to a question only the model's opinion asked: the case says so.
        const byModel =
          pending?.byModel && level === pending.level ? { note: modelNote(level, null) } : undefined;
        const opened = await openCase(
          message,
          state,
          level,
          { signals, minor: Boolean(pending?.minor || detected.minor) },
          intake,
          byModel,
        );
        return { replies: [...replies, ...opened.replies], state: opened.state };
      }
      case 'case_intake': {
        if (!state.caseId) return undefined;
        const change = await cases.setIntake(state.caseId, effect.answers, clock.now());
        if (change.ok) await events.publish({ type: 'case_updated', caseId: state.caseId, at: clock.now() });
        return undefined;
      }
      case 'mark_unreachable': {
        const open = await cases.getOpenForUser(message.user);
        if (open) await cases.markUnreachable(open.id, 'user_left', clock.now());
        return undefined;
      }
      case 'erase_user': {
        // Closed cases keep nothing of the person from now on; an open one is kept (they may be
        // in danger) and marked, and is cleared the moment it is resolved.
        const now = clock.now();
        for (const closed of await cases.list('resolved', Number.MAX_SAFE_INTEGER)) {
          if (closed.channel !== message.user.channel || closed.userId !== message.user.id) continue;
          const forgotten = await cases.forgetPerson(closed.id, now);
          if (forgotten.ok) {
            await cases.audit({ at: now, actor: 'system', action: 'person_forgotten', caseId: closed.id });
          }
        }
        const open = await cases.getOpenForUser(message.user);
        if (!open) return undefined;
        await cases.markForgetRequested(open.id, clock.now());
        await cases.audit({ at: clock.now(), actor: 'user', action: 'forget_requested', caseId: open.id });
        await events.publish({ type: 'case_updated', caseId: open.id, at: clock.now() });
        return { replies: [{ ...reply(state, 'forget.case_kept'), leavesNoTrace: true }] };
      }
      default:
        return undefined;
    }
  };

  function reply(state: ConversationState, key: string): Reply {
    return { text: deps.texts.t(state.locale, key), locale: state.locale };
  }

  return { interceptor, effectRunner };
}
