import type { Conv2dPlan, Pool2dPlan } from '@optlab/tensor';
import { lit, type KernelSpec } from './codegen.js';

/**
 * gpu.js kernels of the convolution and pooling ops: one thread per output element, a direct
 * loop over what that element sums or compares (no im2col: a patch matrix would cost a texture
 * as large as the input times the kernel area). Sizes are literals, as in codegen.ts, and every
 * integer division is `floor((v + 0.5) / d)` (index arithmetic runs in float on the GL modes);
 * "is t a multiple of the stride" is `|q·s − t| < 0.5` rather than float equality.
 */

/** Lines splitting the thread index into named coordinates of `dims` (row-major). */
function coordinates(names: readonly string[], dims: readonly number[]): string[] {
  const lines = ['const o = this.thread.x;', 'let rest = o;'];
  let stride = dims.reduce((a, b) => a * b, 1);
  names.forEach((name, d) => {
    stride /= dims[d];
    if (d === names.length - 1) {
      lines.push(`const ${name} = rest;`);
    } else {
      lines.push(`const ${name} = Math.floor((rest + 0.5) / ${lit(stride)});`);
      lines.push(`rest = rest - ${name} * ${lit(stride)};`);
    }
  });
  return lines;
}

/** Flat NCHW-style index `((a·B + b)·C + c)·D + d` of four coordinates in dims [_, B, C, D]. */
function flat4(a: string, b: string, c: string, d: string, dims: readonly number[]): string {
  return `((${a} * ${lit(dims[1])} + ${b}) * ${lit(dims[2])} + ${c}) * ${lit(dims[3])} + ${d}`;
}

function kernel(args: readonly string[], body: readonly string[], size: number): KernelSpec {
  return {
    source: `function(${args.join(', ')}) {\n${body.join('\n')}\n}`,
    argumentTypes: Object.fromEntries(args.map((a) => [a, 'Array' as const])),
    size,
  };
}

/** y[n, oc, oy, ox] = Σ_{c, ky, kx} x[n, c, oy·sh − ph + ky, ox·sw − pw + kx] · w[oc, c, ky, kx]. */
export function conv2dKernel(p: Conv2dPlan): KernelSpec {
  const xd = [p.n, p.c, p.h, p.w];
  const wd = [p.o, p.c, p.kh, p.kw];
  return kernel(
    ['x', 'w'],
    [
      ...coordinates(['bn', 'oc', 'oy', 'ox'], [p.n, p.o, p.ho, p.wo]),
      'let sum = 0.0;',
      `for (let c = 0.0; c < ${lit(p.c)}; c++) {`,
      `  for (let ky = 0.0; ky < ${lit(p.kh)}; ky++) {`,
      `    const iy = oy * ${lit(p.strideH)} - ${lit(p.padH)} + ky;`,
      `    if (iy >= 0.0 && iy < ${lit(p.h)}) {`,
      `      for (let kx = 0.0; kx < ${lit(p.kw)}; kx++) {`,
      `        const ix = ox * ${lit(p.strideW)} - ${lit(p.padW)} + kx;`,
      `        if (ix >= 0.0 && ix < ${lit(p.w)}) {`,
      `          sum += x[${flat4('bn', 'c', 'iy', 'ix', xd)}] * w[${flat4('oc', 'c', 'ky', 'kx', wd)}];`,
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
      'return sum;',
    ],
    p.n * p.o * p.ho * p.wo,
  );
}

/**
 * dx[n, c, iy, ix] = Σ dy[n, oc, oy, ox] · w[oc, c, ky, kx] over the (oy, ky) with
 * oy·sh − ph + ky = iy (and likewise along x): the output positions whose window covers the pixel.
 */
export function conv2dBackwardInputKernel(p: Conv2dPlan): KernelSpec {
  const dyd = [p.n, p.o, p.ho, p.wo];
  const wd = [p.o, p.c, p.kh, p.kw];
  return kernel(
    ['dy', 'w'],
    [
      ...coordinates(['bn', 'c', 'iy', 'ix'], [p.n, p.c, p.h, p.w]),
      'let sum = 0.0;',
      `for (let ky = 0.0; ky < ${lit(p.kh)}; ky++) {`,
      `  const ty = iy + ${lit(p.padH)} - ky;`,
      `  const oy = Math.floor((ty + 0.5) / ${lit(p.strideH)});`,
      `  if (ty >= 0.0 && oy < ${lit(p.ho)} && Math.abs(oy * ${lit(p.strideH)} - ty) < 0.5) {`,
      `    for (let kx = 0.0; kx < ${lit(p.kw)}; kx++) {`,
      `      const tx = ix + ${lit(p.padW)} - kx;`,
      `      const ox = Math.floor((tx + 0.5) / ${lit(p.strideW)});`,
      `      if (tx >= 0.0 && ox < ${lit(p.wo)} && Math.abs(ox * ${lit(p.strideW)} - tx) < 0.5) {`,
      `        for (let oc = 0.0; oc < ${lit(p.o)}; oc++) {`,
      `          sum += dy[${flat4('bn', 'oc', 'oy', 'ox', dyd)}] * w[${flat4('oc', 'c', 'ky', 'kx', wd)}];`,
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
      'return sum;',
    ],
    p.n * p.c * p.h * p.w,
  );
}

/** dw[oc, c, ky, kx] = Σ_{n, oy, ox} dy[n, oc, oy, ox] · x[n, c, oy·sh − ph + ky, ox·sw − pw + kx]. */
export function conv2dBackwardWeightKernel(p: Conv2dPlan): KernelSpec {
  const xd = [p.n, p.c, p.h, p.w];
  const dyd = [p.n, p.o, p.ho, p.wo];
  return kernel(
    ['x', 'dy'],
    [
      ...coordinates(['oc', 'c', 'ky', 'kx'], [p.o, p.c, p.kh, p.kw]),
      'let sum = 0.0;',
      `for (let bn = 0.0; bn < ${lit(p.n)}; bn++) {`,
      `  for (let oy = 0.0; oy < ${lit(p.ho)}; oy++) {`,
      `    const iy = oy * ${lit(p.strideH)} - ${lit(p.padH)} + ky;`,
      `    if (iy >= 0.0 && iy < ${lit(p.h)}) {`,
      `      for (let ox = 0.0; ox < ${lit(p.wo)}; ox++) {`,
      `        const ix = ox * ${lit(p.strideW)} - ${lit(p.padW)} + kx;`,
      `        if (ix >= 0.0 && ix < ${lit(p.w)}) {`,
      `          sum += dy[${flat4('bn', 'oc', 'oy', 'ox', dyd)}] * x[${flat4('bn', 'c', 'iy', 'ix', xd)}];`,
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
      'return sum;',
    ],
    p.o * p.c * p.kh * p.kw,
  );
}

/**
 * Lines that find the maximum of the window at (oy, ox) of image plane `base` as PyTorch's CPU
 * kernel does (`val > maxval || isnan(val)`, row-major): `best` is the first largest value, or
 * NaN when the window holds one, and `at` its flat index (with NaNs, the last NaN's). Padding is
 * skipped (−∞ never wins); the window always holds a real pixel because padding is at most half
 * the kernel.
 */
function windowArgmax(p: Pool2dPlan, base: string, oy: string, ox: string): string[] {
  return [
    `const ys = ${oy} * ${lit(p.strideH)} - ${lit(p.padH)};`,
    `const xs = ${ox} * ${lit(p.strideW)} - ${lit(p.padW)};`,
    'let best = 0.0;',
    'let at = -1.0;',
    `for (let ky = 0.0; ky < ${lit(p.kh)}; ky++) {`,
    '  const yy = ys + ky;',
    `  if (yy >= 0.0 && yy < ${lit(p.h)}) {`,
    `    for (let kx = 0.0; kx < ${lit(p.kw)}; kx++) {`,
    '      const xx = xs + kx;',
    `      if (xx >= 0.0 && xx < ${lit(p.w)}) {`,
    `        const idx = ${base} + yy * ${lit(p.w)} + xx;`,
    `        const v = x[idx];`,
    '        if (at < 0.0 || v > best || optlabIsNaN(v) > 0.5) {',
    '          best = v;',
    '          at = idx;',
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
  ];
}

export function maxPool2dKernel(p: Pool2dPlan): KernelSpec {
  return kernel(
    ['x'],
    [
      ...coordinates(['plane', 'oy', 'ox'], [p.n * p.c, p.ho, p.wo]),
      `const base = plane * ${lit(p.h * p.w)};`,
      ...windowArgmax(p, 'base', 'oy', 'ox'),
      'return best;',
    ],
    p.n * p.c * p.ho * p.wo,
  );
}

/**
 * dx[pixel] = Σ dy over the windows covering the pixel whose first maximum it is; each window's
 * argmax is recomputed (windows are small), so no index tensor is kept from the forward pass.
 */
export function maxPool2dBackwardKernel(p: Pool2dPlan): KernelSpec {
  const argmax = windowArgmax(p, 'base', 'oy', 'ox').map((l) => `      ${l}`);
  return kernel(
    ['dy', 'x'],
    [
      ...coordinates(['plane', 'iy', 'ix'], [p.n * p.c, p.h, p.w]),
      `const base = plane * ${lit(p.h * p.w)};`,
      'let sum = 0.0;',
      `for (let ky0 = 0.0; ky0 < ${lit(p.kh)}; ky0++) {`,
      `  const ty = iy + ${lit(p.padH)} - ky0;`,
      `  const oy = Math.floor((ty + 0.5) / ${lit(p.strideH)});`,
      `  if (ty >= 0.0 && oy < ${lit(p.ho)} && Math.abs(oy * ${lit(p.strideH)} - ty) < 0.5) {`,
      `    for (let kx0 = 0.0; kx0 < ${lit(p.kw)}; kx0++) {`,
      `      const tx = ix + ${lit(p.padW)} - kx0;`,
      `      const ox = Math.floor((tx + 0.5) / ${lit(p.strideW)});`,
      `      if (tx >= 0.0 && ox < ${lit(p.wo)} && Math.abs(ox * ${lit(p.strideW)} - tx) < 0.5) {`,
      ...argmax,
      `        if (Math.abs(at - o) < 0.5) {`,
      `          sum += dy[(plane * ${lit(p.ho)} + oy) * ${lit(p.wo)} + ox];`,
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
      'return sum;',
    ],
    p.n * p.c * p.h * p.w,
  );
}

export function avgPool2dKernel(p: Pool2dPlan): KernelSpec {
  return kernel(
    ['x'],
    [
      ...coordinates(['plane', 'oy', 'ox'], [p.n * p.c, p.ho, p.wo]),
      `const base = plane * ${lit(p.h * p.w)};`,
      `const ys = oy * ${lit(p.strideH)} - ${lit(p.padH)};`,
      `const xs = ox * ${lit(p.strideW)} - ${lit(p.padW)};`,
      'let sum = 0.0;',
      `for (let ky = 0.0; ky < ${lit(p.kh)}; ky++) {`,
      '  const yy = ys + ky;',
      `  if (yy >= 0.0 && yy < ${lit(p.h)}) {`,
      `    for (let kx = 0.0; kx < ${lit(p.kw)}; kx++) {`,
      '      const xx = xs + kx;',
      `      if (xx >= 0.0 && xx < ${lit(p.w)}) {`,
      `        sum += x[base + yy * ${lit(p.w)} + xx];`,
      '      }',
      '    }',
      '  }',
      '}',
      `return sum / ${lit(p.kh * p.kw)};`,
    ],
    p.n * p.c * p.ho * p.wo,
  );
}

export function avgPool2dBackwardKernel(p: Pool2dPlan): KernelSpec {
  return kernel(
    ['dy'],
    [
      ...coordinates(['plane', 'iy', 'ix'], [p.n * p.c, p.h, p.w]),
      'let sum = 0.0;',
      `for (let ky = 0.0; ky < ${lit(p.kh)}; ky++) {`,
      `  const ty = iy + ${lit(p.padH)} - ky;`,
      `  const oy = Math.floor((ty + 0.5) / ${lit(p.strideH)});`,
      `  if (ty >= 0.0 && oy < ${lit(p.ho)} && Math.abs(oy * ${lit(p.strideH)} - ty) < 0.5) {`,
      `    for (let kx = 0.0; kx < ${lit(p.kw)}; kx++) {`,
      `      const tx = ix + ${lit(p.padW)} - kx;`,
      `      const ox = Math.floor((tx + 0.5) / ${lit(p.strideW)});`,
      `      if (tx >= 0.0 && ox < ${lit(p.wo)} && Math.abs(ox * ${lit(p.strideW)} - tx) < 0.5) {`,
      `        sum += dy[(plane * ${lit(p.ho)} + oy) * ${lit(p.wo)} + ox];`,
      '      }',
      '    }',
      '  }',
      '}',
      `return sum / ${lit(p.kh * p.kw)};`,
    ],
    p.n * p.c * p.h * p.w,
  );
}
