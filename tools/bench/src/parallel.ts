import { availableParallelism } from 'node:os';
import {
  assertSpec,
  defaultCatalog,
  withoutTiming,
  type ExperimentEvent,
  type ExperimentSpec,
} from '@optlab/experiment';
import { runExperimentInPool } from '@optlab/experiment/node';
import { currentLoad } from './environment.js';
import { summarize } from './stats.js';
import { toCase } from './results.js';
import type { Suite } from './suite.js';

/**
 * Issue 10's parallel runs: the wall time of a 4-run experiment (an MLP on a generated dataset,
 * SGD, Momentum, Adam and NAdam, one seed each) on a pool of 2 worker threads against 1, rounds
 * interleaved (1 then 2, then 2 then 1, …). Both sides start fresh worker threads every time, as
 * a fresh `optlab run --jobs N` process would: thread start-up, module loading and every run's
 * untimed warm-up are inside the figure. The events of both are compared without their timing
 * fields: they must be identical.
 */
function benchSpec(quick: boolean): ExperimentSpec {
  return assertSpec(
    {
      version: 1,
      name: 'parallel bench',
      task: {
        kind: 'classification',
        dataset: { type: 'moons', n: 2000, noise: 0.2, seed: 7 },
        model: { type: 'mlp', hidden: [64, 64] },
      },
      training: { epochs: quick ? 3 : 12, batchSize: 32 },
      runs: [
        { name: 'sgd', optimizer: { type: 'SGD', lr: 0.1 } },
        { name: 'momentum', optimizer: { type: 'SGD', lr: 0.05, momentum: 0.9 } },
        { name: 'adam', optimizer: { type: 'Adam', lr: 0.01 } },
        { name: 'nadam', optimizer: { type: 'NAdam', lr: 0.01 } },
      ],
    },
    defaultCatalog(),
  );
}

async function timeExperiment(
  spec: ExperimentSpec,
  jobs: number,
): Promise<{ ms: number; events: ExperimentEvent[] }> {
  const events: ExperimentEvent[] = [];
  const t0 = performance.now();
  for await (const e of runExperimentInPool(spec, { jobs })) events.push(e);
  return { ms: performance.now() - t0, events };
}

export const parallelSuite: Suite = {
  id: 'parallel',
  title: 'Parallel runs: a 4-run experiment on 2 worker threads vs 1 (wall time)',
  async run({ measure, log }) {
    const quick = measure.rounds <= 3;
    const spec = benchSpec(quick);
    // Whole experiments are long samples: at most 5 rounds.
    const rounds = Math.min(measure.rounds, 5);
    const loadStart = currentLoad();
    const times: Record<'1' | '2', number[]> = { '1': [], '2': [] };
    let identical = true;
    for (let round = 0; round < rounds; round++) {
      const order: (1 | 2)[] = round % 2 === 0 ? [1, 2] : [2, 1];
      const seen: Partial<Record<1 | 2, ExperimentEvent[]>> = {};
      for (const jobs of order) {
        log(`parallel: round ${round + 1}/${rounds}, --jobs ${jobs}`);
        const { ms, events } = await timeExperiment(spec, jobs);
        times[jobs].push(ms);
        seen[jobs] = events;
      }
      const [a, b] = [
        JSON.stringify(withoutTiming(seen[1])),
        JSON.stringify(withoutTiming(seen[2])),
      ];
      if (a !== b) identical = false;
    }
    const loadEnd = currentLoad();
    const measured = (['2', '1'] as const).map((jobs) => ({
      id: `jobs-${jobs}`,
      label: `--jobs ${jobs}`,
      msPerOp: times[jobs],
      summary: summarize(times[jobs]),
    }));
    const c = toCase(
      `4 runs (MLP 2→64→64→2 on moons, ${spec.training.epochs} epochs each)`,
      'ms',
      'lower',
      measured,
      (ms) => ms,
      [{ peer: 'jobs-1', ratio: 0.6, source: 'issue 10' }],
      {
        'identical results (timing fields aside)': identical ? 'yes' : 'NO',
        cores: availableParallelism(),
        'load average at start': Number(loadStart.toFixed(2)),
        'load average at end': Number(loadEnd.toFixed(2)),
      },
    );
    if (!identical) throw new Error('bench parallel: --jobs 2 gave other results than --jobs 1');
    return {
      id: 'parallel',
      title: this.title,
      cases: [c],
      notes: [
        'Both sides start fresh worker threads each round (start-up, module loading and warm-ups included).',
        'On 2 cores the ideal ratio is 0.5; other processes on the machine push it up (see the load average).',
      ],
    };
  },
};
