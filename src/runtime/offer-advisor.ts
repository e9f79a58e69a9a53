import type { OfferAdvisor } from '../core/engine/offer-actions.js';
import type { Locale } from '../core/locale.js';
import type { OfferFlagCatalogue } from '../core/offers/catalogue.js';
import type { OfferAssessment, OfferChecker } from '../core/offers/check.js';
import { explainOffer, type OfferAnswerText } from '../core/offers/explain.js';
import type { FlagId } from '../core/offers/rules.js';
import type { OfferLevel } from '../core/offers/score.js';

/** Which lesson teaches about a lure, by the flags it raised (first match wins). */
const LESSON_TOPIC_BY_FLAG: Array<[FlagId[], string]> = [
  [['task_scam', 'money_first', 'home_job_high_pay', 'fake_collaborator'], 'verify'],
  [['advance_or_debt', 'deposit_or_penalty'], 'debt'],
  [
    [
      'fee_upfront',
      'fee_to_individual',
      'brokerage_fee',
      'fee_above_cap',
      'documents_taken',
      'tourist_visa_for_work',
    ],
    'safe_migration',
  ],
];

/** The conversation's view of the rules checker: check, answer, explain, and a lesson to offer. */
export function createOfferAdvisor(deps: {
  checker: OfferChecker;
  catalogue: OfferFlagCatalogue;
  answers: Record<Locale, OfferAnswerText>;
  topicToLesson: (topic: string) => string | undefined;
}): OfferAdvisor & { assess(text: string, locale: Locale): OfferAssessment } {
  const { checker, catalogue, answers } = deps;
  return {
    assess: (text, locale) => checker.check(text, locale),
    check(text, locale) {
      const a = checker.check(text, locale);
      return {
        isOffer: a.isOffer,
        level: a.level,
        flagIds: a.flags.map((f) => f.id),
        answer: explainOffer(a, catalogue, answers, locale),
      };
    },
    explain(level, flagIds, locale) {
      // Rebuilt from ids: the offer's text is not kept, so the long form has no quotes.
      const flags = flagIds
        .map((id) => catalogue[locale].flags.get(id as FlagId))
        .filter((f) => f !== undefined)
        .map((f) => ({ id: f.id as FlagId, severity: f.severity, evidence: '' }));
      const assessment: Omit<OfferAssessment, 'offer'> = {
        isOffer: true,
        level: level as OfferLevel,
        score: 0,
        flags,
        notes: [],
        locale,
      };
      return explainOffer(assessment as OfferAssessment, catalogue, answers, locale, { long: true });
    },
    lessonFor(flagIds) {
      for (const [flags, topic] of LESSON_TOPIC_BY_FLAG) {
        if (flagIds.some((id) => flags.includes(id as FlagId))) return deps.topicToLesson(topic);
      }
      if (flagIds.some((id) => id.includes('gambl') || id === 'hostess_work'))
        return deps.topicToLesson('gambling');
      return deps.topicToLesson('job_lure');
    },
  };
}
