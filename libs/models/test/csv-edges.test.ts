import { describe, expect, it } from 'vitest';
import { parseCsvDataset, type CsvOptions } from '../src/index.js';
import { decodeUtf8, firstInvalidUtf8, parseDecimal } from '../src/datasets/csv-scanner.js';

/**
 * The CSV reader's edges, one per rule a rewrite could lose without csv.test.ts noticing
 * (docs/mutation-testing.md): blank lines and line counting with every line ending, blanks
 * around quotes, tab delimiters, rows longer than the first, files whose rows outgrow the first
 * row's estimate, the label column's range, and UTF-8 at each boundary of RFC 3629.
 */

function csvError(input: string | Uint8Array, options: CsvOptions = {}): string {
  try {
    parseCsvDataset(input, options);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the CSV to be refused');
}

describe('blank lines and line numbers', () => {
  it('blank CRLF lines count once each', () => {
    expect(csvError('a,l\r\n\r\n\r\n1,x\r\nbad,y\r\n')).toBe(
      'CSV line 5, column 1 ("a"): "bad" is not a number',
    );
  });

  it('consecutive LF lines count once each', () => {
    expect(csvError('a,l\n\n1,x\nbad,y\n')).toBe(
      'CSV line 4, column 1 ("a"): "bad" is not a number',
    );
  });

  it('a lone CR after an LF is a blank line of its own, and takes nothing with it', () => {
    const d = parseCsvDataset('a,l\n\r1,x\r2,y\n', { task: 'classification' });
    expect(Array.from(d.x)).toEqual([1, 2]);
    expect(csvError('a,l\n\r1,x\rbad,y\n')).toBe(
      'CSV line 4, column 1 ("a"): "bad" is not a number',
    );
  });

  it('lines of blanks only (spaces or tabs) are skipped', () => {
    const d = parseCsvDataset('a,l\n1,x\n\t \n  \n2,y\n');
    expect(d.n).toBe(2);
    expect(Array.from(d.x)).toEqual([1, 2]);
  });

  it('with a tab delimiter a line holding a tab is a record of empty cells', () => {
    expect(csvError('a\tl\n1\tx\n\t\n', { delimiter: '\t' })).toBe(
      'CSV line 3, column 1 ("a"): the cell is empty',
    );
  });

  it('line breaks inside quotes: lone CRs, CRLF and LF, each one line', () => {
    expect(csvError('a,l\r1,"x\ry"\rbad,z\r')).toBe(
      'CSV line 4, column 1 ("a"): "bad" is not a number',
    );
    expect(csvError('a,l\n1,"x\r\ry"\nbad,z\n')).toBe(
      'CSV line 5, column 1 ("a"): "bad" is not a number',
    );
    expect(csvError('a,l\n1,"x\r\n\ny"\nbad,z\n')).toBe(
      'CSV line 5, column 1 ("a"): "bad" is not a number',
    );
  });

  it('after a closing quote: LF, a blank LF line, a lone CR, a tab, the end of the text', () => {
    expect(csvError('a,l\n1,"x"\n\n2,"y"\nbad,z\n')).toBe(
      'CSV line 5, column 1 ("a"): "bad" is not a number',
    );
    const d = parseCsvDataset('a,l\r1,"x"\r2,"y"\t\r3,"x"');
    expect(Array.from(d.x)).toEqual([1, 2, 3]);
    expect(Array.from(d.y)).toEqual([0, 1, 0]);
  });
});

describe('blanks and quotes', () => {
  it('blanks before an opening quote are dropped, tabs as well as spaces', () => {
    const d = parseCsvDataset('a,l\n1,\t"b"\n2, "c"\n');
    expect(d.classNames).toEqual(['b', 'c']);
  });

  it('with a tab delimiter, a tab before a quote ends an empty cell', () => {
    expect(csvError('a\tb\tl\n1\t\t"x"\n', { delimiter: '\t' })).toBe(
      'CSV line 2, column 2 ("b"): the cell is empty',
    );
  });

  it('an unclosed quote in the header names its column', () => {
    expect(csvError('a,"b\n1,2\n')).toBe(
      'CSV line 1, column 2: the quoted field opened here is not closed',
    );
  });
});

describe('options', () => {
  it('the default name and task', () => {
    const d = parseCsvDataset('a,l\n1,x\n2,y\n');
    expect([d.name, d.task]).toEqual(['csv', 'classification']);
    expect(parseCsvDataset('a,l\n1,x\n2,y\n', { name: 'mine' }).name).toBe('mine');
  });

  it('an unknown task and a delimiter that is not a string are refused', () => {
    expect(csvError('a,l\n1,x\n', { task: 'clustering' as never })).toBe(
      'CSV: task must be classification or regression, got "clustering"',
    );
    expect(csvError('a,l\n1,x\n', { delimiter: [','] as never })).toBe(
      'CSV: delimiter must be one character, got [","]',
    );
  });

  it('header names are trimmed; without a header columns are numbered from 1', () => {
    const d = parseCsvDataset(' a , b ,  l \n1,2,x\n3,4,y\n', { labelColumn: 'l' });
    expect(d.featureNames).toEqual(['a', 'b']);
    const bare = parseCsvDataset('1,2,x\n3,4,y\n', { header: false });
    expect(bare.featureNames).toEqual(['column 1', 'column 2']);
    expect(csvError('1,2,x\n3,abc,y\n', { header: false })).toBe(
      'CSV line 2, column 2: "abc" is not a number',
    );
  });

  it('the label column by index: in range, negative from the end, whole', () => {
    const text = 'a,b\n1,x\n2,y\n';
    expect(parseCsvDataset(text, { labelColumn: 1 }).featureNames).toEqual(['a']);
    expect(parseCsvDataset('a,b\n1,2\n2,1\n', { labelColumn: -2 }).featureNames).toEqual(['b']);
    for (const labelColumn of [2, -3, 1.5]) {
      expect(csvError(text, { labelColumn })).toBe(
        `CSV: labelColumn ${labelColumn} is out of range for 2 columns`,
      );
    }
    expect(csvError('1,2\n', { header: false, labelColumn: 'b' })).toBe(
      'CSV: labelColumn "b" names a column, but header is false; give its index instead',
    );
  });

  it('a single column suggests another delimiter only when it is not the one in use', () => {
    expect(csvError('"a;b"\n"c;d"\n', { delimiter: ';' })).toBe(
      'CSV line 1: found 1 column with delimiter ";", need at least 2 (features and a label)',
    );
    expect(csvError('a|b\n1|x\n')).toBe(
      'CSV line 1: found 1 column with delimiter ",", need at least 2 (features and a label); the line holds "|": set "delimiter" to "|" (it is ",")',
    );
    expect(csvError('a\tb\n1\tx\n')).toBe(
      'CSV line 1: found 1 column with delimiter ",", need at least 2 (features and a label); the line holds "\\t": set "delimiter" to "\\t" (it is ",")',
    );
    expect(csvError('a,b\n1,x\n', { delimiter: ';' })).toBe(
      'CSV line 1: found 1 column with delimiter ";", need at least 2 (features and a label); the line holds ",": set "delimiter" to "," (it is ";")',
    );
  });
});

describe('rows', () => {
  it('a row longer than the header is ragged, whatever its extra cells hold', () => {
    expect(csvError('x,y\n1,2\n3,4,zz\n', { task: 'regression' })).toBe(
      'CSV line 3: 3 cells, expected 2 (as in the header)',
    );
    expect(csvError('x,y\n1,a\n3,b,\n')).toBe('CSV line 3: 3 cells, expected 2 (as in the header)');
  });

  it('rows that outgrow the estimate from the first row are all kept (classification)', () => {
    // A long first row makes the starting capacity small; the arrays then grow.
    const rows = Array.from({ length: 300 }, (_, i) => `${i},${i % 3}`);
    const text = `a,l\n${'0'.repeat(400)}1,2\n${rows.join('\n')}\n`;
    const d = parseCsvDataset(text);
    expect(d.n).toBe(301);
    expect(Array.from(d.x)).toEqual([1, ...rows.map((_, i) => i)]);
    expect(Array.from(d.y)).toEqual([2, ...rows.map((_, i) => i % 3)]);
  });

  it('rows that outgrow the estimate are all kept (regression, two features)', () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i},${2 * i + 1},${i / 2}`);
    const text = `a,b,t\n${'0'.repeat(400)}1,2,3\n${rows.join('\n')}\n`;
    const d = parseCsvDataset(text, { task: 'regression' });
    expect(d.n).toBe(201);
    expect(Array.from(d.x)).toEqual([1, 2, ...rows.flatMap((_, i) => [i, 2 * i + 1])]);
    expect(Array.from(d.y)).toEqual([3, ...rows.map((_, i) => i / 2)]);
  });
});

describe('why a cell is not a number', () => {
  it('names NaN and infinities only when the whole cell is one', () => {
    expect(csvError('a,l\n2nan,x\n')).toBe('CSV line 2, column 1 ("a"): "2nan" is not a number');
    expect(csvError('a,l\ninfo,x\n')).toBe('CSV line 2, column 1 ("a"): "info" is not a number');
    expect(csvError('a,l\n+inf,x\n')).toBe(
      'CSV line 2, column 1 ("a"): "+inf" is not a finite number',
    );
  });

  it('names hexadecimal literals only at the start of the cell', () => {
    expect(csvError('a,l\n10x5,x\n')).toBe('CSV line 2, column 1 ("a"): "10x5" is not a number');
  });

  it('cuts a long cell at 40 characters', () => {
    const cell = 'y'.repeat(41);
    expect(csvError(`a,l\n${cell},x\n`)).toBe(
      `CSV line 2, column 1 ("a"): "${'y'.repeat(40)}…" is not a number`,
    );
    expect(csvError(`a,l\n${'y'.repeat(40)},x\n`)).toBe(
      `CSV line 2, column 1 ("a"): "${'y'.repeat(40)}" is not a number`,
    );
  });
});

describe('parseDecimal reads s[from, to) only', () => {
  it('stops at `to` even when a point, an exponent or digits follow', () => {
    expect(parseDecimal('12.5', 0, 2)).toBe(12);
    expect(parseDecimal('7e5', 0, 1)).toBe(7);
    expect(parseDecimal('1.5e3', 0, 3)).toBe(1.5);
    expect(parseDecimal('x-2.5y', 1, 5)).toBe(-2.5);
  });

  it('refuses anything after the exponent digits', () => {
    for (const s of ['1e5x', '2e1:', '3e+2/', '4E-1a'])
      expect(parseDecimal(s, 0, s.length)).toBeNaN();
    expect(parseDecimal('4E-1', 0, 4)).toBe(0.4);
  });
});

describe('UTF-8 at the boundaries of RFC 3629', () => {
  const at = (...b: number[]) => firstInvalidUtf8(Uint8Array.from(b));

  it('lead bytes: continuation bytes and C0, C1, F5–FF are invalid', () => {
    expect(at(0x80)).toBe(0);
    expect(at(0x7f, 0x80, 0x80, 0x80)).toBe(1);
    expect(at(0xc1, 0xbf, 0xbf)).toBe(0);
    expect(at(0x80, 0x80, 0x80, 0x80)).toBe(0);
    expect(at(0xf5, 0x80, 0x80, 0x80)).toBe(0);
    expect(at(0xff)).toBe(0);
  });

  it('the first and last lead byte of each length', () => {
    expect(at(0xc2, 0x80)).toBe(2);
    expect(at(0xdf, 0xbf)).toBe(2);
    expect(at(0xe0, 0xa0, 0x80)).toBe(3);
    expect(at(0xe0, 0x9f, 0xbf)).toBe(0);
    expect(at(0xef, 0xbf, 0xbd)).toBe(3);
    expect(at(0xf0, 0x90, 0x80, 0x80)).toBe(4);
    expect(at(0xf0, 0x80, 0x80, 0x80)).toBe(0);
    expect(at(0xf4, 0x8f, 0xbf, 0xbf)).toBe(4);
  });

  it('only ED limits its second byte (surrogates), only F0 and F4 theirs', () => {
    expect(at(0xea, 0xb0, 0x80)).toBe(3);
    expect(at(0xed, 0x9f, 0xbf)).toBe(3);
    expect(at(0xf1, 0x80, 0x80, 0x80)).toBe(4);
    expect(at(0xf3, 0xbf, 0xbf, 0xbf)).toBe(4);
  });

  it('continuation bytes up to BF, not past it', () => {
    expect(at(0xc2, 0xbf)).toBe(2);
    expect(at(0xc2, 0xc0)).toBe(0);
    expect(at(0xe2, 0x82, 0xc0)).toBe(0);
  });

  it('decodeUtf8 keeps a byte-order mark: the CSV reader drops it, in one place', () => {
    expect(decodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('\uFEFFa');
    expect(() => decodeUtf8(Uint8Array.from([0x61, 0xff]), 'spec.json')).toThrow(
      'spec.json: invalid UTF-8 at byte 1 (save the file as UTF-8)',
    );
  });
});
