/**
 * Checks the lesson content in both languages and prints one line per problem.
 *   npx tsx src/cli/validate-lessons.ts [contentRoot]
 * Exits 1 when anything is wrong, so it can run in `npm run check`.
 */
import { resolve } from 'node:path';
import { loadLessons, validateLessons } from '../content/lessons.js';

const root = resolve(process.cwd(), process.argv[2] ?? 'content');
const catalogue = loadLessons(root);
const problems = validateLessons(catalogue);
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
const lessons = Object.values(catalogue.locales.vi.lessons);
const cards = lessons.reduce((n, l) => n + l.cards.length, 0);
const questions = lessons.reduce((n, l) => n + l.questions.length, 0);
console.log(`lessons OK: ${lessons.length} lessons, ${cards} cards, ${questions} questions, in vi and en`);
