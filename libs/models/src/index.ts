/**
 * @optlab/models — layers, losses, models, test functions and datasets, written against
 * @optlab/tensor's Backend interface only (they run unchanged on every backend).
 *
 * - Layers (`Dense`, `Tanh`, `ReLU`, `Sigmoid`, `GELU`, `Sequential`) with forward and backward
 *   written out; losses (`MSELoss`, `SoftmaxCrossEntropy`, `BinaryCrossEntropy`).
 * - Models behind one small interface (`Model`: parameters, predict, loss, lossAndGrad,
 *   accuracy): `LinearRegression` (the tutorial's), `MLP`, `LogisticRegression`; `MODELS` and
 *   `createModel` for specs.
 * - Test functions with analytic gradients (`FUNCTIONS`, `createFunction`) and
 *   `FunctionObjective`, which lets an optimizer train on one.
 * - Seeded datasets (`DATASETS`, `loadDataset`), CSV parsing, train/test split, standardisation
 *   and minibatch sampling.
 *
 * See docs/decisions/0005-models-and-datasets.md.
 */
export type { OptionInfo, OptionProblem } from './options.js';
export { ModelsError, resolveOptions } from './options.js';

// layers and losses
export type { Layer } from './layers/layer.js';
export { Dense } from './layers/dense.js';
export type { DenseOptions } from './layers/dense.js';
export { Tanh, ReLU, Sigmoid, GELU, ACTIVATIONS, activationLayer } from './layers/activations.js';
export type { Activation } from './layers/activations.js';
export { Sequential } from './layers/sequential.js';
export { Conv2d } from './layers/conv2d.js';
export type { Conv2dLayerOptions } from './layers/conv2d.js';
export { MaxPool2d, AvgPool2d } from './layers/pool2d.js';
export { Flatten } from './layers/flatten.js';
export { Dropout } from './layers/dropout.js';
export type { DropoutOptions } from './layers/dropout.js';
export { INITIALIZERS, INITIALIZER_DOCS, initWeights } from './layers/init.js';
export type { Initializer } from './layers/init.js';
export type { Loss, LossResult } from './losses/loss.js';
export { MSELoss } from './losses/mse.js';
export { SoftmaxCrossEntropy } from './losses/softmax-cross-entropy.js';
export { BinaryCrossEntropy } from './losses/binary-cross-entropy.js';

// models
export type { Model, Task } from './models/model.js';
export { accuracyFromLogits } from './models/model.js';
export { LinearRegression } from './models/linear-regression.js';
export type { LinearRegressionOptions } from './models/linear-regression.js';
export { MLP } from './models/mlp.js';
export type { MLPOptions } from './models/mlp.js';
export { LogisticRegression } from './models/logistic-regression.js';
export type { LogisticRegressionOptions } from './models/logistic-regression.js';
export { CNN, CNN_EVAL_ROWS } from './models/cnn.js';
export { QuadraticDeep } from './models/quadratic-deep.js';
export type { CNNOptions } from './models/cnn.js';
export {
  CNN_LAYER_TYPES,
  CNN_LAYERS,
  CNN_LIMITS,
  checkCnnLayers,
  planCnn,
} from './models/cnn-layers.js';
export type { CnnLayerField, CnnLayerInfo, CnnLayerSpec, CnnPlan } from './models/cnn-layers.js';
export {
  MODELS,
  checkModelOptions,
  modelDataProblem,
  createModel,
  modelParameterCount,
  modelParameterLayout,
} from './models/registry.js';
export type {
  ModelContext,
  ModelInfo,
  ModelSpec,
  ParameterLayout,
  StructuredOption,
} from './models/registry.js';

// test functions
export type { KnownMinimum, Point, TestFunction } from './functions/test-function.js';
export {
  ackley,
  beale,
  booth,
  himmelblau,
  quadratic,
  rastrigin,
  rosenbrock,
  saddle,
  xSquared,
} from './functions/catalog.js';
export {
  FUNCTIONS,
  checkFunctionOptions,
  createFunction,
  functionDimension,
} from './functions/registry.js';
export type { FunctionInfo, FunctionSpec } from './functions/registry.js';
export {
  ROTATED_QUADRATIC_MAX_DIM,
  eigenComponents,
  geometricSpectrum,
  randomOrthogonal,
  rotatedQuadratic,
} from './functions/rotated-quadratic.js';
export type { RotatedQuadratic, RotatedQuadraticOptions } from './functions/rotated-quadratic.js';
export {
  ExpressionError,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_DIM,
  MAX_EXPRESSION_LENGTH,
  expressionFunction,
  parseExpression,
} from './functions/expression.js';
export type { ParsedExpression } from './functions/expression.js';
export {
  expressionEngineLoaded,
  loadExpressionEngine,
  provideExpressionEngine,
} from './functions/expression-engine.js';
export type { MathjsModule } from './functions/expression-engine.js';
export { FunctionObjective, functionObjective } from './functions/objective.js';
export type { FunctionEvaluation } from './functions/objective.js';

// datasets
export type { Dataset, DatasetTensors } from './datasets/dataset.js';
export { toTensors, subset, classCounts } from './datasets/dataset.js';
export { linearData, randomClassification } from './datasets/synthetic.js';
export { blobs, moons, circles, spirals } from './datasets/shapes2d.js';
export { REAL_DATASETS, loadRealDataset } from './datasets/real.js';
export type { RealDatasetKind } from './datasets/real.js';
export { parseCsvDataset } from './datasets/csv.js';
export { decodeUtf8 } from './datasets/csv-scanner.js';
export type { CsvOptions } from './datasets/csv.js';
export { IDX_MAX_BYTES, gunzipIfNeeded, isGzip, parseIdx } from './datasets/idx.js';
export type { IdxArray } from './datasets/idx.js';
export {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_FOLDER,
  FASHION_MNIST_HINT,
  IDX_FILES,
  idxDataset,
  idxFileName,
  readIdxFolder,
} from './datasets/idx-dataset.js';
export type {
  DatasetFiles,
  IdxDatasetOptions,
  IdxFolder,
  IdxSplit,
} from './datasets/idx-dataset.js';
export { NumpyRandomState } from './datasets/numpy-random.js';
export {
  QUADRATIC_DEEP_DIM,
  quadraticDeepData,
  quadraticDeepHessian,
  quadraticDeepPoints,
} from './datasets/deepobs-quadratic.js';
export type { QuadraticDeepOptions } from './datasets/deepobs-quadratic.js';
export { trainTestSplit } from './datasets/split.js';
export type { SplitOptions } from './datasets/split.js';
export { Standardizer, standardize } from './datasets/standardize.js';
export { BatchSampler } from './datasets/batches.js';
export type { BatchOptions } from './datasets/batches.js';
export {
  DATASETS,
  MAX_DATASET_VALUES,
  MAX_SEED,
  checkDatasetOptions,
  datasetOwnSplits,
  datasetShape,
  loadDataset,
} from './datasets/registry.js';
export type { DatasetInfo, DatasetShape, DatasetSpec } from './datasets/registry.js';
