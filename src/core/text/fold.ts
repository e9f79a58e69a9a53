/**
 * Text folding for matching what people actually type: with or without diacritics, in teencode,
 * with stretched letters ("cứuuu") and hidden characters. The output is plain ASCII-ish words
 * separated by single spaces, so that matchers can be written once, without diacritics.
 */

// Zero-width characters, bidi controls, soft hyphens and BOMs (Unicode "format" characters) are
// invisible but split words, so they go; control characters (tabs, newlines) become word breaks.
const INVISIBLE = /\p{Cf}/gu;
const CONTROL = /\p{Cc}/gu;
const COMBINING = /[\u0300-\u036f]/g;
// A run of 3 or more of the same letter is never spelling in vi or en: it is emphasis ("cứuuu", "helppp").
const STRETCHED = /(\p{L})\1{2,}/gu;
// Digit grouping inside numbers ("3.000", "3,000") must not split the number into two tokens.
const DIGIT_GROUP = /(\d)[.,](?=\d{3}\b)/g;
// Everything that is neither a letter, a digit nor a sign we match on becomes a word break.
const SEPARATORS = /[^\p{L}\p{N}$]+/gu;
const HAS_VI_DIACRITIC = /[ăâđêôơưạảãàáặẳẵằắậẩẫầấẹẻẽèéệểễềếịỉĩìíọỏõòóộổỗồốợởỡờớụủũùúựửữừứỵỷỹỳý]/;

/** Teencode written with diacritics: matched before folding, because folding makes them ambiguous. */
const BEFORE_FOLD: Record<string, string> = {
  hông: 'không',
  hổng: 'không',
  hok: 'không',
  kô: 'không',
  hôk: 'không',
  hem: 'không',
  đc: 'được',
  đk: 'được',
  đx: 'được',
  đg: 'đang',
  đt: 'điện thoại',
  zề: 'về',
  zới: 'với',
  zậy: 'vậy',
  wê: 'quê',
};

/** Teencode and common typos, keyed by the folded token. Safe in both languages. */
const AFTER_FOLD: Record<string, string> = {
  ko: 'khong',
  k: 'khong',
  kh: 'khong',
  khg: 'khong',
  kg: 'khong',
  hok: 'khong',
  hk: 'khong',
  hong: 'khong',
  hem: 'khong',
  khog: 'khong',
  khng: 'khong',
  kong: 'khong',
  dc: 'duoc',
  dk: 'duoc',
  duoc: 'duoc',
  dx: 'duoc',
  mik: 'minh',
  mk: 'minh',
  mh: 'minh',
  bj: 'bay gio',
  bh: 'bay gio',
  cty: 'cong ty',
  ct: 'cong ty',
  vs: 'voi',
  zoi: 'voi',
  zay: 'vay',
  ze: 've',
  wa: 'qua',

  ngta: 'nguoi ta',
  ntn: 'nhu the nao',
  trc: 'truoc',
  ms: 'moi',
  nx: 'nua',
  cx: 'cung',
  cg: 'cung',
  lm: 'lam',
  bik: 'biet',
  pik: 'biet',
  thik: 'thich',

  fai: 'phai',
  dt: 'dien thoai',
  dth: 'dien thoai',
  dthoai: 'dien thoai',
  ck: 'chong',
  vk: 'vo',
  cj: 'chi',
  ae: 'anh em',
  dg: 'dang',
  kp: 'khong phai',
  hc: 'hoc',
  ns: 'noi',
  hs: 'hoc sinh',
  tui: 'toi',
  cpc: 'campuchia',
  pls: 'please',
  plz: 'please',
  plss: 'please',
  cant: 'can t',
  cannot: 'can not',
  wont: 'won t',
  dont: 'don t',
  ive: 'i ve',
  theyre: 'they re',
  passpost: 'passport',
  pasport: 'passport',
  passprot: 'passport',
  hochieu: 'ho chieu',
};

/** Short tokens that only mean the Vietnamese word when the text around them is Vietnamese. */
const VI_ONLY: Record<string, string> = {
  e: 'em',
  a: 'anh',
  t: 'toi',
  j: 'gi',
  r: 'roi',
  bn: 'ban',
  ng: 'nguoi',
  ph: 'phai',
  bit: 'biet',
};

/** Short tokens that only mean the English word when the text around them is not Vietnamese. */
const EN_ONLY: Record<string, string> = {
  u: 'you',
  ur: 'your',
  im: 'i m',
};

// Common Vietnamese words without diacritics: lets a diacritic-free message count as Vietnamese.
const VI_HINTS = new Set([
  'toi',
  'em',
  'minh',
  'khong',
  'ko',
  'bi',
  'cua',
  'la',
  'duoc',
  'dc',
  'nguoi',
  'con',
  'voi',
  'cho',
  've',
  'roi',
  'oi',
  'nha',
  'dang',
  'lam',
  'gi',
  'anh',
  'chi',
  'di',
  'o',
  'cuu',
  'giup',
  'nhung',
  'nay',
  'mk',
  'mik',
]);

// English words that really end in a doubled letter: keep them when trimming stretched endings.
const KEEP_FINAL_DOUBLE = new Set([
  'egg',
  'inn',
  'err',
  'add',
  'odd',
  'mm',
  'hmm',
  'ahh',
  'shh',
  'brr',
  'gg',
]);
const TRIM_FINAL_DOUBLE = /([aihkmprcyvbjqwxgntd])\1$/;

function foldDiacritics(token: string): string {
  return token.normalize('NFD').replace(COMBINING, '').replace(/đ/g, 'd');
}

function looksVietnamese(lowered: string, tokens: string[]): boolean {
  if (HAS_VI_DIACRITIC.test(lowered)) return true;
  let hits = 0;
  for (const t of tokens) {
    if (VI_HINTS.has(t) && ++hits >= 2) return true;
  }
  return false;
}

/**
 * Folds text for matching: NFC, invisible characters removed, lowercase, Vietnamese diacritics
 * removed (đ -> d), stretched letters shortened, punctuation turned into single spaces, and
 * teencode expanded ("ko" -> "khong", "dc" -> "duoc", "mik" -> "minh"; "e", "a", "t", "j" only when
 * the message reads as Vietnamese). Pure and deterministic.
 */
export function foldText(text: string): string {
  const lowered = text
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(CONTROL, ' ')
    .toLowerCase()
    .replace(STRETCHED, '$1$1')
    .replace(DIGIT_GROUP, '$1');
  const raw = lowered.split(SEPARATORS).filter((t) => t.length > 0);
  const tokens = raw.map((rawToken) => {
    const before = BEFORE_FOLD[rawToken];
    let token = foldDiacritics(before ?? rawToken).replace(STRETCHED, '$1$1');
    if (token.length > 2 && !KEEP_FINAL_DOUBLE.has(token)) token = token.replace(TRIM_FINAL_DOUBLE, '$1');
    // Only a token typed without diacritics is teencode: "hỏng" (broken) must not become "không".
    return { token, ascii: before === undefined && rawToken === foldDiacritics(rawToken) };
  });
  const vi = looksVietnamese(
    lowered,
    tokens.map((t) => t.token),
  );
  return tokens
    .map(({ token, ascii }) =>
      ascii ? (AFTER_FOLD[token] ?? (vi ? VI_ONLY[token] : EN_ONLY[token]) ?? token) : token,
    )
    .join(' ');
}
