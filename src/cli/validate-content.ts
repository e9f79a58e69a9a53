/**
 * Checks flows and content (both languages, sources, lessons, offer flags, flow references).
 *   npm run validate [-- <project root>]
 * Prints one line per problem and exits 1, or a one-line summary and exits 0.
 */
import { resolve } from 'node:path';
import { projectRoot } from '../content/content-root.js';
import { validateProject } from '../content/validate-project.js';

const root = process.argv[2] ? resolve(process.argv[2]) : projectRoot();
const problems = await validateProject(root);
if (problems.length > 0) {
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  process.stderr.write(`${problems.length} content problem(s)\n`);
  process.exit(1);
}
process.stdout.write(
  'content and flows OK: both languages complete, every reference resolves, every hotline sourced\n',
);
