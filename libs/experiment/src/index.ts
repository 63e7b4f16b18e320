/**
 * @optlab/experiment — experiment specs (zod schema, validation with JSON paths, JSON Schema
 * export), the runner (an async iterator of events, cancellable, free of Node APIs so that it
 * runs in a Web Worker), metrics, CSV export and the built-in benchmark suites.
 *
 * Files live in the Node-only entry `@optlab/experiment/node` (result folders, reading specs).
 * See docs/decisions/0006-experiment-spec-and-runner.md.
 */
export * from './spec/schema.js';
export { LIMITS } from './spec/limits.js';
export { SpecError, formatIssue, formatPath } from './spec/issues.js';
export type { SpecIssue, PathSegment } from './spec/issues.js';
export type {
  Catalog,
  CatalogEntry,
  DatasetEntry,
  OptionDescription,
  StructuredItemType,
} from './spec/catalog.js';
export { defaultCatalog, GPU_MODE_NAMES } from './spec/default-catalog.js';
export {
  validateSpec,
  validateSuite,
  validateDocument,
  parseDocumentText,
  assertSpec,
  checkScheduleOptions,
} from './spec/validate.js';
export type { Validation, SpecDocument } from './spec/validate.js';
export { rerunSeedsOf, trainingsOf } from './spec/validate-sweep.js';
export {
  expandSweeps,
  applyValues,
  parseSweepPath,
  sweepSize,
  specOfConfigurations,
  type Configuration,
  type ConfigurationGroup,
  type Expansion,
} from './sweep/expand.js';
export { gridValues, randomDraws, type RandomDimension } from './sweep/grid.js';
export { formatSweepNumber, formatDimension } from './sweep/names.js';
export { resolveProtocol, type ResolvedProtocol } from './protocol/resolve.js';
export { gridEdges, gridEdgeText, type GridEdge } from './protocol/grid-edges.js';
export { divergedResults, divergedInSearch } from './protocol/reported-runs.js';
export { verdictSummary } from './protocol/verdict-summary.js';
export {
  analyzeComparison,
  selectBest,
  selectionScore,
  metricValue,
  metricWords,
  REPORTED_STAT,
  directionOf,
  SUMMARIZED_METRICS,
  type ComparisonAnalysis,
  type ConfigurationAnalysis,
  type GroupAnalysis,
  type PairComparison,
  type SummarizedMetric,
} from './protocol/analysis.js';
export {
  runComparison,
  comparisonSummary,
  hasRerunPhase,
  selectedConfigurations,
  tuningSpec,
  type ComparisonOptions as RunComparisonOptions,
  type ComparisonTiming,
  type PhaseExecutor,
} from './runner/protocol.js';
export { parseJsonText, locateJsonError, lineAndColumn } from './spec/json-text.js';
export { experimentJsonSchema } from './spec/json-schema.js';

export * from './runner/events.js';
export {
  runExperiment,
  runToSummary,
  seedsOf,
  describeTask,
  runLabel,
  selectUnits,
  experimentStart,
} from './runner/run.js';
export type { RunnerOptions, RunProgress } from './runner/run.js';
export { unitsOf, type RunUnit } from './runner/units.js';
export { parseShard, shardUnits, formatShard, MAX_SHARDS, type Shard } from './runner/shard.js';
export { UnitRunner, WARM_UP, type UnitRunnerOptions } from './runner/unit-runner.js';
export { summarize } from './runner/summary.js';
export { Cancelled } from './runner/train-loop.js';
export { PausableClock } from './runner/clock.js';
export { DIVERGENCE_FACTOR, DIVERGENCE_FLOOR, divergenceLimit } from './runner/divergence.js';
export {
  MAX_TRAJECTORY_EVENT_BYTES,
  TRAJECTORY_FULL_LIMIT,
  logParams,
  type LoggedParams,
} from './runner/trajectory.js';
export { stepSizeOf, type StepSize } from './runner/learning-rate.js';
export type { TrainingTask, TaskStart, Evaluation } from './runner/training-task.js';
export {
  DEFAULT_BOUNDARY_SIZE,
  classify as classifyLogits,
  gridPoints,
} from './runner/boundary.js';
export {
  DEFAULT_REPORT_SAMPLES,
  MAX_REPORT_SAMPLES,
  classificationReport,
  type ClassificationReport,
  type MisclassifiedSample,
} from './runner/classification-report.js';
export { createBackend, BackendPool } from './runner/backends.js';
export type { BackendFactory, BackendRequest } from './runner/backends.js';
export { prepareTask, SPLIT_SEED, VALIDATION_SPLIT_SEED } from './runner/prepared-task.js';
export type { PreparedTask, PreparedData, PreparedFunction } from './runner/prepared-task.js';

export { epochsToConverge, bestOf, timeToTarget } from './metrics/loss-curve.js';
export type { LossPoint, TargetHit } from './metrics/loss-curve.js';
export { spreadOf, quantileSorted } from './metrics/spread.js';
export type { Spread } from './metrics/spread.js';
export { aggregateRuns } from './metrics/aggregate.js';
export {
  DEFAULT_TAUS,
  performanceProfile,
  performanceRatios,
  suiteProfile,
  targetCosts,
  type OptimizerProfile,
  type PerformanceProfile,
  type ProfileMeasure,
  type ProfileTask,
} from './metrics/performance-profile.js';
export { leastSquares, type LeastSquares } from './metrics/least-squares.js';
export { toCsv, parseCsvLine, CSV_COLUMNS } from './results/csv.js';
export { TIMING_FIELDS, TIMING_COLUMNS, withoutTiming } from './results/timing.js';
export * from './stats/index.js';
export * from './suites/index.js';
export { DEEPOBS_PROBLEMS, deepobsExperiment } from './deepobs/problems.js';
export type {
  DeepobsExperimentOptions,
  DeepobsProblem,
  DeepobsProblemName,
} from './deepobs/problems.js';
export {
  LR_FIND_DEFAULTS,
  LR_FIND_MAX_STEPS,
  LossSmoother,
  LrRangeRecorder,
  checkLrFindOptions,
  lrAt,
  lrRangeTest,
  suggestLrs,
  suggestionSpread,
} from './lr-find/range-test.js';
export type {
  LrFindOptions,
  LrFindPoint,
  LrFindResult,
  LrFindStop,
  LrSuggestion,
  LrSuggestions,
} from './lr-find/range-test.js';
export { lrFindPlot } from './lr-find/plot.js';
export { runLrFind, LrFindError } from './lr-find/run-lr-find.js';

// Training diagnostics (per-parameter norms, sharpness) and loss landscapes.
export {
  flatLayoutOf,
  readWeights,
  readGradients,
  writeWeights,
  writeGradients,
  type FlatLayout,
} from './diagnostics/flat-weights.js';
export {
  machineEpsilon,
  withWeightsRestored,
  type WeightObjective,
} from './diagnostics/objective.js';
export {
  topHessianEigenvalue,
  hessianVectorProduct,
  type GradientFunction,
  type Sharpness,
  type SharpnessOptions,
} from './diagnostics/sharpness.js';
export { layerNorms, type LayerNorms } from './diagnostics/layer-norms.js';
export {
  diagnosticsSchema,
  SHARPNESS_DEFAULTS,
  SHARPNESS_LIMITS,
  type DiagnosticsSpec,
} from './spec/diagnostics-schema.js';
export { filterNormalizedDirection, projectOntoPlane } from './landscape/directions.js';
export {
  LANDSCAPE_DEFAULTS,
  LANDSCAPE_LIMITS,
  LandscapeError,
  interpolationAlphas,
  linspace,
  resolveLandscapeOptions,
  sliceCoordinates,
  type LandscapeOptions,
} from './landscape/grid.js';
export {
  computeLandscape,
  type LandscapeProgress,
  type LandscapeResult,
  type LandscapeRunOptions,
  type TrajectoryPoint,
} from './landscape/run-landscape.js';
