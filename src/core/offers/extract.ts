import type { SignalKey } from './lexicon.js';
import { type NormalisedText, originalSpan, wordText } from './normalise.js';
import type { PhraseHit } from './phrase-matcher.js';

/** Exchange rates: how many units of each currency make one US dollar. */
export type ExchangeRates = { perUsd: Readonly<Record<string, number>> };

export type PayPeriod = 'hour' | 'day' | 'week' | 'month' | 'year';

/** One pay promise found in the text, converted to US dollars per month. */
export type Pay = {
  min: number;
  max: number;
  currency: string;
  period: PayPeriod;
  usdPerMonthMin: number;
  usdPerMonthMax: number;
  evidence: string;
  /** The amount in USD as written, before any period conversion (fees are one-off). */
  usdMax: number;
  /** Span in the normalised text, to relate the amount to nearby words. */
  start: number;
  end: number;
};

export type DestinationKind =
  | 'risky-country'
  | 'compound-area'
  | 'border-crossing'
  | 'other-country'
  | 'abroad';
export type Destination = { name: string; kind: DestinationKind; evidence: string };

export type JobType =
  | 'online-casino-office'
  | 'hostess-karaoke-massage'
  | 'marriage'
  | 'online-tasks'
  | 'home-packing-typing'
  | 'sales-collaborator'
  | 'labour-export'
  | 'manual';

export type FeeKind = 'fee' | 'deposit' | 'penalty' | 'brokerage';
export type Fee = {
  kind: FeeKind;
  evidence: string;
  /** Asked before work or a contract, or "now". */
  upfront: boolean;
  /** Paid to a person or a personal account rather than a company. */
  toIndividual: boolean;
  /** The text ties the fee to a signed contract, the law or a receipt. */
  afterContract: boolean;
  amountUsd?: number;
};

export type DocumentIssue = 'documents-kept' | 'tourist-visa' | 'no-passport' | 'trail-crossing';

export type Contacts = {
  phones: number;
  chatApps: string[];
  handles: string[];
  links: string[];
  domains: string[];
};

/** Everything the rules know about an offer, each piece with the original words behind it. */
export type ExtractedOffer = {
  pay: Pay[];
  destinations: Destination[];
  jobTypes: { type: JobType; evidence: string }[];
  costsPaid: { travel?: string; food?: string; lodging?: string };
  fees: Fee[];
  requirements: {
    ageMin?: number;
    ageMax?: number;
    age?: string;
    youth?: string;
    noExperience?: string;
    looks?: string;
    female?: string;
  };
  urgency?: string;
  secrecy?: string;
  documents: { issue: DocumentIssue; evidence: string }[];
  contacts: Contacts;
  company: { name?: string; address?: string; licence?: string };
  advance?: string;
  contract?: string;
  official?: string;
};

/** Hits grouped by signal, as the checker computes them once per message. */
export type Signals = Partial<Record<SignalKey, PhraseHit<SignalKey>[]>>;

const NUM = String.raw`\d+(?:[.,]\d+)*`;
const UNIT = 'k|nghin|ngan|tr|trieu|cu|m|mil|million|millions|ty|ti';
const PRE = String.raw`\$|us\$|usd|€|£|¥`;
const POST = String.raw`usd|us\$|\$|do|dola|dollar|dollars|vnd|d|dong|yen|jpy|won|krw|ntd|twd|dai te|baht|thb|bat|aed|dirham|dirhams|myr|ringgit|rm|eur|euro|euros|€|£|gbp|te|nhan dan te|cny|rmb|yuan|peso|php|sgd`;
const PERIOD =
  'thang|month|months|monthly|mo|ngay|day|days|daily|tuan|week|weeks|weekly|gio|hour|hours|hourly|h|hr|nam|year|years|yearly|annually|yr|ca';
/**
 * Precompiled once: an amount with optional range, multiplier, currency and period. Sticky: it is
 * tried only where a number word starts, which is much cheaper than scanning every position.
 */
const PAY_RE = new RegExp(
  String.raw`(${NUM})\s?(${UNIT})?(?![a-z0-9])` +
    String.raw`(?:\s?(?:-|~|den|toi|to|top)\s?(${PRE})?\s?(${NUM})\s?(${UNIT})?(?![a-z0-9]))?` +
    String.raw`\s?(${POST})?(?![a-z0-9])` +
    String.raw`(?:\s?(?:/|mot|moi|per|a|an|1|each)?\s?(${PERIOD})(?![a-z0-9]))?`,
  'y',
);
const PRE_RE = new RegExp(String.raw`(${PRE})\s?$`);
// Ages and phones are read only where a number word starts (sticky), never by scanning every position.
const AGE_RANGE_Y = /(\d{2})\s?(?:-|~|den|toi|to)\s?(\d{2})(?![\d.,])\s?(tuoi|years|yrs|y o)?/y;
const AGE_CONTEXT = /tuoi|age/;
const AGE_AFTER_Y = /\d{2}\s?(?:tuoi|years|yrs)(?:\s(tro len|tro xuong))?/y;
const AGE_BEFORE_MIN = /(?:\btu|tren|from|at least|aged|over|du|tuoi|age)\s?:?\s?$/;
const PHONE_Y = /(?:84|0)\s?[1-9x](?:[\s.-]?[\dx]){7,9}(?![\d])/y;
const LINK_RE =
  /\b(?:https?:\/\/)?(?:www\.)?((?:[a-z0-9-]+\.)+(?:com|vn|net|org|info|xyz|top|io|me|ly|link|site|online|shop|club|cc|tk|gl|app|biz|asia|co|kh|la|mm|th))(?:\/[^\s]*)?/g;
const HANDLE_RE = /(?<![a-z0-9.])@([a-z0-9_]{3,32})/g;
// The same two patterns, case-insensitive, to run on the original text without lowercasing it.
const LINK_RE_I = new RegExp(LINK_RE.source, 'gi');
const HANDLE_RE_I = new RegExp(HANDLE_RE.source, 'gi');
/**
 * The only chars whose lowercasing is not one char for one char, independent of its neighbours:
 * U+0130 (İ) and U+212A (Kelvin K) lowercase to ASCII letters (and İ to two chars), and Σ lowercases
 * by context (ς at the end of a word). Without them, lowercasing a match equals matching the
 * lowercased text.
 */
function lowercasesNotPerChar(text: string): boolean {
  // Three plain searches beat one character-class regex over the whole message.
  return text.includes('\u0130') || text.includes('\u212a') || text.includes('\u03a3');
}
const CHAT_APPS = [
  'zalo',
  'telegram',
  'whatsapp',
  'messenger',
  'facebook',
  'tiktok',
  'wechat',
  'viber',
  'line',
];

const UNIT_MULT: Record<string, number> = {
  k: 1e3,
  nghin: 1e3,
  ngan: 1e3,
  tr: 1e6,
  trieu: 1e6,
  cu: 1e6,
  m: 1e6,
  mil: 1e6,
  million: 1e6,
  millions: 1e6,
  ty: 1e9,
  ti: 1e9,
};
const CURRENCY: Record<string, string> = {
  $: 'USD',
  us$: 'USD',
  usd: 'USD',
  do: 'USD',
  dola: 'USD',
  dollar: 'USD',
  dollars: 'USD',
  vnd: 'VND',
  d: 'VND',
  dong: 'VND',
  yen: 'JPY',
  jpy: 'JPY',
  '¥': 'JPY',
  won: 'KRW',
  krw: 'KRW',
  ntd: 'TWD',
  twd: 'TWD',
  'dai te': 'TWD',
  baht: 'THB',
  thb: 'THB',
  bat: 'THB',
  aed: 'AED',
  dirham: 'AED',
  dirhams: 'AED',
  myr: 'MYR',
  ringgit: 'MYR',
  rm: 'MYR',
  eur: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
  '€': 'EUR',
  '£': 'GBP',
  gbp: 'GBP',
  te: 'CNY',
  'nhan dan te': 'CNY',
  cny: 'CNY',
  rmb: 'CNY',
  yuan: 'CNY',
  peso: 'PHP',
  php: 'PHP',
  sgd: 'SGD',
};
const PERIODS: Record<string, PayPeriod> = {
  thang: 'month',
  month: 'month',
  months: 'month',
  mo: 'month',
  ngay: 'day',
  day: 'day',
  days: 'day',
  ca: 'day',
  tuan: 'week',
  week: 'week',
  weeks: 'week',
  gio: 'hour',
  hour: 'hour',
  hours: 'hour',
  h: 'hour',
  hr: 'hour',
  nam: 'year',
  year: 'year',
  years: 'year',
  yr: 'year',
  monthly: 'month',
  daily: 'day',
  weekly: 'week',
  hourly: 'hour',
  yearly: 'year',
  annually: 'year',
};
// Full-time month assumed by the conversion: 26 working days of 8 hours (Vietnamese six-day week).
const PER_MONTH: Record<PayPeriod, number> = { hour: 208, day: 26, week: 4.33, month: 1, year: 1 / 12 };

/** Parses "1.000", "1,000", "1,5", "2.5", "5.000.000": a separator before exactly 3 digits groups. */
export function parseNumber(s: string): number {
  // Most amounts have no separator: skip the split (a regex) and its array.
  if (s.indexOf('.') < 0 && s.indexOf(',') < 0) return Number(s);
  const parts = s.split(/[.,]/);
  if (parts.length === 1) return Number(s);
  const last = parts[parts.length - 1] as string;
  if (parts.length === 2 && last.length !== 3) return Number(`${parts[0]}.${last}`);
  if (parts.slice(1).every((p) => p.length === 3)) return Number(parts.join(''));
  return Number(`${parts.slice(0, -1).join('')}.${last}`);
}

/** Parses every pay amount in a normalised text and converts it to USD per month. */
export function extractPay(n: NormalisedText, rates: ExchangeRates): Pay[] {
  const out: Pay[] = [];
  const text = n.text;
  let consumed = 0;
  for (let wi = 0; wi < n.wordCount; wi++) {
    const ws = n.wordStarts[wi] as number;
    const c0 = text.charCodeAt(ws);
    if (c0 < 48 || c0 > 57 || ws < consumed) continue;
    // Inside a number written with separators ("1.000"): the first part already matched.
    const before = text.charCodeAt(ws - 1);
    if ((before === 46 || before === 44) && isDigitCode(text.charCodeAt(ws - 2))) continue;
    PAY_RE.lastIndex = ws;
    const m = PAY_RE.exec(text);
    if (!m) continue;
    consumed = m.index + m[0].length;
    // Every PRE_RE match ends, at most one space before the number, in $ € £ ¥ or the "d" of "usd":
    // without one there, skip the slice and the regex.
    const preMatch =
      isPreEnd(text.charCodeAt(ws - 1)) || isPreEnd(text.charCodeAt(ws - 2))
        ? PRE_RE.exec(text.slice(Math.max(0, ws - 4), ws))
        : null;
    const pre1 = preMatch?.[1];
    // Indexed, not destructured: a match array is no plain array, and destructuring it iterates.
    const num1 = m[1] as string;
    const unit1 = m[2];
    const pre2 = m[3];
    const num2 = m[4];
    const unit2 = m[5];
    const post = m[6];
    const periodWord = m[7];
    let unitA = unit1;
    let unitB = unit2;
    if (num2 === undefined) unitB = undefined;
    else if (!unitA && unitB) unitA = unitB;
    else if (unitA && !unitB) unitB = unitA;
    const curWord = pre1 ?? pre2 ?? post;
    // A bare number is pay only when it is large and has a period ("8.000.000/tháng").
    if (!curWord && !unitA && !(periodWord && parseNumber(num1) >= 100000)) continue;
    let currency = curWord ? CURRENCY[curWord] : undefined;
    if (!currency) currency = 'VND';
    let a = parseNumber(num1) * (unitA ? (UNIT_MULT[unitA] ?? 1) : 1);
    let b = num2 !== undefined ? parseNumber(num2) * (unitB ? (UNIT_MULT[unitB] ?? 1) : 1) : a;
    if (!Number.isFinite(a) || !Number.isFinite(b) || a <= 0) continue;
    if (b < a) [a, b] = [b, a];
    // "30 do" is more often degrees or "because" than dollars: only trust đô for real amounts.
    if (curWord === 'do' && a < 100) continue;
    // VND amounts below 1,000 are not pay ("500d" is a typo or a code), skip them.
    if (currency === 'VND' && b < 1000) continue;
    const period = periodWord ? (PERIODS[periodWord] ?? 'month') : 'month';
    const perUsd = rates.perUsd[currency];
    if (!perUsd) continue;
    const f = PER_MONTH[period] / perUsd;
    const start = preMatch ? ws - preMatch[0].length : m.index;
    const end = m.index + m[0].trimEnd().length;
    out.push({
      usdMax: round2(b / perUsd),
      start,
      end,
      min: a,
      max: b,
      currency,
      period,
      usdPerMonthMin: round2(a * f),
      usdPerMonthMax: round2(b * f),
      evidence: originalSpan(n, start, end),
    });
  }
  return out;
}

function isAsciiLetter(c: number): boolean {
  const lower = c | 32;
  return lower >= 97 && lower <= 122;
}

/**
 * Whether a letter or digit, a dot and a letter stand together ("abc.com"), as every link the
 * link pattern reads has them: a hop from dot to dot, cheaper than a regex over every position.
 */
function mayHoldLink(text: string): boolean {
  for (let i = text.indexOf('.', 1); i !== -1; i = text.indexOf('.', i + 1)) {
    const before = text.charCodeAt(i - 1);
    if ((isAsciiLetter(before) || isDigitCode(before)) && isAsciiLetter(text.charCodeAt(i + 1))) return true;
  }
  return false;
}

function isPreEnd(c: number): boolean {
  return c === 36 || c === 0x20ac || c === 0xa3 || c === 0xa5 || c === 100; // $ € £ ¥ d
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Finds an age requirement ("18-35 tuổi", "từ 16 tuổi", "aged 16-25"): a range first, else a bound. */
export function extractAge(n: NormalisedText): { min?: number; max?: number; evidence?: string } {
  const text = n.text;
  let bound: { min?: number; max?: number; evidence?: string } | undefined;
  for (let wi = 0; wi < n.wordCount; wi++) {
    const ws = n.wordStarts[wi] as number;
    const we = n.wordEnds[wi] as number;
    if (we - ws !== 2 || !isDigitCode(text.charCodeAt(ws)) || !isDigitCode(text.charCodeAt(ws + 1))) continue;
    const before = text.slice(Math.max(0, ws - 12), ws);
    AGE_RANGE_Y.lastIndex = ws;
    const r = AGE_RANGE_Y.exec(text);
    if (r && (r[3] !== undefined || AGE_CONTEXT.test(before))) {
      const lo = Number(r[1]);
      const hi = Number(r[2]);
      if (lo >= 10 && hi <= 80 && hi >= lo)
        return { min: lo, max: hi, evidence: originalSpan(n, ws, ws + r[0].trimEnd().length) };
    }
    if (bound) continue;
    const v = (text.charCodeAt(ws) - 48) * 10 + (text.charCodeAt(ws + 1) - 48);
    if (v < 10 || v > 80) continue;
    AGE_AFTER_Y.lastIndex = ws;
    const after = AGE_AFTER_Y.exec(text);
    if (after?.[1] === 'tro xuong') bound = { max: v, evidence: originalSpan(n, ws, ws + after[0].length) };
    else if (after?.[1] === 'tro len' || (after && AGE_BEFORE_MIN.test(before)))
      bound = { min: v, evidence: originalSpan(n, ws, ws + after[0].length) };
    else if (AGE_BEFORE_MIN.test(before) && /(tuoi|age|aged)\s?:?\s?$/.test(before))
      bound = { min: v, evidence: originalSpan(n, ws, we) };
  }
  return bound ?? {};
}

/** Phones, chat apps, @handles, links and their domains. Counts phones; never keeps the numbers. */
export function extractContacts(n: NormalisedText, signals: Signals): Contacts {
  const text = n.text;
  let phones = 0;
  let after = 0;
  for (let wi = 0; wi < n.wordCount; wi++) {
    const ws = n.wordStarts[wi] as number;
    const c0 = text.charCodeAt(ws);
    if (ws < after || (c0 !== 48 && c0 !== 56) || isDigitCode(text.charCodeAt(ws - 1))) continue;
    PHONE_Y.lastIndex = ws;
    const m = PHONE_Y.exec(text);
    if (m) {
      phones++;
      after = ws + m[0].length;
    }
  }
  // Links and handles are read from the original, lowercased, so a URL keeps its form but no
  // folding. A cheap scan first: no "x.y" anywhere means no link, and most messages have none.
  // Most texts are never lowercased whole: a case-insensitive match, lowercased, is the same as a
  // match on the lowercased text, except for the few chars lowercasesNotPerChar looks for.
  const original = n.original;
  const links: string[] = [];
  const domains: string[] = [];
  const handles: string[] = [];
  const addLink = (link: string, domain: string) => {
    if (/^\d+(\.\d+)+$/.test(domain)) return;
    links.push(link);
    if (!domains.includes(domain)) domains.push(domain);
  };
  if (lowercasesNotPerChar(original)) {
    const lower = original.toLowerCase();
    LINK_RE.lastIndex = 0;
    if (mayHoldLink(lower))
      for (let m = LINK_RE.exec(lower); m; m = LINK_RE.exec(lower)) addLink(m[0], m[1] as string);
    HANDLE_RE.lastIndex = 0;
    for (let m = HANDLE_RE.exec(lower); m; m = HANDLE_RE.exec(lower)) handles.push(m[1] as string);
  } else {
    LINK_RE_I.lastIndex = 0;
    if (mayHoldLink(original))
      for (let m = LINK_RE_I.exec(original); m; m = LINK_RE_I.exec(original))
        addLink(m[0].toLowerCase(), (m[1] as string).toLowerCase());
    if (original.includes('@')) {
      HANDLE_RE_I.lastIndex = 0;
      for (let m = HANDLE_RE_I.exec(original); m; m = HANDLE_RE_I.exec(original))
        handles.push((m[1] as string).toLowerCase());
    }
  }
  const chatApps: string[] = [];
  for (const h of signals.chatContact ?? []) {
    const w = wordText(n, h.wi);
    if (CHAT_APPS.includes(w) && !chatApps.includes(w)) chatApps.push(w);
  }
  for (const d of domains) {
    const app = d.startsWith('zalo.')
      ? 'zalo'
      : d === 't.me'
        ? 'telegram'
        : /^(fb|facebook|m\.me)/.test(d)
          ? 'facebook'
          : '';
    if (app && !chatApps.includes(app)) chatApps.push(app);
  }
  return { phones, chatApps, handles, links, domains };
}

/** The original words of a hit, widened by `extra` words on the right. */
export function hitEvidence(n: NormalisedText, h: PhraseHit, extra = 0): string {
  const last = Math.min(h.wj - 1 + extra, n.wordCount - 1);
  if (h.wi >= n.wordCount || last < 0) return '';
  return originalSpan(n, n.wordStarts[h.wi] as number, n.wordEnds[last] as number);
}

const RISKY: SignalKey[] = ['cambodia', 'myanmar', 'laos', 'thailand', 'philippines'];
const JOB_TYPES: [SignalKey, JobType][] = [
  ['jobOnline', 'online-casino-office'],
  ['jobHostess', 'hostess-karaoke-massage'],
  ['jobMarriage', 'marriage'],
  ['jobTask', 'online-tasks'],
  ['jobPacking', 'home-packing-typing'],
  ['jobCtv', 'sales-collaborator'],
  ['jobLabourExport', 'labour-export'],
  ['jobManual', 'manual'],
];
const FEE_KINDS: [SignalKey, FeeKind][] = [
  ['penalty', 'penalty'],
  ['deposit', 'deposit'],
  ['brokerage', 'brokerage'],
  ['fee', 'fee'],
];
/** Words that make a following fee word mean "free" ("miễn phí", "không mất phí", "free of charge"). */
const FREE_BEFORE = new Set(['mien', 'free', 'no', 'zero', 'without', 'khong']);
const FEE_WINDOW = 10;

function near(hits: PhraseHit[] | undefined, wi: number, before: number, after: number): boolean {
  if (!hits) return false;
  for (const h of hits) if (h.wi >= wi - before && h.wi <= wi + after) return true;
  return false;
}

function overlaps(hits: PhraseHit[] | undefined, h: PhraseHit): boolean {
  if (!hits) return false;
  for (const o of hits) if (o !== h && o.wi <= h.wi && o.wj >= h.wj) return true;
  return false;
}

/** Index of the word that contains or follows normalised offset `pos`. */
function wordAt(n: NormalisedText, pos: number): number {
  let lo = 0;
  let hi = n.wordCount - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((n.wordEnds[mid] as number) <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function first(n: NormalisedText, hits: PhraseHit[] | undefined, extra = 0): string | undefined {
  const h = hits?.[0];
  return h ? hitEvidence(n, h, extra) : undefined;
}

/** Builds the structured offer from the normalised text and its phrase hits. */
export function extractOffer(n: NormalisedText, signals: Signals, rates: ExchangeRates): ExtractedOffer {
  const allPay = extractPay(n, rates);

  // Fee hits, minus the ones that say "free" or are part of "travel paid" phrases.
  const fees: Fee[] = [];
  const feeWords: number[] = [];
  const covered = [
    signals.travelPaid,
    signals.foodPaid,
    signals.lodgingPaid,
    signals.prepay,
    signals.brokerage,
  ];
  for (const [key, kind] of FEE_KINDS) {
    for (const h of signals[key] ?? []) {
      if (
        kind === 'fee' &&
        covered.some((c) => overlaps(c, h) || c?.some((o) => o.wi <= h.wi && o.wj > h.wi))
      )
        continue;
      // "miễn phí", "không mất phí", "không thu phí môi giới", "no fee", "free of charge".
      let negated = false;
      for (let k = Math.max(0, h.wi - 3); k < h.wi; k++) if (FREE_BEFORE.has(wordText(n, k))) negated = true;
      if (negated) continue;
      if (feeWords.some((w) => Math.abs(w - h.wi) <= 1)) continue;
      feeWords.push(h.wi);
      fees.push({
        kind,
        evidence: hitEvidence(n, h),
        upfront: near(signals.feeUpfront, h.wi, 4, FEE_WINDOW),
        toIndividual: near(signals.feeIndividual, h.wi, FEE_WINDOW, FEE_WINDOW),
        afterContract: near(signals.feeAfterContract, h.wi, FEE_WINDOW, FEE_WINDOW),
      });
    }
  }
  // An amount just after a fee word is the fee, not a pay promise.
  const pay: Pay[] = [];
  const payWordAt = (signals.payWord ?? []).map((h) => h.wi);
  for (const p of allPay) {
    const wi = wordAt(n, p.start);
    let feeIdx = -1;
    for (let k = 0; k < feeWords.length; k++) {
      const fw = feeWords[k] as number;
      if (fw < wi && wi - fw <= 6 && !payWordAt.some((pw) => pw > fw && pw < wi)) feeIdx = k;
    }
    const prepayNear = near(signals.prepay, wi, 6, 0) || near(signals.penalty, wi, 6, 0);
    if (feeIdx >= 0) {
      const f = fees[feeIdx] as Fee;
      f.amountUsd = p.usdMax;
      f.evidence = originalSpan(n, n.wordStarts[feeWords[feeIdx] as number] as number, p.end);
    } else if (!prepayNear) pay.push(p);
  }

  const destinations: Destination[] = [];
  const taken: PhraseHit[] = [];
  const addDest = (key: SignalKey, kind: DestinationKind) => {
    for (const h of signals[key] ?? []) {
      // "đi Nhật Bản" hits both "đi nhật" and "nhật bản": one place, counted once.
      if (taken.some((t) => t.wi < h.wj && h.wi < t.wj)) continue;
      taken.push(h);
      const w = wordText(n, h.wi);
      // "lào" folds to "lao", as in "lao động" and "Lào Cai": only a lone "lao" names Laos.
      if (key === 'laos' && w === 'lao' && h.wj - h.wi === 1) {
        const next = wordText(n, h.wj);
        if (next === 'dong' || next === 'cai' || next === 'bao' || next === 'vao') continue;
      }
      destinations.push({ name: key, kind, evidence: hitEvidence(n, h) });
    }
  };
  for (const k of RISKY) addDest(k, 'risky-country');
  addDest('compoundArea', 'compound-area');
  addDest('borderCrossing', 'border-crossing');
  addDest('otherCountry', 'other-country');
  addDest('abroad', 'abroad');

  const jobTypes: { type: JobType; evidence: string }[] = [];
  for (const [key, type] of JOB_TYPES) {
    const ev = first(n, signals[key]);
    if (ev !== undefined) jobTypes.push({ type, evidence: ev });
  }

  const documents: { issue: DocumentIssue; evidence: string }[] = [];
  const addDoc = (key: SignalKey, issue: DocumentIssue) => {
    const ev = first(n, signals[key]);
    if (ev !== undefined) documents.push({ issue, evidence: ev });
  };
  addDoc('passportKept', 'documents-kept');
  addDoc('touristVisa', 'tourist-visa');
  addDoc('noPassport', 'no-passport');
  addDoc('trailCrossing', 'trail-crossing');

  const age = extractAge(n);
  const requirements: ExtractedOffer['requirements'] = {};
  if (age.min !== undefined) requirements.ageMin = age.min;
  if (age.max !== undefined) requirements.ageMax = age.max;
  if (age.evidence) requirements.age = age.evidence;
  const setReq = (k: 'youth' | 'noExperience' | 'looks' | 'female', key: SignalKey) => {
    const ev = first(n, signals[key]);
    if (ev !== undefined) requirements[k] = ev;
  };
  setReq('youth', 'youth');
  setReq('noExperience', 'noExperience');
  setReq('looks', 'looks');
  setReq('female', 'female');

  const costsPaid: ExtractedOffer['costsPaid'] = {};
  const travel = first(n, signals.travelPaid);
  if (travel !== undefined) costsPaid.travel = travel;
  const food = first(n, signals.foodPaid);
  if (food !== undefined) costsPaid.food = food;
  const lodging = first(n, signals.lodgingPaid);
  if (lodging !== undefined) costsPaid.lodging = lodging;

  const company: ExtractedOffer['company'] = {};
  const comp = signals.company?.[0];
  if (comp) company.name = hitEvidence(n, comp, 5);
  // An address or licence counts only with a number next to it: "địa chỉ: số 12 ...", "GP số 123/LĐTBXH".
  for (const h of signals.address ?? []) {
    if (hasNumberWithin(n, h.wj, 5)) {
      company.address = hitEvidence(n, h, 6);
      break;
    }
  }
  for (const h of signals.licence ?? []) {
    if (hasNumberWithin(n, h.wj, 4)) {
      company.licence = hitEvidence(n, h, 3);
      break;
    }
  }

  const out: ExtractedOffer = {
    pay,
    destinations,
    jobTypes,
    costsPaid,
    fees,
    requirements,
    documents,
    contacts: extractContacts(n, signals),
    company,
  };
  const urgency = first(n, signals.urgency);
  if (urgency !== undefined) out.urgency = urgency;
  const secrecy = first(n, signals.secrecy);
  if (secrecy !== undefined) out.secrecy = secrecy;
  const advance = first(n, signals.advance);
  if (advance !== undefined) out.advance = advance;
  const contract = first(n, signals.contract);
  if (contract !== undefined) out.contract = contract;
  const official = first(n, signals.official);
  if (official !== undefined) out.official = official;
  else {
    const gov = out.contacts.domains.find((d) => d.endsWith('.gov.vn'));
    if (gov) out.official = gov;
  }
  return out;
}

function hasNumberWithin(n: NormalisedText, from: number, count: number): boolean {
  for (let i = from; i < Math.min(n.wordCount, from + count); i++) {
    for (let k = n.wordStarts[i] as number; k < (n.wordEnds[i] as number); k++)
      if (isDigitCode(n.text.charCodeAt(k))) return true;
  }
  return false;
}
