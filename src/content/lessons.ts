import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type {
  Lesson,
  LessonCatalogue,
  LessonIndex,
  LocaleLessons,
} from '../core/lessons/lesson-catalogue.js';
import type { Locale } from '../core/locale.js';
import { LOCALES } from '../core/locale.js';
import { ContentError } from '../errors.js';

/** A card must fit on one phone screen; longer text is a content problem, not a rendering one. */
export const MAX_CARD_CHARS = 450;
/** Question texts and explanations share the phone-screen budget of a card. */
export const MAX_QUIZ_TEXT_CHARS = 450;
export const MIN_CARDS = 3;
export const MAX_CARDS = 6;
export const MIN_QUESTIONS = 2;
export const MAX_QUESTIONS = 4;
/** A card that states only general safety advice (no number, law or statistic) says so instead of a URL. */
export const GENERAL_ADVICE = 'general-advice';

const idSchema = z.string().regex(/^[a-z0-9_]+$/, 'ids are lower-case letters, digits and _');

// Fields the validator checks (explanation, correct) stay optional here so that a broken file
// still loads and the validator can name every problem at once instead of stopping at the first.
const optionSchema = z.object({
  id: idSchema,
  text: z.string().min(1),
  correct: z.boolean().optional(),
  explanation: z.string().optional(),
});

const questionSchema = z.object({
  id: idSchema,
  text: z.string().min(1),
  options: z.array(optionSchema),
  source: z.string().optional(),
});

const cardSchema = z.object({
  id: idSchema,
  text: z.string().min(1),
  /** Gentler wording for children under 13; the normal text is used when absent. */
  under13: z.string().optional(),
  /** URL(s) from the lesson's `sources`, or `general-advice`; absent when the card states no fact. */
  source: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
});

/** One lesson file: `content/<locale>/lessons/<id>.yaml`. */
export const lessonSchema = z.object({
  id: idSchema,
  topic: idSchema,
  title: z.string().min(1),
  summary: z.string().min(1),
  sources: z.array(z.string()).default([]),
  cards: z.array(cardSchema),
  questions: z.array(questionSchema),
});

const ageBandTextSchema = z.object({
  under13: z.string().min(1),
  '13_15': z.string().min(1),
  '16_17': z.string().min(1),
  '18_plus': z.string().min(1),
});

/** The per-locale lesson index: `content/<locale>/lessons.yaml`. */
export const lessonIndexSchema = z.object({
  order: z.array(idSchema).min(1),
  /** Lesson shown first to under-13 users (the hotline lesson: 111 before anything else). */
  first_for_under13: idSchema.optional(),
  badges: z.record(z.string(), z.string().min(1)),
  texts: z.object({
    /** Placeholders: {title}, {n}, {total}. */
    card_header: z.string().min(1),
    /** Placeholders: {n}, {total}. */
    question_header: z.string().min(1),
    correct_prefix: z.string().min(1),
    wrong_prefix: z.string().min(1),
    /** Placeholders: {answer}. */
    right_answer_was: z.string().min(1),
    /** Placeholders: {badge}, {title}, {score}, {total}. */
    badge: z.string().min(1),
    certificate: z.string().min(1),
    /** Placeholders: {done}, {total}, {score}, {questions}. */
    progress_summary: z.string().min(1),
    menu_intro: z.string().min(1),
    age_question: z.string().min(1),
    age_thanks: z.string().min(1),
    under13_first: z.string().min(1),
    review_intro: z.string().min(1),
    review_nothing_due: z.string().min(1),
    review_none_yet: z.string().min(1),
    /** Placeholders: {title}, {summary}. */
    offer: z.string().min(1),
    stale: z.string().min(1),
    unknown_lesson: z.string().min(1),
    status_done: z.string().min(1),
    status_in_progress: z.string().min(1),
  }),
  age_bands: ageBandTextSchema,
  buttons: z.object({
    next: z.string().min(1),
    back: z.string().min(1),
    start_quiz: z.string().min(1),
    next_question: z.string().min(1),
    menu: z.string().min(1),
    another_review: z.string().min(1),
    start_lesson: z.string().min(1),
    not_now: z.string().min(1),
  }),
  sources: z.array(z.string()).default([]),
});

export type {
  Lesson,
  LessonCatalogue,
  LessonIndex,
  LocaleLessons,
} from '../core/lessons/lesson-catalogue.js';

function formatZodIssues(file: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

function readYaml(file: string, problems: string[]): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`${file}: cannot read YAML: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/**
 * Reads `<contentRoot>/<locale>/lessons.yaml` and `<contentRoot>/<locale>/lessons/*.yaml` for every
 * locale. Never throws on bad content: unreadable or malformed files are reported in `loadProblems`
 * (and by `validateLessons`) so one run names every problem.
 */
export function loadLessons(contentRoot: string): LessonCatalogue {
  const loadProblems: string[] = [];
  const locales = {} as Record<Locale, LocaleLessons>;
  for (const locale of LOCALES) {
    const indexFile = join(contentRoot, locale, 'lessons.yaml');
    let index: LessonIndex | undefined;
    if (!existsSync(indexFile)) {
      loadProblems.push(`${indexFile}: missing lesson index`);
    } else {
      const raw = readYaml(indexFile, loadProblems);
      if (raw !== undefined) {
        const parsed = lessonIndexSchema.safeParse(raw);
        if (parsed.success) index = { ...parsed.data, file: indexFile };
        else loadProblems.push(...formatZodIssues(indexFile, parsed.error));
      }
    }
    const lessons: Record<string, Lesson> = {};
    const dir = join(contentRoot, locale, 'lessons');
    const files = existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.endsWith('.yaml'))
          .sort()
      : [];
    for (const name of files) {
      const file = join(dir, name);
      const raw = readYaml(file, loadProblems);
      if (raw === undefined) continue;
      const parsed = lessonSchema.safeParse(raw);
      if (!parsed.success) {
        loadProblems.push(...formatZodIssues(file, parsed.error));
        continue;
      }
      if (parsed.data.id !== basename(name, '.yaml')) {
        loadProblems.push(`${file}: id "${parsed.data.id}" does not match the file name`);
      }
      lessons[parsed.data.id] = { ...parsed.data, file };
    }
    locales[locale] = { index, lessons };
  }
  return { locales, loadProblems };
}

function isUrl(value: string): boolean {
  return /^https?:\/\/\S+$/.test(value);
}

function sameIds(a: { id: string }[], b: { id: string }[]): boolean {
  return a.length === b.length && a.every((item, i) => item.id === b[i]?.id);
}

function validateLesson(lesson: Lesson, problems: string[]): void {
  const f = lesson.file;
  if (lesson.sources.length === 0) problems.push(`${f}: lesson has no sources`);
  for (const source of lesson.sources) {
    if (!isUrl(source)) problems.push(`${f}: source "${source}" is not a URL`);
  }
  if (lesson.cards.length < MIN_CARDS || lesson.cards.length > MAX_CARDS) {
    problems.push(`${f}: has ${lesson.cards.length} cards; a lesson needs ${MIN_CARDS} to ${MAX_CARDS}`);
  }
  const cardIds = new Set<string>();
  for (const card of lesson.cards) {
    if (cardIds.has(card.id)) problems.push(`${f}: card id "${card.id}" is used twice`);
    cardIds.add(card.id);
    for (const [label, text] of [
      ['text', card.text],
      ['under13', card.under13],
    ] as const) {
      if (text !== undefined && text.trim().length > MAX_CARD_CHARS) {
        problems.push(
          `${f}: card "${card.id}" ${label} is ${text.trim().length} characters; the limit is ${MAX_CARD_CHARS}`,
        );
      }
    }
    const cardSources = card.source === undefined ? [] : [card.source].flat();
    for (const source of cardSources) {
      if (source === GENERAL_ADVICE) continue;
      if (!isUrl(source))
        problems.push(`${f}: card "${card.id}" source "${source}" is neither a URL nor general-advice`);
      else if (!lesson.sources.includes(source)) {
        problems.push(`${f}: card "${card.id}" cites ${source}, which is not in the lesson's sources`);
      }
    }
  }
  if (lesson.questions.length < MIN_QUESTIONS || lesson.questions.length > MAX_QUESTIONS) {
    problems.push(
      `${f}: has ${lesson.questions.length} questions; a quiz needs ${MIN_QUESTIONS} to ${MAX_QUESTIONS}`,
    );
  }
  const questionIds = new Set<string>();
  for (const q of lesson.questions) {
    if (questionIds.has(q.id)) problems.push(`${f}: question id "${q.id}" is used twice`);
    questionIds.add(q.id);
    if (q.text.trim().length > MAX_QUIZ_TEXT_CHARS) {
      problems.push(`${f}: question "${q.id}" text is longer than ${MAX_QUIZ_TEXT_CHARS} characters`);
    }
    if (q.options.length < 2 || q.options.length > 4) {
      problems.push(`${f}: question "${q.id}" has ${q.options.length} options; it needs 2 to 4`);
    }
    const correct = q.options.filter((o) => o.correct === true).length;
    if (correct !== 1) {
      problems.push(`${f}: question "${q.id}" has ${correct} correct answers; it needs exactly one`);
    }
    const optionIds = new Set<string>();
    for (const o of q.options) {
      if (optionIds.has(o.id)) problems.push(`${f}: question "${q.id}" option id "${o.id}" is used twice`);
      optionIds.add(o.id);
      if (o.explanation === undefined || o.explanation.trim() === '') {
        problems.push(`${f}: question "${q.id}" option "${o.id}" has no explanation`);
      } else if (o.explanation.trim().length > MAX_QUIZ_TEXT_CHARS) {
        problems.push(`${f}: question "${q.id}" option "${o.id}" explanation is too long`);
      }
    }
  }
}

/**
 * Checks the catalogue and returns one human-readable line per problem, each naming the file:
 * lessons missing in a language, card/question/option ids differing across languages, quizzes
 * without exactly one correct answer, options without explanation, cards too long, lessons without
 * sources, card and question counts out of range, and index entries that point nowhere.
 */
export function validateLessons(catalogue: LessonCatalogue): string[] {
  const problems = [...catalogue.loadProblems];
  const [first, ...others] = LOCALES;
  for (const locale of LOCALES) {
    const { index, lessons } = catalogue.locales[locale];
    for (const lesson of Object.values(lessons)) validateLesson(lesson, problems);
    if (!index) continue;
    if (index.first_for_under13 && !lessons[index.first_for_under13]) {
      problems.push(
        `${index.file}: first_for_under13 names "${index.first_for_under13}", which has no lesson file`,
      );
    }
    for (const id of index.order) {
      if (!lessons[id])
        problems.push(`${index.file}: order lists "${id}" but there is no lesson file for it`);
      if (!index.badges[id]) problems.push(`${index.file}: no badge for lesson "${id}"`);
    }
    for (const id of Object.keys(lessons)) {
      if (!index.order.includes(id)) problems.push(`${index.file}: lesson "${id}" is missing from order`);
    }
    const topics = new Map<string, string>();
    for (const lesson of Object.values(lessons)) {
      const other = topics.get(lesson.topic);
      if (other) problems.push(`${lesson.file}: topic "${lesson.topic}" is also used by lesson "${other}"`);
      topics.set(lesson.topic, lesson.id);
    }
  }
  for (const locale of others) {
    const base = catalogue.locales[first];
    const here = catalogue.locales[locale];
    const ids = new Set([...Object.keys(base.lessons), ...Object.keys(here.lessons)]);
    for (const id of ids) {
      const a = base.lessons[id];
      const b = here.lessons[id];
      if (!a || !b) {
        const present = (a ?? b)!;
        const missing = a ? locale : first;
        problems.push(
          `${present.file}: lesson "${id}" has no ${missing} version (content/${missing}/lessons/${id}.yaml)`,
        );
        continue;
      }
      if (a.topic !== b.topic)
        problems.push(`${b.file}: topic "${b.topic}" differs from ${a.file} ("${a.topic}")`);
      if (!sameIds(a.cards, b.cards)) {
        problems.push(
          `${b.file}: cards (${b.cards.map((c) => c.id).join(',')}) differ from ${a.file} (${a.cards.map((c) => c.id).join(',')})`,
        );
      }
      for (const [i, card] of a.cards.entries()) {
        const other = b.cards[i];
        if (other && (card.under13 === undefined) !== (other.under13 === undefined)) {
          problems.push(
            `${b.file}: card "${card.id}" has an under13 variant in only one language (see ${a.file})`,
          );
        }
      }
      if (!sameIds(a.questions, b.questions)) {
        problems.push(`${b.file}: questions differ from ${a.file}`);
        continue;
      }
      for (const [i, q] of a.questions.entries()) {
        const other = b.questions[i]!;
        if (!sameIds(q.options, other.options)) {
          problems.push(`${b.file}: question "${q.id}" options differ from ${a.file}`);
          continue;
        }
        for (const [j, o] of q.options.entries()) {
          if ((o.correct === true) !== (other.options[j]?.correct === true)) {
            problems.push(`${b.file}: question "${q.id}" marks a different correct answer than ${a.file}`);
            break;
          }
        }
      }
    }
    const orderA = base.index?.order.join(',');
    const orderB = here.index?.order.join(',');
    if (base.index && here.index && orderA !== orderB) {
      problems.push(`${here.index.file}: order differs from ${base.index.file}`);
    }
  }
  return problems;
}

/** Loads and validates; throws a ContentError listing every problem. For start-up. */
export function loadValidLessons(contentRoot: string): LessonCatalogue {
  const catalogue = loadLessons(contentRoot);
  const problems = validateLessons(catalogue);
  if (problems.length > 0) throw new ContentError(`lesson content is invalid:\n${problems.join('\n')}`);
  return catalogue;
}
