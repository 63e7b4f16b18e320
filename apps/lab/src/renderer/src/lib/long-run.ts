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

export function mayTakeLong(spec: Record<string, unknown>, folders: FolderStore): boolean {
  const work = trainingWork(spec, folders);
  return work !== null && work >= LONG_RUN_WORK;
}
