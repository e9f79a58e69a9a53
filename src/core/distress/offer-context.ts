import type { DistressResult, SignalId } from './detect.js';

/**
 * What happens to a person, never what a recruiter writes in an advert: forced to scam, lied to,
 * cut off from home, gone missing, beaten. Where the detector finds one of these, the text is
 * about someone it is happening to, however much it also reads like an offer.
 */
const HAPPENS_TO_SOMEONE: ReadonlySet<SignalId> = new Set<SignalId>([
  'help_request',
  'confinement',
  'cannot_leave',
  'violence',
  'threat',
  'sold',
  'forced_work',
  'deceived',
  'contact_cut',
  'missing',
  'location_unknown',
  'moved_between_companies',
]);

/** Signals that count as findings, not background words or facts about the person. */
const BACKGROUND: ReadonlySet<string> = new Set(['distress_words', 'fear', 'minor']);

/**
 * Inside a job offer, words such as "the company keeps your passport" or "leave early and you pay
 * the contract penalty" describe the offer, not the writer: the offer check already names them as
 * red flags and gives the numbers, and the people who paste offers are mostly relatives asking
 * "is this real?". So, for a text that reads as an offer, `concern` and `high` give way to the
 * offer check, unless the text tells of someone it is happening to:
 * - `imminent` (violence, confinement now, a ransom deadline) always stands;
 * - so does any sign no advert carries (forced to scam, cut off from home, missing, lied to):
 *   "my sister went to Cambodia, they do not let her call home, she owes the company $5000"
 *   reads as an offer (a place, work, an amount) and is a person in trouble;
 * - and a relative named with a ransom, or with two findings together ("my wife's employer
 *   keeps her passport and does not pay her"), is a family's report, not a pasted advert.
 */
export function distressBesideOffer(result: DistressResult, isOffer: boolean): DistressResult {
  if (!isOffer || result.level === 'none' || result.level === 'imminent') return result;
  if (result.signals.some((s) => HAPPENS_TO_SOMEONE.has(s as SignalId))) return result;
  if (result.thirdPerson) {
    const findings = result.signals.filter((s) => !BACKGROUND.has(s));
    if (findings.includes('ransom') || findings.length >= 2) return result;
  }
  return { ...result, level: 'none', signals: [] };
}
