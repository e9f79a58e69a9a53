import { normalise, normalWords } from './normalise.js';

/**
 * Near-duplicate fingerprints of forwarded offers.
 *
 * MinHash rather than SimHash: a forwarded lure is short (20-80 words), and SimHash over so few
 * features swings many bits when two or three words change, so its Hamming threshold is noisy.
 * MinHash estimates the Jaccard similarity of the shingle sets directly, which makes the match
 * threshold readable ("half the word pairs are shared"), and LSH bands over the signature give a
 * cheap candidate lookup in Redis (one set per band value) before the exact signature comparison.
 *
 * Contacts (phone numbers, @handles, links) are removed before shingling, so the same lure with a
 * new phone number still matches, and every number becomes one token, so "30 triệu" and
 * "35 triệu" share their word pairs.
 */

/** Hash functions in a signature. 64 keeps the Jaccard estimate within about ±0.06. */
export const SIGNATURE_SIZE = 64;
/** Rows per LSH band: 32 bands of 2 rows find pairs from Jaccard ≈0.25 up with high probability. */
export const BAND_ROWS = 2;
export const BAND_COUNT = SIGNATURE_SIZE / BAND_ROWS;
/**
 * Estimated Jaccard at or above which two offers are "the same offer". Tuned on
 * test/corpus/offer-pairs.jsonl (see src/eval/offer-memory.ts): edits of one lure (new phone,
 * reworded pay, emoji, reordered lines, half forwarded, words reworded) score 0.39-1, different
 * lures, even of the same genre and place, at most 0.22. The cut sits between the two groups,
 * with room for the estimate's noise (about ±0.06 with 64 hashes) on both sides.
 */
export const MATCH_THRESHOLD = 0.35;
/** Below this many shingles a text is too short to fingerprint safely ("ok", "lương cao"). */
export const MIN_SHINGLES = 6;

/** A text's fingerprint: its MinHash signature and the LSH band keys derived from it. */
export type OfferFingerprint = { signature: number[]; bands: string[] };

const URL_RE =
  /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|vn|net|org|me|ly|io|info|xyz|top|cc|co|link|site|online)(?:\/\S*)?/giu;
const HANDLE_RE = /@[\p{L}\p{N}_.]{2,}/gu;
// Digits with spaces, dots or dashes between them, 8 digits or more: phone numbers as people write them.
const PHONE_RE = /\+?\d(?:[\s.\-()]{0,2}\d){7,}/g;

/** Removes phone numbers, @handles and links: the parts that change while the lure stays the same. */
export function stripContacts(text: string): string {
  return text.replace(URL_RE, ' ').replace(HANDLE_RE, ' ').replace(PHONE_RE, ' ');
}

/** The normalised words of a text without contacts, every number folded to one token. */
export function shingleWords(text: string): string[] {
  return normalWords(normalise(stripContacts(text))).map((w) => (/\d/.test(w.w) ? '#' : w.w));
}

/** Word pairs (2-shingles) as a set: short texts need short shingles to survive small edits. */
export function shingles(text: string): Set<string> {
  const words = shingleWords(text);
  const out = new Set<string>();
  for (let i = 0; i + 1 < words.length; i++) out.add(`${words[i]} ${words[i + 1]}`);
  return out;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** MurmurHash3's finaliser: spreads a seeded 32-bit value into an independent-looking hash. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const SEEDS: number[] = Array.from({ length: SIGNATURE_SIZE }, (_, i) => fmix32(0x9e3779b9 * (i + 1)));

/** The MinHash signature of a text, or undefined when the text is too short to compare. */
export function fingerprint(text: string): OfferFingerprint | undefined {
  const set = shingles(text);
  if (set.size < MIN_SHINGLES) return undefined;
  const signature = new Array<number>(SIGNATURE_SIZE).fill(0xffffffff);
  for (const s of set) {
    const base = fnv1a(s);
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const v = fmix32(base ^ (SEEDS[i] as number));
      if (v < (signature[i] as number)) signature[i] = v;
    }
  }
  return { signature, bands: bandKeys(signature) };
}

/** LSH band keys: band index and a hash of its rows, e.g. "7:1a2b3c4d". */
export function bandKeys(signature: readonly number[]): string[] {
  const out: string[] = [];
  for (let b = 0; b < BAND_COUNT; b++) {
    const rows = signature.slice(b * BAND_ROWS, (b + 1) * BAND_ROWS).join(',');
    out.push(`${b}:${fnv1a(rows).toString(16).padStart(8, '0')}`);
  }
  return out;
}

/** Estimated Jaccard similarity of two signatures (share of equal positions). */
export function similarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** The most similar candidate at or above the threshold, if any. */
export function bestMatch<T extends { signature: readonly number[] }>(
  signature: readonly number[],
  candidates: readonly T[],
  threshold = MATCH_THRESHOLD,
): { candidate: T; similarity: number } | undefined {
  let best: { candidate: T; similarity: number } | undefined;
  for (const c of candidates) {
    const s = similarity(signature, c.signature);
    if (s >= threshold && (!best || s > best.similarity)) best = { candidate: c, similarity: s };
  }
  return best;
}

/** A stable cluster id for the first offer of a cluster: "c" and 16 hex digits. */
export function clusterIdOf(signature: readonly number[]): string {
  const a = fnv1a(signature.slice(0, 32).join(','));
  const b = fnv1a(signature.slice(32).join(','));
  return `c${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

/** Signature to and from its stored form (comma-separated base-36). */
export function encodeSignature(signature: readonly number[]): string {
  return signature.map((n) => n.toString(36)).join(',');
}
export function decodeSignature(s: string): number[] {
  return s.split(',').map((x) => Number.parseInt(x, 36));
}
