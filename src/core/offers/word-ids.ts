/**
 * A fixed vocabulary with a number for each word, looked up straight from a span of a string.
 * The phrase matcher walks its trie by these numbers: no string is cut out of the message per
 * word, and no string hash is computed for each fresh slice (which a Map keyed by words would do).
 */

/** Id of every word outside the vocabulary. */
export const UNKNOWN_WORD = 0;

/** FNV-1a over the UTF-16 code units of text[start, end). */
function hashSpan(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class WordIds {
  /** Open addressing, linear probing: each slot holds id + 1, or 0 when empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Word of each id; index 0 is UNKNOWN_WORD. */
  private readonly words: string[] = [''];

  constructor(vocabulary: Iterable<string>) {
    const unique = [...new Set(vocabulary)].filter((w) => w.length > 0);
    // At most a quarter full: probes stay short and misses (most words) end at an empty slot fast.
    let size = 16;
    while (size < unique.length * 4) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (const w of unique) {
      let slot = hashSpan(w, 0, w.length) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.words.push(w);
      this.slots[slot] = this.words.length;
    }
  }

  /** Number of ids, UNKNOWN_WORD included. */
  get size(): number {
    return this.words.length;
  }

  /** Id of text[start, end), or UNKNOWN_WORD. */
  idOfSpan(text: string, start: number, end: number): number {
    const len = end - start;
    let slot = hashSpan(text, start, end) & this.mask;
    for (;;) {
      const entry = this.slots[slot] as number;
      if (entry === 0) return UNKNOWN_WORD;
      const id = entry - 1;
      const w = this.words[id] as string;
      if (w.length === len && sameChars(w, text, start)) return id;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Id of a whole word, or UNKNOWN_WORD. */
  idOf(word: string): number {
    return this.idOfSpan(word, 0, word.length);
  }
}

function sameChars(word: string, text: string, start: number): boolean {
  for (let k = 0; k < word.length; k++) if (word.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  return true;
}
