import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadValidLessons } from '../../../src/content/lessons.js';
import type { LessonProgress, LessonStep, LessonView } from '../../../src/core/lessons/index.js';
import {
  emptyProgress,
  lessonState,
  parseLessonButton,
  pressLessonButton,
  startLesson,
} from '../../../src/core/lessons/index.js';
import { LOCALES } from '../../../src/core/locale.js';

const catalogue = loadValidLessons(join(import.meta.dirname, '../../../content'));
const T0 = Date.UTC(2026, 5, 1, 9, 0);

function press(
  progress: LessonProgress,
  view: LessonView,
  type: string,
  locale: 'vi' | 'en',
  now: number,
): LessonStep {
  const button = view.buttons.find((b) => parseLessonButton(b.id)?.type === type);
  expect(button, `no "${type}" button on ${view.kind}: ${view.text.slice(0, 60)}`).toBeDefined();
  const result = pressLessonButton(catalogue, progress, button!.id, locale, now);
  expect(result).toBeDefined();
  return result!;
}

const WALKS = LOCALES.flatMap((locale) => [
  { locale, band: 1, under13: false },
  { locale, band: 0, under13: true },
]);

describe.each(WALKS)(
  'walking every lesson to the end ($locale, under13: $under13)',
  ({ locale, band, under13 }) => {
    it('goes through all cards and questions, shows badges, resumes, and ends with the certificate', () => {
      const cardText = (card: { text: string; under13?: string | undefined }) =>
        (under13 && card.under13 ? card.under13 : card.text).trim();
      const index = catalogue.locales[locale].index!;
      let now = T0;
      const progress = emptyProgress();

      // The first lesson asks the age band once, then starts the lesson that was chosen.
      const first = index.order[0]!;
      let result = startLesson(catalogue, progress, first, locale, now);
      expect(result.views[0]!.kind).toBe('age_question');
      expect(result.views[0]!.buttons).toHaveLength(4);
      const ageButton = result.views[0]!.buttons[band]!;
      expect(ageButton.labelText).toBe(under13 ? index.age_bands.under13 : index.age_bands['13_15']);
      result = pressLessonButton(catalogue, result.progress, ageButton.id, locale, now)!;
      expect(result.views[0]!.text).toBe(index.texts.age_thanks);

      let totalCards = 0;
      let totalQuestions = 0;
      let certificates = 0;
      for (const [n, lessonId] of index.order.entries()) {
        const lesson = catalogue.locales[locale].lessons[lessonId]!;
        if (n > 0) result = startLesson(catalogue, result.progress, lessonId, locale, now);
        let view = result.views.at(-1)!;
        expect(view.kind).toBe('card');
        expect(view.text).toContain(cardText(lesson.cards[0]!));
        expect(view.text.startsWith(index.texts.under13_first)).toBe(under13);
        expect(result.progress.a).toBe(band);

        // All cards, with one step back and a resume in the middle.
        for (let card = 1; card < lesson.cards.length; card += 1) {
          result = press(result.progress, view, 'next', locale, now);
          view = result.views.at(-1)!;
          expect(view.text).toContain(cardText(lesson.cards[card]!));
          expect(lessonState(result.progress, lessonId)).toMatchObject({
            status: 'in_progress',
            cardIndex: card,
          });
          if (card === 1) {
            result = press(result.progress, view, 'back', locale, now);
            expect(result.views[0]!.text).toContain(cardText(lesson.cards[0]!));
            result = press(result.progress, result.views[0]!, 'next', locale, now);
            view = result.views.at(-1)!;
            // Leave and come back: the lesson resumes on the same card.
            const resumed = startLesson(catalogue, result.progress, lessonId, locale, now + 3_600_000);
            expect(resumed.views).toHaveLength(1);
            expect(resumed.views[0]!.text).toBe(view.text);
          }
        }
        totalCards += lesson.cards.length;

        // The last card offers the quiz.
        result = press(result.progress, view, 'quiz', locale, now);
        view = result.views.at(-1)!;
        let correctCount = 0;
        for (const [qi, question] of lesson.questions.entries()) {
          expect(view.kind).toBe('question');
          expect(view.text).toContain(question.text.trim());
          expect(view.buttons).toHaveLength(question.options.length);
          if (qi === 1) {
            const resumed = startLesson(catalogue, result.progress, lessonId, locale, now);
            expect(resumed.views[0]!.text).toBe(view.text);
          }
          // Answer right on even questions, wrong on odd ones, to check score and feedback.
          const wantRight = qi % 2 === 0;
          const optionIndex = question.options.findIndex((o) => (o.correct === true) === wantRight);
          const option = question.options[optionIndex]!;
          result = pressLessonButton(catalogue, result.progress, view.buttons[optionIndex]!.id, locale, now)!;
          const feedback = result.views[0]!;
          expect(feedback.kind).toBe('feedback');
          expect(
            feedback.text.startsWith(wantRight ? index.texts.correct_prefix : index.texts.wrong_prefix),
          ).toBe(true);
          expect(feedback.text).toContain(option.explanation!.trim());
          if (wantRight) correctCount += 1;
          view = result.views.at(-1)!;
        }
        totalQuestions += lesson.questions.length;

        const badge = result.views.find((v) => v.kind === 'badge');
        expect(badge).toBeDefined();
        expect(badge!.text).toContain(index.badges[lessonId]!);
        expect(badge!.text).toContain(`${correctCount}`);
        expect(result.events).toContainEqual({
          type: 'lesson_completed',
          lessonId,
          score: correctCount,
          total: lesson.questions.length,
        });
        expect(lessonState(result.progress, lessonId)).toMatchObject({
          status: 'completed',
          score: correctCount,
          completedAt: now,
        });
        const isLast = n === index.order.length - 1;
        const cert = result.views.filter((v) => v.kind === 'certificate');
        expect(cert).toHaveLength(isLast ? 1 : 0);
        certificates += cert.length;
        now += 5 * 60_000;
      }
      expect(certificates).toBe(1);
      expect(totalCards).toBeGreaterThanOrEqual(30);
      expect(totalQuestions).toBeGreaterThanOrEqual(20);
      expect(result.progress.p).toBeUndefined();

      // A user who finished everything still fits the per-user storage budget.
      expect(JSON.stringify(result.progress).length).toBeLessThanOrEqual(1024);

      // Taking a finished lesson again does not award a second certificate.
      const lessonId = index.order[0]!;
      const lesson = catalogue.locales[locale].lessons[lessonId]!;
      let again = startLesson(catalogue, result.progress, lessonId, locale, now);
      for (let i = 1; i < lesson.cards.length; i += 1)
        again = press(again.progress, again.views.at(-1)!, 'next', locale, now);
      again = press(again.progress, again.views.at(-1)!, 'quiz', locale, now);
      for (const question of lesson.questions) {
        const right = question.options.findIndex((o) => o.correct === true);
        again = pressLessonButton(
          catalogue,
          again.progress,
          again.views.at(-1)!.buttons[right]!.id,
          locale,
          now,
        )!;
      }
      expect(again.views.some((v) => v.kind === 'badge')).toBe(true);
      expect(again.views.some((v) => v.kind === 'certificate')).toBe(false);
      expect(lessonState(again.progress, lessonId).score).toBe(lesson.questions.length);
    });
  },
);

describe('age bands', () => {
  it('gives under-13s the gentler card and the 111 line first, and lists the hotline lesson first', () => {
    for (const locale of LOCALES) {
      const index = catalogue.locales[locale].index!;
      const asked = startLesson(catalogue, emptyProgress(), 'sextortion', locale, T0);
      const started = press(asked.progress, asked.views[0]!, 'age', locale, T0);
      // The first age button is "under 13".
      expect(started.progress.a).toBe(0);
      const card = started.views.at(-1)!;
      const lesson = catalogue.locales[locale].lessons.sextortion!;
      expect(card.text.startsWith(index.texts.under13_first)).toBe(true);
      expect(card.text).toContain('111');
      expect(card.text).toContain(lesson.cards[0]!.under13!.trim());
      expect(card.text).not.toContain(lesson.cards[0]!.text.trim());
      const menu = pressLessonButton(catalogue, started.progress, 'l:m', locale, T0)!.views[0]!;
      expect(parseLessonButton(menu.buttons[0]!.id)).toEqual({ type: 'start', lessonId: 'hotlines' });
    }
  });

  it('gives older teens the normal text', () => {
    const progress: LessonProgress = { v: 1, a: 2 };
    const view = startLesson(catalogue, progress, 'sextortion', 'vi', T0).views[0]!;
    const lesson = catalogue.locales.vi.lessons.sextortion!;
    expect(view.text).toContain(lesson.cards[0]!.text.trim());
    expect(view.text).not.toContain(catalogue.locales.vi.index!.texts.under13_first);
  });
});

describe('stale and unknown presses', () => {
  it('answers a button from an earlier card politely and keeps the position', () => {
    const progress: LessonProgress = { v: 1, a: 1, c: 'identity', p: { identity: [3, ''] } };
    const result = pressLessonButton(catalogue, progress, 'l:n:identity:0', 'en', T0)!;
    expect(result.progress).toEqual(progress);
    expect(result.views[0]!.text.startsWith(catalogue.locales.en.index!.texts.stale)).toBe(true);
    expect(result.views[0]!.text).toContain(catalogue.locales.en.lessons.identity!.cards[3]!.text.trim());
  });

  it('does not count an answer twice', () => {
    const progress: LessonProgress = { v: 1, a: 1, p: { identity: [5, '1'] } };
    const result = pressLessonButton(catalogue, progress, 'l:a:identity:q1:0', 'en', T0)!;
    expect(result.progress).toEqual(progress);
    expect(result.views[0]!.kind).toBe('question');
  });

  it('shows the menu for an unknown lesson, and ignores buttons that are not lesson buttons', () => {
    const result = startLesson(catalogue, { v: 1, a: 1 }, 'no_such_lesson', 'vi', T0);
    expect(result.views[0]!.kind).toBe('menu');
    expect(pressLessonButton(catalogue, { v: 1 }, 'offer:recheck', 'vi', T0)).toBeUndefined();
  });
});
