/** Age bands asked once, when a user first starts a lesson. Only the band is stored. */
export const AGE_BANDS = ['under13', '13_15', '16_17', '18_plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Per-question review state: [due time in minutes since PROGRESS_EPOCH_MS, Leitner box]. */
export type ReviewEntry = [due: number, box: number];

/**
 * A user's lesson progress, shaped to serialise small (it lives in Redis for every user, with a
 * budget of about 1 KB per idle user), hence the one-letter keys and tuples:
 * - `v` schema version;
 * - `a` age band as an index into AGE_BANDS;
 * - `c` the lesson the user is in (or the one waiting for the age answer);
 * - `p` lessons in progress: [card index, answers so far as option-index digits]; a card index equal
 *   to the card count means the user is in the quiz, at question `answers.length`;
 * - `d` completed lessons: [best score, completion time in minutes since PROGRESS_EPOCH_MS];
 * - `r` review schedule: lesson id -> question id -> [due minute, box].
 * A lesson can be in `p` and `d` at once when a finished lesson is taken again.
 */
export type LessonProgress = {
  v: 1;
  a?: number;
  c?: string;
  p?: Record<string, [card: number, answers: string]>;
  d?: Record<string, [score: number, doneAt: number]>;
  r?: Record<string, Record<string, ReviewEntry>>;
};

/** Times are kept in whole minutes from this date so they stay short in JSON. */
export const PROGRESS_EPOCH_MS = Date.UTC(2026, 0, 1);
const MINUTE_MS = 60_000;

/** Rounds up so that "due in N minutes" is never earlier than now + N minutes. */
export function toProgressMinutes(ms: number): number {
  return Math.ceil((ms - PROGRESS_EPOCH_MS) / MINUTE_MS);
}

export function fromProgressMinutes(minutes: number): number {
  return PROGRESS_EPOCH_MS + minutes * MINUTE_MS;
}

/** A fresh progress for a user who has not touched the lessons. */
export function emptyProgress(): LessonProgress {
  return { v: 1 };
}

/** Reads a stored progress defensively: anything unrecognisable becomes an empty progress. */
export function parseProgress(value: unknown): LessonProgress {
  if (typeof value === 'string') {
    try {
      return parseProgress(JSON.parse(value));
    } catch {
      return emptyProgress();
    }
  }
  if (typeof value !== 'object' || value === null || (value as { v?: unknown }).v !== 1)
    return emptyProgress();
  return value as LessonProgress;
}

export function ageBandOf(progress: LessonProgress): AgeBand | undefined {
  return progress.a === undefined ? undefined : AGE_BANDS[progress.a];
}

export function withAgeBand(progress: LessonProgress, band: AgeBand): LessonProgress {
  return { ...progress, a: AGE_BANDS.indexOf(band) };
}

export type LessonStatus = 'not_started' | 'in_progress' | 'completed';

/** A readable view of one lesson's stored state. */
export type LessonState = {
  status: LessonStatus;
  /** Index of the card shown next; equals the card count once the quiz has started. */
  cardIndex: number;
  /** Option indices chosen so far in the current quiz attempt. */
  quizAnswers: number[];
  /** Best quiz score, once the lesson has been completed. */
  score: number | undefined;
  /** When the lesson was last completed, in ms (minute precision). */
  completedAt: number | undefined;
};

/** Decodes the stored state of one lesson. In progress wins over completed while a lesson is retaken. */
export function lessonState(progress: LessonProgress, lessonId: string): LessonState {
  const p = progress.p?.[lessonId];
  const d = progress.d?.[lessonId];
  return {
    status: p ? 'in_progress' : d ? 'completed' : 'not_started',
    cardIndex: p?.[0] ?? 0,
    quizAnswers: p ? [...p[1]].map(Number) : [],
    score: d?.[0],
    completedAt: d ? fromProgressMinutes(d[1]) : undefined,
  };
}
