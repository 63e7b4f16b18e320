import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import {
  runExperiment,
  validateDocument,
  defaultCatalog,
  type ExperimentSpec,
  type RunMetrics,
} from '@optlab/experiment';
import { loadDataFiles } from '@optlab/experiment/node';
import { currentLoad } from './environment.js';
import { toCase } from './results.js';
import { summarize } from './stats.js';
import type { Suite } from './suite.js';

/** Where Debian's dataset-fashion-mnist puts the four IDX files (the dataset's default folder). */
const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
const SPEC_FILE = fileURLToPath(
  new URL('../../../examples/deepobs-fmnist-mlp.json', import.meta.url),
);

/**
 * Issue 13's epoch figure: one full epoch of DeepOBS's fmnist_mlp (784 → 1000 → 500 → 100 → 10,
 * 60,000 images, batch 128, Adam) as `optlab run examples/deepobs-fmnist-mlp.json` trains it, on
 * the default float32 CPU path, in process. The figure is the run's own wall time (its clock
 * starts after the untimed warm-up and covers the training steps and the evaluations); loading
 * and parsing the IDX files is outside it. Whole epochs are long samples: 1 round with --quick,
 * else 3. There is no peer: tfjs has no DeepOBS task to run.
 */
async function loadSpec(): Promise<ExperimentSpec> {
  const doc = validateDocument(JSON.parse(readFileSync(SPEC_FILE, 'utf8')), defaultCatalog());
  if (!doc.ok) throw new Error(`bench epoch: ${SPEC_FILE} does not validate`);
  const loaded = await loadDataFiles(doc.value, { specDir: dirname(SPEC_FILE) });
  if (!loaded.ok || loaded.value.kind !== 'experiment') {
    throw new Error(`bench epoch: could not read the data of ${SPEC_FILE}`);
  }
  return loaded.value.spec;
}

async function oneEpoch(spec: ExperimentSpec): Promise<RunMetrics> {
  let metrics: RunMetrics | null = null;
  for await (const e of runExperiment(spec)) if (e.type === 'end') metrics = e.metrics;
  if (!metrics) throw new Error('bench epoch: the run did not end');
  return metrics;
}

export const epochSuite: Suite = {
  id: 'epoch',
  title: "A full epoch of DeepOBS's fmnist_mlp on Fashion-MNIST (60,000 images, batch 128, Adam)",
  async run({ measure, log }) {
    if (!existsSync(FASHION_MNIST)) {
      return {
        id: 'epoch',
        title: this.title,
        cases: [],
        notes: [
          `skipped: ${FASHION_MNIST} is absent (tools/scripts/setup.sh installs Debian's dataset-fashion-mnist)`,
        ],
      };
    }
    const spec = await loadSpec();
    const rounds = measure.rounds <= 3 ? 1 : 3;
    const loadStart = currentLoad();
    const ms: number[] = [];
    let last: RunMetrics | null = null;
    for (let round = 0; round < rounds; round++) {
      log(`epoch: round ${round + 1}/${rounds} (one fmnist_mlp epoch)`);
      last = await oneEpoch(spec);
      ms.push(last.wallTimeMs);
    }
    const c = toCase(
      'fmnist_mlp, 1 epoch (469 steps of 128) + test evaluation, cpu float32',
      's',
      'lower',
      [{ id: 'optlab', label: 'OptLab', msPerOp: ms, summary: summarize(ms) }],
      (t) => t / 1000,
      [],
      {
        device: last!.device,
        'test accuracy': Number((last!.testAccuracy ?? NaN).toFixed(4)),
        'steps per second': Number(last!.stepsPerSecond.toFixed(1)),
        'load average at start': Number(loadStart.toFixed(2)),
        'load average at end': Number(currentLoad().toFixed(2)),
      },
    );
    return {
      id: 'epoch',
      title: this.title,
      cases: [c],
      notes: [
        'The run’s own wall time (after its untimed warm-up); reading the IDX files is outside it.',
      ],
    };
  },
};
