import type { Locale } from '../locale.js';

/** One short screen of a lesson. `under13` is the gentler wording shown to children under 13. */
export type LessonCard = {
  id: string;
  text: string;
  under13?: string | undefined;
  source?: string | string[] | undefined;
};

/** A quiz answer. The validator guarantees one correct option per question and an explanation for each. */
export type LessonOption = {
  id: string;
  text: string;
  correct?: boolean | undefined;
  explanation?: string | undefined;
};

export type LessonQuestion = {
  id: string;
  text: string;
  options: LessonOption[];
  source?: string | string[] | undefined;
};

/** A lesson in one language; `file` is where it was read from, for messages that name the file. */
export type Lesson = {
  id: string;
  topic: string;
  title: string;
  summary: string;
  sources: string[];
  cards: LessonCard[];
  questions: LessonQuestion[];
  file: string;
};

/** Texts of the lesson runner itself (templates use `{name}` placeholders). */
export type LessonTexts = {
  card_header: string;
  question_header: string;
  correct_prefix: string;
  wrong_prefix: string;
  right_answer_was: string;
  badge: string;
  certificate: string;
  progress_summary: string;
  menu_intro: string;
  age_question: string;
  age_thanks: string;
  under13_first: string;
  review_intro: string;
  review_nothing_due: string;
  review_none_yet: string;
  offer: string;
  stale: string;
  unknown_lesson: string;
  status_done: string;
  status_in_progress: string;
};

export type LessonButtonLabels = {
  next: string;
  back: string;
  start_quiz: string;
  next_question: string;
  menu: string;
  another_review: string;
  start_lesson: string;
  not_now: string;
};

/** The per-language index: lesson order, badges and the runner's texts. */
export type LessonIndex = {
  order: string[];
  first_for_under13?: string | undefined;
  badges: Record<string, string>;
  texts: LessonTexts;
  age_bands: { under13: string; '13_15': string; '16_17': string; '18_plus': string };
  buttons: LessonButtonLabels;
  sources: string[];
  file: string;
};

/** Everything the lesson runner needs for one language. `index` is undefined when its file is broken. */
export type LocaleLessons = {
  index: LessonIndex | undefined;
  lessons: Record<string, Lesson>;
};

/** Both languages of lessons, plus problems met while reading the files (empty when all parsed). */
export type LessonCatalogue = {
  locales: Record<Locale, LocaleLessons>;
  loadProblems: string[];
};
