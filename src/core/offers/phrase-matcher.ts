import { type NormalisedText, normalise, normalWords } from './normalise.js';
import { UNKNOWN_WORD, WordIds } from './word-ids.js';

/**
 * A phrase found in a normalised text: its key, the key's number (its place in the phrase lists,
 * for callers that index arrays by it) and its word range [wi, wj).
 */
export type PhraseHit<K extends string = string> = { key: K; keyId: number; wi: number; wj: number };

/** A trie over words: each node lists the keys of phrases ending there and its children. */
type Node<K> = {
  keys: K[];
  keyIds: number[];
  /** Children by word id (see WordIds). */
  next: Map<number, Node<K>>;
  /**
   * The same children as two lists, filled once the trie is built: nearly every node has at most
   * one child, and a short scan answers faster than a Map.
   */
  childIds: number[];
  children: Node<K>[];
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
  /** The keys in id order: `keys[hit.keyId] === hit.key`. */
  readonly keys: readonly K[];
};

function node<K>(): Node<K> {
  return { keys: [], keyIds: [], next: new Map(), childIds: [], children: [] };
}

/** Above this many children a node's Map beats scanning its list. */
const SCAN_CHILDREN_MAX = 8;

function childByWord<K>(n: Node<K>, id: number): Node<K> | undefined {
  const ids = n.childIds;
  if (ids.length > SCAN_CHILDREN_MAX) return n.next.get(id);
  for (let k = 0; k < ids.length; k++) if (ids[k] === id) return n.children[k];
  return undefined;
}

/** Fills every node's child lists from its Map, once the trie is complete. */
function listChildren<K>(n: Node<K>): void {
  n.childIds = [...n.next.keys()];
  n.children = [...n.next.values()];
  for (const c of n.children) listChildren(c);
  if (n.any) listChildren(n.any);
  if (n.num) listChildren(n.num);
  for (const [, c] of n.prefixes ?? []) listChildren(c);
}

function child<K>(n: Node<K>, tok: string, ids: WordIds): Node<K> {
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
  const id = ids.idOf(tok);
  let c = n.next.get(id);
  if (!c) {
    c = node();
    n.next.set(id, c);
  }
  return c;
}

function startsWithAt(text: string, start: number, end: number, prefix: string): boolean {
  if (end - start < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++)
    if (text.charCodeAt(start + k) !== prefix.charCodeAt(k)) return false;
  return true;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Word ids of the last text matched, reused: the matcher runs once per message, synchronously. */
let scratchIds = new Int32Array(1024);

/**
 * Compiles phrase lists once. Phrases are written in plain Vietnamese or English, with or without
 * diacritics; they go through the same normaliser as messages so both sides fold the same way.
 * In a phrase, `*` matches any one word, `#` a number, and `word*` any word with that prefix.
 */
export function compilePhrases<K extends string>(lists: Record<K, readonly string[]>): PhraseMatcher<K> {
  const keys = Object.keys(lists) as K[];
  const phrases: { keyId: number; tokens: string[] }[] = [];
  const vocab = new Set<string>();
  keys.forEach((key, keyId) => {
    for (const phrase of lists[key]) {
      const tokens = phrase
        .split(' ')
        .flatMap((t) =>
          t === '*' || t === '#' || t.endsWith('*') ? [t] : normalWords(normalise(t)).map((w) => w.w),
        );
      if (!tokens.length) continue;
      for (const t of tokens) if (!t.includes('*') && t !== '#') vocab.add(t);
      phrases.push({ keyId, tokens });
    }
  });
  const ids = new WordIds(vocab);
  const root = node<K>();
  for (const { keyId, tokens } of phrases) {
    let n = root;
    for (const t of tokens) n = child(n, t, ids);
    if (!n.keyIds.includes(keyId)) {
      n.keyIds.push(keyId);
      n.keys.push(keys[keyId] as K);
    }
  }
  listChildren(root);
  const walk = (
    n: Node<K>,
    text: NormalisedText,
    wordIds: Int32Array,
    start: number,
    j: number,
    hits: PhraseHit<K>[],
  ) => {
    for (let k = 0; k < n.keys.length; k++)
      hits.push({ key: n.keys[k] as K, keyId: n.keyIds[k] as number, wi: start, wj: j });
    if (j >= text.wordCount) return;
    const id = wordIds[j] as number;
    if (id !== UNKNOWN_WORD) {
      const c = childByWord(n, id);
      if (c) walk(c, text, wordIds, start, j + 1, hits);
    }
    if (n.any) walk(n.any, text, wordIds, start, j + 1, hits);
    const ws = text.wordStarts[j] as number;
    if (n.num && isDigitCode(text.text.charCodeAt(ws))) walk(n.num, text, wordIds, start, j + 1, hits);
    if (n.prefixes) {
      const we = text.wordEnds[j] as number;
      for (const [p, pc] of n.prefixes)
        if (startsWithAt(text.text, ws, we, p)) walk(pc, text, wordIds, start, j + 1, hits);
    }
  };
  const rootSpecial = root.any !== undefined || root.num !== undefined || root.prefixes !== undefined;
  // Every word is tried as a phrase start: an array by word id answers faster than the root's Map.
  const startsById: (Node<K> | null)[] = new Array<Node<K> | null>(ids.size).fill(null);
  for (const [id, c] of root.next) startsById[id] = c;
  return {
    keys,
    vocabulary: () => new Set(vocab),
    match(n: NormalisedText): PhraseHit<K>[] {
      const hits: PhraseHit<K>[] = [];
      const count = n.wordCount;
      if (scratchIds.length < count) scratchIds = new Int32Array(count * 2);
      const wordIds = scratchIds;
      for (let i = 0; i < count; i++)
        wordIds[i] = ids.idOfSpan(n.text, n.wordStarts[i] as number, n.wordEnds[i] as number);
      for (let i = 0; i < count; i++) {
        if (rootSpecial) walk(root, n, wordIds, i, i, hits);
        else {
          // Fast path: most words start no phrase.
          const c = startsById[wordIds[i] as number];
          if (c) walk(c, n, wordIds, i, i + 1, hits);
        }
      }
      return hits;
    },
  };
}
