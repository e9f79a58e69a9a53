import { type NormalisedText, type NormalWord, normalise } from './normalise.js';

/** A phrase found in a normalised text: its key and its word range [wi, wj). */
export type PhraseHit<K extends string = string> = { key: K; wi: number; wj: number };

/** A trie over words: each node lists the keys of phrases ending there and its children. */
type Node<K> = {
  keys: K[];
  next: Map<string, Node<K>>;
  /** `*`: any word. */
  any?: Node<K>;
  /** `#`: a number. */
  num?: Node<K>;
  /** `word*`: prefix children. */
  prefixes?: [string, Node<K>][];
};

/** Matches many phrases at once, walking a word trie from every word. */
export type PhraseMatcher<K extends string> = {
  match(n: NormalisedText): PhraseHit<K>[];
  /** Every word the phrases use: the segmenter's vocabulary. */
  vocabulary(): Set<string>;
};

function node<K>(): Node<K> {
  return { keys: [], next: new Map() };
}

function child<K>(n: Node<K>, tok: string): Node<K> {
  if (tok === '*') {
    n.any ??= node();
    return n.any;
  }
  if (tok === '#') {
    n.num ??= node();
    return n.num;
  }
  if (tok.length > 1 && tok.endsWith('*')) {
    n.prefixes ??= [];
    const prefix = tok.slice(0, -1);
    const found = n.prefixes.find(([p]) => p === prefix);
    if (found) return found[1];
    const c = node<K>();
    n.prefixes.push([prefix, c]);
    return c;
  }
  let c = n.next.get(tok);
  if (!c) {
    c = node();
    n.next.set(tok, c);
  }
  return c;
}

function isNumberWord(w: string): boolean {
  const c = w.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/**
 * Compiles phrase lists once. Phrases are written in plain Vietnamese or English, with or without
 * diacritics; they go through the same normaliser as messages so both sides fold the same way.
 * In a phrase, `*` matches any one word, `#` a number, and `word*` any word with that prefix.
 */
export function compilePhrases<K extends string>(lists: Record<K, readonly string[]>): PhraseMatcher<K> {
  const root = node<K>();
  const vocab = new Set<string>();
  for (const key of Object.keys(lists) as K[]) {
    for (const phrase of lists[key]) {
      const tokens = phrase
        .split(' ')
        .flatMap((t) =>
          t === '*' || t === '#' || t.endsWith('*') ? [t] : normalise(t).words.map((w) => w.w),
        );
      if (!tokens.length) continue;
      let n = root;
      for (const t of tokens) {
        if (!t.includes('*') && t !== '#') vocab.add(t);
        n = child(n, t);
      }
      if (!n.keys.includes(key)) n.keys.push(key);
    }
  }
  const walk = (n: Node<K>, words: NormalWord[], start: number, j: number, hits: PhraseHit<K>[]) => {
    for (const key of n.keys) hits.push({ key, wi: start, wj: j });
    const w = words[j];
    if (!w) return;
    const c = n.next.get(w.w);
    if (c) walk(c, words, start, j + 1, hits);
    if (n.any) walk(n.any, words, start, j + 1, hits);
    if (n.num && isNumberWord(w.w)) walk(n.num, words, start, j + 1, hits);
    if (n.prefixes)
      for (const [p, pc] of n.prefixes) if (w.w.startsWith(p)) walk(pc, words, start, j + 1, hits);
  };
  return {
    vocabulary: () => new Set(vocab),
    match(n: NormalisedText): PhraseHit<K>[] {
      const hits: PhraseHit<K>[] = [];
      const words = n.words;
      const rootSpecial = root.any !== undefined || root.num !== undefined || root.prefixes !== undefined;
      for (let i = 0; i < words.length; i++) {
        if (rootSpecial) walk(root, words, i, i, hits);
        else {
          // Fast path: most words start no phrase, one map lookup rejects them.
          const c = root.next.get((words[i] as NormalWord).w);
          if (c) walk(c, words, i, i + 1, hits);
        }
      }
      return hits;
    },
  };
}
