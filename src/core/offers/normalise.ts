/**
 * Normalisation of forwarded job offers for matching. Real lures dodge keyword filters with
 * look-alike letters, invisible characters, teencode, no diacritics and letters split by dots or
 * emoji; every trick here undoes one of those. The output keeps, for each normalised character,
 * the span of the original text it came from, so that evidence always quotes the sender's words.
 */

/** One word of the normalised text: letters and digits only, with its span in `text`. */
export type NormalWord = { w: string; s: number; e: number };

/** The normalised form of a text and the way back to the original. */
export type NormalisedText = {
  /** The input after Unicode NFC: the text evidence quotes. */
  original: string;
  /** Lowercase, diacritic-free, look-alikes folded, teencode expanded, single spaces. */
  text: string;
  /** For each char of `text`, the start offset of its source in `original`. */
  starts: Int32Array;
  /** For each char of `text`, the end offset (exclusive) of its source in `original`. */
  ends: Int32Array;
  /**
   * Words of `text` in order, as spans [wordStarts[i], wordEnds[i]) of `text`. Typed arrays rather
   * than one object and one string per word: a 1 KB message has ~230 words, and the checker reads
   * most of them only by their first char or through the phrase matcher's word ids.
   */
  wordCount: number;
  wordStarts: Int32Array;
  wordEnds: Int32Array;
};

// Table codes: SEP turns into a space, DROP vanishes, KEEP keeps the lowercased char itself.
const SEP = 0;
const DROP = 1;
const KEEP = 2;
/** Symbols that carry meaning for pay, ranges, links and handles; everything else separates. */
const KEPT_SYMBOLS = '$/.,-+@:%~#&€£¥_';

const LOOKALIKES: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  μ: 'u',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  ω: 'w',
  ζ: 'z',
  // Greek capitals that look unlike their lowercase forms
  Υ: 'y',
  Η: 'h',
  Ν: 'n',
  Β: 'b',
  Ρ: 'p',
  Χ: 'x',
  Μ: 'm',
  // Vietnamese d with stroke does not decompose under NFD
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ø: 'o',
  ß: 's',
  '₫': 'd',
};

function isInvisible(cp: number): boolean {
  return (
    cp === 0x00ad ||
    cp === 0x034f ||
    cp === 0x061c ||
    cp === 0x180e ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0xfeff ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x20d0 && cp <= 0x20ff)
  );
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MARKS = /\p{M}/gu;

/** Fold one code point to a table code (SEP, DROP, KEEP or an output char code). */
function foldCodePoint(cp: number): number {
  if (isInvisible(cp)) return DROP;
  const ch = String.fromCodePoint(cp);
  const lower = ch.toLowerCase();
  const look = LOOKALIKES[ch] ?? LOOKALIKES[lower];
  if (look !== undefined) return look.charCodeAt(0);
  if (KEPT_SYMBOLS.includes(ch)) return cp;
  const folded = ch.normalize('NFKD').replace(MARKS, '').toLowerCase();
  if (folded.length === 1) {
    const c = folded.charCodeAt(0);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return c;
    if (KEPT_SYMBOLS.includes(folded)) return c;
    const look2 = LOOKALIKES[folded];
    if (look2 !== undefined) return look2.charCodeAt(0);
  }
  if (LETTER_OR_DIGIT.test(ch)) return KEEP;
  return SEP;
}

// Built once at load (a few ms) so that normalising a message is one table lookup per char.
const TABLE = new Uint16Array(0x10000);
for (let cp = 0; cp < 0x10000; cp++) {
  TABLE[cp] = cp >= 0xd800 && cp <= 0xdfff ? SEP : foldCodePoint(cp);
}
const ASTRAL_CACHE = new Map<number, number>();
function foldAstral(cp: number): number {
  let v = ASTRAL_CACHE.get(cp);
  if (v === undefined) {
    // Only mathematical alphanumerics are letters people use to dodge filters; emoji separate.
    v = cp >= 0x1d400 && cp <= 0x1d7ff ? foldCodePoint(cp) : SEP;
    if (v === KEEP) v = SEP;
    ASTRAL_CACHE.set(cp, v);
  }
  return v;
}

/** Teencode and abbreviations, in folded form. Context-dependent ones are handled in code. */
const TEENCODE: ReadonlyMap<string, string> = new Map([
  ['ko', 'khong'],
  ['k0', 'khong'],
  ['hok', 'khong'],
  ['khg', 'khong'],
  ['kh0ng', 'khong'],
  ['dc', 'duoc'],
  ['lg', 'luong'],
  ['cty', 'cong ty'],
  ['ib', 'inbox'],
  ['inb', 'inbox'],
  ['cskh', 'cham soc khach hang'],
  ['xkld', 'xuat khau lao dong'],
  ['cpc', 'campuchia'],
  ['nv', 'nhan vien'],
  ['ctv', 'cong tac vien'],
  ['sdt', 'so dien thoai'],
  ['dt', 'dien thoai'],
  ['kn', 'kinh nghiem'],
  ['vs', 'voi'],
  ['j', 'gi'],
  ['ng', 'nguoi'],
  ['nc', 'nuoc'],
  ['thg', 'thang'],
  ['thag', 'thang'],
  ['lm', 'lam'],
  ['tele', 'telegram'],
  ['fb', 'facebook'],
  ['zl', 'zalo'],
  ['tnhap', 'thu nhap'],
  ['bn', 'bao nhieu'],
  ['vnd', 'vnd'],
]);

/** Words that after a number mean a multiplier, not teencode ("25 k", "25 tr", "2 củ"). */
const AFTER_NUMBER: ReadonlyMap<string, string> = new Map([
  ['k', 'nghin'],
  ['tr', 'trieu'],
  ['cu', 'trieu'],
  ['chai', 'trieu'],
  ['lit', 'trieu'],
]);

/**
 * A growable buffer of chars with, for each, the span of the original it came from. Typed arrays
 * reused across calls keep normalising allocation-free; the module is single-threaded, and
 * `normalise` copies out what it returns, so reuse is safe.
 */
const UTF16 = new TextDecoder('utf-16le');

class Buffer {
  c = new Uint16Array(4096);
  s = new Int32Array(4096);
  e = new Int32Array(4096);
  length = 0;
  reset(): void {
    this.length = 0;
  }
  /** Makes room for `n` chars in total, so pushes need no bounds check. */
  ensure(n: number): void {
    while (this.c.length < n) this.grow();
  }
  push(code: number, s: number, e: number): void {
    if (this.length === this.c.length) this.grow();
    this.c[this.length] = code;
    this.s[this.length] = s;
    this.e[this.length] = e;
    this.length++;
  }
  pushString(str: string, s: number, e: number): void {
    for (let i = 0; i < str.length; i++) this.push(str.charCodeAt(i), s, e);
  }
  last(): number {
    return this.length ? (this.c[this.length - 1] as number) : -1;
  }
  pop(): void {
    this.length--;
  }
  grow(): void {
    const n = this.c.length * 2;
    const c = new Uint16Array(n);
    c.set(this.c);
    const s = new Int32Array(n);
    s.set(this.s);
    const e = new Int32Array(n);
    e.set(this.e);
    this.c = c;
    this.s = s;
    this.e = e;
  }
}

function isAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c > 127;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
const SPACE = 32;

const P1 = new Buffer();
const OUT = new Buffer();

/**
 * Chunks of the folded text, the runs between spaces, as [chunkA[i], chunkZ[i]): found while
 * folding, so no second pass looks for spaces. Scratch, reused like the buffers.
 */
let chunkA = new Int32Array(1024);
let chunkZ = new Int32Array(1024);

/**
 * Pass 1: fold each char, drop invisibles, turn emoji and noise into spaces, collapse repeats.
 * Returns the number of chunks written to chunkA/chunkZ.
 */
function foldPass(original: string, b: Buffer): number {
  const n = original.length;
  b.ensure(n + 1);
  // At most one chunk per two folded chars, and there are at most n of those.
  if (chunkA.length < n + 2) {
    chunkA = new Int32Array(n * 2 + 2);
    chunkZ = new Int32Array(n * 2 + 2);
  }
  let nChunks = 0;
  const oc = b.c;
  const os = b.s;
  const oe = b.e;
  let len = 0;
  let last = -1;
  let i = 0;
  while (i < n) {
    const cu = original.charCodeAt(i);
    let width = 1;
    let code: number;
    if (cu >= 0xd800 && cu <= 0xdbff && i + 1 < n) {
      width = 2;
      code = foldAstral(original.codePointAt(i) as number);
    } else code = TABLE[cu] as number;
    if (code === DROP) {
      // Keep the dropped char inside the span of the previous output char so quotes stay whole.
      if (len) oe[len - 1] = i + width;
      i += width;
      continue;
    }
    if (code === KEEP) code = String.fromCharCode(cu).toLowerCase().charCodeAt(0);
    if (code === SEP) {
      if (len && last !== SPACE) {
        chunkZ[nChunks++] = len;
        oc[len] = SPACE;
        os[len] = i;
        oe[len] = i + width;
        len++;
        last = SPACE;
      }
    } else if (code === last && !isAlnum(code)) {
      // Repeated punctuation ("!!!", "...", "---") counts once.
      oe[len - 1] = i + width;
    } else {
      if (last === SPACE || len === 0) chunkA[nChunks] = len;
      oc[len] = code;
      os[len] = i;
      oe[len] = i + width;
      len++;
      last = code;
    }
    i += width;
  }
  if (len && last !== SPACE) chunkZ[nChunks++] = len;
  b.length = len;
  return nChunks;
}

/** Index of the single letter in chunk [a, z), or -1 ("v", "v.", "-i-" are single letters). */
function singleLetter(c: Uint16Array, a: number, z: number): number {
  if (z - a > 3) return -1;
  let letter = -1;
  for (let k = a; k < z; k++) {
    const ch = c[k] as number;
    if (isAlnum(ch)) {
      if (letter !== -1 || isDigit(ch)) return -1;
      letter = k;
    }
  }
  return letter;
}

function hasAlnum(c: Uint16Array, a: number, z: number): boolean {
  for (let k = a; k < z; k++) if (isAlnum(c[k] as number)) return true;
  return false;
}

/** Letters of a chunk like "v.i.e.c" or "l-u-o-n-g", or undefined if it is not split that way. */
function dottedLetters(c: Uint16Array, a: number, z: number): number[] | undefined {
  // Cheap reject: a split chunk alternates letter and separator, so its second char is a separator.
  if (z - a < 5 || isAlnum(c[a + 1] as number)) return undefined;
  const idx: number[] = [];
  let expectLetter = true;
  for (let k = a; k < z; k++) {
    const ch = c[k] as number;
    if (isAlnum(ch)) {
      if (!expectLetter || isDigit(ch)) return undefined;
      idx.push(k);
      expectLetter = false;
    } else {
      if (expectLetter && idx.length) return undefined;
      expectLetter = true;
    }
  }
  return idx.length >= 3 ? idx : undefined;
}

/**
 * Vocabulary used to split words that a split-letter trick glued together ("luongcao").
 * Filled by the checker with every word its phrases use, so the two stay in step.
 */
export type Segmenter = (joined: string) => string[] | undefined;

/** Builds a greedy longest-first segmenter over a vocabulary of words. */
export function createSegmenter(vocabulary: Iterable<string>): Segmenter {
  const vocab = new Set<string>();
  let maxLen = 0;
  for (const v of vocabulary) {
    if (v.length < 2) continue;
    vocab.add(v);
    if (v.length > maxLen) maxLen = v.length;
  }
  return (joined: string) => {
    if (vocab.has(joined)) return [joined];
    // Depth-first, longest piece first: short inputs only (split runs and hashtags), so cheap.
    const out: string[] = [];
    const go = (pos: number): boolean => {
      if (pos === joined.length) return true;
      for (let len = Math.min(maxLen, joined.length - pos); len >= 2; len--) {
        const piece = joined.slice(pos, pos + len);
        if (vocab.has(piece)) {
          out.push(piece);
          if (go(pos + len)) return true;
          out.pop();
        }
      }
      return false;
    };
    return joined.length <= 40 && go(0) ? out : undefined;
  };
}

const NO_SEGMENTER: Segmenter = () => undefined;

// Scratch index buffers, grown on demand and reused: no per-call array growth.
let wordS = new Int32Array(1024);
let wordE = new Int32Array(1024);

/**
 * A number for a word of up to 5 chars of [a-z0-9], so teencode lookups need no string; 37^5 stays
 * a small integer, which V8 keeps unboxed. 0 when the word cannot be a teencode key.
 */
function wordKey(c: Uint16Array, a: number, z: number): number {
  if (z - a > 5) return 0;
  let key = 0;
  for (let k = a; k < z; k++) {
    const ch = c[k] as number;
    const d = ch >= 97 && ch <= 122 ? ch - 96 : ch >= 48 && ch <= 57 ? ch - 21 : -1;
    if (d < 0) return 0;
    key = key * 37 + d;
  }
  return key;
}
function stringKey(w: string): number {
  const c = new Uint16Array(w.length);
  for (let i = 0; i < w.length; i++) c[i] = w.charCodeAt(i);
  return wordKey(c, 0, w.length);
}
const TEENCODE_KEYS = new Map<number, string>([...TEENCODE].map(([k, v]) => [stringKey(k), v]));
const AFTER_NUMBER_KEYS = new Map<number, string>([...AFTER_NUMBER].map(([k, v]) => [stringKey(k), v]));
const K_KEY = stringKey('k');
// Nearly every short word is no teencode key: a bit per key residue rejects it without a Map probe.
const KEY_FILTER_MASK = 0xfff;
const KEY_FILTER = new Uint8Array(KEY_FILTER_MASK + 1);
for (const k of [...TEENCODE_KEYS.keys(), ...AFTER_NUMBER_KEYS.keys(), K_KEY])
  KEY_FILTER[k & KEY_FILTER_MASK] = 1;

/**
 * Normalises a text for matching. Pure: one table lookup per char, one pass over the chunks for
 * split letters and teencode, scratch buffers reused between calls.
 */
export function normalise(input: string, segment: Segmenter = NO_SEGMENTER): NormalisedText {
  return normaliseShared(input, segment, true);
}

/**
 * Like `normalise`, but with `copy` false the offset maps and word spans are views of scratch
 * buffers, valid only until the next call: for the checker, which reads them before it returns.
 */
export function normaliseShared(input: string, segment: Segmenter, copy: boolean): NormalisedText {
  const original = input.normalize('NFC');
  const nChunks = foldPass(original, P1);
  const chars = P1.c;
  const ps = P1.s;
  const pe = P1.e;
  const p1len = P1.length;
  // Words: at most one per char, and teencode adds some.
  if (wordS.length < p1len * 4 + 64) {
    wordS = new Int32Array(p1len * 4 + 64);
    wordE = new Int32Array(p1len * 4 + 64);
  }
  let nWords = 0;

  const out = OUT;
  out.reset();
  // Teencode grows text ("cskh" -> 19 chars); 4x plus slack is more than any expansion needs.
  out.ensure(p1len * 4 + 64);
  // Most of the output is pass 1's buffer as it is: words, symbols and the spaces between chunks,
  // char for char. Those parts are fixed up in place there (the spans of the spaces, "2O" digits)
  // and copied to OUT in bulk, [copyFrom, read position), only when something of another length
  // (teencode, a hashtag split, split letters) is written to OUT after them. A text without such
  // a word is never copied: its output is pass 1's buffer itself.
  let copied = false;
  let copyFrom = 0;
  let len = 0;
  let lastOut = -1;
  let prevWasNumber = false;

  let ci = 0;
  while (ci < nChunks) {
    const ca = chunkA[ci] as number;
    const cz = chunkZ[ci] as number;
    // Split letters: a run of >= 3 single-letter chunks ("l ư ơ n g"), pure-punctuation chunks
    // allowed inside ("v . i . e . c"), or one chunk like "v.i.e.c".
    let runIdx: number[] | undefined;
    let runEnd = ci;
    if (cz - ca <= 3 && singleLetter(chars, ca, cz) !== -1) {
      runIdx = [];
      for (let r = ci; r < nChunks; r++) {
        const ra = chunkA[r] as number;
        const rz = chunkZ[r] as number;
        const letter = singleLetter(chars, ra, rz);
        if (letter !== -1) {
          runIdx.push(letter);
          runEnd = r;
        } else if (hasAlnum(chars, ra, rz)) break;
      }
      if (runIdx.length < 3) runIdx = undefined;
    }
    const idx = runIdx ?? dottedLetters(chars, ca, cz);
    if (len && lastOut !== SPACE) {
      // The space pass 1 left before this chunk, now spanning nothing, at the chunk's start.
      ps[ca - 1] = ps[ca] as number;
      pe[ca - 1] = ps[ca] as number;
      len++;
      lastOut = SPACE;
    } else if (len) {
      // Output already ends in a space: pass 1's space is not copied.
      flushTo(ca - 1, copyFrom, len);
      copied = true;
      copyFrom = ca;
    } else copyFrom = ca;
    if (idx) {
      flushTo(ca, copyFrom, len);
      copied = true;
      let joined = '';
      for (const k of idx) joined += String.fromCharCode(chars[k] as number);
      const s = ps[ca] as number;
      const e = pe[(runIdx ? (chunkZ[runEnd] as number) : cz) - 1] as number;
      const pieces = segment(joined) ?? [joined];
      // Each piece maps to the whole split span: good enough to quote, never wrong.
      for (let p = 0; p < pieces.length; p++) {
        if (p > 0) len = outPush(len, SPACE, s, e);
        const piece = pieces[p] as string;
        wordS[nWords] = len;
        for (let q = 0; q < piece.length; q++) len = outPush(len, piece.charCodeAt(q), s, e);
        wordE[nWords++] = len;
      }
      lastOut = OUT.c[len - 1] as number;
      ci = runIdx ? runEnd + 1 : ci + 1;
      copyFrom = runIdx ? (chunkZ[runEnd] as number) : cz;
      prevWasNumber = false;
      continue;
    }
    // Within a chunk: words (alnum runs) and the symbols between them.
    let k = ca;
    while (k < cz) {
      const ch = chars[k] as number;
      if (!isAlnum(ch)) {
        len++;
        lastOut = ch;
        k++;
        continue;
      }
      let z = k;
      while (z < cz && isAlnum(chars[z] as number)) z++;
      let replacement: string | undefined;
      const key = wordKey(chars, k, z);
      if (key !== 0 && KEY_FILTER[key & KEY_FILTER_MASK] === 1) {
        if (prevWasNumber && k === ca) replacement = AFTER_NUMBER_KEYS.get(key);
        if (replacement === undefined) replacement = TEENCODE_KEYS.get(key);
        if (replacement === undefined && key === K_KEY) replacement = 'khong';
      }
      if (replacement === undefined && z - k >= 6 && k > 0 && chars[k - 1] === 35) {
        // A hashtag glues words together: "#vieclamcampuchia".
        let w = '';
        for (let q = k; q < z; q++) w += String.fromCharCode(chars[q] as number);
        const pieces = segment(w);
        if (pieces && pieces.length > 1) replacement = pieces.join(' ');
      }
      // Read before the in-place "2O" fix below can turn a final "o" into "0".
      prevWasNumber = isDigit(chars[z - 1] as number);
      if (replacement !== undefined) {
        flushTo(k, copyFrom, len);
        copied = true;
        copyFrom = z;
        const s = ps[k] as number;
        const e = pe[z - 1] as number;
        wordS[nWords] = len;
        for (let q = 0; q < replacement.length; q++) {
          const rc = replacement.charCodeAt(q);
          if (rc === SPACE) {
            wordE[nWords++] = len;
            wordS[nWords] = len + 1;
          }
          len = outPush(len, rc, s, e);
          lastOut = rc;
        }
        wordE[nWords++] = len;
      } else {
        // "2O-25 triệu": a letter O inside a number is a zero.
        if (isDigit(chars[k] as number)) for (let q = k; q < z; q++) if (chars[q] === 111) chars[q] = 48;
        wordS[nWords] = len;
        len += z - k;
        wordE[nWords++] = len;
        lastOut = chars[z - 1] as number;
      }
      k = z;
    }
    ci++;
  }
  if (copied && nChunks) flushTo(chunkZ[nChunks - 1] as number, copyFrom, len);
  if (len && lastOut === SPACE) len--;
  const oc = copied ? out.c : chars;
  const os = copied ? out.s : ps;
  const oe = copied ? out.e : pe;
  // UTF-16 code units decode natively; far faster than String.fromCharCode over the buffer.
  const text = UTF16.decode(oc.subarray(0, len));
  const starts = copy ? os.slice(0, len) : os.subarray(0, len);
  const ends = copy ? oe.slice(0, len) : oe.subarray(0, len);
  const wordStarts = copy ? wordS.slice(0, nWords) : wordS.subarray(0, nWords);
  const wordEnds = copy ? wordE.slice(0, nWords) : wordE.subarray(0, nWords);
  return { original, text, starts, ends, wordCount: nWords, wordStarts, wordEnds };
}

/**
 * Copies pass 1's chars [from, to), fixed up in place, to OUT so that they end at OUT offset `len`:
 * the part of the output that came out char for char since the last write to OUT.
 */
function flushTo(to: number, from: number, len: number): void {
  if (to <= from) return;
  const at = len - (to - from);
  OUT.c.set(P1.c.subarray(from, to), at);
  OUT.s.set(P1.s.subarray(from, to), at);
  OUT.e.set(P1.e.subarray(from, to), at);
}

/** Writes one char and its span to OUT at `len`; returns the new length. */
function outPush(len: number, c: number, s: number, e: number): number {
  OUT.c[len] = c;
  OUT.s[len] = s;
  OUT.e[len] = e;
  return len + 1;
}

/** Word `i` of a normalised text, or '' past the end. */
export function wordText(n: NormalisedText, i: number): string {
  return i >= 0 && i < n.wordCount ? n.text.slice(n.wordStarts[i], n.wordEnds[i]) : '';
}

/** Every word with its span, as objects: for callers that want a list rather than speed. */
export function normalWords(n: NormalisedText): NormalWord[] {
  const out: NormalWord[] = [];
  for (let i = 0; i < n.wordCount; i++) {
    const s = n.wordStarts[i] as number;
    const e = n.wordEnds[i] as number;
    out.push({ w: n.text.slice(s, e), s, e });
  }
  return out;
}

/** The original words behind normalised span [a, b): what evidence quotes. */
export function originalSpan(n: NormalisedText, a: number, b: number): string {
  if (b <= a || a >= n.text.length) return '';
  const s = n.starts[a] as number;
  const e = n.ends[Math.min(b, n.text.length) - 1] as number;
  return n.original.slice(s, e).trim();
}
