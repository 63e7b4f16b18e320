/**
 * Weight averaging: an EMA of the weights (timm's ModelEmaV3) and SWA (PyTorch's AveragedModel),
 * kept on the parameters' backend with one fused pass per tensor per update, and swapped into the
 * parameters for evaluation. See docs/averaging.md.
 */
export { WeightAverage, type WeightAverageState, type AverageRule } from './weight-average.js';
export { EMA, EMA_OPTIONS, type EMAOptions } from './ema.js';
export { AveragedModel } from './averaged-model.js';
export { AVERAGING, checkAveragingOptions, type AveragingInfo } from './registry.js';
