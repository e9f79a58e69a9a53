import { ContentError } from '../../errors.js';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../locale.js';
import type { OfferFlagCatalogue, Severity } from './catalogue.js';
import { type ExchangeRates, type ExtractedOffer, extractOffer, type Signals } from './extract.js';
import { EXCLUDE_NEXT, LEXICON, type SignalKey } from './lexicon.js';
import { createSegmenter, normaliseShared } from './normalise.js';
import { compilePhrases, type PhraseHit } from './phrase-matcher.js';
import { detectOffer, FLAG_IDS, type FlagId, findNotes, NOTE_IDS, type NoteId, raiseFlags } from './rules.js';
import { type OfferLevel, scoreFlags } from './score.js';

export type { OfferLevel } from './score.js';

/** One raised red flag with the original words that raised it. */
export type AssessedFlag = { id: FlagId; severity: Severity; evidence: string };

/** The checker's answer for one text. Language-neutral: explain() turns it into words. */
export type OfferAssessment = {
  /** False when the text is not a job offer at all; `level` is then `none`. */
  isOffer: boolean;
  level: OfferLevel;
  /** 0..1, from the flags' severities. */
  score: number;
  /** Most severe first. */
  flags: AssessedFlag[];
  /** Signs that look right, to verify anyway; they never lower the level. */
  notes: { id: NoteId; evidence: string }[];
  /** What the rules read from the text. */
  offer: ExtractedOffer;
  locale: Locale;
};

const EXCLUDE = new Map(Object.entries(EXCLUDE_NEXT) as [SignalKey, readonly string[]][]);

/** Shared and never written: a key gets its own array on its first hit. */
const NO_HITS: PhraseHit<SignalKey>[] = [];

/**
 * A literal with every signal key in a fixed order: V8 gives it one fast hidden class, where an
 * object filled key by key in a loop would fall back to slow dictionary properties.
 */
function emptySignals(): Required<Signals> {
  return {
    recruit: NO_HITS,
    job: NO_HITS,
    payWord: NO_HITS,
    warning: NO_HITS,
    reassurance: NO_HITS,
    abroad: NO_HITS,
    cambodia: NO_HITS,
    myanmar: NO_HITS,
    laos: NO_HITS,
    thailand: NO_HITS,
    philippines: NO_HITS,
    compoundArea: NO_HITS,
    borderCrossing: NO_HITS,
    otherCountry: NO_HITS,
    jobOnline: NO_HITS,
    jobHostess: NO_HITS,
    jobMarriage: NO_HITS,
    jobTask: NO_HITS,
    prepay: NO_HITS,
    jobPacking: NO_HITS,
    jobCtv: NO_HITS,
    jobLabourExport: NO_HITS,
    jobManual: NO_HITS,
    highPayClaim: NO_HITS,
    easyJob: NO_HITS,
    noExperience: NO_HITS,
    travelPaid: NO_HITS,
    foodPaid: NO_HITS,
    lodgingPaid: NO_HITS,
    advance: NO_HITS,
    commission: NO_HITS,
    fee: NO_HITS,
    deposit: NO_HITS,
    penalty: NO_HITS,
    brokerage: NO_HITS,
    feeUpfront: NO_HITS,
    feeIndividual: NO_HITS,
    feeAfterContract: NO_HITS,
    passportKept: NO_HITS,
    touristVisa: NO_HITS,
    noPassport: NO_HITS,
    trailCrossing: NO_HITS,
    secrecy: NO_HITS,
    urgency: NO_HITS,
    looks: NO_HITS,
    female: NO_HITS,
    youth: NO_HITS,
    chatContact: NO_HITS,
    contract: NO_HITS,
    licence: NO_HITS,
    official: NO_HITS,
    address: NO_HITS,
    company: NO_HITS,
    apply: NO_HITS,
  };
}

/** A compiled checker. `check` is pure and synchronous. */
export type OfferChecker = { check(text: string, locale?: Locale): OfferAssessment };

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
/** Texts longer than this are cut: forwarded offers are short, and the check must stay fast. */
export const MAX_TEXT_CHARS = 20_000;

/**
 * Compiles the phrase lists once and checks that the catalogue has text for every flag and note
 * the rules can raise, in every locale, with one severity per flag.
 */
export function createOfferChecker(catalogue: OfferFlagCatalogue, rates: ExchangeRates): OfferChecker {
  const severity = new Map<FlagId, Severity>();
  for (const id of FLAG_IDS) {
    for (const loc of LOCALES) {
      const entry = catalogue[loc].flags.get(id);
      if (!entry) throw new ContentError(`offer flag "${id}" has no ${loc} text in offer-flags.yaml`);
      const prev = severity.get(id);
      if (prev && prev !== entry.severity)
        throw new ContentError(`offer flag "${id}" has different severities`);
      severity.set(id, entry.severity);
    }
  }
  for (const id of NOTE_IDS) {
    for (const loc of LOCALES) {
      if (!catalogue[loc].notes.get(id)) throw new ContentError(`offer note "${id}" has no ${loc} text`);
    }
  }
  if (!rates.perUsd['USD'] || !rates.perUsd['VND']) throw new ContentError('exchange rates need USD and VND');
  const matcher = compilePhrases(LEXICON);
  const segmenter = createSegmenter(matcher.vocabulary());

  return {
    check(text: string, locale: Locale = DEFAULT_LOCALE): OfferAssessment {
      // Shared offset buffers: every evidence quote is taken before this call returns.
      const n = normaliseShared(
        text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text,
        segmenter,
        false,
      );
      // Same keys in the same order every time: one hidden class, fast property access.
      const signals = emptySignals();
      // Hits arrive ordered by start word, shorter before longer at the same start. Within one
      // signal, a hit inside a longer one ("bao vé" in "bao vé máy bay") is dropped.
      for (const h of matcher.match(n)) {
        const exclude = EXCLUDE.get(h.key);
        if (exclude?.includes(n.words[h.wj]?.w ?? '')) continue;
        const list = signals[h.key] as PhraseHit<SignalKey>[];
        if (list === NO_HITS) {
          signals[h.key] = [h];
          continue;
        }
        const last = list[list.length - 1] as PhraseHit<SignalKey>;
        if (last.wi === h.wi) list[list.length - 1] = h;
        else if (last.wj < h.wj) list.push(h);
      }
      const offer = extractOffer(n, signals, rates);
      const isOffer = detectOffer(signals, offer);
      const raised = isOffer ? raiseFlags(n, signals, offer) : [];
      const flags: AssessedFlag[] = raised.map((f) => ({
        id: f.id,
        severity: severity.get(f.id) as Severity,
        evidence: f.evidence,
      }));
      flags.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
      const { score, level } = scoreFlags(
        flags.map((f) => f.severity),
        isOffer,
      );
      return { isOffer, level, score, flags, notes: isOffer ? findNotes(signals, offer) : [], offer, locale };
    },
  };
}
