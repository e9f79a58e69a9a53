import type { Logger } from 'pino';
import type { Effect } from '../core/engine/effects.js';
import type { StepContext, StepResult } from '../core/engine/engine-types.js';
import { type ConversationState, rememberSeen } from '../core/engine/state.js';
import { step } from '../core/engine/step.js';
import type { InboundMessage, Reply } from '../core/messages.js';
import type { ChannelName, UserRef } from '../core/user-ref.js';
import type { OutboxEnvelope } from '../pipeline/envelopes.js';
import { parseInboxEnvelope } from '../pipeline/envelopes.js';
import type { Clock } from '../ports/clock.js';
import type { DurableQueue, QueueEntry } from '../ports/durable-queue.js';
import type { UserLease, UserStore } from '../ports/user-store.js';
import type { ChannelAdapter } from './channel-adapter.js';

/** Field names in the user record. Short: they are repeated for every user in Redis. */
export const USER_FIELDS = { state: 's' } as const;

/**
 * A hook that sees each message before the engine. It may answer by itself (a claimed case
 * relays the message to the operator) and may also let the engine go on.
 */
export type MessageInterceptor = (input: {
  message: InboundMessage;
  state: ConversationState | undefined;
}) => Promise<{ replies: Reply[]; state?: ConversationState; handled: boolean } | undefined>;

/** Carries out what the engine asked for; may add replies (a case confirmation...). */
export type EffectRunner = (input: {
  effect: Effect;
  message: InboundMessage;
  state: ConversationState;
}) => Promise<{ replies?: Reply[]; state?: ConversationState; erased?: boolean } | undefined>;

export interface ConversationRuntimeDeps {
  users: UserStore;
  outbox: (channel: ChannelName) => DurableQueue;
  adapters: ReadonlyMap<ChannelName, ChannelAdapter>;
  engine: () => Omit<StepContext, 'now' | 'newSessionId'>;
  newSessionId: () => string;
  clock: Clock;
  logger: Logger;
  pseudonym: (user: UserRef) => string;
  interceptors?: MessageInterceptor[];
  effectRunners?: EffectRunner[];
  onHandled?: (message: InboundMessage) => void;
  /** A user who sends more than this in a minute gets one "slow down" and no more answers that minute. */
  messagesPerMinute?: number;
  /** The "slow down" reply in the user's language. */
  slowDown?: (state: ConversationState) => Reply;
  /**
   * How long a user's lease lasts (15 s by default). A worker that dies while handling a message
   * keeps that user waiting this long; it must outlast the slowest handling of one message.
   */
  leaseMs?: number;
}

/**
 * Runs the pure engine inside the worker: one user at a time (a lease), load state, step, run
 * effects, queue replies, save state. Replies are queued with ids derived from the message, and
 * a message already in the state's `seen` list is skipped, so a redelivered entry answers once.
 */
export class ConversationRuntime {
  constructor(private readonly deps: ConversationRuntimeDeps) {}

  /** The inbox handler. Throws to leave the entry pending (retried later). */
  async handleEntry(entry: QueueEntry): Promise<void> {
    const envelope = parseInboxEnvelope(entry.payload);
    const adapter = this.deps.adapters.get(envelope.channel);
    if (!adapter) {
      this.deps.logger.warn({ channel: envelope.channel }, 'no adapter for channel; entry skipped');
      return;
    }
    for (const message of adapter.toInbound(envelope)) {
      await adapter.onInbound?.(message);
      await this.handleMessage(message);
    }
  }

  async handleMessage(message: InboundMessage): Promise<void> {
    const lease = await this.lease(message.user);
    let outcome: Handled;
    try {
      outcome = await this.handleLocked(message, lease.value);
    } catch (error) {
      await this.deps.users.release(message.user, lease.token).catch(() => undefined);
      throw error;
    }
    await this.saveAndRelease(message.user, lease.token, outcome.save);
    if (outcome.engineRan) this.deps.onHandled?.(message);
  }

  /** Takes the user's lease, reading their stored state in the same step. */
  private async lease(user: UserRef): Promise<UserLease> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const lease = await this.deps.users.lease(user, this.deps.leaseMs ?? 15_000, USER_FIELDS.state);
      if (lease) return lease;
      await new Promise((r) => setTimeout(r, 20 + attempt * 5));
    }
    throw new Error('user is busy for too long; will retry');
  }

  /**
   * Stores `state` (when there is one) and releases the lease in one step. A failed store throws,
   * so the entry is retried; the lease is then released on its own (or lapses).
   */
  private async saveAndRelease(user: UserRef, token: string, state: ConversationState | undefined) {
    const { users } = this.deps;
    if (!state) {
      await users.release(user, token).catch(() => undefined);
      return;
    }
    try {
      await users.release(user, token, { [USER_FIELDS.state]: JSON.stringify(state) });
    } catch (error) {
      await users.release(user, token).catch(() => undefined);
      throw error;
    }
  }

  /** Handles one message under the user's lease; returns the state to store (none after an erase). */
  private async handleLocked(message: InboundMessage, stored: string | null): Promise<Handled> {
    const { logger } = this.deps;
    let state = parseState(stored);
    if (state && message.messageId && state.seen.includes(message.messageId)) {
      logger.debug({ user: this.deps.pseudonym(message.user) }, 'message already handled');
      return { save: undefined, engineRan: false };
    }

    const replies: Reply[] = [];
    for (const intercept of this.deps.interceptors ?? []) {
      const outcome = await intercept({ message, state });
      if (!outcome) continue;
      replies.push(...outcome.replies);
      state = outcome.state;
      if (outcome.handled)
        return { save: await this.commit(message, state, replies, false), engineRan: false };
    }

    // Flood control after the distress check (which always runs), before the engine.
    if (state && this.deps.messagesPerMinute) {
      const minute = Math.floor(this.deps.clock.now() / 60_000);
      const [seenMinute, seenCount] = state.flood ?? [minute, 0];
      const count = seenMinute === minute ? seenCount + 1 : 1;
      state = { ...state, flood: [minute, count] };
      if (count > this.deps.messagesPerMinute) {
        const warn = count === this.deps.messagesPerMinute + 1 && this.deps.slowDown;
        if (warn) replies.push(warn(state));
        const save = await this.commit(message, rememberSeen(state, message.messageId), replies, false);
        return { save, engineRan: false };
      }
    }

    const result: StepResult = step(state, message, {
      ...this.deps.engine(),
      now: this.deps.clock.now(),
      newSessionId: this.deps.newSessionId,
    });
    let next = result.state;
    let erased = false;
    const afterEffects: Reply[] = [];
    for (const effect of result.effects) {
      for (const run of this.deps.effectRunners ?? []) {
        const outcome = await run({ effect, message, state: next });
        if (!outcome) continue;
        if (outcome.state) next = outcome.state;
        if (outcome.replies) afterEffects.push(...outcome.replies);
        if (outcome.erased) erased = true;
      }
    }
    // Effect replies (a case confirmation) come after the step's own, in the order they happened.
    replies.push(...result.replies, ...afterEffects);
    return { save: await this.commit(message, next, replies, erased), engineRan: true };
  }

  /**
   * Queues the replies; returns the state to store with the lease's release. Replies are queued
   * first: a worker that dies in between leaves the message unseen, and its replay sends each
   * reply once (reply ids come from the message).
   */
  private async commit(
    message: InboundMessage,
    state: ConversationState | undefined,
    replies: Reply[],
    erased: boolean,
  ): Promise<ConversationState | undefined> {
    await this.enqueueReplies(message, replies);
    return erased ? undefined : state;
  }

  /** Queues replies to the message's chat, with ids that make a replay send each reply once. */
  async enqueueReplies(message: InboundMessage, replies: Reply[], idPrefix?: string): Promise<void> {
    const base = idPrefix ?? `${message.channel}:${message.chat.id}:${message.messageId}`;
    await this.enqueueTo(
      { channel: message.channel, chatId: message.chat.id, userId: message.user.id },
      replies,
      base,
    );
  }

  /** Queues replies to a chat outside any incoming message (operator relay, SLA notice, closing). */
  async enqueueTo(
    target: { channel: ChannelName; chatId: string; userId: string },
    replies: Reply[],
    idBase: string,
    extra: Pick<OutboxEnvelope, 'caseId' | 'caseEntryId'> = {},
  ): Promise<void> {
    const queue = this.deps.outbox(target.channel);
    for (const [index, reply] of replies.entries()) {
      const envelope: OutboxEnvelope = {
        v: 1,
        id: `${idBase}:${index}`,
        channel: target.channel,
        chatId: target.chatId,
        userId: target.userId,
        reply,
        createdAt: this.deps.clock.now(),
        ...extra,
      };
      // The chat is the order key: several worker processes still send one chat's replies in order.
      await queue.add(JSON.stringify(envelope), target.chatId);
    }
  }

  /** Changes a user's stored conversation state under their lease (an operator resolved a case...). */
  async updateState(
    user: UserRef,
    change: (state: ConversationState | undefined) => ConversationState | undefined,
  ): Promise<void> {
    await this.withUserState(user, async (state) => change(state));
  }

  /**
   * Runs `work` under the user's lease, the one their messages are handled under, with their
   * stored state, and saves the state it returns (undefined: nothing to save). Work started in the
   * background (the distress second opinion) goes through here, so it waits for the message being
   * handled to be saved and is never overwritten by it.
   */
  async withUserState(
    user: UserRef,
    work: (state: ConversationState | undefined) => Promise<ConversationState | undefined>,
  ): Promise<void> {
    const lease = await this.lease(user);
    let next: ConversationState | undefined;
    try {
      next = await work(parseState(lease.value));
    } catch (error) {
      await this.deps.users.release(user, lease.token).catch(() => undefined);
      throw error;
    }
    await this.saveAndRelease(user, lease.token, next);
  }
}

/** What handling one message under the lease came to. */
interface Handled {
  /** The state to store as the lease is released; none when nothing changed or the user was erased. */
  save: ConversationState | undefined;
  /** The engine stepped (not a duplicate, an interceptor's answer or flood control). */
  engineRan: boolean;
}

export function parseState(raw: string | null): ConversationState | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as ConversationState;
    return value && value.v === 1 && Array.isArray(value.seen) ? value : undefined;
  } catch {
    // A corrupt record must not lock the user out: they start again.
    return undefined;
  }
}
