/**
 * Measures parseCsvDataset on a generated CSV (default 50 MB: 10 numeric features and a class
 * label per row, written once to the temporary folder): wall time and memory. A figure for the
 * record, not a test. Run from the repository root:
 *
 *   node --expose-gc --conditions=@optlab/source --import ./apps/cli/test/register-ts.mjs \
 *     libs/models/scripts/measure-csv.ts [megabytes]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsvDataset } from '../src/datasets/csv.js';

const megabytes = Number(process.argv[2] ?? 50);
const file = join(tmpdir(), `optlab-measure-csv-${megabytes}mb.csv`);
if (!existsSync(file)) writeFileSync(file, generate(megabytes * 1e6));
const text = readFileSync(file, 'utf8');

// The parse is synchronous: its peak is the process's maximum resident set size afterwards,
// against the resident size just before (the text is already in memory then).
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const data = parseCsvDataset(text, {});
const ms = performance.now() - t0;
const peak = process.resourceUsage().maxRSS * 1024 - rssBefore;
gc?.();
const retained = process.memoryUsage().rss - rssBefore;
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
console.log(
  `${(text.length / 1e6).toFixed(1)} MB, ${data.n} rows × ${data.features} features: ` +
    `${ms.toFixed(0)} ms, peak RSS +${mib(peak)} MiB, RSS after GC +${mib(retained)} MiB` +
    (gc ? '' : ' (run with --expose-gc for steady figures)'),
);

/** Rows of 10 features with 6 decimals and a `cat`/`dog` label, seeded. */
function generate(bytes: number): string {
  const features = 10;
  let seed = 1;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const parts = [
    [...Array.from({ length: features }, (_, i) => `f${i}`), 'label'].join(',') + '\n',
  ];
  let size = parts[0].length;
  while (size < bytes) {
    const row =
      Array.from({ length: features }, () => (random() * 200 - 100).toFixed(6)).join(',') +
      `,${random() < 0.5 ? 'cat' : 'dog'}\n`;
    parts.push(row);
    size += row.length;
  }
  return parts.join('');
}
