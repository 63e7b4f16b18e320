import { bindConst, emitExpressions, stridesOf, type FusedProgram } from '@optlab/tensor';
import type { ExprOpTable, OperandLayout } from '@optlab/tensor';

/**
 * Kernel sources for gpu.js, generated as JavaScript text that gpu.js translates (to GLSL,
 * WGSL, WebAssembly or plain JavaScript, depending on the mode).
 *
 * Every tensor is a flat 1-D buffer in row-major order and every kernel has a 1-D output, so a
 * kernel addresses its inputs with computed flat indices. Shapes, strides and loop bounds are
 * written into the source as literals: each distinct signature compiles once and is cached by its
 * source text. Index arithmetic runs in float on the GL backends, so integer division is written
 * `floor((o + 0.5) / d)`: the half keeps the quotient away from integers, which makes it exact
 * for flat sizes up to a few million elements despite GLSL's inexact division.
 */

/** A kernel to compile: its source, its argument types (gpu.js names) and its output length. */
export interface KernelSpec {
  readonly source: string;
  readonly argumentTypes: Readonly<Record<string, 'Array' | 'Float'>>;
  readonly size: number;
  /** Outputs after the first, for kernel maps (each an expression local of the source). */
  readonly extraOutputs?: readonly string[];
}

/** A helper function kernels call: JavaScript that gpu.js translates, or native GLSL. */
export interface HelperFunction {
  readonly name: string;
  readonly source: string;
  readonly argumentTypes: Readonly<Record<string, 'Number'>>;
  /** GLSL source for the WebGL2 backend (added with `addNativeFunction`). */
  readonly native: boolean;
}

const js = (name: string, args: string[], source: string): HelperFunction => ({
  name,
  source,
  argumentTypes: Object.fromEntries(args.map((a) => [a, 'Number' as const])),
  native: false,
});
const glsl = (name: string, args: string[], source: string): HelperFunction => ({
  ...js(name, args, source),
  native: true,
});

/** Helpers written once in JavaScript, translated for every mode. */
const PORTABLE_HELPERS: readonly HelperFunction[] = [
  // Math.pow with JavaScript's results where GLSL's pow (exp2(y·log2(x))) differs: integral
  // exponents up to 64 by repeated multiplication (exact squares, negative bases), x⁰ = 1,
  // NaN for a negative base with a fractional exponent, and 0 to a negative power = Infinity.
  js(
    'optlabPow',
    ['a', 'b'],
    `function optlabPow(a, b) {
  if (b === 0.0) { return 1.0; }
  if (Math.floor(b) === b && Math.abs(b) <= 64.0) {
    const n = Math.abs(b);
    let r = 1.0;
    for (let i = 0.0; i < 64.0; i++) {
      if (i < n) { r = r * a; }
    }
    if (b < 0.0) { return 1.0 / r; }
    return r;
  }
  if (a < 0.0) { return optlabNaN(); }
  if (a === 0.0) {
    if (b < 0.0) { return optlabInf(); }
    return 0.0;
  }
  return Math.pow(a, b);
}`,
  ),
  // tanh saturates to ±1 in float32 beyond |x| = 9; clamping avoids exp overflow inside GLSL's
  // tanh on some drivers.
  js(
    'optlabTanh',
    ['x'],
    `function optlabTanh(x) {
  return Math.tanh(Math.min(Math.max(x, -15.0), 15.0));
}`,
  ),
  js(
    'optlabSign',
    ['x'],
    `function optlabSign(x) {
  if (x > 0.0) { return 1.0; }
  if (x < 0.0) { return -1.0; }
  return x;
}`,
  ),
];

/** On the JavaScript-like modes (webasm, cpu) Math already has IEEE semantics. */
const JS_IEEE_HELPERS: readonly HelperFunction[] = [
  js(
    'optlabNaN',
    [],
    `function optlabNaN() {
  return 0.0 / 0.0;
}`,
  ),
  js(
    'optlabInf',
    [],
    `function optlabInf() {
  return 1.0 / 0.0;
}`,
  ),
  js(
    'optlabLog',
    ['x'],
    `function optlabLog(x) {
  return Math.log(x);
}`,
  ),
  js(
    'optlabSqrt',
    ['x'],
    `function optlabSqrt(x) {
  return Math.sqrt(x);
}`,
  ),
  js(
    'optlabMax',
    ['a', 'b'],
    `function optlabMax(a, b) {
  return Math.max(a, b);
}`,
  ),
  js(
    'optlabMin',
    ['a', 'b'],
    `function optlabMin(a, b) {
  return Math.min(a, b);
}`,
  ),
  // 1.0 for NaN, else 0.0 (a number: gpu.js helpers return floats on every mode).
  js(
    'optlabIsNaN',
    ['x'],
    `function optlabIsNaN(x) {
  if (x !== x) { return 1.0; }
  return 0.0;
}`,
  ),
];

/**
 * GLSL leaves log/sqrt outside their domain and max/min of NaN undefined, and gpu.js writes
 * `Infinity` as the largest finite float: these natives give NumPy's answers (NaN, ±Infinity)
 * from explicit bit patterns. Each is self-contained: gpu.js does not trace calls between natives.
 */
const GLSL_IEEE_HELPERS: readonly HelperFunction[] = [
  glsl(
    'optlabNaN',
    [],
    `float optlabNaN() {
  return intBitsToFloat(2143289344);
}`,
  ),
  glsl(
    'optlabInf',
    [],
    `float optlabInf() {
  return intBitsToFloat(2139095040);
}`,
  ),
  glsl(
    'optlabLog',
    ['x'],
    `float optlabLog(float x) {
  if (isnan(x) || x < 0.0) { return intBitsToFloat(2143289344); }
  if (x == 0.0) { return -intBitsToFloat(2139095040); }
  return log(x);
}`,
  ),
  glsl(
    'optlabSqrt',
    ['x'],
    `float optlabSqrt(float x) {
  if (isnan(x) || x < 0.0) { return intBitsToFloat(2143289344); }
  return sqrt(x);
}`,
  ),
  glsl(
    'optlabMax',
    ['a', 'b'],
    `float optlabMax(float a, float b) {
  if (isnan(a) || isnan(b)) { return intBitsToFloat(2143289344); }
  return max(a, b);
}`,
  ),
  glsl(
    'optlabMin',
    ['a', 'b'],
    `float optlabMin(float a, float b) {
  if (isnan(a) || isnan(b)) { return intBitsToFloat(2143289344); }
  return min(a, b);
}`,
  ),
  glsl(
    'optlabIsNaN',
    ['x'],
    `float optlabIsNaN(float x) {
  if (isnan(x)) { return 1.0; }
  return 0.0;
}`,
  ),
];

/**
 * WGSL refuses constant expressions that overflow or divide by zero, and gpu.js has no native
 * functions on WebGPU: Infinity and NaN are computed at run time from a variable. WGSL lets an
 * implementation assume finite values: `x !== x` does not detect NaN there (SwiftShader folds
 * it), so `optlabIsNaN` compares with a run-time infinity, and max/min use it.
 */
const WGSL_HELPERS: readonly HelperFunction[] = [
  js('optlabInf', [], 'function optlabInf() {\n  let big = 3.0e38;\n  return big * 10.0;\n}'),
  js(
    'optlabNaN',
    [],
    'function optlabNaN() {\n  let big = 3.0e38;\n  const inf = big * 10.0;\n  return inf - inf;\n}',
  ),
  // Not `x !== x`, which folds to false (see above): NaN is the one value that is neither ≤ nor >
  // infinity, and an infinity computed at run time keeps the compiler from folding the tests.
  js(
    'optlabIsNaN',
    ['x'],
    `function optlabIsNaN(x) {
  let big = 3.0e38;
  const inf = big * 10.0;
  if (x <= inf) { return 0.0; }
  if (x > inf) { return 0.0; }
  return 1.0;
}`,
  ),
  js(
    'optlabLog',
    ['x'],
    `function optlabLog(x) {
  if (x < 0.0 || x !== x) { return optlabNaN(); }
  if (x === 0.0) { return -optlabInf(); }
  return Math.log(x);
}`,
  ),
  js(
    'optlabSqrt',
    ['x'],
    `function optlabSqrt(x) {
  if (x < 0.0 || x !== x) { return optlabNaN(); }
  return Math.sqrt(x);
}`,
  ),
  js(
    'optlabMax',
    ['a', 'b'],
    `function optlabMax(a, b) {
  if (optlabIsNaN(a) > 0.5 || optlabIsNaN(b) > 0.5) { return optlabNaN(); }
  return Math.max(a, b);
}`,
  ),
  js(
    'optlabMin',
    ['a', 'b'],
    `function optlabMin(a, b) {
  if (optlabIsNaN(a) > 0.5 || optlabIsNaN(b) > 0.5) { return optlabNaN(); }
  return Math.min(a, b);
}`,
  ),
];

/** The helpers to register on a GPU instance of a mode, in dependency order. */
export function helperFunctions(mode: string): readonly HelperFunction[] {
  const ieee =
    mode === 'webgl2' ? GLSL_IEEE_HELPERS : mode === 'webgpu' ? WGSL_HELPERS : JS_IEEE_HELPERS;
  return [...ieee, ...PORTABLE_HELPERS];
}

/** A float literal gpu.js reads as a float (never as an integer). */
export function lit(v: number): string {
  if (Number.isNaN(v)) return 'optlabNaN()';
  if (v === Infinity) return 'optlabInf()';
  if (v === -Infinity) return '(-optlabInf())';
  const s = String(v);
  if (/[.e]/i.test(s)) return `(${s})`;
  return `(${s}.0)`;
}

/**
 * How each expression node renders in gpu.js source (the shared emitter walks the tree). Float
 * literals always carry a point, and the ops whose GLSL or WGSL meaning differs from JavaScript's
 * call the mode's helpers above.
 */
const GPU_JS_OPS: ExprOpTable<string> = {
  input: (k) => `v${k}`,
  scalar: (k) => `s${k}`,
  constant: lit,
  unary: {
    neg: (x) => `(-${x})`,
    abs: (x) => `Math.abs(${x})`,
    sign: (x) => `optlabSign(${x})`,
    square: (x) => `(${x} * ${x})`,
    sqrt: (x) => `optlabSqrt(${x})`,
    exp: (x) => `Math.exp(${x})`,
    log: (x) => `optlabLog(${x})`,
    tanh: (x) => `optlabTanh(${x})`,
    sigmoid: (x) => `(1.0 / (1.0 + Math.exp(-${x})))`,
    relu: (x) => `(${x} < 0.0 ? 0.0 : ${x})`,
  },
  binary: {
    add: (a, b) => `(${a} + ${b})`,
    sub: (a, b) => `(${a} - ${b})`,
    mul: (a, b) => `(${a} * ${b})`,
    div: (a, b) => `(${a} / ${b})`,
    pow: (a, b) => `optlabPow(${a}, ${b})`,
    maximum: (a, b) => `optlabMax(${a}, ${b})`,
    minimum: (a, b) => `optlabMin(${a}, ${b})`,
  },
  where: (cond, a, b) => `(${cond} > 0.0 ? ${a} : ${b})`,
  bind: bindConst,
};

/** Lines that split the flat output index `o` into `i0..i{rank-1}` over `shape`. */
function multiIndex(shape: readonly number[], prefix = 'i'): string[] {
  const strides = stridesOf(shape);
  const lines = ['let rest = o;'];
  for (let d = 0; d < shape.length; d++) {
    if (d === shape.length - 1) {
      lines.push(`const ${prefix}${d} = rest;`);
    } else {
      lines.push(`const ${prefix}${d} = Math.floor((rest + 0.5) / ${lit(strides[d])});`);
      lines.push(`rest = rest - ${prefix}${d} * ${lit(strides[d])};`);
    }
  }
  return lines;
}

/** `offset + Σ i_d · strides_d`, skipping zero strides. */
function flatIndex(strides: readonly number[], offset = 0, prefix = 'i'): string {
  const terms = strides.flatMap((s, d) => (s === 0 ? [] : [`${prefix}${d} * ${lit(s)}`]));
  if (offset !== 0 || terms.length === 0) terms.unshift(lit(offset));
  return terms.join(' + ');
}

/** How a fused kernel reads each input (planned by @optlab/tensor's planFusedCall). */
export type Layout = OperandLayout;

/**
 * One kernel per fused program, layout and output shape. With `outputs` naming a single output
 * the kernel returns it; with several, the first is returned and the rest are written through
 * kernel-map sub-kernels (`extraOutputs`).
 */
export function fusedKernel(
  program: FusedProgram,
  layouts: readonly Layout[],
  shape: readonly number[],
  outputs: readonly string[],
): KernelSpec {
  const size = shape.reduce((a, b) => a * b, 1);
  const args = [
    ...program.inputs.map((_, k) => `x${k}`),
    ...program.scalars.map((_, k) => `s${k}`),
  ];
  const lines = ['const o = this.thread.x;'];
  if (layouts.some((l) => l.kind === 'strided')) lines.push(...multiIndex(shape));
  layouts.forEach((l, k) => {
    if (l.kind === 'full') lines.push(`const v${k} = x${k}[o];`);
    else if (l.kind === 'scalar') lines.push(`const v${k} = x${k}[0];`);
    else lines.push(`const v${k} = x${k}[${flatIndex(l.strides)}];`);
  });
  // Only the nodes the requested outputs need.
  const emitted = emitExpressions(program, GPU_JS_OPS, outputs);
  lines.push(...emitted.statements);
  // A result that is a bare input or constant still goes through a float local.
  const results = emitted.outputs.map((value, k) => {
    lines.push(`const r${k} = ${value} + 0.0;`);
    return `r${k}`;
  });
  const extraOutputs = results.slice(1);
  extraOutputs.forEach((r, k) => lines.push(`optlabOut${k + 1}(${r});`));
  lines.push(`return ${results[0]};`);
  return {
    source: `function(${args.join(', ')}) {\n${lines.join('\n')}\n}`,
    argumentTypes: Object.fromEntries([
      ...program.inputs.map((_, k) => [`x${k}`, 'Array'] as const),
      ...program.scalars.map((_, k) => [`s${k}`, 'Float'] as const),
    ]),
    size,
    extraOutputs,
  };
}

/** The identity function a kernel map calls to expose its k-th extra output. */
export function subKernelSource(k: number): string {
  return `function optlabOut${k}(v) { return v; }`;
}

/** Copies a host array into device memory (GL backends: into a texture). */
export function uploadKernel(size: number): KernelSpec {
  return {
    source: 'function(x) {\nreturn x[this.thread.x];\n}',
    argumentTypes: { x: 'Array' },
    size,
  };
}

/** Every element set to a number argument. */
export function fillKernel(size: number): KernelSpec {
  return { source: 'function(v) {\nreturn v + 0.0;\n}', argumentTypes: { v: 'Float' }, size };
}

/**
 * op(A)·op(B) into an [M, N] output; A is stored [M, K] (or [K, M] with transposeA) and B
 * [K, N] (or [N, K] with transposeB). One output element per thread, a K-long dot product.
 */
export function matmulKernel(
  m: number,
  n: number,
  k: number,
  transposeA: boolean,
  transposeB: boolean,
): KernelSpec {
  const aIndex = transposeA ? `p * ${lit(m)} + i` : `i * ${lit(k)} + p`;
  const bIndex = transposeB ? `j * ${lit(k)} + p` : `p * ${lit(n)} + j`;
  return {
    source: `function(a, b) {
const o = this.thread.x;
const i = Math.floor((o + 0.5) / ${lit(n)});
const j = o - i * ${lit(n)};
let sum = 0.0;
for (let p = 0.0; p < ${lit(k)}; p++) {
  sum += a[${aIndex}] * b[${bIndex}];
}
return sum;
}`,
    argumentTypes: { a: 'Array', b: 'Array' },
    size: m * n,
  };
}

/**
 * Sum, mean or max over the middle dimension of a tensor viewed as [outer, red, inner]: one
 * output element per (outer, inner) pair.
 */
export function reduceKernel(
  op: 'sum' | 'mean' | 'max',
  outer: number,
  red: number,
  inner: number,
): KernelSpec {
  // max starts from the first element (red > 0 is checked by the caller): no infinite literal.
  const init = op === 'max' ? 'x[base]' : '0.0';
  const step = op === 'max' ? 'acc = optlabMax(acc, v);' : 'acc += v;';
  const finish = op === 'mean' ? `acc / ${lit(red)}` : 'acc';
  return {
    source: `function(x) {
const o = this.thread.x;
const q = Math.floor((o + 0.5) / ${lit(inner)});
const base = q * ${lit(red * inner)} + (o - q * ${lit(inner)});
let acc = ${init};
for (let r = 0.0; r < ${lit(red)}; r++) {
  const v = x[base + r * ${lit(inner)}];
  ${step}
}
return ${finish};
}`,
    argumentTypes: { x: 'Array' },
    size: outer * inner,
  };
}

/**
 * softmax or log-softmax along the middle dimension of [outer, width, inner]: each thread
 * recomputes its row's max and normaliser (rows are short: class counts).
 */
export function softmaxKernel(
  log: boolean,
  outer: number,
  width: number,
  inner: number,
): KernelSpec {
  return {
    source: `function(x) {
const o = this.thread.x;
const q = Math.floor((o + 0.5) / ${lit(width * inner)});
const within = o - q * ${lit(width * inner)};
const j = Math.floor((within + 0.5) / ${lit(inner)});
const base = q * ${lit(width * inner)} + (within - j * ${lit(inner)});
let mx = x[base];
for (let c = 0.0; c < ${lit(width)}; c++) {
  mx = Math.max(mx, x[base + c * ${lit(inner)}]);
}
let z = 0.0;
for (let c = 0.0; c < ${lit(width)}; c++) {
  z += Math.exp(x[base + c * ${lit(inner)}] - mx);
}
const v = x[o];
${log ? 'return v - mx - Math.log(z);' : 'return Math.exp(v - mx) / z;'}
}`,
    argumentTypes: { x: 'Array' },
    size: outer * width * inner,
  };
}

/** The gradient of mean cross-entropy w.r.t. logits [N, C]: (softmax − onehot) / N. */
export function crossEntropyGradKernel(n: number, c: number): KernelSpec {
  return {
    source: `function(logits, labels) {
const o = this.thread.x;
const i = Math.floor((o + 0.5) / ${lit(c)});
const j = o - i * ${lit(c)};
const base = i * ${lit(c)};
let mx = logits[base];
for (let k = 0.0; k < ${lit(c)}; k++) {
  mx = Math.max(mx, logits[base + k]);
}
let z = 0.0;
for (let k = 0.0; k < ${lit(c)}; k++) {
  z += Math.exp(logits[base + k] - mx);
}
const logZ = mx + Math.log(z);
let hot = 0.0;
if (Math.abs(labels[i] - j) < 0.5) {
  hot = 1.0;
}
return (Math.exp(logits[o] - logZ) - hot) / ${lit(n)};
}`,
    argumentTypes: { logits: 'Array', labels: 'Array' },
    size: n * c,
  };
}

/** The mean cross-entropy over N rows of logits [N, C]: one thread, two short loops per row. */
export function crossEntropyLossKernel(n: number, c: number): KernelSpec {
  return {
    source: `function(logits, labels) {
let total = 0.0;
for (let i = 0.0; i < ${lit(n)}; i++) {
  const base = i * ${lit(c)};
  let mx = logits[base];
  for (let k = 0.0; k < ${lit(c)}; k++) {
    mx = Math.max(mx, logits[base + k]);
  }
  let z = 0.0;
  for (let k = 0.0; k < ${lit(c)}; k++) {
    z += Math.exp(logits[base + k] - mx);
  }
  total += mx + Math.log(z) - logits[base + Math.floor(labels[i] + 0.5)];
}
return total / ${lit(n)};
}`,
    argumentTypes: { logits: 'Array', labels: 'Array' },
    size: 1,
  };
}

/** Rows of x [rows, width] at the indices given as an array argument. */
export function gatherKernel(count: number, width: number): KernelSpec {
  return {
    source: `function(x, indices) {
const o = this.thread.x;
const i = Math.floor((o + 0.5) / ${lit(width)});
const col = o - i * ${lit(width)};
return x[Math.floor(indices[i] + 0.5) * ${lit(width)} + col];
}`,
    argumentTypes: { x: 'Array', indices: 'Array' },
    size: count * width,
  };
}

/**
 * A strided view copied out: output element at multi-index i (over `shape`) reads
 * `x[offset + Σ i_d · strides_d]`. Serves transpose (permuted strides) and slice (an offset).
 */
export function stridedCopyKernel(
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): KernelSpec {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    source: `function(x) {
const o = this.thread.x;
${multiIndex(shape).join('\n')}
return x[${flatIndex(strides, offset)}];
}`,
    argumentTypes: { x: 'Array' },
    size,
  };
}

/**
 * Concatenation of tensors viewed as [outer, extent_k, inner] along the middle dimension.
 */
export function concatKernel(outer: number, extents: readonly number[], inner: number): KernelSpec {
  const total = extents.reduce((a, b) => a + b, 0);
  const lines = [
    'const o = this.thread.x;',
    `const q = Math.floor((o + 0.5) / ${lit(total * inner)});`,
    `const within = o - q * ${lit(total * inner)};`,
    `const a = Math.floor((within + 0.5) / ${lit(inner)});`,
    `const col = within - a * ${lit(inner)};`,
  ];
  let start = 0;
  extents.forEach((e, k) => {
    const read = `x${k}[q * ${lit(e * inner)} + (a - ${lit(start)}) * ${lit(inner)} + col]`;
    if (k === extents.length - 1) lines.push(`return ${read};`);
    else lines.push(`if (a < ${lit(start + e)}) {\nreturn ${read};\n}`);
    start += e;
  });
  return {
    source: `function(${extents.map((_, k) => `x${k}`).join(', ')}) {\n${lines.join('\n')}\n}`,
    argumentTypes: Object.fromEntries(extents.map((_, k) => [`x${k}`, 'Array'] as const)),
    size: outer * total * inner,
  };
}
