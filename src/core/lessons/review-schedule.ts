import type { LessonProgress, ReviewEntry } from './lesson-progress.js';
import { fromProgressMinutes, toProgressMinutes } from './lesson-progress.js';

/** Points at one quiz question of one lesson. */
export type QuestionRef = { lessonId: string; questionId: string };

/**
 * Leitner boxes: how long a question rests after it lands in each box. A wrong answer drops a
 * question to box 0 (back within the hour); each right answer moves it one box up, so questions a
 * user knows come back ever more rarely.
 */
export const REVIEW_BOX_MINUTES = [60, 24 * 60, 3 * 24 * 60, 7 * 24 * 60, 21 * 24 * 60] as const;
const TOP_BOX = REVIEW_BOX_MINUTES.length - 1;

function entryAfter(box: number, nowMs: number): ReviewEntry {
  const b = Math.max(0, Math.min(TOP_BOX, box));
  return [toProgressMinutes(nowMs) + REVIEW_BOX_MINUTES[b]!, b];
}

/** Schedules a question after its first answer in a lesson quiz: right -> box 1, wrong -> box 0. */
export function scheduleFirstAnswer(
  progress: LessonProgress,
  ref: QuestionRef,
  correct: boolean,
  nowMs: number,
): LessonProgress {
  return setEntry(progress, ref, entryAfter(correct ? 1 : 0, nowMs));
}

/**
 * Records a review answer: right moves the question up one box, wrong sends it back to box 0, and
 * the next due time follows from the new box. Unknown questions start from box 0.
 */
export function recordReview(
  progress: LessonProgress,
  ref: QuestionRef,
  correct: boolean,
  nowMs: number,
): LessonProgress {
  const current = progress.r?.[ref.lessonId]?.[ref.questionId];
  const box = correct ? (current?.[1] ?? 0) + 1 : 0;
  return setEntry(progress, ref, entryAfter(box, nowMs));
}

function setEntry(progress: LessonProgress, ref: QuestionRef, entry: ReviewEntry): LessonProgress {
  const lesson = { ...(progress.r?.[ref.lessonId] ?? {}), [ref.questionId]: entry };
  return { ...progress, r: { ...(progress.r ?? {}), [ref.lessonId]: lesson } };
}

/** True when the question has a schedule and its time has come. */
export function isReviewDue(progress: LessonProgress, ref: QuestionRef, nowMs: number): boolean {
  const entry = progress.r?.[ref.lessonId]?.[ref.questionId];
  return entry !== undefined && fromProgressMinutes(entry[0]) <= nowMs;
}

/**
 * The review question to ask now, or undefined when nothing is due. Among due questions the lowest
 * box (the least known) comes first, then the longest overdue; ties break by id so the choice is
 * stable. `exists` lets the caller skip questions that are no longer in the content.
 */
export function pickReviewQuestion(
  progress: LessonProgress,
  nowMs: number,
  exists: (ref: QuestionRef) => boolean = () => true,
): QuestionRef | undefined {
  let best: { ref: QuestionRef; due: number; box: number } | undefined;
  for (const [lessonId, questions] of Object.entries(progress.r ?? {})) {
    for (const [questionId, [due, box]] of Object.entries(questions)) {
      if (fromProgressMinutes(due) > nowMs) continue;
      const ref = { lessonId, questionId };
      if (!exists(ref)) continue;
      const better =
        !best ||
        box < best.box ||
        (box === best.box && due < best.due) ||
        (box === best.box &&
          due === best.due &&
          `${lessonId}/${questionId}` < `${best.ref.lessonId}/${best.ref.questionId}`);
      if (better) best = { ref, due, box };
    }
  }
  return best?.ref;
}

/** When the next review question becomes due (ms), or undefined when nothing is scheduled. */
export function nextReviewAt(progress: LessonProgress): number | undefined {
  let min: number | undefined;
  for (const questions of Object.values(progress.r ?? {})) {
    for (const [due] of Object.values(questions)) if (min === undefined || due < min) min = due;
  }
  return min === undefined ? undefined : fromProgressMinutes(min);
}
