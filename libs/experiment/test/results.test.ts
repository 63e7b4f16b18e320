import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ResultWriter, readDocumentFile, writeAtomic } from '../src/node/index.js';
import {
  CSV_COLUMNS,
  GPU_MODE_NAMES,
  assertSpec,
  defaultCatalog,
  formatIssue,
  parseCsvLine,
  runExperiment,
  toCsv,
  type ExperimentEvent,
  type RunMetrics,
} from './helpers.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'optlab-results-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const spec = assertSpec(
  {
    version: 1,
    name: 'files, "quoted"',
    task: { kind: 'function', function: { type: 'booth' }, start: [0, 0] },
    training: { steps: 20, targetLoss: 1 },
    runs: [
      { name: 'sgd, plain', optimizer: { type: 'SGD', lr: 0.05 }, backend: 'cpu64' },
      { name: 'adam', optimizer: { type: 'Adam', lr: 0.5 }, backend: 'cpu64', seeds: [1, 2] },
    ],
  },
  defaultCatalog(),
);

describe('ResultWriter', () => {
  it('writes spec.json, every event as a JSON line, summary.json and results.csv', async () => {
    const dir = join(tmp(), 'out', 'nested');
    const writer = new ResultWriter(dir);
    writer.open(spec);
    const events: ExperimentEvent[] = [];
    for await (const e of runExperiment(spec)) {
      writer.append(e);
      events.push(e);
      if (e.type === 'summary') writer.finish(e.summary);
    }
    expect(readdirSync(dir).sort()).toEqual([
      'metrics.jsonl',
      'results.csv',
      'spec.json',
      'summary.json',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8'))).toEqual(spec);
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(JSON.parse(JSON.stringify(events)));
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.runs).toHaveLength(3);
    const csv = readFileSync(join(dir, 'results.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe(CSV_COLUMNS.join(','));
    expect(csv).toHaveLength(4);
    const row = parseCsvLine(csv[1]);
    expect(row[0]).toBe('sgd, plain');
    expect(Number(row[CSV_COLUMNS.indexOf('final_loss')])).toBe(summary.runs[0].finalLoss);
    expect(parseCsvLine(csv[3]).slice(0, 2)).toEqual(['adam', '2']);
  });

  it('replaces a document atomically, leaving no temporary file', () => {
    const dir = tmp();
    const path = join(dir, 'doc.json');
    writeAtomic(path, 'one');
    writeAtomic(path, 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['doc.json']);
  });

  it('writes nothing before open()', () => {
    const dir = join(tmp(), 'never');
    const writer = new ResultWriter(dir);
    expect(() => writer.append({ type: 'cancelled', run: null, seed: null, step: null })).toThrow(
      /open\(\) first/,
    );
    expect(existsSync(dir)).toBe(false);
  });
});

describe('toCsv', () => {
  it('quotes cells with commas, quotes and newlines (RFC 4180)', () => {
    expect(parseCsvLine('a,"b, c","say ""hi""",')).toEqual(['a', 'b, c', 'say "hi"', '']);
    expect(toCsv([]).trimEnd()).toBe(CSV_COLUMNS.join(','));
  });

  it('defuses text cells a spreadsheet would run as a formula (OWASP CSV injection)', async () => {
    const names = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)'];
    const s = assertSpec(
      {
        version: 1,
        name: 'inject',
        task: { kind: 'function', function: { type: 'x-squared' } },
        training: { steps: 1 },
        runs: [
          ...names.map((name) => ({ name, optimizer: { type: 'SGD', lr: 0.1 } })),
          { name: 'plain', optimizer: { type: 'SGD', lr: 0.1 } },
        ],
      },
      defaultCatalog(),
    );
    const metrics: RunMetrics[] = [];
    for await (const e of runExperiment(s)) if (e.type === 'end') metrics.push(e.metrics);
    // Spec names are trimmed, so a leading tab or CR can only come from elsewhere.
    const plain = metrics.pop()!;
    metrics.push({ ...plain, run: '\tx' }, { ...plain, run: '\rx' }, plain);
    const lines = toCsv(metrics).trimEnd().split('\n');
    // Prefixed with a single quote inside a quoted field; the quote survives a parse, so the
    // cell reads as the text it is.
    expect(lines[1].startsWith(`"'=HYPERLINK(""http://x"",""y"")",`)).toBe(true);
    expect(lines.slice(1, 5).map((l) => l.split(',')[0])).toEqual([
      `"'=HYPERLINK(""http://x""`,
      `"'+1+1"`,
      `"'-2+3"`,
      `"'@SUM(A1)"`,
    ]);
    expect(parseCsvLine(lines[5])[0]).toBe("'\tx");
    // The raw CR stays inside quotes (RFC 4180), so the row is whole.
    expect(toCsv(metrics).split('\n')).toHaveLength(lines.length + 1);
    expect(lines[6].startsWith('"\'\rx",')).toBe(true);
    expect(parseCsvLine(lines[7])[0]).toBe('plain');
    // Numbers are never text: a negative number keeps its sign and no quote.
    expect(toCsv([{ ...metrics[0], run: 'n', finalLoss: -1.5 }]).split('\n')[1]).toContain(
      ',-1.5,',
    );
  });
});

describe('readDocumentFile', () => {
  it('reports a missing file, a directory and invalid JSON with the file name', () => {
    const dir = tmp();
    const missing = readDocumentFile(join(dir, 'nope.json'), defaultCatalog());
    expect(missing.ok ? [] : missing.issues.map(formatIssue)).toEqual([
      `${join(dir, 'nope.json')}: cannot read spec: no such file`,
    ]);
    const isDir = readDocumentFile(dir, defaultCatalog());
    expect(isDir.ok ? [] : isDir.issues.map(formatIssue)).toEqual([
      `${dir}: cannot read spec: is a folder, not a file`,
    ]);
  });
});

describe('module boundaries', () => {
  it('keeps Node APIs out of the core (it runs in Web Workers): only src/node imports node:*', () => {
    const root = new URL('../src/', import.meta.url);
    const offenders: string[] = [];
    const walk = (rel: string) => {
      for (const entry of readdirSync(new URL(rel, root), { withFileTypes: true })) {
        const path = `${rel}${entry.name}`;
        if (entry.isDirectory()) {
          if (path !== 'node') walk(`${path}/`);
        } else if (
          /from '(node:|fs|path|os|child_process)/.test(readFileSync(new URL(path, root), 'utf8'))
        ) {
          offenders.push(path);
        }
      }
    };
    walk('');
    expect(offenders).toEqual([]);
  });

  it('lists the gpu.js modes of @optlab/tensor-gpu without importing it', async () => {
    const { GPU_MODES } = await import('@optlab/tensor-gpu');
    expect(GPU_MODE_NAMES).toEqual(GPU_MODES);
  });
});
