import { ModelsError } from '../options.js';
import type { Task } from '../models/model.js';
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

/** A record of the file and the line it started on (1-based), for error messages. */
interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * Splits CSV text into records (RFC 4180: double-quoted cells may hold the delimiter, newlines and
 * `""` for a quote). Blank lines are skipped.
 */
function records(text: string, delimiter: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let touched = false;
  const endRecord = (): void => {
    cells.push(cell);
    if (touched || cells.length > 1 || cell.trim() !== '') out.push({ line: start, cells });
    cells = [];
    cell = '';
    touched = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      quoted = true;
      touched = true;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else cell += ch;
  }
  if (quoted) throw new ModelsError(`CSV line ${start}: a quoted cell is not closed`);
  endRecord();
  return out;
}

/**
 * Parses CSV text (a user's own data) into a dataset: every column but the label column is a
 * numeric feature. Classification labels may be numbers or names; they become class indices in
 * sorted order (numerically when all are numbers), and `classNames` keeps the originals.
 * Takes text, not a path, so it works the same in Node and in a browser worker.
 *
 * Errors name the line (1-based, counting the header) and the column.
 */
export function parseCsvDataset(text: string, options: CsvOptions = {}): Dataset {
  const { header = true, task = 'classification', delimiter = ',', name = 'csv' } = options;
  if (typeof text !== 'string') throw new ModelsError('CSV: expected the file contents as text');
  if (delimiter.length !== 1) {
    throw new ModelsError(`CSV: delimiter must be one character, got ${JSON.stringify(delimiter)}`);
  }
  if (task !== 'classification' && task !== 'regression') {
    throw new ModelsError(
      `CSV: task must be classification or regression, got ${JSON.stringify(task)}`,
    );
  }
  const all = records(text.replace(/^\uFEFF/, ''), delimiter);
  const head = header ? all.shift() : undefined;
  if (all.length === 0) throw new ModelsError('CSV: no data rows');
  const width = head?.cells.length ?? all[0].cells.length;
  if (width < 2) {
    throw new ModelsError(
      `CSV line ${head?.line ?? all[0].line}: needs at least 2 columns (features and a label), found ${width}`,
    );
  }
  const columnNames = head
    ? head.cells.map((c) => c.trim())
    : Array.from({ length: width }, (_, i) => `column ${i + 1}`);
  const labelIndex = resolveLabelColumn(options.labelColumn ?? -1, columnNames, header);
  const featureIndices = columnNames.map((_, i) => i).filter((i) => i !== labelIndex);
  const n = all.length;
  const features = featureIndices.length;
  const x = new Float64Array(n * features);
  const rawLabels: string[] = [];
  all.forEach((rec, r) => {
    if (rec.cells.length !== width) {
      throw new ModelsError(
        `CSV line ${rec.line}: ${rec.cells.length} cells, expected ${width}${head ? ' (as in the header)' : ' (as in the first row)'}`,
      );
    }
    featureIndices.forEach((c, j) => {
      x[r * features + j] = parseNumber(rec.cells[c], rec.line, columnNames[c]);
    });
    const label = rec.cells[labelIndex].trim();
    if (label === '') {
      throw new ModelsError(
        `CSV line ${rec.line}, column "${columnNames[labelIndex]}": the label is empty`,
      );
    }
    rawLabels.push(label);
  });
  const featureNames = featureIndices.map((c) => columnNames[c]);
  if (task === 'regression') {
    const y = Float64Array.from(all, (rec, r) =>
      parseNumber(rawLabels[r], rec.line, columnNames[labelIndex]),
    );
    return { name, task, n, features, classes: 0, x, y, featureNames };
  }
  const { y, classNames } = encodeLabels(rawLabels);
  if (classNames.length < 2) {
    throw new ModelsError(
      `CSV column "${columnNames[labelIndex]}": classification needs at least 2 classes, found ${classNames.length} (${classNames.join(', ')})`,
    );
  }
  return { name, task, n, features, classes: classNames.length, x, y, featureNames, classNames };
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

function parseNumber(cell: string, line: number, column: string): number {
  const s = cell.trim();
  const v = s === '' ? NaN : Number(s);
  if (!Number.isFinite(v)) {
    throw new ModelsError(
      `CSV line ${line}, column "${column}": ${s === '' ? 'empty cell' : JSON.stringify(s)} is not a number`,
    );
  }
  return v;
}

/** Class indices in sorted order of the distinct labels (numeric order when all are numbers). */
function encodeLabels(raw: string[]): { y: Float64Array; classNames: string[] } {
  const distinct = [...new Set(raw)];
  const numeric = distinct.every((s) => Number.isFinite(Number(s)));
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  const index = new Map(distinct.map((s, i) => [s, i]));
  return { y: Float64Array.from(raw, (s) => index.get(s)!), classNames: distinct };
}
