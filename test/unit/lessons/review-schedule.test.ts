import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadValidLessons } from '../../../src/content/lessons.js';
import type { LessonProgress, LessonStep } from '../../../src/core/lessons/index.js';
import {
  answerQuestion,
  answerReview,
  emptyProgress,
  isReviewDue,
  nextReviewAt,
  pickReviewQuestion,
  REVIEW_BOX_MINUTES,
  recordReview,
  startLesson,
  startQuiz,
  startReview,
  withAgeBand,
} from '../../../src/core/lessons/index.js';

const catalogue = loadValidLessons(join(import.meta.dirname, '../../../content'));
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** A fake clock: tests move time by hand, nothing reads the real one. */
function fakeClock(start: number) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
      return now;
    },
  };
}

/** Finishes `lessonId` answering question i right when rightAnswers[i] is true. */
function finishLesson(
  progress: LessonProgress,
  lessonId: string,
  rightAnswers: boolean[],
  now: number,
): LessonStep {
  const lesson = catalogue.locales.en.lessons[lessonId]!;
  let p = startLesson(catalogue, progress, lessonId, 'en', now).progress;
  p = { ...p, p: { ...p.p, [lessonId]: [lesson.cards.length - 1, ''] } };
  let step = startQuiz(catalogue, p, lessonId, 'en', now);
  for (const [i, q] of lesson.questions.entries()) {
    const option = q.options.findIndex((o) => (o.correct === true) === (rightAnswers[i] ?? true));
    step = answerQuestion(catalogue, step.progress, lessonId, q.id, option, 'en', now);
  }
  return step;
}

describe('spaced review with a fake clock', () => {
  it('brings a wrongly answered question back sooner than the right ones, and nothing before its time', () => {
    const clock = fakeClock(Date.UTC(2026, 6, 1, 8, 0));
    const done = finishLesson(
      withAgeBand(emptyProgress(), '13_15'),
      'job_lure',
      [false, true, true],
      clock.now(),
    );
    let progress = done.progress;
    const q1 = { lessonId: 'job_lure', questionId: 'q1' };
    const q2 = { lessonId: 'job_lure', questionId: 'q2' };

    expect(pickReviewQuestion(progress, clock.now())).toBeUndefined();
    expect(startReview(catalogue, progress, 'en', clock.now()).views[0]!.text).toBe(
      catalogue.locales.en.index!.texts.review_nothing_due,
    );
    clock.advance(REVIEW_BOX_MINUTES[0] * MIN - MIN);
    expect(pickReviewQuestion(progress, clock.now())).toBeUndefined();
    clock.advance(MIN);
    expect(pickReviewQuestion(progress, clock.now())).toEqual(q1);
    expect(isReviewDue(progress, q2, clock.now())).toBe(false);

    // The right ones wait a day.
    expect(isReviewDue(progress, q2, clock.now() - REVIEW_BOX_MINUTES[0] * MIN + DAY - MIN)).toBe(false);
    expect(isReviewDue(progress, q2, clock.now() - REVIEW_BOX_MINUTES[0] * MIN + DAY)).toBe(true);

    // Answer q1 right in review: it moves up a box and rests a day.
    const review = startReview(catalogue, progress, 'en', clock.now());
    expect(review.views[0]!.kind).toBe('review_question');
    expect(review.views[0]!.text).toContain(catalogue.locales.en.lessons.job_lure!.questions[0]!.text.trim());
    const answered = answerReview(catalogue, progress, 'job_lure', 'q1', 1, 'en', clock.now());
    expect(answered.views[0]!.text.startsWith(catalogue.locales.en.index!.texts.correct_prefix)).toBe(true);
    progress = answered.progress;
    expect(progress.r!.job_lure!.q1![1]).toBe(1);
    expect(pickReviewQuestion(progress, clock.now())).toBeUndefined();

    // Pressing the same review button again does not move it up twice.
    expect(answerReview(catalogue, progress, 'job_lure', 'q1', 1, 'en', clock.now()).progress).toEqual(
      progress,
    );
  });

  it('sends a question answered wrongly in review back to the first box', () => {
    const now = Date.UTC(2026, 6, 1);
    const ref = { lessonId: 'debt', questionId: 'q2' };
    let progress = emptyProgress();
    progress = recordReview(progress, ref, true, now);
    progress = recordReview(progress, ref, true, now);
    progress = recordReview(progress, ref, true, now);
    expect(progress.r!.debt!.q2![1]).toBe(3);
    const wrong = recordReview(progress, ref, false, now);
    expect(wrong.r!.debt!.q2![1]).toBe(0);
    expect(nextReviewAt(wrong)).toBe(now + REVIEW_BOX_MINUTES[0] * MIN);
    const right = recordReview(progress, ref, true, now);
    expect(nextReviewAt(right)!).toBeGreaterThan(nextReviewAt(wrong)!);
    // The top box is a ceiling.
    let top = progress;
    for (let i = 0; i < 10; i += 1) top = recordReview(top, ref, true, now);
    expect(top.r!.debt!.q2![1]).toBe(REVIEW_BOX_MINUTES.length - 1);
  });

  it('asks the least-known due question first', () => {
    const now = Date.UTC(2026, 6, 1);
    let progress = emptyProgress();
    progress = recordReview(progress, { lessonId: 'identity', questionId: 'q1' }, true, now);
    progress = recordReview(progress, { lessonId: 'identity', questionId: 'q2' }, false, now);
    const later = now + 30 * DAY;
    expect(pickReviewQuestion(progress, later)).toEqual({ lessonId: 'identity', questionId: 'q2' });
    expect(pickReviewQuestion(progress, later, (r) => r.questionId !== 'q2')).toEqual({
      lessonId: 'identity',
      questionId: 'q1',
    });
  });

  it('asks no review question before a lesson is finished', () => {
    const now = Date.UTC(2026, 6, 1);
    const started = startLesson(catalogue, withAgeBand(emptyProgress(), '16_17'), 'identity', 'vi', now);
    const review = startReview(catalogue, started.progress, 'vi', now + 365 * DAY);
    expect(review.views[0]!.text).toBe(catalogue.locales.vi.index!.texts.review_none_yet);
    expect(started.progress.r).toBeUndefined();
  });
});
