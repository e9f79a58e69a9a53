import { ContentError } from '../../errors.js';
import type { Locale } from '../locale.js';
import type { LessonAction } from './lesson-buttons.js';
import { lessonButtonId, parseLessonButton } from './lesson-buttons.js';
import type { Lesson, LessonCatalogue, LessonIndex, LessonQuestion } from './lesson-catalogue.js';
import type { AgeBand, LessonProgress } from './lesson-progress.js';
import { AGE_BANDS, ageBandOf, toProgressMinutes, withAgeBand } from './lesson-progress.js';
import type { QuestionRef } from './review-schedule.js';
import { isReviewDue, pickReviewQuestion, recordReview, scheduleFirstAnswer } from './review-schedule.js';

/** A button to show: `id` goes back to `pressLessonButton`, `labelText` is already in the user's language. */
export type LessonButton = { id: string; labelText: string };

export type LessonViewKind =
  | 'age_question'
  | 'menu'
  | 'card'
  | 'question'
  | 'feedback'
  | 'badge'
  | 'certificate'
  | 'review_question'
  | 'review_feedback'
  | 'summary'
  | 'offer'
  | 'notice';

/** One message to send: resolved text in the user's language plus its buttons. */
export type LessonView = { kind: LessonViewKind; text: string; buttons: LessonButton[] };

/** Things that happened, for metrics and for the engine (no personal data). */
export type LessonEvent =
  | { type: 'age_band_set'; band: AgeBand }
  | { type: 'lesson_started'; lessonId: string }
  | { type: 'lesson_completed'; lessonId: string; score: number; total: number }
  | { type: 'certificate' }
  | { type: 'review_answered'; lessonId: string; questionId: string; correct: boolean };

/** The result of every runner function: the new progress, the messages to send in order, and events. */
export type LessonStep = { progress: LessonProgress; views: LessonView[]; events: LessonEvent[] };

const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => {
    const value = vars[key];
    return value === undefined ? match : String(value);
  });
}

function indexOf(catalogue: LessonCatalogue, locale: Locale): LessonIndex {
  const index = catalogue.locales[locale].index;
  if (!index) throw new ContentError(`lesson index for ${locale} is missing or invalid`);
  return index;
}

function findLesson(catalogue: LessonCatalogue, locale: Locale, lessonId: string): Lesson | undefined {
  return catalogue.locales[locale].lessons[lessonId];
}

/** The lesson order for this user: under-13s see the hotline lesson (111) first. */
export function lessonOrder(catalogue: LessonCatalogue, progress: LessonProgress, locale: Locale): string[] {
  const index = indexOf(catalogue, locale);
  const first = index.first_for_under13;
  if (ageBandOf(progress) !== 'under13' || !first || !index.order.includes(first)) return [...index.order];
  return [first, ...index.order.filter((id) => id !== first)];
}

/** The lesson to offer after an offer check or conversation tagged with `topic`, if there is one. */
export function lessonForTopic(
  catalogue: LessonCatalogue,
  topic: string,
  locale: Locale = 'vi',
): string | undefined {
  const { index, lessons } = catalogue.locales[locale];
  const ids = index?.order ?? Object.keys(lessons);
  return ids.find((id) => lessons[id]?.topic === topic);
}

function step(progress: LessonProgress, views: LessonView[], events: LessonEvent[] = []): LessonStep {
  return { progress, views, events };
}

function menuButton(index: LessonIndex): LessonButton {
  return { id: lessonButtonId({ type: 'menu' }), labelText: index.buttons.menu };
}

function cardView(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  lesson: Lesson,
  cardIndex: number,
  locale: Locale,
): LessonView {
  const index = indexOf(catalogue, locale);
  const card = lesson.cards[cardIndex]!;
  const under13 = ageBandOf(progress) === 'under13';
  const header = fill(index.texts.card_header, {
    title: lesson.title,
    n: cardIndex + 1,
    total: lesson.cards.length,
  });
  const body = under13 && card.under13 ? card.under13 : card.text;
  const lead = under13 && cardIndex === 0 ? `${index.texts.under13_first}\n\n` : '';
  const buttons: LessonButton[] = [];
  if (cardIndex > 0) {
    buttons.push({
      id: lessonButtonId({ type: 'back', lessonId: lesson.id, cardIndex }),
      labelText: index.buttons.back,
    });
  }
  if (cardIndex < lesson.cards.length - 1) {
    buttons.push({
      id: lessonButtonId({ type: 'next', lessonId: lesson.id, cardIndex }),
      labelText: index.buttons.next,
    });
  } else {
    buttons.push({
      id: lessonButtonId({ type: 'quiz', lessonId: lesson.id }),
      labelText: index.buttons.start_quiz,
    });
  }
  buttons.push(menuButton(index));
  return { kind: 'card', text: `${lead}${header}\n\n${body.trim()}`, buttons };
}

function optionLines(question: LessonQuestion): string {
  return question.options.map((o, i) => `${LETTERS[i]}. ${o.text}`).join('\n');
}

function questionView(
  catalogue: LessonCatalogue,
  lesson: Lesson,
  questionIndex: number,
  locale: Locale,
): LessonView {
  const index = indexOf(catalogue, locale);
  const question = lesson.questions[questionIndex]!;
  const header = fill(index.texts.question_header, { n: questionIndex + 1, total: lesson.questions.length });
  return {
    kind: 'question',
    text: `${header}\n\n${question.text.trim()}\n\n${optionLines(question)}`,
    buttons: question.options.map((o, i) => ({
      id: lessonButtonId({ type: 'answer', lessonId: lesson.id, questionId: question.id, optionIndex: i }),
      labelText: `${LETTERS[i]}. ${o.text}`,
    })),
  };
}

function feedbackText(index: LessonIndex, question: LessonQuestion, optionIndex: number): string {
  const chosen = question.options[optionIndex]!;
  const explanation = (chosen.explanation ?? '').trim();
  if (chosen.correct === true) return `${index.texts.correct_prefix} ${explanation}`;
  const right = question.options.find((o) => o.correct === true);
  const answer = right ? `\n\n${fill(index.texts.right_answer_was, { answer: right.text })}` : '';
  return `${index.texts.wrong_prefix} ${explanation}${answer}`;
}

/** The view for where the user stands in an in-progress lesson (a card or the current question). */
function positionView(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  lesson: Lesson,
  locale: Locale,
): LessonView {
  const [card, answers] = progress.p?.[lesson.id] ?? [0, ''];
  if (card < lesson.cards.length) return cardView(catalogue, progress, lesson, Math.max(0, card), locale);
  return questionView(catalogue, lesson, Math.min(answers.length, lesson.questions.length - 1), locale);
}

function noticeView(text: string): LessonView {
  return { kind: 'notice', text, buttons: [] };
}

/** The lesson list, with ✅ for finished and ▶️ for started lessons, and a progress line once any is done. */
export function lessonMenu(catalogue: LessonCatalogue, progress: LessonProgress, locale: Locale): LessonView {
  const index = indexOf(catalogue, locale);
  const buttons: LessonButton[] = [];
  for (const id of lessonOrder(catalogue, progress, locale)) {
    const lesson = findLesson(catalogue, locale, id);
    if (!lesson) continue;
    const mark = progress.p?.[id]
      ? `${index.texts.status_in_progress} `
      : progress.d?.[id]
        ? `${index.texts.status_done} `
        : '';
    buttons.push({
      id: lessonButtonId({ type: 'start', lessonId: id }),
      labelText: `${mark}${lesson.title}`,
    });
  }
  const done = Object.keys(progress.d ?? {}).length > 0;
  const summary = done ? `\n\n${progressSummary(catalogue, progress, locale).text}` : '';
  return { kind: 'menu', text: `${index.texts.menu_intro}${summary}`, buttons };
}

/** "You have finished N of M lessons, with S of Q answers right." */
export function progressSummary(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  locale: Locale,
): LessonView {
  const index = indexOf(catalogue, locale);
  let done = 0;
  let score = 0;
  let questions = 0;
  for (const id of index.order) {
    const d = progress.d?.[id];
    const lesson = findLesson(catalogue, locale, id);
    if (!d || !lesson) continue;
    done += 1;
    score += Math.min(d[0], lesson.questions.length);
    questions += lesson.questions.length;
  }
  const text = fill(index.texts.progress_summary, { done, total: index.order.length, score, questions });
  return { kind: 'summary', text, buttons: [menuButton(index)] };
}

/** The age-band question, asked once before the first lesson. */
export function askAgeBand(catalogue: LessonCatalogue, locale: Locale): LessonView {
  const index = indexOf(catalogue, locale);
  return {
    kind: 'age_question',
    text: index.texts.age_question,
    buttons: AGE_BANDS.map((band) => ({
      id: lessonButtonId({ type: 'age', band }),
      labelText: index.age_bands[band],
    })),
  };
}

/**
 * Starts a lesson, or resumes it where the user stopped (card or quiz question). Asks the age band
 * first if it is not known yet; the chosen lesson starts right after the answer. A finished lesson
 * starts again from its first card.
 */
export function startLesson(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  lessonId: string,
  locale: Locale,
  _nowMs: number,
): LessonStep {
  const index = indexOf(catalogue, locale);
  const lesson = findLesson(catalogue, locale, lessonId);
  if (!lesson) {
    const menu = lessonMenu(catalogue, progress, locale);
    return step(progress, [{ ...menu, text: `${index.texts.unknown_lesson}\n\n${menu.text}` }]);
  }
  if (ageBandOf(progress) === undefined) {
    return step({ ...progress, c: lessonId }, [askAgeBand(catalogue, locale)]);
  }
  if (progress.p?.[lessonId]) {
    const resumed = { ...progress, c: lessonId };
    return step(resumed, [positionView(catalogue, resumed, lesson, locale)]);
  }
  const started: LessonProgress = {
    ...progress,
    c: lessonId,
    p: { ...(progress.p ?? {}), [lessonId]: [0, ''] },
  };
  return step(
    started,
    [cardView(catalogue, started, lesson, 0, locale)],
    [{ type: 'lesson_started', lessonId }],
  );
}

/** Stores the age band and, if a lesson was waiting for it, starts that lesson. */
export function chooseAgeBand(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  band: AgeBand,
  locale: Locale,
  nowMs: number,
): LessonStep {
  const index = indexOf(catalogue, locale);
  const withBand = withAgeBand(progress, band);
  const events: LessonEvent[] = [{ type: 'age_band_set', band }];
  const pending = withBand.c;
  if (pending && findLesson(catalogue, locale, pending)) {
    const started = startLesson(catalogue, withBand, pending, locale, nowMs);
    return step(
      started.progress,
      [noticeView(index.texts.age_thanks), ...started.views],
      [...events, ...started.events],
    );
  }
  return step(
    withBand,
    [noticeView(index.texts.age_thanks), lessonMenu(catalogue, withBand, locale)],
    events,
  );
}

/** A pressed button no longer matches where the user is: say so kindly and show where they are. */
function stale(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  lessonId: string,
  locale: Locale,
): LessonStep {
  const index = indexOf(catalogue, locale);
  const lesson = findLesson(catalogue, locale, lessonId);
  const here =
    lesson && progress.p?.[lessonId]
      ? positionView(catalogue, progress, lesson, locale)
      : lessonMenu(catalogue, progress, locale);
  return step(progress, [{ ...here, text: `${index.texts.stale}\n\n${here.text}` }]);
}

function moveTo(progress: LessonProgress, lessonId: string, card: number, answers = ''): LessonProgress {
  return { ...progress, c: lessonId, p: { ...(progress.p ?? {}), [lessonId]: [card, answers] } };
}

/** Shows the card after `fromCard`; from the last card this starts the quiz. */
export function nextCard(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  lessonId: string,
  fromCard: number,
  locale: Locale,
  nowMs: number,
): LessonStep {
  const lesson = findLesson(catalogue, locale, lessonId);
  const at = progress.p?.[lessonId];
  if (!lesson || !at || at[0] !== fromCard) return stale(catalogue, progress, lessonId, locale);
  if (fromCard + 1 >= lesson.cards.length) return startQuiz(catalogue, progress, lessonId, locale, nowMs);
  const moved = moveTo(progress, lessonId, fromCard + 1);
  return step(moved, [cardView(catalogue, moved, lesson, fromCard + 1, locale)]);
}

/** Shows the card before `fromCard`. */
export function previousCard(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  lessonId: string,
  fromCard: number,
  locale: Locale,
  _nowMs: number,
): LessonStep {
  const lesson = findLesson(catalogue, locale, lessonId);
  const at = progress.p?.[lessonId];
  if (!lesson || !at || at[0] !== fromCard || fromCard < 1)
    return stale(catalogue, progress, lessonId, locale);
  const moved = moveTo(progress, lessonId, fromCard - 1);
  return step(moved, [cardView(catalogue, moved, lesson, fromCard - 1, locale)]);
}

/** Starts the quiz from the last card (or shows the current question if the quiz is under way). */
export function startQuiz(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  lessonId: string,
  locale: Locale,
  _nowMs: number,
): LessonStep {
  const lesson = findLesson(catalogue, locale, lessonId);
  const at = progress.p?.[lessonId];
  if (!lesson || !at || at[0] < lesson.cards.length - 1) return stale(catalogue, progress, lessonId, locale);
  const moved = moveTo(progress, lessonId, lesson.cards.length, at[1]);
  return step(moved, [
    questionView(catalogue, lesson, Math.min(at[1].length, lesson.questions.length - 1), locale),
  ]);
}

function nextLessonButton(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  locale: Locale,
): LessonButton[] {
  const nextId = lessonOrder(catalogue, progress, locale).find((id) => !progress.d?.[id]);
  const next = nextId ? findLesson(catalogue, locale, nextId) : undefined;
  return next
    ? [{ id: lessonButtonId({ type: 'start', lessonId: next.id }), labelText: `📘 ${next.title}` }]
    : [];
}

function allDone(catalogue: LessonCatalogue, progress: LessonProgress, locale: Locale): boolean {
  return indexOf(catalogue, locale).order.every((id) => progress.d?.[id] !== undefined);
}

/**
 * Answers the current quiz question. Returns feedback (right or not, and the explanation of the
 * chosen option) followed by the next question, or, after the last one, the badge, and the
 * certificate when this was the last unfinished lesson. A press on any other question is stale.
 * On completion every question of the lesson enters the review schedule (wrong ones come back first).
 */
export function answerQuestion(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  lessonId: string,
  questionId: string,
  optionIndex: number,
  locale: Locale,
  nowMs: number,
): LessonStep {
  const index = indexOf(catalogue, locale);
  const lesson = findLesson(catalogue, locale, lessonId);
  const at = progress.p?.[lessonId];
  if (!lesson || !at || at[0] < lesson.cards.length) return stale(catalogue, progress, lessonId, locale);
  const position = at[1].length;
  const question = lesson.questions[position];
  if (!question || question.id !== questionId || !question.options[optionIndex]) {
    return stale(catalogue, progress, lessonId, locale);
  }
  const answers = `${at[1]}${optionIndex}`;
  const feedback: LessonView = {
    kind: 'feedback',
    text: feedbackText(index, question, optionIndex),
    buttons: [],
  };
  if (answers.length < lesson.questions.length) {
    const moved = moveTo(progress, lessonId, lesson.cards.length, answers);
    return step(moved, [feedback, questionView(catalogue, lesson, answers.length, locale)]);
  }
  return completeLesson(catalogue, progress, lesson, answers, feedback, locale, nowMs);
}

function completeLesson(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  lesson: Lesson,
  answers: string,
  feedback: LessonView,
  locale: Locale,
  nowMs: number,
): LessonStep {
  const index = indexOf(catalogue, locale);
  const wasAllDone = allDone(catalogue, progress, locale);
  let score = 0;
  let next: LessonProgress = { ...progress };
  for (const [i, q] of lesson.questions.entries()) {
    const correct = q.options[Number(answers[i])]?.correct === true;
    if (correct) score += 1;
    next = scheduleFirstAnswer(next, { lessonId: lesson.id, questionId: q.id }, correct, nowMs);
  }
  const { [lesson.id]: _finished, ...stillOpen } = next.p ?? {};
  const best = Math.max(score, next.d?.[lesson.id]?.[0] ?? 0);
  next = { ...next, p: stillOpen, d: { ...(next.d ?? {}), [lesson.id]: [best, toProgressMinutes(nowMs)] } };
  if (Object.keys(stillOpen).length === 0) delete next.p;
  if (next.c === lesson.id) delete next.c;
  const total = lesson.questions.length;
  const badgeText = fill(index.texts.badge, {
    badge: index.badges[lesson.id] ?? '',
    title: lesson.title,
    score,
    total,
  });
  const summary = progressSummary(catalogue, next, locale).text;
  const badge: LessonView = {
    kind: 'badge',
    text: `${badgeText}\n\n${summary}`,
    buttons: [...nextLessonButton(catalogue, next, locale), menuButton(index)],
  };
  const views = [feedback, badge];
  const events: LessonEvent[] = [{ type: 'lesson_completed', lessonId: lesson.id, score, total }];
  if (!wasAllDone && allDone(catalogue, next, locale)) {
    views.push({
      kind: 'certificate',
      text: index.texts.certificate,
      buttons: [
        { id: lessonButtonId({ type: 'review' }), labelText: index.buttons.another_review },
        menuButton(index),
      ],
    });
    events.push({ type: 'certificate' });
  }
  return step(next, views, events);
}

function questionExists(catalogue: LessonCatalogue, locale: Locale, ref: QuestionRef): boolean {
  return findLesson(catalogue, locale, ref.lessonId)?.questions.some((q) => q.id === ref.questionId) === true;
}

/**
 * `/quiz`: asks one due review question from finished lessons, or says that none is due (or that a
 * lesson must be finished first).
 */
export function startReview(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  locale: Locale,
  nowMs: number,
): LessonStep {
  const index = indexOf(catalogue, locale);
  if (Object.keys(progress.d ?? {}).length === 0) {
    return step(progress, [
      { kind: 'notice', text: index.texts.review_none_yet, buttons: [menuButton(index)] },
    ]);
  }
  const ref = pickReviewQuestion(progress, nowMs, (r) => questionExists(catalogue, locale, r));
  if (!ref) {
    return step(progress, [
      { kind: 'notice', text: index.texts.review_nothing_due, buttons: [menuButton(index)] },
    ]);
  }
  const lesson = findLesson(catalogue, locale, ref.lessonId)!;
  const question = lesson.questions.find((q) => q.id === ref.questionId)!;
  return step(progress, [
    {
      kind: 'review_question',
      text: `${index.texts.review_intro}\n📘 ${lesson.title}\n\n${question.text.trim()}\n\n${optionLines(question)}`,
      buttons: question.options.map((o, i) => ({
        id: lessonButtonId({
          type: 'review_answer',
          lessonId: lesson.id,
          questionId: question.id,
          optionIndex: i,
        }),
        labelText: `${LETTERS[i]}. ${o.text}`,
      })),
    },
  ]);
}

/**
 * Answers a review question. The schedule changes only if the question was due, so pressing an old
 * review button twice does not move a question up two boxes.
 */
export function answerReview(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  lessonId: string,
  questionId: string,
  optionIndex: number,
  locale: Locale,
  nowMs: number,
): LessonStep {
  const index = indexOf(catalogue, locale);
  const question = findLesson(catalogue, locale, lessonId)?.questions.find((q) => q.id === questionId);
  if (!question?.options[optionIndex]) {
    const again = startReview(catalogue, progress, locale, nowMs);
    return step(again.progress, [noticeView(index.texts.stale), ...again.views]);
  }
  const correct = question.options[optionIndex]!.correct === true;
  const ref = { lessonId, questionId };
  const next = isReviewDue(progress, ref, nowMs) ? recordReview(progress, ref, correct, nowMs) : progress;
  return step(
    next,
    [
      {
        kind: 'review_feedback',
        text: feedbackText(index, question, optionIndex),
        buttons: [
          { id: lessonButtonId({ type: 'review' }), labelText: index.buttons.another_review },
          menuButton(index),
        ],
      },
    ],
    [{ type: 'review_answered', lessonId, questionId, correct }],
  );
}

/**
 * The offer to show after an offer check rated medium or high (or a calm talk about a fake friend):
 * undefined when no lesson has that topic or the user already finished it. The engine must not
 * call this during an escalation.
 */
export function offerLesson(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  topic: string,
  locale: Locale,
): LessonView | undefined {
  const index = indexOf(catalogue, locale);
  const lessonId = lessonForTopic(catalogue, topic, locale);
  const lesson = lessonId ? findLesson(catalogue, locale, lessonId) : undefined;
  if (!lesson || progress.d?.[lesson.id]) return undefined;
  return {
    kind: 'offer',
    text: fill(index.texts.offer, { title: lesson.title, summary: lesson.summary }),
    buttons: [
      { id: lessonButtonId({ type: 'start', lessonId: lesson.id }), labelText: index.buttons.start_lesson },
      { id: lessonButtonId({ type: 'not_now' }), labelText: index.buttons.not_now },
    ],
  };
}

/** Runs a decoded lesson action. */
export function runLessonAction(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  action: LessonAction,
  locale: Locale,
  nowMs: number,
): LessonStep {
  switch (action.type) {
    case 'menu':
      return step(progress, [lessonMenu(catalogue, progress, locale)]);
    case 'start':
      return startLesson(catalogue, progress, action.lessonId, locale, nowMs);
    case 'next':
      return nextCard(catalogue, progress, action.lessonId, action.cardIndex, locale, nowMs);
    case 'back':
      return previousCard(catalogue, progress, action.lessonId, action.cardIndex, locale, nowMs);
    case 'quiz':
      return startQuiz(catalogue, progress, action.lessonId, locale, nowMs);
    case 'answer':
      return answerQuestion(
        catalogue,
        progress,
        action.lessonId,
        action.questionId,
        action.optionIndex,
        locale,
        nowMs,
      );
    case 'age':
      return chooseAgeBand(catalogue, progress, action.band, locale, nowMs);
    case 'review':
      return startReview(catalogue, progress, locale, nowMs);
    case 'review_answer':
      return answerReview(
        catalogue,
        progress,
        action.lessonId,
        action.questionId,
        action.optionIndex,
        locale,
        nowMs,
      );
    case 'not_now':
      return step(progress, []);
  }
}

/** Handles a pressed button id; undefined when the id is not a lesson button (let the engine route it). */
export function pressLessonButton(
  catalogue: LessonCatalogue,
  progress: LessonProgress,
  buttonId: string,
  locale: Locale,
  nowMs: number,
): LessonStep | undefined {
  const action = parseLessonButton(buttonId);
  return action ? runLessonAction(catalogue, progress, action, locale, nowMs) : undefined;
}
