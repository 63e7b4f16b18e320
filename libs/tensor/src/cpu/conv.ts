import type { Conv2dPlan, Pool2dPlan } from '../conv.js';
import type { TypedArray } from '../types.js';
import { matmulInto, transpose2dInto } from './matmul.js';

/**
 * Convolution and pooling on the JavaScript path (every float64 backend, and float32 with
 * `simd: 'js'`): the convolutions become matrix products through patch matrices and run on the
 * register-blocked `matmulInto`, which sums in doubles and stores once; pooling is a direct loop.
 *
 * A patch matrix ("im2row") of one image has a row per output position s = oy·Wo + ox holding
 * the C·kh·kw input values under the kernel there, in the weights' order (c, ky, kx), zeros
 * where the kernel overhangs the padding. Then, per image,
 *   y = W · Pᵀ               ([O, K]·[K, HoWo]),
 *   ∂P = dyᵀ · W, scattered back onto the image (the adjoint of im2row),
 *   ∂W += dy · P             ([O, HoWo]·[HoWo, K]).
 */

/** Scratch the caller allocates (from its heap) for one call; sizes in elements. */
export function convScratchSizes(plan: Conv2dPlan): { patches: number; k: number; hw: number } {
  const k = plan.c * plan.kh * plan.kw;
  const hw = plan.ho * plan.wo;
  return { patches: hw * k, k, hw };
}

/** rows[s·K + (c·kh + ky)·kw + kx] = x[image, c, oy·sh − ph + ky, ox·sw − pw + kx] or 0. */
export function im2row(rows: TypedArray, x: TypedArray, xOffset: number, p: Conv2dPlan): void {
  const { c, h, w, kh, kw, strideH, strideW, padH, padW, ho, wo } = p;
  let q = 0;
  for (let oy = 0; oy < ho; oy++) {
    const iy0 = oy * strideH - padH;
    for (let ox = 0; ox < wo; ox++) {
      const ix0 = ox * strideW - padW;
      const inside = ix0 >= 0 && ix0 + kw <= w;
      for (let ch = 0; ch < c; ch++) {
        const plane = xOffset + ch * h * w;
        for (let ky = 0; ky < kh; ky++) {
          const iy = iy0 + ky;
          if (iy < 0 || iy >= h) {
            for (let kx = 0; kx < kw; kx++) rows[q++] = 0;
            continue;
          }
          const row = plane + iy * w + ix0;
          if (inside) {
            for (let kx = 0; kx < kw; kx++) rows[q++] = x[row + kx];
          } else {
            for (let kx = 0; kx < kw; kx++) {
              const ix = ix0 + kx;
              rows[q++] = ix >= 0 && ix < w ? x[row + kx] : 0;
            }
          }
        }
      }
    }
  }
}

/** The adjoint of {@link im2row}: dx[image] = Σ over patches of their rows, added in place. */
export function row2imAdd(dx: TypedArray, xOffset: number, rows: TypedArray, p: Conv2dPlan): void {
  const { c, h, w, kh, kw, strideH, strideW, padH, padW, ho, wo } = p;
  let q = 0;
  for (let oy = 0; oy < ho; oy++) {
    const iy0 = oy * strideH - padH;
    for (let ox = 0; ox < wo; ox++) {
      const ix0 = ox * strideW - padW;
      for (let ch = 0; ch < c; ch++) {
        const plane = xOffset + ch * h * w;
        for (let ky = 0; ky < kh; ky++) {
          const iy = iy0 + ky;
          if (iy < 0 || iy >= h) {
            q += kw;
            continue;
          }
          const row = plane + iy * w + ix0;
          for (let kx = 0; kx < kw; kx++, q++) {
            const ix = ix0 + kx;
            if (ix >= 0 && ix < w) dx[row + kx] += rows[q];
          }
        }
      }
    }
  }
}

/** y [N,O,Ho,Wo] = conv2d(x, w); `rows` is HoWo·K scratch. */
export function conv2dInto(
  y: TypedArray,
  x: TypedArray,
  w: TypedArray,
  rows: TypedArray,
  p: Conv2dPlan,
): void {
  const { k, hw } = convScratchSizes(p);
  const chw = p.c * p.h * p.w;
  for (let i = 0; i < p.n; i++) {
    im2row(rows, x, i * chw, p);
    matmulInto(y.subarray(i * p.o * hw, (i + 1) * p.o * hw), w, rows, p.o, hw, k);
  }
}

/**
 * dx [N,C,H,W] of conv2d given dy; scratch: `rows` HoWo·K, `wt` K·O (Wᵀ), `dyT` HoWo·O.
 */
export function conv2dBackwardInputInto(
  dx: TypedArray,
  dy: TypedArray,
  w: TypedArray,
  scratch: { rows: TypedArray; wt: TypedArray; dyT: TypedArray },
  p: Conv2dPlan,
): void {
  const { k, hw } = convScratchSizes(p);
  const chw = p.c * p.h * p.w;
  dx.fill(0);
  transpose2dInto(scratch.wt, w, p.o, k);
  for (let i = 0; i < p.n; i++) {
    transpose2dInto(scratch.dyT, dy.subarray(i * p.o * hw, (i + 1) * p.o * hw), p.o, hw);
    matmulInto(scratch.rows, scratch.dyT, scratch.wt, hw, k, p.o);
    row2imAdd(dx, i * chw, scratch.rows, p);
  }
}

/**
 * dw [O,C,kh,kw] of conv2d given dy; scratch: `rows` HoWo·K, `cols` K·HoWo, `part` O·K.
 */
export function conv2dBackwardWeightInto(
  dw: TypedArray,
  x: TypedArray,
  dy: TypedArray,
  scratch: { rows: TypedArray; cols: TypedArray; part: TypedArray },
  p: Conv2dPlan,
): void {
  const { k, hw } = convScratchSizes(p);
  const chw = p.c * p.h * p.w;
  dw.fill(0);
  for (let i = 0; i < p.n; i++) {
    im2row(scratch.rows, x, i * chw, p);
    transpose2dInto(scratch.cols, scratch.rows, hw, k);
    const target = i === 0 ? dw : scratch.part;
    matmulInto(target, dy.subarray(i * p.o * hw, (i + 1) * p.o * hw), scratch.cols, p.o, k, hw);
    if (i > 0) for (let j = 0; j < dw.length; j++) dw[j] += scratch.part[j];
  }
}

/**
 * Every pooling window's extent clipped to the image: rows [y0[oy], y1[oy]) and columns
 * [x0[ox], x1[ox]). The four pooling loops below share it (plain loops, no per-window callback:
 * a callback shared by four ops turns megamorphic in V8 and costs ~50× on 2×2 windows).
 */
function windowRanges(p: Pool2dPlan): {
  y0: Int32Array;
  y1: Int32Array;
  x0: Int32Array;
  x1: Int32Array;
} {
  const ranges = (count: number, size: number, k: number, stride: number, pad: number) => {
    const lo = new Int32Array(count);
    const hi = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const start = i * stride - pad;
      lo[i] = Math.max(start, 0);
      hi[i] = Math.min(start + k, size);
    }
    return [lo, hi];
  };
  const [y0, y1] = ranges(p.ho, p.h, p.kh, p.strideH, p.padH);
  const [x0, x1] = ranges(p.wo, p.w, p.kw, p.strideW, p.padW);
  return { y0, y1, x0, x1 };
}

/**
 * Max pooling. A window's maximum is its first largest value in row-major order, or NaN when it
 * holds one (PyTorch's `val > maxval || isnan(val)` rule: once a NaN is met nothing compares
 * larger, and each later NaN takes over), so NaN propagates as in PyTorch; the backward pass routes
 * each window's gradient to that same element, with NaNs the window's last NaN, as PyTorch does.
 */
export function maxPool2dInto(y: TypedArray, x: TypedArray, p: Pool2dPlan): void {
  const { y0, y1, x0, x1 } = windowRanges(p);
  const { h, w, ho, wo } = p;
  let out = 0;
  for (let plane = 0, end = p.n * p.c * h * w; plane < end; plane += h * w) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++, out++) {
        let best = -Infinity;
        for (let yy = y0[oy]; yy < y1[oy]; yy++) {
          const row = plane + yy * w;
          for (let xx = x0[ox]; xx < x1[ox]; xx++) {
            const v = x[row + xx];
            if (v > best || v !== v) best = v;
          }
        }
        y[out] = best;
      }
    }
  }
}

export function maxPool2dBackwardInto(
  dx: TypedArray,
  dy: TypedArray,
  x: TypedArray,
  p: Pool2dPlan,
): void {
  const { y0, y1, x0, x1 } = windowRanges(p);
  const { h, w, ho, wo } = p;
  dx.fill(0);
  let out = 0;
  for (let plane = 0, end = p.n * p.c * h * w; plane < end; plane += h * w) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++, out++) {
        let best = -Infinity;
        let at = plane + y0[oy] * w + x0[ox];
        for (let yy = y0[oy]; yy < y1[oy]; yy++) {
          const row = plane + yy * w;
          for (let xx = x0[ox]; xx < x1[ox]; xx++) {
            const v = x[row + xx];
            if (v > best || v !== v) {
              best = v;
              at = row + xx;
            }
          }
        }
        dx[at] += dy[out];
      }
    }
  }
}

/** Average pooling: padding counts as zeros, so every window divides by kh·kw. */
export function avgPool2dInto(y: TypedArray, x: TypedArray, p: Pool2dPlan): void {
  const { y0, y1, x0, x1 } = windowRanges(p);
  const { h, w, ho, wo } = p;
  const count = p.kh * p.kw;
  let out = 0;
  for (let plane = 0, end = p.n * p.c * h * w; plane < end; plane += h * w) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++, out++) {
        let sum = 0;
        for (let yy = y0[oy]; yy < y1[oy]; yy++) {
          const row = plane + yy * w;
          for (let xx = x0[ox]; xx < x1[ox]; xx++) sum += x[row + xx];
        }
        y[out] = sum / count;
      }
    }
  }
}

export function avgPool2dBackwardInto(dx: TypedArray, dy: TypedArray, p: Pool2dPlan): void {
  const { y0, y1, x0, x1 } = windowRanges(p);
  const { h, w, ho, wo } = p;
  const count = p.kh * p.kw;
  dx.fill(0);
  let out = 0;
  for (let plane = 0, end = p.n * p.c * h * w; plane < end; plane += h * w) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++, out++) {
        const g = dy[out] / count;
        for (let yy = y0[oy]; yy < y1[oy]; yy++) {
          const row = plane + yy * w;
          for (let xx = x0[ox]; xx < x1[ox]; xx++) dx[row + xx] += g;
        }
      }
    }
  }
}
