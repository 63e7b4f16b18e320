import { MAX_DATASET_VALUES } from '@optlab/models';

/**
 * Upper bounds on sizes a spec may ask for. They keep a typo (`"epochs": 1e9`) from hanging a
 * machine or exhausting memory; each error message states the limit it hit.
 */
export const LIMITS = {
  runs: 64,
  /**
   * Trainings one spec may ask for once its sweeps are expanded: every (configuration, seed)
   * pair of the tuning phase plus every rerun (500 is the lab's 100 × 5 scale target).
   */
  expandedRuns: 5_000,
  seedsPerRun: 100,
  experimentsPerSuite: 20,
  epochs: 100_000,
  steps: 10_000_000,
  batchSize: 1_000_000,
  hiddenLayers: 16,
  hiddenWidth: 8_192,
  /** Trainable parameters of one model (weights and biases together). */
  modelParameters: 50_000_000,
  /** Dimension of a test function's parameter (a quadratic's coefficients). */
  functionDimension: 1_000_000,
  /** Samples of a generated dataset. */
  datasetSamples: 1_000_000,
  /** Features of a generated dataset. */
  datasetFeatures: 100_000,
  /**
   * Values of a generated dataset, n × features ≤ 5e7 (400 MB as float64): each bound alone
   * would allow 1e11. The same bound as @optlab/models' own `MAX_DATASET_VALUES`.
   */
  datasetValues: MAX_DATASET_VALUES,
  /** Entries of a run's `paramGroups`. */
  paramGroups: 64,
  /** Characters of an experiment's, a suite's or a run's name. */
  nameLength: 200,
} as const;
