import { defaultCatalog, validateSpec } from '@optlab/experiment';
import { measureInterleaved } from './harness.js';
import { formatNumber } from './report.js';
import { toCase, type CaseResult } from './results.js';
import type { Suite } from './suite.js';

type Json = Record<string, unknown>;

/** Issue 9's acceptance: a spec with SequentialLR nested 800 deep validates in under 1 s. */
const DEPTH_800_LIMIT_MS = 1000;

const DEPTHS = [100, 400, 800];

/** 64 runs: the schema's limit (LIMITS.runs). */
const MANY_RUNS = 64;

function baseSpec(runs: Json[]): Json {
  return {
    version: 1,
    name: 'bench-validation',
    task: {
      kind: 'regression',
      dataset: { type: 'linear', n: 40, noise: 1, seed: 3 },
      model: { type: 'linear-regression', init: 'normal' },
      testFraction: 0.25,
    },
    training: { epochs: 3, batchSize: 8 },
    runs,
  };
}

/**
 * A run whose schedule is SequentialLR nested `depth` levels deep, as the CLI's fuzzer builds it
 * (apps/cli/test/fuzz/malformed-specs.ts, nestedSchedules): a child schedule is `{ type, options }`,
 * the run's own schedule has its options beside `type`.
 */
export function nestedScheduleSpec(depth: number): Json {
  const sequential = (child: Json): Json => ({
    schedulers: [{ type: 'ConstantLR', options: { factor: 0.5, totalIters: 1 } }, child],
    milestones: [1],
  });
  let child: Json = { type: 'StepLR', options: { stepSize: 2 } };
  for (let i = 1; i < depth; i++) child = { type: 'SequentialLR', options: sequential(child) };
  return baseSpec([
    {
      name: 'nested',
      optimizer: { type: 'Adam', lr: 0.01 },
      schedule: { type: 'SequentialLR', ...sequential(child) },
    },
  ]);
}

/** 64 runs cycling through optimizers and schedules with options, each run its own seed. */
export function manyRunsSpec(): Json {
  const optimizers: Json[] = [
    { type: 'SGD', lr: 0.01, momentum: 0.9, nesterov: true },
    { type: 'Adam', lr: 0.001, betas: [0.9, 0.999], weightDecay: 0.01 },
    { type: 'AdamW', lr: 0.001 },
    { type: 'RMSprop', lr: 0.01, centered: true },
    { type: 'Lion', lr: 1e-4 },
    { type: 'NAdam', lr: 0.002 },
    { type: 'Adan', lr: 0.001 },
    { type: 'AdEMAMix', lr: 0.001 },
  ];
  const schedules: Json[] = [
    { type: 'StepLR', stepSize: 5, gamma: 0.5 },
    { type: 'CosineAnnealingLR', TMax: 10 },
    { type: 'ExponentialLR', gamma: 0.9 },
    {
      type: 'SequentialLR',
      schedulers: [
        { type: 'LinearLR', options: { startFactor: 0.1, totalIters: 2 } },
        { type: 'StepLR', options: { stepSize: 2 } },
      ],
      milestones: [2],
    },
  ];
  const runs = Array.from({ length: MANY_RUNS }, (_, i) => ({
    name: `run-${i}`,
    optimizer: optimizers[i % optimizers.length],
    schedule: schedules[Math.floor(i / optimizers.length) % schedules.length],
    seed: i,
  }));
  return baseSpec(runs);
}

/**
 * `validateSpec` (schema, then the cross-field rules against the default catalog) on parsed JSON:
 * SequentialLR nested 100, 400 and 800 deep (issue 9: validation is linear in the depth; depth
 * 800 under 1 s) and a spec at the 64-run limit. Each spec must validate before it is timed.
 */
export const validationSuite: Suite = {
  id: 'validation',
  title: 'validateSpec on parsed JSON (ms per validation, lower is better)',
  async run(ctx) {
    const catalog = defaultCatalog();
    const specs: [string, Json][] = [
      ...DEPTHS.map((d): [string, Json] => [
        `SequentialLR nested ${d} deep`,
        nestedScheduleSpec(d),
      ]),
      [`${MANY_RUNS} runs`, manyRunsSpec()],
    ];
    const cases: CaseResult[] = [];
    for (const [name, spec] of specs) {
      ctx.log(`validation ${name}`);
      const first = validateSpec(spec, catalog);
      if (!first.ok) {
        throw new Error(
          `bench validation: the "${name}" spec does not validate: ${JSON.stringify(first.issues.slice(0, 5))}`,
        );
      }
      const measured = await measureInterleaved(
        [{ id: 'optlab', label: 'OptLab', run: () => validateSpec(spec, catalog) }],
        ctx.measure,
      );
      cases.push(toCase(name, 'ms', 'lower', measured, (ms) => ms));
    }
    const at = (depth: number): number => cases[DEPTHS.indexOf(depth)].optlab.summary.median;
    const deepest = at(800);
    return {
      id: this.id,
      title: this.title,
      cases,
      notes: [
        `issue 9: depth 800 validates in under ${DEPTH_800_LIMIT_MS} ms: ${deepest < DEPTH_800_LIMIT_MS ? 'met' : 'NOT met'} (${formatNumber(deepest)} ms, a benchmark figure, not a timed test).`,
        `linear in depth: ms per level ${DEPTHS.map((d) => `${d}: ${formatNumber(at(d) / d)}`).join(', ')} (equal figures mean linear; fixed costs weigh most at depth 100).`,
      ],
    };
  },
};
