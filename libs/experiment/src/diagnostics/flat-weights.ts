import type { Backend, Parameter } from '@optlab/tensor';

/**
 * Where each parameter lies in one flat float64 vector of all the weights: what the diagnostics
 * and the loss landscape compute on (dot products, norms and directions over the whole model),
 * independent of the backend the parameters live on.
 */
export interface FlatLayout {
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  readonly offsets: readonly number[];
  readonly sizes: readonly number[];
  /** Numbers in the flat vector. */
  readonly total: number;
}

export function flatLayoutOf(parameters: readonly Parameter[]): FlatLayout {
  const names: string[] = [];
  const shapes: number[][] = [];
  const offsets: number[] = [];
  const sizes: number[] = [];
  let total = 0;
  parameters.forEach((p, i) => {
    names.push(p.name ?? `param${i}`);
    shapes.push([...p.value.shape]);
    offsets.push(total);
    sizes.push(p.value.size);
    total += p.value.size;
  });
  return { names, shapes, offsets, sizes, total };
}

/** The parameters' values, read back into one float64 vector (exact for float32 and float64). */
export async function readWeights(
  parameters: readonly Parameter[],
  layout: FlatLayout,
): Promise<Float64Array> {
  const out = new Float64Array(layout.total);
  for (let i = 0; i < parameters.length; i++) {
    const v = parameters[i].value;
    out.set(v.backend.canReadSync ? v.dataSync() : await v.data(), layout.offsets[i]);
  }
  return out;
}

/**
 * The parameters' gradients in one float64 vector; a parameter without a gradient reads as
 * zeros. Null when no parameter has one.
 */
export async function readGradients(
  parameters: readonly Parameter[],
  layout: FlatLayout,
): Promise<Float64Array | null> {
  const out = new Float64Array(layout.total);
  let any = false;
  for (let i = 0; i < parameters.length; i++) {
    const g = parameters[i].grad;
    if (!g) continue;
    any = true;
    out.set(g.backend.canReadSync ? g.dataSync() : await g.data(), layout.offsets[i]);
  }
  return any ? out : null;
}

/**
 * Writes a flat vector into the parameters (new tensors on `backend`, rounded to its dtype).
 * Writing back what `readWeights` read restores the values bit for bit.
 */
export function writeWeights(
  backend: Backend,
  parameters: readonly Parameter[],
  layout: FlatLayout,
  weights: Float64Array,
): void {
  if (weights.length !== layout.total) {
    throw new RangeError(`writeWeights: ${weights.length} numbers for ${layout.total} weights`);
  }
  parameters.forEach((p, i) => {
    const o = layout.offsets[i];
    p.value = backend.tensor(weights.subarray(o, o + layout.sizes[i]), layout.shapes[i]);
  });
}

/** Writes gradients back (null: none), as `readGradients` read them. */
export function writeGradients(
  backend: Backend,
  parameters: readonly Parameter[],
  layout: FlatLayout,
  grads: Float64Array | null,
): void {
  parameters.forEach((p, i) => {
    const o = layout.offsets[i];
    p.grad = grads
      ? backend.tensor(grads.subarray(o, o + layout.sizes[i]), layout.shapes[i])
      : null;
  });
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm(a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}
