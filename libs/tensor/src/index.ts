/**
 * @optlab/tensor — OptLab's tensor layer.
 *
 * `Tensor` and `Parameter`, the `Backend` interface every backend implements, the CPU backend
 * (`cpu()`), scopes (`tidy`, `keep`), fused elementwise programs (`defineUpdate`) and the
 * expression emitter code generators share (`emitExpressions`; the CPU backend's WebAssembly SIMD path renders them to wasm), a seeded
 * random number generator (`Rng`) and shape helpers. The backend conformance suite is exported
 * separately as `@optlab/tensor/conformance` (it imports vitest).
 */
export type {
  Backend,
  BackendFactory,
  BackendStats,
  MatmulOptions,
  RandomOptions,
  TensorOrNumber,
} from './backend.js';
export {
  checkGradShape,
  planConv2d,
  planConv2dBackwardInput,
  planConv2dBackwardWeight,
  planPool2d,
  planPool2dBackward,
} from './conv.js';
export type { Conv2dOptions, Conv2dPlan, Pool2dOptions, Pool2dPlan, SpatialPair } from './conv.js';
export { Tensor, Parameter } from './tensor.js';
export { tidy, keep, scopeDepth } from './scope.js';
export { defineUpdate, where, Expr, printExpr, topoOrder } from './fused.js';
export type { ExprNode, FusedProgram, FusedDefinition, Operand } from './fused.js';
export { bindConst, emitExpressions } from './codegen/emit.js';
export type { BoundTemporary, EmittedExpressions, ExprOpTable } from './codegen/emit.js';
export { Rng } from './random.js';
export { TensorError, formatShape } from './errors.js';
export {
  broadcastShapes,
  broadcastStrides,
  flattenNested,
  normalizeAxes,
  normalizeAxis,
  reducedShape,
  resolveReshape,
  resolveTensorInput,
  sameShape,
  sizeOf,
  stridesOf,
} from './shape.js';
export { cpu, CpuBackend, SIMD_MODES } from './cpu/backend.js';
export type { CpuOptions, SimdMode } from './cpu/backend.js';
export { UNARY_OPS, BINARY_OPS, REDUCE_OPS, DTYPES } from './types.js';
export type {
  BinaryOp,
  DType,
  NestedArray,
  ReduceOp,
  Shape,
  TypedArray,
  UnaryOp,
} from './types.js';
export { BINARY_PROGRAMS, BackendBase, UNARY_PROGRAMS, planFusedCall } from './elementwise.js';
export type { FusedCallPlan, OperandLayout } from './elementwise.js';
export {
  checkClassLabels,
  checkCrossEntropyShapes,
  planConcat,
  planGather,
  planSlice,
  planTranspose,
} from './layout.js';
export {
  checkOption,
  checkOptionValues,
  describeDefault,
  lookup,
  optionValue,
  registry,
  showOptionValue,
} from './options.js';
export type { OptionInfo, OptionKind, OptionProblem, OptionValue } from './options.js';
