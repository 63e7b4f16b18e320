import { MAX_SEED } from '@optlab/models';
import * as z from 'zod';
import { LIMITS } from './limits.js';
import { diagnosticsSchema } from './diagnostics-schema.js';
import { runOptimizerFields } from './run-optimizer-schema.js';

/**
 * The experiment spec's structure, as a zod schema. It checks shapes and types; what depends on
 * the registries (optimizer, schedule, dataset and function names and their options) is checked
 * by `validate.ts` against the registries themselves, so both lists stay in one place.
 *
 * Spec versions: `version: 1` is the only one. A future incompatible change adds version 2 and
 * an upgrade function; a document without `version` is refused rather than guessed at.
 */

const finite = z.number();
const name = z.string().trim().min(1).max(LIMITS.nameLength);

/** `{ "type": "Adam", "lr": 0.01, ... }`: the type names a registry entry, the rest are its options. */
const typed = (what: string) =>
  z.looseObject({
    type: z.string().min(1).describe(`${what} name`),
  });

export const optimizerConfigSchema = typed('Optimizer').meta({
  id: 'OptimizerConfig',
  description: 'An optimizer: its registry name in "type", its options beside it.',
});
export const scheduleConfigSchema = typed('Schedule').meta({
  id: 'ScheduleConfig',
  description: 'A learning-rate schedule: its registry name in "type", its options beside it.',
});
export const averagingConfigSchema = typed('Averaging').meta({
  id: 'AveragingConfig',
  description:
    'Weight averaging ("ema" or "swa") and its options beside it: evaluations and final metrics use the averaged weights, training continues on the raw ones.',
});
export const datasetConfigSchema = typed('Dataset').meta({
  id: 'DatasetConfig',
  description: 'A dataset: its registry name in "type", its options beside it.',
});
export const functionConfigSchema = typed('Function').meta({
  id: 'FunctionConfig',
  description: 'A test function: its registry name in "type", its options beside it.',
});

const vector = z.array(finite).min(1);
/** A start point: a vector, or a matrix (rows of equal length) for a 2-D parameter. */
const startPoint = z.union([vector, z.array(vector).min(1)]);

export const functionTaskSchema = z.strictObject({
  kind: z.literal('function'),
  function: functionConfigSchema,
  start: startPoint
    .optional()
    .describe(
      "Start point (default: the function's own): a vector, or a matrix (e.g. 4×3) to train a 2-D parameter, as Adafactor factors.",
    ),
});

export const modelConfigSchema = typed('Model').meta({
  id: 'ModelConfig',
  description:
    'A model: its registry name in "type" (linear-regression, mlp, logistic-regression), its options beside it.',
});

const testFraction = z.number().min(0).max(0.9).default(0);
const validationFraction = z
  .number()
  .min(0)
  .max(0.9)
  .default(0)
  .describe(
    'Fraction of the training rows held out as a validation set (after the test split, seeded): the protocol selects configurations on it.',
  );

export const regressionTaskSchema = z.strictObject({
  kind: z.literal('regression'),
  dataset: datasetConfigSchema,
  model: modelConfigSchema.default({ type: 'linear-regression' }),
  testFraction,
  validationFraction,
  standardize: z.boolean().default(false),
});

export const classificationTaskSchema = z.strictObject({
  kind: z.literal('classification'),
  dataset: datasetConfigSchema,
  model: modelConfigSchema,
  testFraction,
  validationFraction,
  standardize: z.boolean().default(false),
});

export const taskSchema = z.discriminatedUnion('kind', [
  functionTaskSchema,
  regressionTaskSchema,
  classificationTaskSchema,
]);

export const trainingSchema = z
  .strictObject({
    epochs: z.int().min(1).max(LIMITS.epochs).optional(),
    steps: z.int().min(1).max(LIMITS.steps).optional(),
    batchSize: z
      .union([z.int().min(1).max(LIMITS.batchSize), z.literal('full')])
      .default('full')
      .describe('Samples per step, or "full" for full-batch gradient descent.'),
    shuffle: z
      .boolean()
      .default(true)
      .describe('Reshuffle the training set each epoch (seeded by the run seed).'),
    dropLast: z
      .boolean()
      .optional()
      .describe(
        'Drop the last minibatch of an epoch when it is smaller than batchSize, as DeepOBS does (default false: keep it).',
      ),
    targetLoss: finite
      .optional()
      .describe('Time-to-target is the first evaluation at or below it.'),
    evalEvery: z
      .int()
      .min(1)
      .default(1)
      .describe('Evaluate the full training loss every N epochs (or every N steps with "steps").'),
    scheduleInterval: z
      .enum(['epoch', 'step'])
      .default('epoch')
      .describe('When the schedule steps: after each epoch or after each optimizer step.'),
    logEvery: z
      .int()
      .min(0)
      .default(0)
      .describe('Emit a step event with the minibatch loss every N steps (0: none).'),
  })
  .superRefine((t, ctx) => {
    if ((t.epochs === undefined) === (t.steps === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'give exactly one of "epochs" or "steps"',
      });
    }
  });

export const BACKENDS = ['cpu', 'cpu64', 'gpu'] as const;

/**
 * A seed: an integer 0 … 2³¹ − 1, exactly the seeds that give different random streams (`Rng`
 * keeps `seed | 0`); 2³², 2⁵³ or 1e300 would silently repeat another seed. Datasets' `seed`
 * option has the same range (@optlab/models' MAX_SEED).
 */
const seedSchema = z
  .int()
  .min(0)
  .max(MAX_SEED)
  .describe('Integer 0 … 2^31 − 1; each gives its own random stream.');

/** What a run may override of the experiment's training (a sweep may vary it). */
export const runTrainingSchema = z
  .strictObject({
    batchSize: z
      .union([z.int().min(1).max(LIMITS.batchSize), z.literal('full')])
      .optional()
      .describe("This run's batch size, in place of training.batchSize."),
  })
  .describe("What this run changes of the experiment's training.");

/** What a run may override of the task's model (a sweep may vary it). */
export const runModelSchema = z
  .strictObject({
    init: z
      .string()
      .min(1)
      .optional()
      .describe("This run's weight initialisation, in place of the model's init."),
  })
  .describe("What this run changes of the task's model.");

const sweepNumber = z.number().refine(Number.isFinite, 'must be a finite number');
/**
 * One swept option: a list of values, a log or linear grid `[lo, hi, n]` (n points, both ends
 * included), or a random dimension drawn `trials` times (see ../sweep/expand.ts).
 */
export const sweepValuesSchema = z.union([
  z.array(z.unknown()).max(LIMITS.expandedRuns).describe('The values, in order.'),
  z
    .strictObject({ logspace: z.tuple([sweepNumber, sweepNumber, z.int().min(1)]) })
    .describe('n values spaced evenly in log10 from lo to hi (both included); lo, hi > 0.'),
  z
    .strictObject({ linspace: z.tuple([sweepNumber, sweepNumber, z.int().min(1)]) })
    .describe('n values spaced evenly from lo to hi (both included).'),
  z
    .strictObject({
      random: z.union([
        z.strictObject({ loguniform: z.tuple([sweepNumber, sweepNumber]) }),
        z.strictObject({ uniform: z.tuple([sweepNumber, sweepNumber]) }),
      ]),
      trials: z.int().min(1).max(LIMITS.expandedRuns),
      seed: z
        .int()
        .min(0)
        .max(MAX_SEED)
        .default(0)
        .describe('Seed of the draws; every random dimension of a sweep states the same one.'),
    })
    .describe(
      'Random search: `trials` draws, log-uniform or uniform on [lo, hi]; the random dimensions of one sweep are drawn together, trial by trial.',
    ),
]);

export const sweepSchema = z
  .record(z.string(), sweepValuesSchema)
  .describe(
    'Options to sweep, by dotted path into the run: "optimizer.lr", "schedule.gamma", "training.batchSize", "model.init". Grids combine as a Cartesian product.',
  );

export const SELECT_METRICS = ['validation-loss', 'validation-accuracy', 'final-loss'] as const;
export const REPORT_METRICS = ['test-accuracy', 'test-loss', 'final-loss'] as const;

/**
 * How a comparison picks each run's best configuration and reports it (DeepOBS): every
 * configuration trains on `tuneSeeds`, the best by `select` is rerun on `rerunSeeds` (a count:
 * that many seeds after the largest tune seed), and `report` is measured on the reruns.
 */
export const protocolSchema = z
  .strictObject({
    select: z
      .strictObject({
        metric: z
          .enum(SELECT_METRICS)
          .optional()
          .describe(
            'What picks the best configuration (default: validation-loss with a validation split, else final-loss).',
          ),
        reduce: z
          .enum(['final', 'best'])
          .default('final')
          .describe('The metric at the end of training, or its best over the evaluations.'),
      })
      .default({ reduce: 'final' }),
    tuneSeeds: z.array(seedSchema).min(1).max(LIMITS.seedsPerRun).default([0]),
    rerunSeeds: z
      .union([z.int().min(0).max(LIMITS.seedsPerRun), z.array(seedSchema).max(LIMITS.seedsPerRun)])
      .default(5)
      .describe(
        'Seeds the best configuration is rerun on: a count (the seeds after the largest tune seed) or a list; 0 reports the tuning runs.',
      ),
    report: z
      .enum(REPORT_METRICS)
      .optional()
      .describe(
        'The metric reported and compared (default: test-accuracy for classification with a test split, test-loss for regression with one, else final-loss).',
      ),
  })
  .describe('How each run picks its best configuration and how it is reported.');

export const runSchema = z
  .strictObject({
    name,
    optimizer: optimizerConfigSchema,
    schedule: scheduleConfigSchema.optional(),
    averaging: averagingConfigSchema.optional(),
    diagnostics: diagnosticsSchema.optional(),
    training: runTrainingSchema.optional(),
    model: runModelSchema.optional(),
    sweep: sweepSchema.optional(),
    backend: z
      .enum(BACKENDS)
      .default('cpu')
      .describe('cpu: float32 typed arrays; cpu64: float64; gpu: gpu.js kernels (float32).'),
    gpuMode: z.string().optional().describe('gpu.js mode for backend "gpu".'),
    seed: seedSchema.optional(),
    seeds: z.array(seedSchema).min(1).max(LIMITS.seedsPerRun).optional(),
    ...runOptimizerFields,
  })
  .superRefine((r, ctx) => {
    if (r.seed !== undefined && r.seeds !== undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give "seed" or "seeds", not both' });
    }
  });

export const experimentSpecSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1),
    name,
    description: z.string().optional(),
    task: taskSchema,
    training: trainingSchema,
    runs: z.array(runSchema).min(1).max(LIMITS.runs),
    protocol: protocolSchema.optional(),
  })
  .meta({
    id: 'ExperimentSpec',
    title: 'OptLab experiment spec',
    description:
      'A task, how to train on it, and the runs (optimizer, schedule, backend, seeds) to compare.',
  });

export const suiteSpecSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1),
    kind: z.literal('suite'),
    name,
    description: z.string().optional(),
    tuningBudget: z
      .string()
      .min(1)
      .describe('How much hyperparameter tuning the runs got, stated with the results.'),
    experiments: z.array(experimentSpecSchema).min(1).max(LIMITS.experimentsPerSuite),
  })
  .meta({
    id: 'SuiteSpec',
    title: 'OptLab benchmark suite',
    description: 'Several experiment specs run one after the other, with the tuning budget stated.',
  });

export type ExperimentSpecInput = z.input<typeof experimentSpecSchema>;
export type ExperimentSpec = z.output<typeof experimentSpecSchema>;
export type SuiteSpec = z.output<typeof suiteSpecSchema>;
export type SuiteSpecInput = z.input<typeof suiteSpecSchema>;
export type TaskSpec = ExperimentSpec['task'];
export type FunctionTaskSpec = z.output<typeof functionTaskSchema>;
export type RegressionTaskSpec = z.output<typeof regressionTaskSchema>;
export type ClassificationTaskSpec = z.output<typeof classificationTaskSchema>;
export type TrainingSpec = ExperimentSpec['training'];
export type RunSpec = ExperimentSpec['runs'][number];
export type SweepSpec = z.output<typeof sweepSchema>;
export type SweepValues = z.output<typeof sweepValuesSchema>;
export type ProtocolSpec = z.output<typeof protocolSchema>;
export type SelectMetric = (typeof SELECT_METRICS)[number];
export type ReportMetric = (typeof REPORT_METRICS)[number];
export type BackendName = (typeof BACKENDS)[number];
export type TypedConfig = { type: string } & Record<string, unknown>;
