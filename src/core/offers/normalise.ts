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
  /** Words of `text` in order. */
  words: NormalWord[];
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
  ['knghiem', 'kinh nghiem'],
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
  ['hchieu', 'ho chieu'],
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

class Builder {
  chars: number[] = [];
  s: number[] = [];
  e: number[] = [];
  push(code: number, s: number, e: number): void {
    this.chars.push(code);
    this.s.push(s);
    this.e.push(e);
  }
  pushString(str: string, s: number, e: number): void {
    for (let i = 0; i < str.length; i++) this.push(str.charCodeAt(i), s, e);
  }
  get length(): number {
    return this.chars.length;
  }
  last(): number {
    return this.chars.length ? (this.chars[this.chars.length - 1] as number) : -1;
  }
}

function isAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c > 127;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
const SPACE = 32;

/** Pass 1: fold each char, drop invisibles, turn emoji and noise into spaces, collapse repeats. */
function foldPass(original: string): Builder {
  const b = new Builder();
  let i = 0;
  const n = original.length;
  while (i < n) {
    const cp = original.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    let code = cp > 0xffff ? foldAstral(cp) : (TABLE[cp] as number);
    if (code === DROP) {
      // Keep the dropped char inside the span of the previous output char so quotes stay whole.
      if (b.length) b.e[b.length - 1] = i + width;
      i += width;
      continue;
    }
    if (code === KEEP) code = String.fromCodePoint(cp).toLowerCase().codePointAt(0) ?? SEP;
    if (code === SEP) {
      if (b.length && b.last() !== SPACE) b.push(SPACE, i, i + width);
    } else if (!isAlnum(code) && code === b.last()) {
      // Repeated punctuation ("!!!", "...", "---") counts once.
      b.e[b.length - 1] = i + width;
    } else {
      b.push(code, i, i + width);
    }
    i += width;
  }
  return b;
}

type Chunk = { a: number; z: number }; // [a, z) in pass-1 chars

function chunkText(chars: number[]): string {
  return String.fromCharCode(...chars);
}

/** A chunk that is one letter, possibly with punctuation around it ("v.", "-i-"). */
function singleLetter(chars: number[], c: Chunk): number {
  let letter = -1;
  for (let k = c.a; k < c.z; k++) {
    const ch = chars[k] as number;
    if (isAlnum(ch)) {
      if (letter !== -1 || isDigit(ch)) return -1;
      letter = k;
    }
  }
  return letter;
}

function hasAlnum(chars: number[], c: Chunk): boolean {
  for (let k = c.a; k < c.z; k++) if (isAlnum(chars[k] as number)) return true;
  return false;
}

/** Letters of a chunk like "v.i.e.c" or "l-u-o-n-g", or undefined if it is not split that way. */
function dottedLetters(chars: number[], c: Chunk): number[] | undefined {
  const idx: number[] = [];
  let expectLetter = true;
  for (let k = c.a; k < c.z; k++) {
    const ch = chars[k] as number;
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

/**
 * Normalises a text for matching. Pure and allocation-light: one table lookup per char, one pass
 * over the chunks for split letters and teencode.
 */
export function normalise(input: string, segment: Segmenter = NO_SEGMENTER): NormalisedText {
  const original = input.normalize('NFC');
  const p1 = foldPass(original);
  const chars = p1.chars;
  // Chunks are runs between spaces.
  const chunks: Chunk[] = [];
  let a = -1;
  for (let k = 0; k <= chars.length; k++) {
    const ch = k < chars.length ? (chars[k] as number) : SPACE;
    if (ch === SPACE) {
      if (a !== -1) chunks.push({ a, z: k });
      a = -1;
    } else if (a === -1) a = k;
  }

  const out = new Builder();
  const words: NormalWord[] = [];
  let prevWasNumber = false;
  const emitSpace = (s: number, e: number) => {
    if (out.length && out.last() !== SPACE) out.push(SPACE, s, e);
  };
  const emitWord = (w: string, s: number, e: number) => {
    const start = out.length;
    out.pushString(w, s, e);
    words.push({ w, s: start, e: out.length });
  };

  let ci = 0;
  while (ci < chunks.length) {
    const c = chunks[ci] as Chunk;
    // Split letters: a run of >= 3 single-letter chunks, or one chunk like "v.i.e.c".
    // Pure-punctuation chunks inside the run are allowed ("v . i . e . c").
    const runIdx: number[] = [];
    let run = 0;
    let runEnd = ci;
    for (let r = ci; r < chunks.length; r++) {
      const ck = chunks[r] as Chunk;
      const letter = singleLetter(chars, ck);
      if (letter !== -1) {
        runIdx.push(letter);
        run = r - ci + 1;
        runEnd = r;
      } else if (!(runIdx.length && !hasAlnum(chars, ck))) break;
    }
    const isRun = runIdx.length >= 3;
    const dotted = isRun ? undefined : dottedLetters(chars, c);
    if (isRun || dotted) {
      const idx: number[] = isRun ? runIdx : (dotted as number[]);
      const last: Chunk = isRun ? (chunks[runEnd] as Chunk) : c;
      const joined = String.fromCharCode(...idx.map((k) => chars[k] as number));
      const s = p1.s[c.a] as number;
      const e = p1.e[last.z - 1] as number;
      emitSpace(s, s);
      const pieces = segment(joined) ?? [joined];
      // Each piece maps to the whole split span: good enough to quote, never wrong.
      for (let p = 0; p < pieces.length; p++) {
        if (p > 0) out.push(SPACE, s, e);
        emitWord(pieces[p] as string, s, e);
      }
      ci += isRun ? run : 1;
      prevWasNumber = false;
      continue;
    }
    emitSpace(p1.s[c.a] as number, p1.s[c.a] as number);
    // Within a chunk: words (alnum runs) and the symbols between them.
    let k = c.a;
    while (k < c.z) {
      const ch = chars[k] as number;
      if (!isAlnum(ch)) {
        out.push(ch, p1.s[k] as number, p1.e[k] as number);
        k++;
        continue;
      }
      let z = k;
      while (z < c.z && isAlnum(chars[z] as number)) z++;
      const w = chunkText(chars.slice(k, z));
      const s = p1.s[k] as number;
      const e = p1.e[z - 1] as number;
      const hashtag = k > 0 && chars[k - 1] === 35; // '#'
      const afterNum = prevWasNumber && k === c.a ? AFTER_NUMBER.get(w) : undefined;
      let replacement = afterNum ?? TEENCODE.get(w);
      if (replacement === undefined && w === 'k') replacement = 'khong';
      if (replacement === undefined && hashtag && w.length >= 6) {
        const pieces = segment(w);
        if (pieces && pieces.length > 1) replacement = pieces.join(' ');
      }
      if (replacement !== undefined) {
        const parts = replacement.split(' ');
        for (let p = 0; p < parts.length; p++) {
          if (p > 0) out.push(SPACE, s, e);
          emitWord(parts[p] as string, s, e);
        }
      } else {
        const start = out.length;
        for (let q = k; q < z; q++) out.push(chars[q] as number, p1.s[q] as number, p1.e[q] as number);
        words.push({ w, s: start, e: out.length });
      }
      prevWasNumber = isDigit(chars[z - 1] as number);
      k = z;
    }
    ci++;
  }
  if (out.last() === SPACE) {
    out.chars.pop();
    out.s.pop();
    out.e.pop();
  }
  return {
    original,
    text: chunkTextLarge(out.chars),
    starts: Int32Array.from(out.s),
    ends: Int32Array.from(out.e),
    words,
  };
}

function chunkTextLarge(chars: number[]): string {
  let s = '';
  for (let i = 0; i < chars.length; i += 4096) s += String.fromCharCode(...chars.slice(i, i + 4096));
  return s;
}

/** The original words behind normalised span [a, b): what evidence quotes. */
export function originalSpan(n: NormalisedText, a: number, b: number): string {
  if (b <= a || a >= n.text.length) return '';
  const s = n.starts[a] as number;
  const e = n.ends[Math.min(b, n.text.length) - 1] as number;
  return n.original.slice(s, e).trim();
}
