import type { Locale } from '../locale.js';
import type { ChannelName } from '../user-ref.js';

/** How urgent a case is; `none` from the detector never opens a case. */
export type CaseLevel = 'concern' | 'high' | 'imminent';
export const CASE_LEVELS: readonly CaseLevel[] = ['concern', 'high', 'imminent'];

/** Where a case stands: waiting for an operator, held by one, or closed with an outcome. */
export type CaseState = 'waiting' | 'claimed' | 'resolved';
export const CASE_STATES: readonly CaseState[] = ['waiting', 'claimed', 'resolved'];

export type TranscriptFrom = 'user' | 'bot' | 'operator' | 'system';
export type DeliveryState = 'queued' | 'sent' | 'failed';

/** One line of the transcript excerpt the operator reads. */
export interface TranscriptEntry {
  id: string;
  at: number;
  from: TranscriptFrom;
  text: string;
  /** Operator name for `from: operator`. */
  author?: string;
  /** Only for lines sent to the user (operator messages): whether the channel delivered them. */
  delivery?: DeliveryState;
  failure?: string;
}

export interface CaseNote {
  at: number;
  author: string;
  text: string;
}

/**
 * A person who may be in danger, waiting for or helped by a hotline operator. Times are epoch
 * milliseconds. The transcript is an excerpt (the latest entries), not the whole conversation.
 */
export interface Case {
  id: string;
  level: CaseLevel;
  state: CaseState;
  channel: ChannelName;
  userId: string;
  chatId: string;
  locale: Locale;
  /** The person asked for replies that look harmless to someone reading over their shoulder. */
  discreet: boolean;
  minor: boolean;
  /** Intake answers by question id (country, place, safe_to_talk, contact...). */
  intake: Record<string, string>;
  /** Detector signal ids that opened or raised the case. */
  signals: string[];
  transcript: TranscriptEntry[];
  createdAt: number;
  updatedAt: number;
  claimedAt?: number;
  /** The first claim ever, for time-to-claim statistics (a release does not reset it). */
  firstClaimedAt?: number;
  assignee?: string;
  lastOperatorActivityAt?: number;
  resolvedAt?: number;
  outcome?: string;
  notes: CaseNote[];
  /** First time the case waited past its SLA target. */
  slaBreachedAt?: number;
  /** Last time operators were re-alerted about this case waiting. */
  lastAlertAt?: number;
  alertCount: number;
  /** Why the user cannot be reached (bot blocked, Zalo window closed), when known. */
  unreachable?: string;
  forgetRequested: boolean;
  /**
   * The message that opened the case (`channel:chat:message id`), when one did: a copy of that
   * message handled again (its worker died half-way) is answered as the first time, once.
   */
  origin?: string;
  /**
   * The level a language model's second opinion gave this case when the rules alone saw less
   * (it opened the case at this level, or raised it to this level): operators weigh it knowing so.
   */
  raisedByModel?: CaseLevel;
}

/** What the runtime knows when it opens a case. */
export interface NewCase {
  level: CaseLevel;
  channel: ChannelName;
  userId: string;
  chatId: string;
  locale: Locale;
  discreet?: boolean;
  minor?: boolean;
  intake?: Record<string, string>;
  signals?: string[];
  transcript?: Array<Omit<TranscriptEntry, 'id'> & { id?: string }>;
  origin?: string;
  /** The model's second opinion, not the rules, set this level (see Case.raisedByModel). */
  raisedByModel?: CaseLevel;
}

/** A case in a list: everything but the transcript (which may hold personal details). */
export type CaseSummary = Omit<Case, 'transcript'>;

/** An audit line: who did what to which case, when. `detail` never holds message text. */
export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  caseId: string;
  detail?: string;
}

/** Most transcript entries kept per case; older ones drop off. */
export const TRANSCRIPT_CAP = 200;

/** Builds a fresh waiting case. Ids come from the caller so that this stays pure. */
export function openCase(id: string, input: NewCase, now: number, entryId: () => string): Case {
  return {
    id,
    level: input.level,
    state: 'waiting',
    channel: input.channel,
    userId: input.userId,
    chatId: input.chatId,
    locale: input.locale,
    discreet: input.discreet ?? false,
    minor: input.minor ?? false,
    intake: { ...(input.intake ?? {}) },
    signals: [...new Set(input.signals ?? [])],
    transcript: (input.transcript ?? []).slice(-TRANSCRIPT_CAP).map((e) => ({ ...e, id: e.id ?? entryId() })),
    createdAt: now,
    updatedAt: now,
    notes: [],
    alertCount: 0,
    forgetRequested: false,
    ...(input.origin ? { origin: input.origin } : {}),
    ...(input.raisedByModel ? { raisedByModel: input.raisedByModel } : {}),
  };
}

export function summarize(c: Case): CaseSummary {
  const { transcript: _t, ...rest } = c;
  return rest;
}

/** Numeric rank: higher is more urgent. */
export function levelRank(level: CaseLevel): number {
  return CASE_LEVELS.indexOf(level);
}

/** The more urgent of two levels: a level only ever goes up. */
export function higherLevel(a: CaseLevel, b: CaseLevel): CaseLevel {
  return levelRank(b) > levelRank(a) ? b : a;
}

/** True when a detector level opens a case. */
export function isCaseLevel(level: string): level is CaseLevel {
  return (CASE_LEVELS as readonly string[]).includes(level);
}
