import { ModelsError } from '../options.js';
import type { Task } from '../models/model.js';
import { CsvScanner, decodeUtf8, parseDecimal } from './csv-scanner.js';
import type { Dataset } from './dataset.js';

export interface CsvOptions {
  /** The label column: its header name, or its index (negative counts from the end). Default −1. */
  labelColumn?: string | number;
  /** Whether the first record names the columns. Default true. */
  header?: boolean;
  /** `classification` (labels become class indices) or `regression`. Default `classification`. */
  task?: Task;
  /** Cell separator, one character. Default `,`. */
  delimiter?: string;
  /** Name of the dataset. Default `csv`. */
  name?: string;
}

/** Characters that cannot separate cells: they are part of quoting, line breaks or numbers. */
const BAD_DELIMITERS = '"\r\n0123456789.+-eE';
/** Delimiters worth suggesting when a file reads as a single column. */
const LIKELY_DELIMITERS = [',', ';', '\t', '|'];

/**
 * Parses CSV (a user's own data) into a dataset, in one pass straight into typed arrays: every
 * column but the label column is a numeric feature. Takes text or UTF-8 bytes, not a path, so it
 * works the same in Node and in a browser worker.
 *
 * - RFC 4180: quoted cells may hold the delimiter, line breaks and `""` (a quote); records end at
 *   LF, CRLF or CR; a byte-order mark is dropped; lines holding only blanks are skipped.
 * - Features are decimal numbers (`-1.5`, `.5`, `2e-3`), blanks around them allowed. Empty or
 *   blank cells, `NaN`, `Infinity`, and `0x10`/`0b11`/`0o7` literals are refused, as CSV tools do.
 * - Classification labels are trimmed. A label that reads as a decimal number is compared by
 *   value (`1`, `1.0` and `01` are one class, named `1`) and must be a whole number: a fractional
 *   label means a regression target. Classes are numbered in sorted order of their names
 *   (numeric order when every label is a number); `classNames` keeps the names.
 * - Regression targets are decimal numbers, like features.
 *
 * Errors name the line (1-based, counting the header, as an editor shows it: quoted line breaks
 * count) and the column (1-based, with its header name).
 */
export function parseCsvDataset(input: string | Uint8Array, options: CsvOptions = {}): Dataset {
  const { header = true, task = 'classification', delimiter = ',', name = 'csv' } = options;
  checkDelimiter(delimiter);
  if (task !== 'classification' && task !== 'regression') {
    throw new ModelsError(
      `CSV: task must be classification or regression, got ${JSON.stringify(task)}`,
    );
  }
  let text: string;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array) text = decodeUtf8(input);
  else throw new ModelsError('CSV: expected the file contents as text');

  const scanner = new CsvScanner(text, delimiter);
  if (text.charCodeAt(0) === 0xfeff) scanner.pos = 1; // byte-order mark
  if (!scanner.skipBlankLines()) throw new ModelsError('CSV: the text is empty');
  const firstLine = scanner.line;
  const first = readRecord(scanner);
  const width = first.length;
  if (width < 2) throw singleColumn(firstLine, first[0], delimiter);
  const columnNames = header
    ? first.map((c) => c.trim())
    : Array.from({ length: width }, (_, i) => `column ${i + 1}`);
  const labelIndex = resolveLabelColumn(options.labelColumn ?? -1, columnNames, header);
  const describe = (c: number): string =>
    header ? `column ${c + 1} (${JSON.stringify(columnNames[c])})` : `column ${c + 1}`;

  const reader = new RowReader(
    scanner,
    width,
    labelIndex,
    task,
    describe,
    header ? ' (as in the header)' : ' (as in the first row)',
    estimateRows(text, scanner.pos),
  );
  if (!header) reader.addRecord(firstLine, first);
  while (scanner.skipBlankLines()) reader.readRecord();
  if (reader.n === 0) {
    throw new ModelsError(`CSV: no data rows after the header (line ${firstLine})`);
  }

  const n = reader.n;
  const features = width - 1;
  const x = reader.features();
  const featureNames = columnNames.filter((_, i) => i !== labelIndex);
  if (task === 'regression') {
    return { name, task, n, features, classes: 0, x, y: reader.targets(), featureNames };
  }
  const { y, classNames } = reader.classes();
  if (classNames.length < 2) {
    throw new ModelsError(
      `CSV ${describe(labelIndex)}: classification needs at least 2 classes, found ${classNames.length} (${classNames.map((c) => JSON.stringify(c)).join(', ')})`,
    );
  }
  return { name, task, n, features, classes: classNames.length, x, y, featureNames, classNames };
}

function checkDelimiter(delimiter: unknown): void {
  if (typeof delimiter !== 'string' || delimiter.length !== 1) {
    throw new ModelsError(`CSV: delimiter must be one character, got ${JSON.stringify(delimiter)}`);
  }
  if (BAD_DELIMITERS.includes(delimiter)) {
    throw new ModelsError(
      `CSV: delimiter ${JSON.stringify(delimiter)} cannot separate cells: it is a quote, a line break or part of numbers`,
    );
  }
}

/** The fields of one record, as strings (the header, or a first row read before the width is known). */
function readRecord(scanner: CsvScanner): string[] {
  const cells: string[] = [];
  for (;;) {
    const last = scanner.field(cells.length + 1);
    cells.push(scanner.value());
    if (last) return cells;
  }
}

/** A file read as one column: most likely the wrong delimiter, so say which one it seems to use. */
function singleColumn(line: number, cell: string, delimiter: string): ModelsError {
  const likely = LIKELY_DELIMITERS.find((d) => d !== delimiter && cell.includes(d));
  const hint = likely
    ? `; the line holds ${JSON.stringify(likely)}: set "delimiter" to ${JSON.stringify(likely)} (it is ${JSON.stringify(delimiter)})`
    : '';
  return new ModelsError(
    `CSV line ${line}: found 1 column with delimiter ${JSON.stringify(delimiter)}, need at least 2 (features and a label)${hint}`,
  );
}

/**
 * A starting capacity from the length of the text and of the line after the header: one
 * allocation for files whose rows are alike, doubling otherwise.
 */
function estimateRows(text: string, from: number): number {
  // Stryker disable all: any positive estimate reads the same dataset (the arrays double when full, as csv-edges.test.ts checks): these mutants change memory and speed only (equivalent)
  const lineEnd = text.indexOf('\n', from);
  const lineLength = Math.max((lineEnd < 0 ? text.length : lineEnd + 1) - from, 1);
  const rows = Math.ceil(((text.length - from) / lineLength) * 1.05);
  // Stryker restore all
  // Stryker disable next-line MethodExpression: Math.max for Math.min only allocates more (equivalent); `+ 16` stays mutated (a capacity below 0 throws)
  return Math.min(1 << 22, rows + 16);
}

/**
 * Accumulates rows: features straight into a growing Float64Array, regression targets likewise,
 * class labels as ids of their distinct spellings (one string per distinct label, not per row).
 */
class RowReader {
  n = 0;
  #x: Float64Array;
  #y: Float64Array;
  #labelIds: Int32Array;
  readonly #spellings = new Map<string, number>();
  /** Line where each distinct spelling first appeared, for errors found at the end. */
  readonly #firstLines: number[] = [];
  /** Position of each column among the features; −1 for the label column. */
  readonly #slot: Int32Array;
  readonly #features: number;

  constructor(
    readonly scanner: CsvScanner,
    readonly width: number,
    readonly labelIndex: number,
    readonly task: Task,
    readonly describe: (column: number) => string,
    readonly widthSource: string,
    capacity: number,
  ) {
    this.#features = width - 1;
    this.#x = new Float64Array(capacity * this.#features);
    this.#y = new Float64Array(task === 'regression' ? capacity : 0);
    this.#labelIds = new Int32Array(task === 'regression' ? 0 : capacity);
    this.#slot = new Int32Array(width);
    for (let c = 0, j = 0; c < width; c++) this.#slot[c] = c === labelIndex ? -1 : j++;
  }

  /** Reads the next record from the scanner, cell by cell, without making strings of numbers. */
  readRecord(): void {
    const scanner = this.scanner;
    const line = scanner.line;
    this.#reserve();
    let column = 0;
    let last = false;
    while (!last) {
      last = scanner.field(column + 1);
      if (column < this.width) {
        const q = scanner.quoted;
        if (q === null) this.#cell(column, scanner.text, scanner.start, scanner.end);
        else this.#cell(column, q, 0, q.length);
      }
      column++;
    }
    if (column !== this.width) this.#ragged(line, column);
    this.n++;
  }

  /** The first row of a file without a header, already read as strings (it set the width). */
  addRecord(line: number, cells: readonly string[]): void {
    this.#reserve();
    this.scanner.fieldLine = line;
    cells.forEach((cell, column) => this.#cell(column, cell, 0, cell.length));
    this.n++;
  }

  #cell(column: number, s: string, from: number, to: number): void {
    const slot = this.#slot[column];
    if (slot >= 0) {
      this.#x[this.n * this.#features + slot] = this.#number(column, s, from, to, 'feature');
    } else if (this.task === 'regression') {
      this.#y[this.n] = this.#number(column, s, from, to, 'target');
    } else {
      const label = s.slice(from, to).trim();
      if (label === '') {
        throw new ModelsError(
          `CSV line ${this.scanner.fieldLine}, ${this.describe(column)}: the label is empty`,
        );
      }
      let id = this.#spellings.get(label);
      if (id === undefined) {
        id = this.#spellings.size;
        this.#spellings.set(label, id);
        this.#firstLines.push(this.scanner.fieldLine);
      }
      this.#labelIds[this.n] = id;
    }
  }

  #number(column: number, s: string, from: number, to: number, role: string): number {
    const v = parseDecimal(s, from, to);
    if (Number.isFinite(v)) return v;
    const cell = s.slice(from, to);
    const where = `CSV line ${this.scanner.fieldLine}, ${this.describe(column)}`;
    const regression =
      role === 'target'
        ? ' (a regression target must be numeric; for class labels use a classification task)'
        : '';
    throw new ModelsError(`${where}: ${notANumber(cell)}${regression}`);
  }

  #ragged(line: number, cells: number): never {
    throw new ModelsError(
      `CSV line ${line}: ${cells} cell${cells === 1 ? '' : 's'}, expected ${this.width}${this.widthSource}`,
    );
  }

  /** Room for one more row: the arrays double when full. */
  #reserve(): void {
    const capacity = this.task === 'regression' ? this.#y.length : this.#labelIds.length;
    if (this.n < capacity) return;
    const grown = Math.max(16, capacity * 2);
    const x = new Float64Array(grown * this.#features);
    x.set(this.#x);
    this.#x = x;
    if (this.task === 'regression') {
      const y = new Float64Array(grown);
      y.set(this.#y);
      this.#y = y;
    } else {
      const ids = new Int32Array(grown);
      ids.set(this.#labelIds);
      this.#labelIds = ids;
    }
  }

  features(): Float64Array {
    const used = this.n * this.#features;
    return this.#x.length === used ? this.#x : this.#x.slice(0, used);
  }

  targets(): Float64Array {
    return this.#y.length === this.n ? this.#y : this.#y.slice(0, this.n);
  }

  /** Class indices and names: spellings merged by numeric value, then sorted. */
  classes(): { y: Float64Array; classNames: string[] } {
    const spellings = [...this.#spellings.keys()];
    const keys = spellings.map((spelling, id) => {
      const v = parseDecimal(spelling, 0, spelling.length);
      if (Number.isNaN(v)) return { name: spelling, value: NaN };
      if (!Number.isInteger(v)) {
        throw new ModelsError(
          `CSV line ${this.#firstLines[id]}, ${this.describe(this.labelIndex)}: the label ${JSON.stringify(spelling)} is not a whole number; a classification label is a name or a whole number (for a numeric target use a regression task)`,
        );
      }
      return { name: String(v), value: v };
    });
    const names = [...new Set(keys.map((k) => k.name))];
    const values = new Map(keys.map((k) => [k.name, k.value]));
    if (keys.every((k) => !Number.isNaN(k.value))) {
      names.sort((a, b) => values.get(a)! - values.get(b)!);
    } else names.sort();
    const index = new Map(names.map((s, i) => [s, i]));
    const classOf = Float64Array.from(keys, (k) => index.get(k.name)!);
    const y = new Float64Array(this.n);
    for (let r = 0; r < this.n; r++) y[r] = classOf[this.#labelIds[r]];
    return { y, classNames: names };
  }
}

/** Why a cell is not a number, with the rule that refused it. */
function notANumber(cell: string): string {
  const s = cell.trim();
  const shown = JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
  if (cell === '') return 'the cell is empty';
  if (s === '') return 'the cell is blank';
  if (/^[+-]?(nan|inf|infinity)$/i.test(s)) return `${shown} is not a finite number`;
  if (/^[+-]?0[xbo]/i.test(s)) {
    return `${shown} is not a decimal number (hexadecimal, binary and octal literals are refused)`;
  }
  if (Math.abs(parseDecimal(s, 0, s.length)) === Infinity) return `${shown} is out of range`;
  return `${shown} is not a number`;
}

function resolveLabelColumn(label: string | number, columns: string[], header: boolean): number {
  if (typeof label === 'number') {
    const i = label < 0 ? columns.length + label : label;
    if (!Number.isInteger(label) || i < 0 || i >= columns.length) {
      throw new ModelsError(
        `CSV: labelColumn ${label} is out of range for ${columns.length} columns`,
      );
    }
    return i;
  }
  if (!header) {
    throw new ModelsError(
      `CSV: labelColumn "${label}" names a column, but header is false; give its index instead`,
    );
  }
  const i = columns.indexOf(label);
  if (i < 0) {
    throw new ModelsError(`CSV: no column named "${label}"; columns: ${columns.join(', ')}`);
  }
  return i;
}
