import type { LessonProgress } from '../lessons/lesson-progress.js';
import type { Locale } from '../locale.js';

/**
 * What we keep about a conversation between messages. Small on purpose: it is stored per user
 * (with expiry) and must stay well under 1 KB.
 */
export interface ConversationState {
  v: 1;
  flow: string;
  flowVersion: number;
  node: string;
  /** Changes when a new conversation starts; buttons carry it so old presses are recognised. */
  session: string;
  locale: Locale;
  /** The user chose the language (a platform hint no longer overrides it). */
  localeChosen?: boolean;
  /** Neutral-looking replies for someone who may be watched. */
  discreet?: boolean;
  /** The open escalation case, while there is one. */
  caseId?: string;
  /** The last offer check, kept as flag ids only (never the text) for "explain more" and lesson offers. */
  lastOffer?: { level: string; flags: string[] };
  /** Signs of danger seen in a message whose writer has not yet said whether a person may contact them. */
  pendingDistress?: {
    level: 'concern' | 'high' | 'imminent';
    signals: string[];
    minor: boolean;
    abroad: boolean;
    thirdPerson: boolean;
    /** The language model's second opinion saw these signs, not the rules (the case says so). */
    byModel?: boolean;
  };
  /** Lesson progress (compact; see LessonProgress). Kept across flow changes. */
  lessons?: LessonProgress;
  /** Messages in the current minute: [minute number, count], for flood control. */
  flood?: [number, number];
  /** Platform ids of the last messages handled, so a redelivered message is not handled twice. */
  seen: string[];
}

export const SEEN_LIMIT = 8;

export function rememberSeen(state: ConversationState, messageId: string): ConversationState {
  const seen = [...state.seen.filter((id) => id !== messageId), messageId].slice(-SEEN_LIMIT);
  return { ...state, seen };
}
