import type { DistressLevel, DistressResult } from '../core/distress/detect.js';
import { distressBesideOffer } from '../core/distress/offer-context.js';
import type { ConversationState } from '../core/engine/state.js';
import type { Locale } from '../core/locale.js';
import type { UserRef } from '../core/user-ref.js';

/** What the escalation hooks need from the distress second opinion (src/adapters/openai). */
export type DistressOpinionPort = {
  review(
    text: string,
    rules: { level: DistressLevel },
    context: { locale: Locale; forwarded: boolean; looksLikeOffer: boolean },
  ): Promise<{
    finalLevel: DistressLevel;
    raised: boolean;
    opinion?: { level: DistressLevel; signals: string[]; reason: string | null } | undefined;
    failure?: string | undefined;
  }>;
};

/** How the second look runs beside the runtime (wired in server.ts when DISTRESS_LLM=on). */
export type DistressSecondLookDeps = {
  opinion: DistressOpinionPort;
  /** Starts work that shutdown and tests wait for (BackgroundTasks.run). */
  runInBackground: (task: () => Promise<unknown>) => void;
  /** ConversationRuntime.withUserState: the user's lease, their stored state, saved afterwards. */
  withUserState: (
    user: UserRef,
    work: (state: ConversationState | undefined) => Promise<ConversationState | undefined>,
  ) => Promise<void>;
  /** Counts one outcome (a metric; no text, no user). */
  count?: (outcome: string) => void;
  /**
   * A person past this many messages in the current minute (flood control's count) gets no model
   * call: the rules still escalate, and a flood must not turn into a bill or a queue of calls.
   */
  messagesPerMinute?: number;
};

/**
 * Fewer words than this are not worth a model call: they are greetings, answers and menu words,
 * and the short cries for help ("cứu tôi", "help me", "sos") are the rules' surest catches.
 * Vietnamese counts syllables, so four is about two words.
 */
export const SECOND_LOOK_MIN_WORDS = 4;

const RANK: Record<DistressLevel, number> = { none: 0, concern: 1, high: 2, imminent: 3 };

/** Space-separated pieces that hold a letter or a digit (emoji and punctuation do not count). */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/**
 * Whether a message the rules rated `rulesLevel` gets a second look: free text long enough, and
 * the rules short of `high` (at `high` and above the case opens anyway).
 */
export function wantsSecondLook(text: string, rulesLevel: DistressLevel): boolean {
  return RANK[rulesLevel] < RANK.high && wordCount(text) >= SECOND_LOOK_MIN_WORDS;
}

/**
 * The model's level as the runtime acts on it: the rules' facts about the person (minor, abroad,
 * someone else) with the model's level and signals, under the same offer guard as the rules
 * (unclear signs inside a job offer are the offer's). Undefined when it is no higher than the rules.
 */
export function modelRaise(
  rules: DistressResult,
  model: { level: DistressLevel; signals: string[] },
  looksLikeOffer: boolean,
): DistressResult | undefined {
  if (RANK[model.level] <= RANK[rules.level]) return undefined;
  const signals = [...new Set([...rules.signals, ...model.signals])];
  const raised = distressBesideOffer(
    { ...rules, level: model.level, signals, minor: rules.minor || signals.includes('minor') },
    looksLikeOffer,
  );
  return RANK[raised.level] > RANK[rules.level] ? raised : undefined;
}
