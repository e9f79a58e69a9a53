import { type NormalisedText, type NormalWord, normalise } from './normalise.js';

/** A phrase found in a normalised text: its key and its word range [wi, wj). */
export type PhraseHit<K extends string = string> = { key: K; wi: number; wj: number };

type Compiled<K> = { key: K; tokens: string[] };

/** Matches many phrases at once, word by word, with one map lookup per word. */
export type PhraseMatcher<K extends string> = {
  match(n: NormalisedText): PhraseHit<K>[];
  /** Every word the phrases use: the segmenter's vocabulary. */
  vocabulary(): Set<string>;
};

const NUMBER = /^\d/;

function tokenMatches(tok: string, word: NormalWord): boolean {
  if (tok === word.w) return true;
  if (tok === '*') return true;
  if (tok === '#') return NUMBER.test(word.w);
  if (tok.length > 1 && tok.endsWith('*')) return word.w.startsWith(tok.slice(0, -1));
  return false;
}

/**
 * Compiles phrase lists once. Phrases are written in plain Vietnamese or English, with or without
 * diacritics; they go through the same normaliser as messages so both sides fold the same way.
 * In a phrase, `*` matches any one word, `#` a number, and `word*` any word with that prefix.
 */
export function compilePhrases<K extends string>(lists: Record<K, readonly string[]>): PhraseMatcher<K> {
  const byFirst = new Map<string, Compiled<K>[]>();
  const prefixFirst: Compiled<K>[] = [];
  const vocab = new Set<string>();
  for (const key of Object.keys(lists) as K[]) {
    for (const phrase of lists[key]) {
      const tokens = phrase
        .split(' ')
        .flatMap((t) =>
          t === '*' || t === '#' || t.endsWith('*') ? [t] : normalise(t).words.map((w) => w.w),
        );
      if (!tokens.length) continue;
      for (const t of tokens) if (!t.includes('*') && t !== '#') vocab.add(t);
      const first = tokens[0] as string;
      const entry = { key, tokens };
      if (first === '*' || first === '#' || first.endsWith('*')) prefixFirst.push(entry);
      else {
        const list = byFirst.get(first);
        if (list) list.push(entry);
        else byFirst.set(first, [entry]);
      }
    }
  }
  return {
    vocabulary: () => new Set(vocab),
    match(n: NormalisedText): PhraseHit<K>[] {
      const hits: PhraseHit<K>[] = [];
      const words = n.words;
      for (let i = 0; i < words.length; i++) {
        const w = words[i] as NormalWord;
        const cands = byFirst.get(w.w);
        if (cands) tryAll(cands, words, i, hits);
        if (prefixFirst.length) tryAll(prefixFirst, words, i, hits);
      }
      return hits;
    },
  };
}

function tryAll<K extends string>(
  cands: Compiled<K>[],
  words: NormalWord[],
  i: number,
  hits: PhraseHit<K>[],
) {
  for (const c of cands) {
    const len = c.tokens.length;
    if (i + len > words.length) continue;
    let ok = true;
    for (let j = 0; j < len; j++) {
      if (!tokenMatches(c.tokens[j] as string, words[i + j] as NormalWord)) {
        ok = false;
        break;
      }
    }
    if (ok) hits.push({ key: c.key, wi: i, wj: i + len });
  }
}
