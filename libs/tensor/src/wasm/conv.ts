import type { Conv2dPlan } from '../conv.js';
import { MR, NR } from './matmul.js';

/**
 * Convolutions on the WebAssembly path: the packed matmul of wasm/matmul.ts with operands packed
 * straight from the images, so no patch matrix is ever written out and packed again.
 *
 * - forward, per image: y[O, HoWo] = W[O, K] · P, where P[K, HoWo] holds the patches
 *   (K = C·kh·kw); {@link packPatchesB} writes P in the kernel's B panels (8 output positions
 *   per panel, k-major).
 * - input gradient, per image: ∂P[K, HoWo] = Wᵀ · dy (the ordinary packers), then
 *   {@link col2imAdd} adds each patch column back onto the image.
 * - weight gradient, per chunk of images: ∂W[O, K] += dy[O, (n, s)] · Pᵀ[(n, s), K], with
 *   {@link packDyA} and {@link packPatchesTransposedB} packing the chunk's images along k, so one
 *   matmul sums over a whole chunk.
 */

/** Elements of one zero-bordered image: C planes of (H + 2·padH) × (W + 2·padW). */
export function paddedImageSize(p: Conv2dPlan): number {
  return p.c * (p.h + 2 * p.padH) * (p.w + 2 * p.padW);
}

/**
 * Copies images [first, first + count) into `pad` with zero borders of the padding's width, so
 * that the packers below read every tap without a bounds test.
 */
export function padImages(
  pad: Float32Array,
  x: Float32Array,
  first: number,
  count: number,
  p: Conv2dPlan,
): void {
  const { c, h, w, padH, padW } = p;
  const wp = w + 2 * padW;
  const planeSize = (h + 2 * padH) * wp;
  pad.fill(0, 0, count * c * planeSize);
  let src = first * c * h * w;
  for (let plane = 0; plane < count * c; plane++) {
    let dst = plane * planeSize + padH * wp + padW;
    for (let y = 0; y < h; y++, dst += wp, src += w) {
      for (let i = 0; i < w; i++) pad[dst + i] = x[src + i];
    }
  }
}

/**
 * Patches of one padded image (at `padOffset` in `pad`) as the B operand [K, HoWo] in NR-column
 * panels: panel j0 holds output positions j0..j0+7, and row (c, ky, kx) of it the tap at each.
 * A whole panel is eight loads per tap from precomputed lane offsets; the last, partial panel
 * pads its missing lanes with zeros.
 */
export function packPatchesB(
  out: Float32Array,
  pad: Float32Array,
  padOffset: number,
  p: Conv2dPlan,
): void {
  const { c, kh, kw, strideH, strideW, wo } = p;
  const wp = p.w + 2 * p.padW;
  const planeSize = (p.h + 2 * p.padH) * wp;
  const positions = p.ho * wo;
  const lane = new Int32Array(NR);
  let o = 0;
  for (let j0 = 0; j0 < positions; j0 += NR) {
    const valid = Math.min(NR, positions - j0);
    for (let l = 0; l < valid; l++) {
      const oy = Math.floor((j0 + l) / wo);
      lane[l] = padOffset + oy * strideH * wp + (j0 + l - oy * wo) * strideW;
    }
    if (valid === NR) {
      const [b0, b1, b2, b3, b4, b5, b6, b7] = lane;
      for (let ch = 0; ch < c; ch++) {
        for (let ky = 0; ky < kh; ky++) {
          const row = ch * planeSize + ky * wp;
          for (let kx = 0; kx < kw; kx++, o += NR) {
            const t = row + kx;
            out[o] = pad[t + b0];
            out[o + 1] = pad[t + b1];
            out[o + 2] = pad[t + b2];
            out[o + 3] = pad[t + b3];
            out[o + 4] = pad[t + b4];
            out[o + 5] = pad[t + b5];
            out[o + 6] = pad[t + b6];
            out[o + 7] = pad[t + b7];
          }
        }
      }
    } else {
      for (let ch = 0; ch < c; ch++) {
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const t = ch * planeSize + ky * wp + kx;
            for (let l = 0; l < NR; l++) out[o++] = l < valid ? pad[t + lane[l]] : 0;
          }
        }
      }
    }
  }
}

/**
 * The patches of `count` padded images (consecutive in `pad`) as the B operand [(n, s), K] of
 * the weight gradient, in NR-column panels: a panel holds 8 taps (c, ky, kx), k runs over the
 * images and their output positions.
 */
export function packPatchesTransposedB(
  out: Float32Array,
  pad: Float32Array,
  count: number,
  p: Conv2dPlan,
): void {
  const { c, kh, kw, strideH, strideW, ho, wo } = p;
  const wp = p.w + 2 * p.padW;
  const planeSize = (p.h + 2 * p.padH) * wp;
  const imageSize = c * planeSize;
  const taps = c * kh * kw;
  const tap = new Int32Array(NR);
  let o = 0;
  for (let j0 = 0; j0 < taps; j0 += NR) {
    const valid = Math.min(NR, taps - j0);
    for (let l = 0; l < valid; l++) {
      const t = j0 + l;
      const ch = Math.floor(t / (kh * kw));
      const r = t - ch * kh * kw;
      const ky = Math.floor(r / kw);
      tap[l] = ch * planeSize + ky * wp + (r - ky * kw);
    }
    const [t0, t1, t2, t3, t4, t5, t6, t7] = tap;
    for (let i = 0; i < count; i++) {
      for (let oy = 0; oy < ho; oy++) {
        const row = i * imageSize + oy * strideH * wp;
        if (valid === NR) {
          for (let ox = 0, b = row; ox < wo; ox++, b += strideW, o += NR) {
            out[o] = pad[b + t0];
            out[o + 1] = pad[b + t1];
            out[o + 2] = pad[b + t2];
            out[o + 3] = pad[b + t3];
            out[o + 4] = pad[b + t4];
            out[o + 5] = pad[b + t5];
            out[o + 6] = pad[b + t6];
            out[o + 7] = pad[b + t7];
          }
        } else {
          for (let ox = 0, b = row; ox < wo; ox++, b += strideW) {
            for (let l = 0; l < NR; l++) out[o++] = l < valid ? pad[b + tap[l]] : 0;
          }
        }
      }
    }
  }
}

/** dy of images [first, first + count) as the A operand [O, (n, s)] in MR-row panels. */
export function packDyA(
  out: Float32Array,
  dy: Float32Array,
  first: number,
  count: number,
  p: Conv2dPlan,
): void {
  const positions = p.ho * p.wo;
  const o = p.o;
  let q = 0;
  for (let i0 = 0; i0 < o; i0 += MR) {
    const rows = Math.min(MR, o - i0);
    for (let i = first; i < first + count; i++) {
      const base = (i * o + i0) * positions;
      if (rows === MR) {
        const [r1, r2, r3] = [base + positions, base + 2 * positions, base + 3 * positions];
        for (let s = 0; s < positions; s++, q += MR) {
          out[q] = dy[base + s];
          out[q + 1] = dy[r1 + s];
          out[q + 2] = dy[r2 + s];
          out[q + 3] = dy[r3 + s];
        }
      } else {
        for (let s = 0; s < positions; s++) {
          for (let r = 0; r < MR; r++) out[q++] = r < rows ? dy[base + r * positions + s] : 0;
        }
      }
    }
  }
}

/**
 * dx[image] = the patch columns cols[K, HoWo] summed back onto their pixels: accumulated in a
 * zero-bordered image `pad` (no bounds tests), whose interior is then copied to dx.
 */
export function col2im(
  dx: Float32Array,
  xOffset: number,
  cols: Float32Array,
  pad: Float32Array,
  p: Conv2dPlan,
): void {
  const { c, h, w, kh, kw, strideH, strideW, padH, padW, ho, wo } = p;
  const wp = w + 2 * padW;
  const planeSize = (h + 2 * padH) * wp;
  pad.fill(0, 0, c * planeSize);
  let q = 0;
  for (let ch = 0; ch < c; ch++) {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        for (let oy = 0; oy < ho; oy++, q += wo) {
          const row = ch * planeSize + (oy * strideH + ky) * wp + kx;
          if (strideW === 1) for (let ox = 0; ox < wo; ox++) pad[row + ox] += cols[q + ox];
          else for (let ox = 0; ox < wo; ox++) pad[row + ox * strideW] += cols[q + ox];
        }
      }
    }
  }
  let dst = xOffset;
  for (let plane = 0; plane < c; plane++) {
    let src = plane * planeSize + padH * wp + padW;
    for (let y = 0; y < h; y++, src += wp, dst += w) {
      for (let i = 0; i < w; i++) dx[dst + i] = pad[src + i];
    }
  }
}

/** Images per weight-gradient chunk: about 1024 positions along k, at least one image. */
export function weightGradChunk(p: Conv2dPlan): number {
  return Math.max(1, Math.min(p.n, Math.floor(1024 / (p.ho * p.wo))));
}
