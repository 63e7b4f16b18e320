import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  assertSpec,
  defaultCatalog,
  runComparison,
  trainingsOf,
  withoutTiming,
  type ExperimentEvent,
  type ExperimentSpec,
} from '@optlab/experiment';
import { ExperimentPool } from '@optlab/experiment/node';
import { currentLoad } from './environment.js';
import { summarize } from './stats.js';
import { toCase } from './results.js';
import type { Suite } from './suite.js';

const SPEC_FILE = fileURLToPath(
  new URL('../../../examples/tuned-comparison.json', import.meta.url),
);

/**
 * Issue 10's parallel runs, on the workload they exist for: examples/tuned-comparison.json
 * itself — SGD, Momentum, Adam, NAdam and AdamW, 11 learning rates each on one log grid (55
 * tuning runs on seed 0), each optimizer's best rerun on 5 seeds (25 runs), an MLP 30 → 16 → 2
 * on breast cancer (5 epochs with --quick) — run as `optlab run --jobs N` runs it:
 * `runComparison` with both phases on one `ExperimentPool` of N worker threads. Rounds
 * interleave (1 then 2, then 2 then 1, …). Both sides start a fresh pool every time, as a fresh
 * process would: thread start-up, module loading and every run's untimed warm-up are inside the
 * figure. The events of both are compared without their timing fields: they must be identical.
 *
 * Each pool then runs the same comparison a second time: the **warm** figure. Its threads have
 * loaded the modules and V8 has compiled the training code, so it shows what a second core gives
 * a long experiment, where start-up is amortised — the ceiling for the cold figure.
 */
function benchSpec(quick: boolean): ExperimentSpec {
  const doc = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as { training: { epochs: number } };
  if (quick) doc.training.epochs = 5;
  return assertSpec(doc, defaultCatalog());
}

interface Timed {
  cold: number;
  warm: number;
  events: ExperimentEvent[];
}

/** One fresh pool: the comparison's wall time from `new ExperimentPool`, then again on it, warm. */
async function timeExperiment(spec: ExperimentSpec, jobs: number): Promise<Timed> {
  const t0 = performance.now();
  const pool = new ExperimentPool({ jobs });
  try {
    const execute = (s: ExperimentSpec, o: { units?: readonly number[]; signal?: AbortSignal }) =>
      pool.run(s, o);
    const events: ExperimentEvent[] = [];
    for await (const e of runComparison(spec, { execute })) events.push(e);
    const cold = performance.now() - t0;
    const t1 = performance.now();
    const again: ExperimentEvent[] = [];
    for await (const e of runComparison(spec, { execute })) again.push(e);
    const warm = performance.now() - t1;
    if (JSON.stringify(withoutTiming(again)) !== JSON.stringify(withoutTiming(events))) {
      throw new Error(`bench parallel: a second run on the --jobs ${jobs} pool gave other results`);
    }
    return { cold, warm, events };
  } finally {
    await pool.close();
  }
}

export const parallelSuite: Suite = {
  id: 'parallel',
  title: 'Parallel runs: examples/tuned-comparison.json on 2 worker threads vs 1 (wall time)',
  async run({ measure, log }) {
    const quick = measure.rounds <= 3;
    const spec = benchSpec(quick);
    // Whole experiments are long samples: at most 5 rounds.
    const rounds = Math.min(measure.rounds, 5);
    const loadStart = currentLoad();
    const times: Record<'cold' | 'warm', Record<'1' | '2', number[]>> = {
      cold: { '1': [], '2': [] },
      warm: { '1': [], '2': [] },
    };
    let identical = true;
    for (let round = 0; round < rounds; round++) {
      const order: (1 | 2)[] = round % 2 === 0 ? [1, 2] : [2, 1];
      const seen: Partial<Record<1 | 2, ExperimentEvent[]>> = {};
      for (const jobs of order) {
        log(`parallel: round ${round + 1}/${rounds}, --jobs ${jobs}`);
        const { cold, warm, events } = await timeExperiment(spec, jobs);
        times.cold[jobs].push(cold);
        times.warm[jobs].push(warm);
        seen[jobs] = events;
      }
      const [a, b] = [
        JSON.stringify(withoutTiming(seen[1])),
        JSON.stringify(withoutTiming(seen[2])),
      ];
      if (a !== b) identical = false;
    }
    const loadEnd = currentLoad();
    const measured = (phase: 'cold' | 'warm') =>
      (['2', '1'] as const).map((jobs) => ({
        id: `jobs-${jobs}`,
        label: `--jobs ${jobs}`,
        msPerOp: times[phase][jobs],
        summary: summarize(times[phase][jobs]),
      }));
    const workload = `examples/tuned-comparison.json: ${trainingsOf(spec)} runs (5 optimizers × 11 lr + 5 × 5 reruns, MLP 30→16→2 on breast cancer, ${spec.training.epochs} epochs each)`;
    const details = {
      'identical results (timing fields aside)': identical ? 'yes' : 'NO',
      cores: availableParallelism(),
      'load average at start': Number(loadStart.toFixed(2)),
      'load average at end': Number(loadEnd.toFixed(2)),
    };
    const cold = toCase(
      `${workload}, fresh pool`,
      'ms',
      'lower',
      measured('cold'),
      (ms) => ms,
      [{ peer: 'jobs-1', ratio: 0.6, source: 'issue 10' }],
      details,
    );
    const warm = toCase(
      `the same again on that pool (threads started, code compiled)`,
      'ms',
      'lower',
      measured('warm'),
      (ms) => ms,
    );
    if (!identical) throw new Error('bench parallel: --jobs 2 gave other results than --jobs 1');
    return {
      id: 'parallel',
      title: this.title,
      cases: [cold, warm],
      notes: [
        'Both sides start a fresh pool each round (start-up, module loading and warm-ups included); both phases share it, as in optlab run.',
        'The second case reruns the comparison on the same pool: no thread start, no module loading, training code already compiled by V8. It is what a second core gives once start-up is amortised.',
        'On 2 cores the ideal ratio is 0.5; other processes on the machine push it up (see the load average).',
      ],
    };
  },
};
