import type { ExtractedOffer, Signals } from './extract.js';
import { hitEvidence } from './extract.js';
import type { NormalisedText } from './normalise.js';

/**
 * Every flag the rules can raise. Each id must have an entry in content/{vi,en}/offer-flags.yaml
 * (the checker refuses to start otherwise); severity, name, reason, advice and source live there.
 */
export const FLAG_IDS = [
  'too_good_to_be_true',
  'risky_destination',
  'compound_area',
  'border_pickup',
  'vague_job_abroad',
  'travel_costs_paid',
  'advance_or_debt',
  'fee_upfront',
  'fee_to_individual',
  'deposit_or_penalty',
  'brokerage_fee',
  'fee_above_cap',
  'fee_check_legal',
  'documents_taken',
  'tourist_visa_for_work',
  'no_passport_or_trail',
  'recruits_minors',
  'looks_required',
  'urgency',
  'secrecy',
  'chat_only_contact',
  'no_company_details',
  'marriage_broker',
  'hostess_work',
  'task_scam',
  'money_first',
  'home_job_high_pay',
  'fake_collaborator',
  'says_not_a_scam',
  'combo_abroad_vague_paid',
  'combo_risky_place_easy_money',
  'combo_minor_abroad',
  'combo_hostess_abroad',
] as const;
export type FlagId = (typeof FLAG_IDS)[number];

/** Signs that look right; shown as "still verify", never lowering the level. */
export const NOTE_IDS = [
  'licence_given',
  'company_address_given',
  'written_contract',
  'official_programme',
  'fee_after_contract',
] as const;
export type NoteId = (typeof NOTE_IDS)[number];

export type RaisedFlag = { id: FlagId; evidence: string };
export type RaisedNote = { id: NoteId; evidence: string };

// Pay thresholds in USD/month. SOURCES.md §7: lures promise 800-1,000 USD/month or 15-25 million
// VND/month with no degree or skill, and 500k-1tr/day for work at home (IE403 SMS). 600 USD is
// about 15 million VND at the planning rate: "high pay" only counts with no skill asked.
const HIGH_PAY_UNSKILLED_USD = 600;
const HIGH_PAY_ANY_ABROAD_USD = 1500;
const HIGH_PAY_HOME_USD = 200;
/** "3 năm", "2 years": experience asked. */
const YEARS_RE = /\d\s?(nam|year)/;
/** A qualification asked for ("yêu cầu N2", "IELTS 6.5", "degree required"): a skilled day rate. */
const QUALIFICATION_RE =
  /(?<!\b(?:khong|no|not) (?:[a-z]+ ){0,2})\b(?:yeu cau|required?|requires|bang cap|chung chi|ielts|toeic|jlpt|topik|degree|certificate|n[1-3])\b/;
/** Law 69/2020/QH14 caps a service fee at one month's salary per 12 months; 3 years assumed. */
const FEE_CAP_MONTHS = 3;

function has(s: Signals, k: keyof Signals): boolean {
  const v = s[k];
  return v !== undefined && v.length > 0;
}

function ev(n: NormalisedText, s: Signals, k: keyof Signals, extra = 0): string {
  const h = s[k]?.[0];
  return h ? hitEvidence(n, h, extra) : '';
}

/** Whether the text is a job offer at all (recruiting, a job with pay, a task or home job, a broker). */
export function detectOffer(s: Signals, offer: ExtractedOffer): boolean {
  const payish = offer.pay.length > 0 || has(s, 'payWord') || has(s, 'commission');
  const contact =
    offer.contacts.phones > 0 || offer.contacts.chatApps.length > 0 || offer.contacts.handles.length > 0;
  const anyJobType = offer.jobTypes.length > 0;
  const costs = offer.costsPaid.travel !== undefined || offer.fees.length > 0;
  let offerLike =
    has(s, 'recruit') ||
    (has(s, 'jobLabourExport') && (payish || contact || has(s, 'apply') || costs)) ||
    (has(s, 'apply') && payish) ||
    (offer.pay.length > 0 && offer.destinations.some((d) => d.kind !== 'border-crossing')) ||
    (has(s, 'jobMarriage') && (payish || costs || offer.destinations.length > 0)) ||
    (has(s, 'job') && payish) ||
    (anyJobType && (payish || contact)) ||
    ((has(s, 'jobTask') || has(s, 'jobPacking') || has(s, 'jobCtv')) &&
      (has(s, 'prepay') || offer.fees.length > 0)) ||
    (has(s, 'easyJob') && payish) ||
    (has(s, 'highPayClaim') && (has(s, 'job') || anyJobType));
  // Warnings about scams quote the lures; without a way to reach a recruiter they are not offers.
  if (
    offerLike &&
    has(s, 'warning') &&
    !has(s, 'reassurance') &&
    !contact &&
    offer.contacts.links.length === 0
  ) {
    offerLike = false;
  }
  return offerLike;
}

/** Raises every flag whose condition holds, with the original words that triggered it. */
export function raiseFlags(n: NormalisedText, s: Signals, o: ExtractedOffer): RaisedFlag[] {
  const flags: RaisedFlag[] = [];
  const raise = (id: FlagId, evidence: string | undefined) => {
    if (!flags.some((f) => f.id === id)) flags.push({ id, evidence: evidence ?? '' });
  };
  const risky = o.destinations.filter((d) => d.kind === 'risky-country');
  const compound = o.destinations.filter((d) => d.kind === 'compound-area');
  const border = o.destinations.filter((d) => d.kind === 'border-crossing');
  const foreign = o.destinations.filter((d) => d.kind !== 'border-crossing');
  const abroad = foreign.length > 0 || compound.length > 0;
  const riskyPlace = risky.length > 0 || compound.length > 0;
  const maxPay = o.pay.reduce((m, p) => Math.max(m, p.usdPerMonthMax), 0);
  const payEv = o.pay.find((p) => p.usdPerMonthMax === maxPay)?.evidence;
  const maxDailyPay = o.pay.reduce(
    (m, p) => (p.period === 'day' || p.period === 'week' ? Math.max(m, p.usdPerMonthMax) : m),
    0,
  );
  const easy = has(s, 'easyJob');
  const noExp = has(s, 'noExperience');
  const online = has(s, 'jobOnline');
  const homeJob = has(s, 'jobPacking');
  const task = has(s, 'jobTask');
  // A skilled trade or years of experience asked make high pay abroad plausible.
  const skilled = !easy && !noExp && (has(s, 'jobManual') || (riskyPlace && YEARS_RE.test(n.text)));
  const labourExport = has(s, 'jobLabourExport') || has(s, 'official');

  // Too good to be true: easy work with high pay, or high pay for no skill.
  if (easy && has(s, 'highPayClaim')) raise('too_good_to_be_true', ev(n, s, 'easyJob'));
  else if (maxPay >= HIGH_PAY_UNSKILLED_USD && (easy || noExp)) raise('too_good_to_be_true', payEv);
  else if (maxPay >= HIGH_PAY_ANY_ABROAD_USD && riskyPlace && !skilled) raise('too_good_to_be_true', payEv);
  else if (riskyPlace && has(s, 'highPayClaim')) raise('too_good_to_be_true', ev(n, s, 'highPayClaim'));
  // Side work, clicks or home work paid by the day at the rate of a full unskilled wage or more
  // ("500k-2tr/ngày", "$100-$300 daily"): no such job pays that. Hourly and monthly rates are left
  // out: part-time hours are unknown, and part-time sales quote commission-inflated months.
  else if (
    maxDailyPay >= HIGH_PAY_UNSKILLED_USD &&
    (has(s, 'jobCtv') || task || homeJob) &&
    !skilled &&
    !QUALIFICATION_RE.test(n.text) &&
    !labourExport &&
    !YEARS_RE.test(n.text)
  )
    raise('too_good_to_be_true', o.pay.find((p) => p.usdPerMonthMax === maxDailyPay)?.evidence);

  if (risky.length) raise('risky_destination', risky[0]?.evidence);
  if (compound.length) raise('compound_area', compound[0]?.evidence);
  if (border.length && (has(s, 'travelPaid') || riskyPlace || has(s, 'trailCrossing')))
    raise('border_pickup', border[0]?.evidence);
  if (online && abroad && !has(s, 'official')) raise('vague_job_abroad', ev(n, s, 'jobOnline'));
  if (o.costsPaid.travel && (abroad || border.length > 0)) raise('travel_costs_paid', o.costsPaid.travel);
  if (o.advance) raise('advance_or_debt', o.advance);

  // Fees: Vietnamese law allows a licensed agency a capped service fee after the contract is
  // signed (SOURCES.md §5); what makes a fee a red flag is who takes it, when, how much, and what for.
  let feeFlagged = false;
  for (const f of o.fees) {
    if (f.kind === 'deposit' || f.kind === 'penalty') {
      raise('deposit_or_penalty', f.evidence);
      feeFlagged = true;
    } else if (f.kind === 'brokerage') {
      raise('brokerage_fee', f.evidence);
      feeFlagged = true;
    }
    if (f.toIndividual) {
      raise('fee_to_individual', f.evidence);
      feeFlagged = true;
    }
    if (f.upfront && !f.afterContract) {
      raise('fee_upfront', f.evidence);
      feeFlagged = true;
    }
    if (f.amountUsd !== undefined && maxPay > 0 && f.amountUsd > maxPay * FEE_CAP_MONTHS) {
      raise('fee_above_cap', f.evidence);
      feeFlagged = true;
    }
  }
  if (!feeFlagged && o.fees.length) raise('fee_check_legal', o.fees[0]?.evidence);

  for (const d of o.documents) {
    if (d.issue === 'documents-kept') raise('documents_taken', d.evidence);
    else if (d.issue === 'tourist-visa') raise('tourist_visa_for_work', d.evidence);
    else raise('no_passport_or_trail', d.evidence);
  }
  const minor = (o.requirements.ageMin !== undefined && o.requirements.ageMin < 18) || o.requirements.youth;
  if (minor) raise('recruits_minors', o.requirements.youth ?? o.requirements.age);
  const youngWomen =
    o.requirements.female !== undefined && o.requirements.ageMax !== undefined && o.requirements.ageMax <= 25;
  if (o.requirements.looks) raise('looks_required', o.requirements.looks);
  else if (youngWomen) raise('looks_required', o.requirements.age);
  if (o.urgency) raise('urgency', o.urgency);
  if (o.secrecy) raise('secrecy', o.secrecy);

  const hasCompany = Boolean(o.company.name || o.company.address || o.company.licence || o.official);
  const siteOk = o.contacts.domains.some((d) => d.endsWith('.vn') || d.endsWith('.gov.vn'));
  if (has(s, 'chatContact') && !hasCompany && !siteOk) raise('chat_only_contact', ev(n, s, 'chatContact'));
  if (abroad && !hasCompany && !siteOk)
    raise('no_company_details', foreign[0]?.evidence ?? compound[0]?.evidence);

  if (
    has(s, 'jobMarriage') &&
    (abroad || o.pay.length > 0 || has(s, 'payWord') || o.fees.length > 0 || o.costsPaid.travel)
  )
    raise('marriage_broker', ev(n, s, 'jobMarriage'));
  const hostess = has(s, 'jobHostess');
  if (hostess && (abroad || o.requirements.looks || youngWomen || easy || has(s, 'highPayClaim')))
    raise('hostess_work', ev(n, s, 'jobHostess'));
  if (task) raise('task_scam', ev(n, s, 'jobTask'));
  if (has(s, 'prepay') && (task || homeJob || has(s, 'jobCtv') || has(s, 'recruit') || has(s, 'job')))
    raise('money_first', ev(n, s, 'prepay'));
  else if (o.fees.length && (task || homeJob || has(s, 'jobCtv'))) raise('money_first', o.fees[0]?.evidence);
  if (homeJob && (maxPay >= HIGH_PAY_HOME_USD || has(s, 'highPayClaim') || easy) && !labourExport) {
    // Same promise, same evidence: count it once, as the more specific home-job flag.
    const i = flags.findIndex((f) => f.id === 'too_good_to_be_true');
    if (i >= 0 && !abroad) flags.splice(i, 1);
    raise('home_job_high_pay', payEv ?? ev(n, s, 'jobPacking'));
  }
  if (has(s, 'jobCtv') && (has(s, 'prepay') || o.fees.length > 0 || task || (easy && has(s, 'commission'))))
    raise('fake_collaborator', ev(n, s, 'jobCtv'));
  if (has(s, 'reassurance')) raise('says_not_a_scam', ev(n, s, 'reassurance'));

  // Combinations: a destination alone is not a scam; destination + vague job + paid travel is.
  const vague = online || easy || noExp;
  if (abroad && vague && (o.costsPaid.travel || (o.costsPaid.food && o.costsPaid.lodging)) && !labourExport)
    raise('combo_abroad_vague_paid', o.costsPaid.travel ?? o.costsPaid.food);
  if (
    riskyPlace &&
    (easy || has(s, 'highPayClaim') || (maxPay >= HIGH_PAY_UNSKILLED_USD && !skilled) || online)
  )
    raise('combo_risky_place_easy_money', risky[0]?.evidence ?? compound[0]?.evidence);
  if (minor && abroad) raise('combo_minor_abroad', o.requirements.youth ?? o.requirements.age);
  if (hostess && abroad) raise('combo_hostess_abroad', ev(n, s, 'jobHostess'));
  return flags;
}

/** Signs that look right. They become "still verify" notes and never lower the level. */
export function findNotes(s: Signals, o: ExtractedOffer): RaisedNote[] {
  const notes: RaisedNote[] = [];
  if (o.company.licence) notes.push({ id: 'licence_given', evidence: o.company.licence });
  if (o.company.name && o.company.address)
    notes.push({ id: 'company_address_given', evidence: `${o.company.name} / ${o.company.address}` });
  if (o.contract) notes.push({ id: 'written_contract', evidence: o.contract });
  if (o.official) notes.push({ id: 'official_programme', evidence: o.official });
  const legalFee = o.fees.find((f) => f.afterContract && !f.toIndividual && f.kind === 'fee');
  if (legalFee && has(s, 'fee')) notes.push({ id: 'fee_after_contract', evidence: legalFee.evidence });
  return notes;
}
