import { op, type Instr } from './encoder.js';

/**
 * exp, log, tanh and sigmoid on four float32 lanes, for the WebAssembly path (WebAssembly has no
 * transcendental instructions). Each takes instructions that push the argument (a v128) and
 * returns instructions that leave the result; `scratch` names v128 locals it may overwrite
 * (exp and log use the first three or four, tanh six).
 *
 * The approximations are Cephes' single-precision ones (Moshier, `expf.c`, `logf.c`,
 * `tanhf.c`): range reduction by powers of two, then a short polynomial. Maximum errors against
 * `Math.*` (in doubles), in float32 units in the last place, measured on 10⁶-point sweeps and
 * asserted in `test/wasm-math.test.ts`: exp 0.96 ulp on [−87.3, 88.7] (normal results; denormal
 * results within one denormal step); log 0.82 ulp over every binade, denormals included; tanh
 * 1.26 ulp on [−10, 10]; sigmoid 2.4 ulp where the result is normal (the JavaScript path's
 * `1/(1 + e^{−x})` itself rounds three times). Special values
 * follow `Math.*`: NaN in, NaN out; exp(±∞) = ∞ / 0; log(0) = −∞, log(x < 0) = NaN, log(∞) = ∞;
 * tanh(±∞) = ±1, tanh(−0) = −0.
 */
export const MATH_SCRATCH = 6;

const LOG2E = 1.4426950408889634;
/** ln 2 split so that n·C1 is exact for |n| < 2¹⁵ (C1 has 9 significant bits). */
const LN2_HI = 0.693359375;
const LN2_LO = -2.1219444e-4;
const EXP_POLY = [
  1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1,
  5.0000001201e-1,
];
const LOG_POLY = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
];
const TANH_POLY = [
  -5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1,
];
const FLT_MIN = 1.1754943508222875e-38;
const SQRT_HALF = 0.7071067811865476;

const get = op.localGet;
const set = op.localSet;
const c = op.f32x4Const;

/** Horner: ((p0·x + p1)·x + …) + p_last, with x in local `x`. */
function horner(coefficients: readonly number[], x: number): Instr[] {
  const out: Instr[] = [c(coefficients[0])];
  for (const k of coefficients.slice(1)) out.push(get(x), op.f32x4Mul(), c(k), op.f32x4Add());
  return out;
}

/** `v · 2ⁿ` for the i32 lanes n in local `n` (|n| ≤ 254), as two factors so neither overflows. */
function scaleByPowerOfTwo(n: number): Instr[] {
  const pow2 = (exponent: Instr[]): Instr[] => [
    ...exponent,
    op.i32x4Const(127),
    op.i32x4Add(),
    op.i32Const(23),
    op.i32x4Shl(),
    op.f32x4Mul(),
  ];
  const half = [get(n), op.i32Const(1), op.i32x4ShrS()];
  return [...pow2(half), ...pow2([get(n), ...half, op.i32x4Sub()])];
}

/**
 * eˣ = 2ⁿ·e^r with n = round(x·log₂e), r = x − n·ln2 ∈ [−ln2/2, ln2/2], e^r ≈ 1 + r + r²·P(r).
 * x is clamped to [−104, 89] first: below, the result rounds to 0; above, it overflows to ∞.
 */
export function vexp(x: readonly Instr[], scratch: readonly number[]): Instr[] {
  const [r, n, y] = scratch;
  return [
    ...x,
    c(89),
    op.f32x4Min(),
    c(-104),
    op.f32x4Max(),
    set(r),
    get(r),
    c(LOG2E),
    op.f32x4Mul(),
    op.f32x4Nearest(),
    set(n),
    get(r),
    get(n),
    c(LN2_HI),
    op.f32x4Mul(),
    op.f32x4Sub(),
    get(n),
    c(LN2_LO),
    op.f32x4Mul(),
    op.f32x4Sub(),
    set(r),
    ...horner(EXP_POLY, r),
    get(r),
    get(r),
    op.f32x4Mul(),
    op.f32x4Mul(),
    get(r),
    op.f32x4Add(),
    c(1),
    op.f32x4Add(),
    set(y),
    get(n),
    op.i32x4TruncSatF32x4S(),
    set(n),
    get(y),
    ...scaleByPowerOfTwo(n),
  ];
}

/**
 * ln x = e·ln2 + ln m with x = m·2ᵉ, m ∈ [√½, √2) (denormals scaled by 2²³ first), and
 * ln(1 + f) ≈ f − f²/2 + f³·P(f).
 */
export function vlog(x: readonly Instr[], scratch: readonly number[]): Instr[] {
  const [xs, m, e, z] = scratch;
  const tiny = [get(xs), c(FLT_MIN), op.f32x4Lt()];
  const special = (value: Instr[], when: Instr[]): Instr[] => [
    ...value,
    get(m),
    ...when,
    op.v128Bitselect(),
    set(m),
  ];
  return [
    ...x,
    set(xs),
    get(xs),
    c(8388608),
    op.f32x4Mul(),
    get(xs),
    ...tiny,
    op.v128Bitselect(),
    set(m),
    c(-23),
    c(0),
    ...tiny,
    op.v128Bitselect(),
    // e += biased exponent − 126, so that the mantissa below lies in [0.5, 1)
    get(m),
    op.i32Const(23),
    op.i32x4ShrU(),
    op.i32x4Const(126),
    op.i32x4Sub(),
    op.f32x4ConvertI32x4S(),
    op.f32x4Add(),
    set(e),
    get(m),
    op.i32x4Const(0x007fffff),
    op.v128And(),
    op.i32x4Const(0x3f000000),
    op.v128Or(),
    set(m),
    // m < √½: m ← 2m − 1, e ← e − 1; else m ← m − 1
    get(m),
    c(SQRT_HALF),
    op.f32x4Lt(),
    set(z),
    get(e),
    c(1),
    op.f32x4Sub(),
    get(e),
    get(z),
    op.v128Bitselect(),
    set(e),
    get(m),
    get(m),
    op.f32x4Add(),
    get(m),
    get(z),
    op.v128Bitselect(),
    c(1),
    op.f32x4Sub(),
    set(m),
    get(m),
    get(m),
    op.f32x4Mul(),
    set(z),
    ...horner(LOG_POLY, m),
    get(m),
    op.f32x4Mul(),
    get(z),
    op.f32x4Mul(),
    get(e),
    c(LN2_LO),
    op.f32x4Mul(),
    op.f32x4Add(),
    get(z),
    c(-0.5),
    op.f32x4Mul(),
    op.f32x4Add(),
    get(m),
    op.f32x4Add(),
    get(e),
    c(LN2_HI),
    op.f32x4Mul(),
    op.f32x4Add(),
    set(m),
    ...special([c(-Infinity)], [get(xs), c(0), op.f32x4Eq()]),
    ...special([c(NaN)], [get(xs), c(0), op.f32x4Lt()]),
    ...special([get(xs)], [get(xs), c(Infinity), op.f32x4Eq()]),
    ...special([get(xs)], [get(xs), get(xs), op.f32x4Ne()]),
    get(m),
  ];
}

/**
 * tanh x: for |x| < 0.625, x + x³·P(x²); else sign(x)·(1 − 2/(e^{2|x|} + 1)). Both are computed
 * and the lanes pick one.
 */
export function vtanh(x: readonly Instr[], scratch: readonly number[]): Instr[] {
  const [xs, small, z] = scratch.slice(3);
  return [
    ...x,
    set(xs),
    get(xs),
    get(xs),
    op.f32x4Mul(),
    set(z),
    ...horner(TANH_POLY, z),
    get(z),
    op.f32x4Mul(),
    get(xs),
    op.f32x4Mul(),
    get(xs),
    op.f32x4Add(),
    set(small),
    // ±0 stays itself (x + x·z·P(z) would turn −0 into +0).
    get(xs),
    get(small),
    get(xs),
    c(0),
    op.f32x4Eq(),
    op.v128Bitselect(),
    set(small),
    c(1),
    c(2),
    ...vexp([get(xs), op.f32x4Abs(), c(2), op.f32x4Mul()], scratch),
    c(1),
    op.f32x4Add(),
    op.f32x4Div(),
    op.f32x4Sub(),
    get(xs),
    c(-0),
    op.v128And(),
    op.v128Or(),
    get(small),
    get(xs),
    op.f32x4Abs(),
    c(0.625),
    op.f32x4Ge(),
    op.v128Bitselect(),
  ];
}

/** 1 / (1 + e^{−x}), as the JavaScript path writes it. */
export function vsigmoid(x: readonly Instr[], scratch: readonly number[]): Instr[] {
  return [c(1), c(1), ...vexp([...x, op.f32x4Neg()], scratch), op.f32x4Add(), op.f32x4Div()];
}
