import { describe, expect, it } from 'vitest';
import { loadDataset, parseCsvDataset, type CsvOptions } from '../src/index.js';
import { decodeUtf8, firstInvalidUtf8, parseDecimal } from '../src/datasets/csv-scanner.js';

/** The message parseCsvDataset throws (the test fails if it does not throw). */
function csvError(input: string | Uint8Array, options: CsvOptions = {}): string {
  try {
    parseCsvDataset(input, options);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the CSV to be refused');
}

describe('parseCsvDataset: reading', () => {
  it('reads features and a named label column; labels become sorted class indices', () => {
    const d = parseCsvDataset('a,species,b\n1,cat,2\n3,dog,4\n5,cat,6\n', {
      labelColumn: 'species',
    });
    expect([d.n, d.features, d.classes]).toEqual([3, 2, 2]);
    expect(d.featureNames).toEqual(['a', 'b']);
    expect(d.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(d.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(d.y)).toEqual([0, 1, 0]);
  });
  it('numeric labels sort numerically; no header; CRLF, quotes and blank lines', () => {
    const d = parseCsvDataset('"1.5",10\r\n\r\n2,9\r\n3,"10"\r\n', { header: false });
    expect(d.classNames).toEqual(['9', '10']);
    expect(Array.from(d.y)).toEqual([1, 0, 1]);
    expect(Array.from(d.x)).toEqual([1.5, 2, 3]);
  });
  it('regression targets; the label column by index; another delimiter', () => {
    const d = parseCsvDataset('y;x1;x2\n0.5;1;2\n1.5;3;4\n', {
      labelColumn: 0,
      task: 'regression',
      delimiter: ';',
    });
    expect([d.task, d.classes, d.features]).toEqual(['regression', 0, 2]);
    expect(Array.from(d.y)).toEqual([0.5, 1.5]);
    expect(Array.from(d.x)).toEqual([1, 2, 3, 4]);
    expect(parseCsvDataset('1,2,0\n3,4,1\n', { header: false, labelColumn: -1 }).features).toBe(2);
    const tabs = parseCsvDataset('a\tb\ty\n1\t2\tu\n3\t4\tv\n', { delimiter: '\t' });
    expect(Array.from(tabs.x)).toEqual([1, 2, 3, 4]);
  });
  it('RFC 4180: "" is a quote, quoted delimiters and line breaks are text, a BOM is dropped', () => {
    const d = parseCsvDataset(
      '\uFEFFwidth,"the ""kind"", of it"\n1,"a, ""b"""\n2,"two\nlines"\n3,"a, ""b"""\n',
    );
    expect(d.featureNames).toEqual(['width']);
    expect(d.classNames).toEqual(['a, "b"', 'two\nlines']);
    expect(Array.from(d.y)).toEqual([0, 1, 0]);
    // The BOM does not stick to the first header name, so the column is found by name.
    const named = parseCsvDataset('\uFEFFx,y\n1,0\n2,1\n', {
      labelColumn: 'x',
      task: 'regression',
    });
    expect(named.featureNames).toEqual(['y']);
  });
  it('reads UTF-8 bytes, and a BOM in them', () => {
    const bytes = new TextEncoder().encode('\uFEFFx,espèce\n1,chat\n2,chien\n');
    const d = parseCsvDataset(bytes);
    expect(d.featureNames).toEqual(['x']);
    expect(d.classNames).toEqual(['chat', 'chien']);
  });
  it('decimal numbers in every form CSV tools write, blanks around them allowed', () => {
    const cells = ['-1.5', '+2', '.5', '7.', '1e3', '2.5E-2', ' 3 ', '\t4', '-0', '"6"'];
    const text = cells.map((c, i) => `${c},${i % 2}`).join('\n');
    const d = parseCsvDataset(text, { header: false });
    expect(Array.from(d.x)).toEqual([-1.5, 2, 0.5, 7, 1000, 0.025, 3, 4, -0, 6]);
    expect(Object.is(d.x[8], -0)).toBe(true);
  });
  it('round trip: written numbers come back bit for bit, labels as classes', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const rows: number[][] = [];
    for (let i = 0; i < 500; i++) {
      // Shortest round-trip forms (17 digits), short decimals, and huge and tiny exponents.
      const a = (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
      const b = Number((random() * 1000).toFixed(Math.floor(random() * 7)));
      rows.push([a, b, i % 3]);
    }
    const text = 'a,b,label\n' + rows.map((r) => `${r[0]},${r[1]},c${r[2]}`).join('\r\n') + '\r\n';
    const d = parseCsvDataset(text);
    expect(d.n).toBe(500);
    expect(Array.from(d.x)).toEqual(rows.flatMap((r) => [r[0], r[1]]));
    expect(Array.from(d.y)).toEqual(rows.map((r) => r[2]));
    expect(d.classNames).toEqual(['c0', 'c1', 'c2']);
  });
  it('parseDecimal agrees with Number() on decimals, fast path and long digits alike', () => {
    const samples = [
      '0.1',
      '0.3',
      '123456789012345',
      '1234567890123456789',
      '9007199254740993',
      '1e22',
      '1e23',
      '1.7976931348623157e308',
      '5e-324',
      '2.2250738585072014e-308',
      '0.000001',
      '1e-22',
      '3.141592653589793238462643383279',
      '-12.5e+3',
      '.000123',
      '1e400',
      '1e-400',
    ];
    for (const s of samples) expect(Object.is(parseDecimal(s, 0, s.length), Number(s))).toBe(true);
    for (const s of [
      '0x10',
      '0b11',
      '0o7',
      '1_000',
      'NaN',
      'Infinity',
      '',
      ' ',
      '1e',
      '.',
      '-',
      '1.2.3',
      'e5',
    ]) {
      expect(parseDecimal(s, 0, s.length)).toBeNaN();
    }
  });
});

describe('parseCsvDataset: labels', () => {
  it('numeric labels are compared by value: 1, 1.0 and 01 are one class, named 1', () => {
    const d = parseCsvDataset('x,y\n1,1\n2,1.0\n3,01\n4,2\n5,1e0\n');
    expect(d.classNames).toEqual(['1', '2']);
    expect(Array.from(d.y)).toEqual([0, 0, 0, 1, 0]);
  });
  it('labels are trimmed: " a" and "a" are one class', () => {
    const d = parseCsvDataset('x,y\n1, a\n2,a \n3,"b"\n4, "b" \n');
    expect(d.classNames).toEqual(['a', 'b']);
    expect(Array.from(d.y)).toEqual([0, 0, 1, 1]);
  });
  it('names sort as text when any label is a name', () => {
    const d = parseCsvDataset('x,y\n1,b\n2,10\n3,a\n4,9\n');
    expect(d.classNames).toEqual(['10', '9', 'a', 'b']);
  });
  it('an empty label is refused with its line', () => {
    expect(csvError('x,y\n1,a\n2,  \n3,b\n')).toBe(
      'CSV line 3, column 2 ("y"): the label is empty',
    );
    expect(csvError('x,y\n1,a\n2,""\n')).toBe('CSV line 3, column 2 ("y"): the label is empty');
  });
  it('a fractional label under classification is a regression target: refused', () => {
    expect(csvError('x,y\n1,0\n2,1\n3,0.53\n4,2\n')).toBe(
      'CSV line 4, column 2 ("y"): the label "0.53" is not a whole number; a classification label is a name or a whole number (for a numeric target use a regression task)',
    );
  });
  it('a label that is not a number under regression is refused', () => {
    expect(csvError('x,y\n1,0.5\n2,cat\n', { task: 'regression' })).toBe(
      'CSV line 3, column 2 ("y"): "cat" is not a number (a regression target must be numeric; for class labels use a classification task)',
    );
  });
  it('one class only is refused', () => {
    expect(csvError('a,b\n1,x\n2, x\n')).toBe(
      'CSV column 2 ("b"): classification needs at least 2 classes, found 1 ("x")',
    );
    expect(csvError('a,b\n1,1\n2,1.0\n')).toBe(
      'CSV column 2 ("b"): classification needs at least 2 classes, found 1 ("1")',
    );
  });
});

describe('parseCsvDataset: errors name the line and the column', () => {
  it('a cell that is not a number', () => {
    expect(csvError('a,b,label\n1,2,x\n3,abc,y\n')).toBe(
      'CSV line 3, column 2 ("b"): "abc" is not a number',
    );
    expect(csvError('1,abc,y\n', { header: false })).toBe(
      'CSV line 1, column 2: "abc" is not a number',
    );
  });
  it('empty and blank cells are refused, not read as 0', () => {
    expect(csvError('a,b,label\n1,2,x\n3,,y\n')).toBe(
      'CSV line 3, column 2 ("b"): the cell is empty',
    );
    expect(csvError('a,b,label\n1,2,x\n3,  \t,y\n')).toBe(
      'CSV line 3, column 2 ("b"): the cell is blank',
    );
    expect(csvError('a,b,label\n1,2,x\n3,"",y\n')).toBe(
      'CSV line 3, column 2 ("b"): the cell is empty',
    );
  });
  it('NaN and Infinity, and numbers beyond the double range', () => {
    expect(csvError('a,l\nNaN,x\n')).toBe(
      'CSV line 2, column 1 ("a"): "NaN" is not a finite number',
    );
    expect(csvError('a,l\n1,x\n-Infinity,y\n')).toBe(
      'CSV line 3, column 1 ("a"): "-Infinity" is not a finite number',
    );
    expect(csvError('a,l\n1e400,x\n')).toBe('CSV line 2, column 1 ("a"): "1e400" is out of range');
  });
  it('hexadecimal, binary and octal literals', () => {
    for (const cell of ['0x10', '0b11', '0o7', '-0X1F']) {
      expect(csvError(`a,l\n1,x\n${cell},y\n`)).toBe(
        `CSV line 3, column 1 ("a"): ${JSON.stringify(cell)} is not a decimal number (hexadecimal, binary and octal literals are refused)`,
      );
    }
  });
  it('ragged rows, shorter or longer', () => {
    expect(csvError('a,b,label\n1,2,x\n3,4\n')).toBe(
      'CSV line 3: 2 cells, expected 3 (as in the header)',
    );
    expect(csvError('1,2,x\n3,4,y,5\n', { header: false })).toBe(
      'CSV line 2: 4 cells, expected 3 (as in the first row)',
    );
  });
  it('line numbers count quoted line breaks and CRLF as an editor does', () => {
    // Line 2 holds a quoted cell over lines 2–4 (CRLF inside), so the bad row is on line 5.
    expect(csvError('a,b,l\r\n1,2,"x\r\ny\r\nz"\r\n3,oops,w\r\n')).toBe(
      'CSV line 5, column 2 ("b"): "oops" is not a number',
    );
    // A bad cell after a multi-line cell in the same record: its own line.
    expect(csvError('a,l,b\n1,"x\ny",zz\n2,q,3\n', { labelColumn: 'l' })).toBe(
      'CSV line 3, column 3 ("b"): "zz" is not a number',
    );
    // Lone CR line endings (old Mac files) and blank lines count too.
    expect(csvError('a,l\r1,x\r\r2,y\r3,z,9\r')).toBe(
      'CSV line 5: 3 cells, expected 2 (as in the header)',
    );
    // A ragged row names the line its record starts on.
    expect(csvError('a,l\n1,"x\n\ny"\n2\n')).toBe(
      'CSV line 5: 1 cell, expected 2 (as in the header)',
    );
  });
  it('an unclosed quote names where it opened', () => {
    expect(csvError('a,b\n1,x\n2,"y\n3,z\n')).toBe(
      'CSV line 3, column 2: the quoted field opened here is not closed',
    );
  });
  it('text after a closing quote', () => {
    expect(csvError('a,b\n1,"x"y\n')).toBe(
      'CSV line 2, column 2: unexpected "y" after the closing quote of a quoted field (write a quote inside quotes as "")',
    );
  });
  it('a header only, or nothing at all', () => {
    expect(csvError('a,b\n')).toBe('CSV: no data rows after the header (line 1)');
    expect(csvError('\n\na,b\n\n')).toBe('CSV: no data rows after the header (line 3)');
    expect(csvError('')).toBe('CSV: the text is empty');
    expect(csvError('\uFEFF \n')).toBe('CSV: the text is empty');
  });
  it('a wrong or unusable delimiter', () => {
    expect(csvError('a;b\n1;x\n2;y\n')).toBe(
      'CSV line 1: found 1 column with delimiter ",", need at least 2 (features and a label); the line holds ";": set "delimiter" to ";" (it is ",")',
    );
    expect(csvError('a b\n1 x\n')).toBe(
      'CSV line 1: found 1 column with delimiter ",", need at least 2 (features and a label)',
    );
    expect(csvError('a,b\n', { delimiter: '' })).toBe(
      'CSV: delimiter must be one character, got ""',
    );
    expect(csvError('a,b\n', { delimiter: ',,' })).toBe(
      'CSV: delimiter must be one character, got ",,"',
    );
    for (const d of ['"', '\n', '.', '-', 'e', '5']) {
      expect(csvError('a,b\n1,2\n', { delimiter: d })).toBe(
        `CSV: delimiter ${JSON.stringify(d)} cannot separate cells: it is a quote, a line break or part of numbers`,
      );
    }
  });
  it('label columns that do not exist', () => {
    expect(csvError('a,b\n1,x\n', { labelColumn: 'c' })).toBe(
      'CSV: no column named "c"; columns: a, b',
    );
    expect(csvError('1,2\n', { header: false, labelColumn: 5 })).toBe(
      'CSV: labelColumn 5 is out of range for 2 columns',
    );
  });
  it('not text', () => {
    expect(csvError(undefined as unknown as string)).toBe(
      'CSV: expected the file contents as text',
    );
  });
});

describe('UTF-8', () => {
  it('invalid UTF-8 is refused with its byte offset, not replaced', () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode('x,y\n1,é\n2,'), 0xff, 0x61, 0x0a]);
    expect(csvError(bytes)).toBe('CSV: invalid UTF-8 at byte 11 (save the file as UTF-8)');
  });
  it('finds the first invalid sequence: truncated, overlong, surrogate, above U+10FFFF', () => {
    const at = (...b: number[]) => firstInvalidUtf8(Uint8Array.from(b));
    expect(at(0x61, 0xc3)).toBe(1);
    expect(at(0xc0, 0x80)).toBe(0);
    expect(at(0x61, 0xe0, 0x80, 0x80)).toBe(1);
    expect(at(0xed, 0xa0, 0x80)).toBe(0);
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0);
    expect(at(0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80)).toBe(7);
    expect(decodeUtf8(Uint8Array.from([0xe2, 0x82, 0xac]))).toBe('€');
  });
});

describe('the csv dataset kind', () => {
  it('loads from text', async () => {
    const d = await loadDataset({ kind: 'csv', text: 'x,y\n1,0\n2,1\n', name: 'mine' });
    expect([d.name, d.n, d.classes]).toEqual(['mine', 2, 2]);
  });
});
