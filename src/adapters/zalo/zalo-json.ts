/**
 * JSON.parse for webhook bodies that keeps long integers exact. Zalo ids (user, msg, app) pass
 * 2^53; Zalo sends them as strings, but should a number ever arrive, JSON.parse would round it
 * silently and we would answer a stranger. Integer literals of 16 digits or more outside strings
 * are quoted before parsing, so they come out as exact strings.
 */
export function parseJsonKeepingBigInts(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text));
}

const LONG_DIGITS = 16;

function quoteLongIntegers(text: string): string {
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Skip the string, honouring escapes.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) {
          i++;
          break;
        } else i++;
      }
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      if (c === 45) i++;
      const digitsStart = i;
      while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      const digits = i - digitsStart;
      const next = i < n ? text[i] : '';
      const isInteger = next !== '.' && next !== 'e' && next !== 'E';
      if (isInteger && digits >= LONG_DIGITS) {
        out += `${text.slice(last, start)}"${text.slice(start, i)}"`;
        last = i;
      }
      // A fraction or exponent continues as an ordinary number.
      while (i < n && /[0-9.eE+-]/.test(text[i] as string)) i++;
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}
