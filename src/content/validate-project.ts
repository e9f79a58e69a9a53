import { join } from 'node:path';
import { createTextCatalogue } from '../core/content.js';
import { createOfferChecker } from '../core/offers/check.js';
import { loadContentBundle } from '../runtime/content-bundle.js';
import { buildEngine } from '../runtime/engine-setup.js';
import { loadLessons, validateLessons } from './lessons.js';
import { compareLocales, loadMessageTexts } from './load-texts.js';
import { loadOfferContent } from './offer-flags.js';
import { loadSafetyContent } from './safety.js';

/**
 * Every content and flow check, collected (not stopping at the first): messages in both
 * languages, hotlines and safety texts with sources, lessons, the offer-flag catalogue, and
 * flows against the action registry and the texts. Returns one line per problem.
 */
export async function validateProject(root: string): Promise<string[]> {
  const problems: string[] = [];
  const collect = async (run: () => unknown | Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      problems.push(...String((error as Error).message).split('\n'));
    }
  };
  const contentDir = join(root, 'content');
  await collect(() => {
    const texts = loadMessageTexts(root);
    problems.push(...compareLocales(texts));
    createTextCatalogue(texts);
  });
  await collect(() => loadSafetyContent(contentDir));
  await collect(() => problems.push(...validateLessons(loadLessons(contentDir))));
  await collect(async () => {
    const offers = await loadOfferContent(contentDir);
    createOfferChecker(offers.catalogue, offers.rates);
  });
  // Flows are checked against the whole bundle once the parts above load.
  if (problems.length === 0) await collect(async () => buildEngine(await loadContentBundle(root)));
  return [...new Set(problems)];
}
