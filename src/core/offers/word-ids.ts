/**
 * A fixed vocabulary with a number for each word, looked up straight from a span of a string.
 * The phrase matcher walks its trie by these numbers: no string is cut out of the message per
 * word. The lookup walks a table-driven automaton over the vocabulary's letters, so a word that no
 * vocabulary word starts like is rejected at its first unknown prefix, and a known word needs no
 * hash and no second comparison.
 */

/** Id of every word outside the vocabulary. */
export const UNKNOWN_WORD = 0;

/** State 0 is dead (no vocabulary word continues this way); state 1 is the empty prefix. */
const DEAD = 0;
const ROOT = 1;

export class WordIds {
  /** Class of each UTF-16 code unit: 0 for chars no vocabulary word has. */
  private readonly charClass = new Uint8Array(0x10000);
  /** Row width of `next`: one column per char class, class 0 included. */
  private readonly width: number;
  /** next[state * width + class]: the state after reading a char of that class. */
  private readonly next: Int32Array;
  /** Word id of the vocabulary word ending in each state, or UNKNOWN_WORD. */
  private readonly wordAt: Int32Array;
  private readonly count: number;

  constructor(vocabulary: Iterable<string>) {
    const unique = [...new Set(vocabulary)].filter((w) => w.length > 0);
    let classes = 0;
    for (const w of unique)
      for (let i = 0; i < w.length; i++) {
        const c = w.charCodeAt(i);
        if (this.charClass[c] === 0) {
          if (classes === 255) throw new RangeError('vocabulary uses more than 255 distinct chars');
          this.charClass[c] = ++classes;
        }
      }
    this.width = classes + 1;
    // Build with growable rows, then pack: the number of states is the number of distinct prefixes.
    const rows: number[][] = [[], []];
    const ends: number[] = [UNKNOWN_WORD, UNKNOWN_WORD];
    unique.forEach((w, index) => {
      let state = ROOT;
      for (let i = 0; i < w.length; i++) {
        const row = rows[state] as number[];
        const cls = this.charClass[w.charCodeAt(i)] as number;
        let to = row[cls] ?? DEAD;
        if (to === DEAD) {
          to = rows.length;
          rows.push([]);
          ends.push(UNKNOWN_WORD);
          row[cls] = to;
        }
        state = to;
      }
      ends[state] = index + 1;
    });
    this.next = new Int32Array(rows.length * this.width);
    rows.forEach((row, state) => {
      row.forEach((to, cls) => {
        this.next[state * this.width + cls] = to;
      });
    });
    this.wordAt = Int32Array.from(ends);
    this.count = unique.length + 1;
  }

  /** Number of ids, UNKNOWN_WORD included. */
  get size(): number {
    return this.count;
  }

  /** Id of text[start, end), or UNKNOWN_WORD. */
  idOfSpan(text: string, start: number, end: number): number {
    const next = this.next;
    const width = this.width;
    const charClass = this.charClass;
    let state = ROOT;
    for (let i = start; i < end; i++) {
      state = next[state * width + (charClass[text.charCodeAt(i)] as number)] as number;
      if (state === DEAD) return UNKNOWN_WORD;
    }
    return this.wordAt[state] as number;
  }

  /** Id of a whole word, or UNKNOWN_WORD. */
  idOf(word: string): number {
    return this.idOfSpan(word, 0, word.length);
  }
}
