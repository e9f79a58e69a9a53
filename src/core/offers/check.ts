import { ContentError } from '../../errors.js';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../locale.js';
import type { OfferFlagCatalogue, Severity } from './catalogue.js';
import { type ExchangeRates, type ExtractedOffer, extractOffer, type Signals } from './extract.js';
import { EXCLUDE_NEXT, LEXICON, type SignalKey } from './lexicon.js';
import { createSegmenter, normalise } from './normalise.js';
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

const SIGNAL_KEYS = Object.keys(LEXICON) as SignalKey[];
const EXCLUDE = new Map(Object.entries(EXCLUDE_NEXT) as [SignalKey, readonly string[]][]);

/** Shared and never written: a key gets its own array on its first hit. */
const NO_HITS: PhraseHit<SignalKey>[] = [];

function emptySignals(): Signals {
  const s: Signals = {};
  for (const k of SIGNAL_KEYS) s[k] = NO_HITS;
  return s;
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
      const n = normalise(text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text, segmenter);
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
