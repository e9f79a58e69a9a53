/**
 * Prints one lesson as a user sees it in the chat, pressing the buttons a user would press
 * (next on every card, then the right answer to every question).
 *
 *   npx tsx src/cli/show-lesson.ts <lesson-id> [vi|en] [--age under13|13_15|16_17|18_plus] [--wrong]
 *
 * `--wrong` answers every question with the first wrong option, to show the "not quite" feedback.
 */
import { resolve } from 'node:path';
import { loadValidLessons } from '../content/lessons.js';
import type { AgeBand, LessonStep, LessonView } from '../core/lessons/index.js';
import {
  AGE_BANDS,
  emptyProgress,
  parseLessonButton,
  pressLessonButton,
  startLesson,
  withAgeBand,
} from '../core/lessons/index.js';
import { isLocale } from '../core/locale.js';

function printView(view: LessonView): void {
  console.log('────────────────────────────────────────');
  console.log(view.text);
  if (view.buttons.length > 0) console.log(view.buttons.map((b) => `[ ${b.labelText} ]`).join('  '));
  console.log('');
}

function main(): void {
  const args = process.argv.slice(2);
  const lessonId = args[0];
  const locale = args[1] && isLocale(args[1]) ? args[1] : 'vi';
  const ageArg = args.includes('--age') ? args[args.indexOf('--age') + 1] : '13_15';
  const wrong = args.includes('--wrong');
  if (!lessonId || !AGE_BANDS.includes(ageArg as AgeBand)) {
    console.error('usage: show-lesson <lesson-id> [vi|en] [--age under13|13_15|16_17|18_plus] [--wrong]');
    process.exit(2);
  }
  const catalogue = loadValidLessons(resolve(process.cwd(), 'content'));
  const lesson = catalogue.locales[locale].lessons[lessonId];
  if (!lesson) {
    console.error(
      `no lesson "${lessonId}"; lessons: ${Object.keys(catalogue.locales[locale].lessons).join(', ')}`,
    );
    process.exit(2);
  }
  let now = Date.now();
  let current: LessonStep = startLesson(
    catalogue,
    withAgeBand(emptyProgress(), ageArg as AgeBand),
    lessonId,
    locale,
    now,
  );
  // A lesson has at most 6 cards and 4 questions; the bound only guards against a loop on bad content.
  for (let guard = 0; guard < 30; guard += 1) {
    for (const view of current.views) printView(view);
    const last = current.views.at(-1);
    if (!last || last.kind === 'badge' || last.kind === 'certificate') break;
    let press = last.buttons.find((b) => {
      const action = parseLessonButton(b.id);
      return action?.type === 'next' || action?.type === 'quiz';
    });
    if (last.kind === 'question') {
      const question = lesson.questions.find((q) => last.buttons[0]?.id.includes(`:${q.id}:`));
      const pick = question?.options.findIndex((o) => (o.correct === true) !== wrong) ?? 0;
      press = last.buttons[Math.max(0, pick)];
    }
    if (!press) break;
    console.log(`👆 ${press.labelText}\n`);
    now += 30_000;
    const next = pressLessonButton(catalogue, current.progress, press.id, locale, now);
    if (!next) break;
    current = next;
  }
}

main();
