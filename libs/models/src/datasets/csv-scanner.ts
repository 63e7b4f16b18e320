import { ModelsError } from '../options.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/**
 * Reads CSV text one field at a time (RFC 4180): a field is quoted when its first non-blank
 * character is `"`; inside quotes the delimiter, CR, LF and `""` (one quote) are plain text.
 * Records end at LF, CRLF or a lone CR. Lines are counted as a text editor shows them (CRLF is
 * one line break, and so are the breaks inside quoted fields), so errors point where users look.
 *
 * The scanner does not allocate for unquoted fields: it reports `start`/`end` offsets in `text`,
 * and callers slice only when they need a string. A quoted field's value is in `quoted`.
 */
export class CsvScanner {
  /** Offset of the next character to read. */
  pos = 0;
  /** Line (1-based) of the next character to read. */
  line = 1;
  /** Line on which the last field started. */
  fieldLine = 1;
  /** The last field's raw range in `text` (unquoted fields). */
  start = 0;
  end = 0;
  /** The last field's value when it was quoted; `null` for an unquoted field. */
  quoted: string | null = null;
  readonly #delimiter: number;

  constructor(
    readonly text: string,
    delimiter: string,
  ) {
    this.#delimiter = delimiter.charCodeAt(0);
  }

  /**
   * Skips lines that hold nothing but blanks, so that a trailing newline or spacing between
   * blocks does not become a record. Returns false at the end of the text.
   */
  skipBlankLines(): boolean {
    const text = this.text;
    let i = this.pos;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if ((c === SPACE || c === TAB) && c !== this.#delimiter) {
        i++;
      } else if (c === LF || c === CR) {
        i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
        this.line++;
        this.pos = i;
      } else {
        return true;
      }
    }
    this.pos = i;
    return false;
  }

  /**
   * Reads one field and the delimiter or line break after it. Returns true when the record is
   * over (a line break or the end of the text), false when another field follows.
   */
  field(column: number): boolean {
    const text = this.text;
    const delimiter = this.#delimiter;
    let i = this.pos;
    this.fieldLine = this.line;
    // Blanks before an opening quote are allowed (and dropped).
    let j = i;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if ((c === SPACE || c === TAB) && c !== delimiter) j++;
      else break;
    }
    if (text.charCodeAt(j) === QUOTE) return this.#quotedField(j, column);
    this.quoted = null;
    this.start = i;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === delimiter) {
        this.end = i;
        this.pos = i + 1;
        return false;
      }
      if (c === LF || c === CR) {
        this.end = i;
        this.pos = i + (c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1);
        this.line++;
        return true;
      }
    }
    this.end = i;
    this.pos = i;
    return true;
  }

  #quotedField(open: number, column: number): boolean {
    const text = this.text;
    const openLine = this.line;
    let value = '';
    let from = open + 1;
    for (;;) {
      const close = text.indexOf('"', from);
      if (close < 0) {
        throw new ModelsError(
          `CSV line ${openLine}, column ${column}: the quoted field opened here is not closed`,
        );
      }
      this.line += countLineBreaks(text, from, close);
      value += text.slice(from, close);
      if (text.charCodeAt(close + 1) === QUOTE) {
        value += '"';
        from = close + 2;
        continue;
      }
      this.pos = close + 1;
      break;
    }
    this.quoted = value;
    // After the closing quote: blanks, then the delimiter, a line break or the end.
    const delimiter = this.#delimiter;
    let i = this.pos;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === delimiter) {
        this.pos = i + 1;
        return false;
      }
      if (c === LF || c === CR) {
        this.pos = i + (c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1);
        this.line++;
        return true;
      }
      if (c !== SPACE && c !== TAB) {
        throw new ModelsError(
          `CSV line ${this.line}, column ${column}: unexpected ${JSON.stringify(text[i])} after the closing quote of a quoted field (write a quote inside quotes as "")`,
        );
      }
    }
    this.pos = i;
    return true;
  }

  /** The last field as a string (unquoted fields are sliced here, only when asked). */
  value(): string {
    return this.quoted ?? this.text.slice(this.start, this.end);
  }
}

/**
 * Line breaks in text[from, to): CRLF counts once, a lone CR or LF once. `text[to]` is a quote,
 * so a CR before `to` is never half of a CRLF that `to` cuts.
 */
function countLineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) n++;
    else if (c === CR) {
      n++;
      if (text.charCodeAt(i + 1) === LF) i++;
    }
  }
  return n;
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A decimal number in s[from, to), blanks around it allowed: `[+-]digits[.digits][e[+-]digits]`
 * (either side of the point may be empty, not both). Anything else (`0x10`, `0b11`, `1_000`,
 * `NaN`, `Infinity`) gives NaN, as CSV tools read numbers; a blank field gives NaN too.
 *
 * Fast path (no allocation): up to 15 significant digits and a power of ten up to 10^22 are
 * both exact doubles, so one multiplication or division rounds correctly (Clinger, 1990) and
 * matches `Number()`. Longer numbers go through `Number()` on the validated text.
 */
export function parseDecimal(s: string, from: number, to: number): number {
  while (from < to && isBlank(s.charCodeAt(from))) from++;
  while (to > from && isBlank(s.charCodeAt(to - 1))) to--;
  let i = from;
  let negative = false;
  let c = s.charCodeAt(i);
  if (c === 0x2b || c === 0x2d) {
    negative = c === 0x2d;
    i++;
  }
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let scale = 0;
  let exact = true;
  for (; i < to; i++) {
    c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) break;
    digits++;
    if (significant > 0 || c > 0) significant++;
    if (significant <= 15) mantissa = mantissa * 10 + c;
    else {
      exact = false;
      scale++;
    }
  }
  if (i < to && s.charCodeAt(i) === 0x2e) {
    for (i++; i < to; i++) {
      c = s.charCodeAt(i) - 0x30;
      if (c < 0 || c > 9) break;
      digits++;
      if (significant > 0 || c > 0) significant++;
      if (significant <= 15) {
        mantissa = mantissa * 10 + c;
        scale--;
      } else exact = false;
    }
  }
  if (digits === 0) return NaN;
  if (i < to && (s.charCodeAt(i) | 0x20) === 0x65) {
    i++;
    let expNegative = false;
    c = s.charCodeAt(i);
    if (i < to && (c === 0x2b || c === 0x2d)) {
      expNegative = c === 0x2d;
      i++;
    }
    let exponent = 0;
    let expDigits = 0;
    for (; i < to; i++) {
      c = s.charCodeAt(i) - 0x30;
      if (c < 0 || c > 9) break;
      expDigits++;
      if (exponent < 1e6) exponent = exponent * 10 + c;
    }
    if (expDigits === 0) return NaN;
    scale += expNegative ? -exponent : exponent;
  }
  if (i !== to) return NaN;
  if (!exact || scale > 22 || scale < -22) return Number(s.slice(from, to));
  const v = scale >= 0 ? mantissa * POWERS_OF_TEN[scale] : mantissa / POWERS_OF_TEN[-scale];
  return negative ? -v : v;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/**
 * UTF-8 bytes to text, refusing invalid UTF-8 (a replacement character would silently change
 * the data). The error names the byte offset of the first invalid sequence.
 */
export function decodeUtf8(bytes: Uint8Array, what = 'CSV'): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ModelsError(
      `${what}: invalid UTF-8 at byte ${firstInvalidUtf8(bytes)} (save the file as UTF-8)`,
    );
  }
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (next === undefined || next < min || next > max) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
