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

/** Patches of one image (at `xOffset`) as the B operand [K, HoWo] in NR-column panels. */
export function packPatchesB(
  out: Float32Array,
  x: Float32Array,
  xOffset: number,
  p: Conv2dPlan,
): void {
  const { c, h, w, kh, kw, strideH, strideW, padH, padW, wo } = p;
  const positions = p.ho * wo;
  const iy0 = new Int32Array(NR);
  const ix0 = new Int32Array(NR);
  let o = 0;
  for (let j0 = 0; j0 < positions; j0 += NR) {
    for (let l = 0; l < NR; l++) {
      const s = j0 + l;
      const oy = Math.floor(s / wo);
      // Lanes past the last position read "outside" the image, i.e. zeros.
      iy0[l] = s < positions ? oy * strideH - padH : -(1 << 30);
      ix0[l] = (s - oy * wo) * strideW - padW;
    }
    for (let ch = 0; ch < c; ch++) {
      const plane = xOffset + ch * h * w;
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          for (let l = 0; l < NR; l++) {
            const iy = iy0[l] + ky;
            const ix = ix0[l] + kx;
            out[o++] = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[plane + iy * w + ix] : 0;
          }
        }
      }
    }
  }
}

/**
 * The patches of images [first, first + count) as the B operand [(n, s), K] of the weight
 * gradient, in NR-column panels: one panel holds 8 kernel taps (c, ky, kx), k runs over the
 * chunk's images and output positions.
 */
export function packPatchesTransposedB(
  out: Float32Array,
  x: Float32Array,
  first: number,
  count: number,
  p: Conv2dPlan,
): void {
  const { c, h, w, kh, kw, strideH, strideW, padH, padW, ho, wo } = p;
  const taps = c * kh * kw;
  const chw = c * h * w;
  const plane = new Int32Array(NR);
  const tapY = new Int32Array(NR);
  const tapX = new Int32Array(NR);
  let o = 0;
  for (let j0 = 0; j0 < taps; j0 += NR) {
    for (let l = 0; l < NR; l++) {
      const t = Math.min(j0 + l, taps - 1);
      const ch = Math.floor(t / (kh * kw));
      const r = t - ch * kh * kw;
      plane[l] = ch * h * w;
      tapY[l] = j0 + l < taps ? Math.floor(r / kw) - padH : -(1 << 30);
      tapX[l] = (r % kw) - padW;
    }
    for (let i = first; i < first + count; i++) {
      const image = i * chw;
      for (let oy = 0; oy < ho; oy++) {
        const y0 = oy * strideH;
        for (let ox = 0; ox < wo; ox++) {
          const x0 = ox * strideW;
          for (let l = 0; l < NR; l++) {
            const iy = y0 + tapY[l];
            const ix = x0 + tapX[l];
            out[o++] =
              iy >= 0 && iy < h && ix >= 0 && ix < w ? x[image + plane[l] + iy * w + ix] : 0;
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
        for (let s = 0; s < positions; s++, q += MR) {
          out[q] = dy[base + s];
          out[q + 1] = dy[base + positions + s];
          out[q + 2] = dy[base + 2 * positions + s];
          out[q + 3] = dy[base + 3 * positions + s];
        }
      } else {
        for (let s = 0; s < positions; s++) {
          for (let r = 0; r < MR; r++) out[q++] = r < rows ? dy[base + r * positions + s] : 0;
        }
      }
    }
  }
}

/** dx[image] += the patch columns cols[K, HoWo] scattered back to their pixels. */
export function col2imAdd(
  dx: Float32Array,
  xOffset: number,
  cols: Float32Array,
  p: Conv2dPlan,
): void {
  const { c, h, w, kh, kw, strideH, strideW, padH, padW, ho, wo } = p;
  let q = 0;
  for (let ch = 0; ch < c; ch++) {
    const plane = xOffset + ch * h * w;
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        // Output columns whose tap lands inside the image: ox in [oxLo, oxHi).
        const oxLo = Math.max(0, Math.ceil((padW - kx) / strideW));
        const oxHi = Math.min(wo, Math.floor((w - 1 + padW - kx) / strideW) + 1);
        for (let oy = 0; oy < ho; oy++, q += wo) {
          const iy = oy * strideH - padH + ky;
          if (iy < 0 || iy >= h) continue;
          const row = plane + iy * w - padW + kx;
          for (let ox = oxLo; ox < oxHi; ox++) dx[row + ox * strideW] += cols[q + ox];
        }
      }
    }
  }
}

/** Images per weight-gradient chunk: about 1024 positions along k, at least one image. */
export function weightGradChunk(p: Conv2dPlan): number {
  return Math.max(1, Math.min(p.n, Math.floor(1024 / (p.ho * p.wo))));
}
