import type { SpecIssue } from './issues.js';

/**
 * Parses JSON text and, when it is not valid JSON, says where: line, column and what was
 * expected. Engines word `JSON.parse` errors differently (and some give no position at all),
 * so on failure a small scanner walks the text again to find the first error itself.
 */
export type JsonTextResult = { ok: true; value: unknown } | { ok: false; issue: SpecIssue };

export function parseJsonText(text: string, source = 'spec'): JsonTextResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const { offset, expected } = locateJsonError(text);
    const { line, column } = lineAndColumn(text, offset);
    const found = offset >= text.length ? 'end of input' : JSON.stringify(text[offset]);
    return {
      ok: false,
      issue: {
        path: '',
        message: `${source}: invalid JSON at line ${line}, column ${column}: expected ${expected}, found ${found}`,
      },
    };
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class JsonSyntaxError {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

/** Offset of the first syntax error of a text JSON.parse refused, and what should have been there. */
export function locateJsonError(text: string): { offset: number; expected: string } {
  let i = 0;
  const fail = (expected: string): never => {
    throw new JsonSyntaxError(i, expected);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`"${word}"`);
      i++;
    }
  };
  const string = () => {
    if (text[i] !== '"') fail('a double-quoted string');
    i++;
    for (;;) {
      if (i >= text.length) fail('a closing double quote');
      const ch = text[i];
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        i++;
        const esc = text[i];
        if (esc === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++)
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail('a hex digit');
          continue;
        }
        if (!'"\\/bfnrt'.includes(esc ?? 'x') || esc === undefined) fail('an escape character');
        i++;
        continue;
      }
      if (ch < ' ') fail('no control character inside a string');
      i++;
    }
  };
  const digits = () => {
    if (!/[0-9]/.test(text[i] ?? '')) fail('a digit');
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ':') fail('":"');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('"," or "}"');
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('"," or "]"');
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || /[0-9]/.test(ch ?? '')) return number();
    fail('a JSON value');
  };
  try {
    value();
    ws();
    if (i < text.length) fail('end of input');
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { offset: e.offset, expected: e.expected };
    throw e;
  }
  // JSON.parse refused something the scanner accepts (e.g. a lone surrogate): point at the start.
  return { offset: 0, expected: 'valid JSON' };
}
