import { join } from 'node:path';
import { loadValidLessons } from '../content/lessons.js';
import { compareLocales, loadMessageTexts } from '../content/load-texts.js';
import { loadOfferContent } from '../content/offer-flags.js';
import type { SafetyContent } from '../content/safety.js';
import { loadSafetyContent } from '../content/safety.js';
import { createTextCatalogue, type TextCatalogue } from '../core/content.js';
import type { LessonCatalogue } from '../core/lessons/lesson-catalogue.js';
import { LOCALES, type Locale } from '../core/locale.js';
import type { OfferFlagCatalogue } from '../core/offers/catalogue.js';
import { createOfferChecker, type OfferChecker } from '../core/offers/check.js';
import type { OfferAnswerText } from '../core/offers/explain.js';
import { ContentError } from '../errors.js';

/** Every piece of content the bot speaks from, loaded and validated once at start-up. */
export interface ContentBundle {
  root: string;
  texts: TextCatalogue;
  safety: SafetyContent;
  lessons: LessonCatalogue;
  offers: { checker: OfferChecker; catalogue: OfferFlagCatalogue; answers: Record<Locale, OfferAnswerText> };
}

export async function loadContentBundle(root: string): Promise<ContentBundle> {
  const texts = loadMessageTexts(root);
  const problems = compareLocales(texts);
  if (problems.length > 0) throw new ContentError(problems.join('\n'));
  const contentDir = join(root, 'content');
  const safety = loadSafetyContent(contentDir);
  const lessons = loadValidLessons(contentDir);
  const offerContent = await loadOfferContent(contentDir);
  // Safety texts (intake questions, alerts) are addressable from flows as safety.<path>.
  for (const locale of LOCALES) Object.assign(texts[locale], flattenStrings(safety[locale].texts, 'safety'));
  return {
    root,
    texts: createTextCatalogue(texts),
    safety,
    lessons,
    offers: {
      checker: createOfferChecker(offerContent.catalogue, offerContent.rates),
      catalogue: offerContent.catalogue,
      answers: offerContent.answers,
    },
  };
}

function flattenStrings(
  value: unknown,
  prefix: string,
  out: Record<string, string> = {},
): Record<string, string> {
  if (typeof value === 'string') out[prefix] = value;
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flattenStrings(inner, `${prefix}.${key}`, out);
  }
  return out;
}
