import { ContentError } from '../../errors.js';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../locale.js';
import type { OfferFlagCatalogue, Severity } from './catalogue.js';
import { type ExchangeRates, type ExtractedOffer, extractOffer, type Signals } from './extract.js';
import { EXCLUDE_NEXT, LEXICON, type SignalKey } from './lexicon.js';
import { createSegmenter, normaliseShared, wordText } from './normalise.js';
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

type Hits = PhraseHit<SignalKey>[];

/**
 * Each signal key's number: its place in LEXICON. compilePhrases numbers keys in the same
 * Object.keys order of the same object, so a hit's keyId is its SIGNAL_ID.
 */
const SIGNAL_KEYS = Object.keys(LEXICON) as SignalKey[];
const SIGNAL_ID = Object.fromEntries(SIGNAL_KEYS.map((k, i) => [k, i])) as Record<SignalKey, number>;

/** Words that, right after a signal's phrase, cancel it; by signal id. */
const EXCLUDE_BY_ID: (readonly string[] | undefined)[] = SIGNAL_KEYS.map((k) => EXCLUDE_NEXT[k]);

/** Shared and never written: a key gets its own array on its first hit. */
const NO_HITS: Hits = [];

/**
 * Hits per signal id while one text is read. Reused: `check` is synchronous, and the lists in it
 * are copied out into the signals object before it returns.
 */
const HITS_BY_ID: Hits[] = SIGNAL_KEYS.map(() => NO_HITS);

/**
 * The hits as a literal with every signal key in a fixed order: V8 gives it one fast hidden
 * class, where an object filled key by key (`signals[key] = ...`) would make every store a slow
 * lookup by name.
 */
function signalsFrom(lists: Hits[]): Required<Signals> {
  return {
    recruit: lists[SIGNAL_ID.recruit] as Hits,
    job: lists[SIGNAL_ID.job] as Hits,
    payWord: lists[SIGNAL_ID.payWord] as Hits,
    warning: lists[SIGNAL_ID.warning] as Hits,
    reassurance: lists[SIGNAL_ID.reassurance] as Hits,
    abroad: lists[SIGNAL_ID.abroad] as Hits,
    cambodia: lists[SIGNAL_ID.cambodia] as Hits,
    myanmar: lists[SIGNAL_ID.myanmar] as Hits,
    laos: lists[SIGNAL_ID.laos] as Hits,
    thailand: lists[SIGNAL_ID.thailand] as Hits,
    philippines: lists[SIGNAL_ID.philippines] as Hits,
    compoundArea: lists[SIGNAL_ID.compoundArea] as Hits,
    borderCrossing: lists[SIGNAL_ID.borderCrossing] as Hits,
    otherCountry: lists[SIGNAL_ID.otherCountry] as Hits,
    jobOnline: lists[SIGNAL_ID.jobOnline] as Hits,
    jobHostess: lists[SIGNAL_ID.jobHostess] as Hits,
    jobMarriage: lists[SIGNAL_ID.jobMarriage] as Hits,
    jobTask: lists[SIGNAL_ID.jobTask] as Hits,
    prepay: lists[SIGNAL_ID.prepay] as Hits,
    jobPacking: lists[SIGNAL_ID.jobPacking] as Hits,
    jobCtv: lists[SIGNAL_ID.jobCtv] as Hits,
    jobLabourExport: lists[SIGNAL_ID.jobLabourExport] as Hits,
    jobManual: lists[SIGNAL_ID.jobManual] as Hits,
    highPayClaim: lists[SIGNAL_ID.highPayClaim] as Hits,
    easyJob: lists[SIGNAL_ID.easyJob] as Hits,
    noExperience: lists[SIGNAL_ID.noExperience] as Hits,
    travelPaid: lists[SIGNAL_ID.travelPaid] as Hits,
    foodPaid: lists[SIGNAL_ID.foodPaid] as Hits,
    lodgingPaid: lists[SIGNAL_ID.lodgingPaid] as Hits,
    advance: lists[SIGNAL_ID.advance] as Hits,
    commission: lists[SIGNAL_ID.commission] as Hits,
    fee: lists[SIGNAL_ID.fee] as Hits,
    deposit: lists[SIGNAL_ID.deposit] as Hits,
    penalty: lists[SIGNAL_ID.penalty] as Hits,
    brokerage: lists[SIGNAL_ID.brokerage] as Hits,
    feeUpfront: lists[SIGNAL_ID.feeUpfront] as Hits,
    feeIndividual: lists[SIGNAL_ID.feeIndividual] as Hits,
    feeAfterContract: lists[SIGNAL_ID.feeAfterContract] as Hits,
    passportKept: lists[SIGNAL_ID.passportKept] as Hits,
    touristVisa: lists[SIGNAL_ID.touristVisa] as Hits,
    noPassport: lists[SIGNAL_ID.noPassport] as Hits,
    trailCrossing: lists[SIGNAL_ID.trailCrossing] as Hits,
    secrecy: lists[SIGNAL_ID.secrecy] as Hits,
    urgency: lists[SIGNAL_ID.urgency] as Hits,
    looks: lists[SIGNAL_ID.looks] as Hits,
    female: lists[SIGNAL_ID.female] as Hits,
    youth: lists[SIGNAL_ID.youth] as Hits,
    chatContact: lists[SIGNAL_ID.chatContact] as Hits,
    contract: lists[SIGNAL_ID.contract] as Hits,
    licence: lists[SIGNAL_ID.licence] as Hits,
    official: lists[SIGNAL_ID.official] as Hits,
    address: lists[SIGNAL_ID.address] as Hits,
    company: lists[SIGNAL_ID.company] as Hits,
    apply: lists[SIGNAL_ID.apply] as Hits,
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
      // Hits arrive ordered by start word, shorter before longer at the same start. Within one
      // signal, a hit inside a longer one ("bao vé" in "bao vé máy bay") is dropped.
      const lists = HITS_BY_ID;
      lists.fill(NO_HITS);
      for (const h of matcher.match(n)) {
        const exclude = EXCLUDE_BY_ID[h.keyId];
        if (exclude?.includes(wordText(n, h.wj))) continue;
        const list = lists[h.keyId] as Hits;
        if (list === NO_HITS) {
          lists[h.keyId] = [h];
          continue;
        }
        const last = list[list.length - 1] as PhraseHit<SignalKey>;
        if (last.wi === h.wi) list[list.length - 1] = h;
        else if (last.wj < h.wj) list.push(h);
      }
      const signals = signalsFrom(lists);
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
