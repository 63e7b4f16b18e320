/**
 * Whether a run may take long enough to be worth estimating before it starts, from the spec alone
 * (no computing): the values it reads per pass over the data times the passes. A calibration
 * then measures the real time (calibration.ts); this only decides whether to run one unasked.
 */
import { DATASETS } from '@optlab/models';
import { isRecord } from './draft.js';
import type { FolderStore } from './folder-data.js';

/** Values × passes above which the lab estimates the time unasked (digits × 100 epochs is 1.2e7). */
export const LONG_RUN_WORK = 1e7;

/** Rows × features of the spec's training data where known without loading it; else null. */
export function dataSize(
  spec: Record<string, unknown>,
  folders: FolderStore,
): { rows: number; features: number } | null {
  const task = spec['task'];
  if (!isRecord(task) || !isRecord(task['dataset'])) return null;
  const dataset = task['dataset'];
  const loaded = folders.get(dataset['folder']);
  if (loaded) {
    const rows =
      typeof dataset['trainRows'] === 'number'
        ? Math.min(dataset['trainRows'], loaded.data.train.n)
        : loaded.data.train.n;
    return { rows, features: loaded.data.train.features };
  }
  const type = String(dataset['type']);
  const info = Object.hasOwn(DATASETS, type) ? DATASETS[type] : undefined;
  const rows = info?.rows ?? (typeof dataset['n'] === 'number' ? dataset['n'] : null);
  const features = info?.features ?? null;
  return rows !== null && features !== null ? { rows, features } : null;
}

/** Values read in training (rows × features × epochs, or steps × batch × features), or null. */
export function trainingWork(spec: Record<string, unknown>, folders: FolderStore): number | null {
  const size = dataSize(spec, folders);
  const training = spec['training'];
  if (!size || !isRecord(training)) return null;
  const runs = Array.isArray(spec['runs']) ? spec['runs'].length : 1;
  if (typeof training['epochs'] === 'number')
    return size.rows * size.features * training['epochs'] * runs;
  if (typeof training['steps'] === 'number') {
    const batch = typeof training['batchSize'] === 'number' ? training['batchSize'] : size.rows;
    return training['steps'] * Math.min(batch, size.rows) * size.features * runs;
  }
  return null;
}

/**
 * About how many updates (optimizer steps) run `runIndex` makes, from the spec alone: `steps`, or
 * `epochs` × batches per epoch of the training rows (the rows less the test and validation
 * fractions, so about: the split rounds), with the run's own batch size where it sets one; an
 * epoch of a test function is one update. Null when the rows are not known without loading them.
 */
export function trainingUpdates(
  spec: Record<string, unknown>,
  folders: FolderStore,
  runIndex: number,
): number | null {
  const training = spec['training'];
  if (!isRecord(training)) return null;
  if (typeof training['steps'] === 'number') return training['steps'];
  if (typeof training['epochs'] !== 'number') return null;
  const task = spec['task'];
  if (isRecord(task) && task['kind'] === 'function') return training['epochs'];
  const size = dataSize(spec, folders);
  if (!size || !isRecord(task)) return null;
  const kept = (key: string) => 1 - (typeof task[key] === 'number' ? task[key] : 0);
  const rows = Math.max(
    1,
    Math.round(size.rows * kept('testFraction') * kept('validationFraction')),
  );
  const run = Array.isArray(spec['runs']) ? spec['runs'][runIndex] : undefined;
  const own = isRecord(run) && isRecord(run['training']) ? run['training']['batchSize'] : undefined;
  const asked = own ?? training['batchSize'] ?? 'full';
  const batch = typeof asked === 'number' ? Math.min(asked, rows) : rows;
  const batches =
    training['dropLast'] === true ? Math.floor(rows / batch) : Math.ceil(rows / batch);
  return training['epochs'] * Math.max(1, batches);
}

export function mayTakeLong(spec: Record<string, unknown>, folders: FolderStore): boolean {
  const work = trainingWork(spec, folders);
  return work !== null && work >= LONG_RUN_WORK;
}
