import type { OptionInfo, OptionProblem } from '@optlab/tensor';
import { ACTIVATIONS, type Activation } from '../layers/activations.js';

/**
 * The layer list of a `cnn` model as a spec writes it, and its pure checks: option values (each
 * problem with its JSON path from the model's options, `['layers', 2, 'kernel']`), the order of
 * layers (images through conv/pool, `flatten`, then vectors through dense), and the shapes
 * through the network for a given input.
 */

/** A height-and-width pair, or one number for both. */
export type SpatialSpec = number | [number, number];

export type CnnLayerSpec =
  | {
      type: 'conv2d';
      out: number;
      kernel: SpatialSpec;
      stride?: SpatialSpec;
      /** Zeros on each side, or `same` (odd kernel, stride 1: the output keeps the input's size). */
      padding?: SpatialSpec | 'same';
    }
  | {
      type: 'maxPool2d' | 'avgPool2d';
      kernel: SpatialSpec;
      stride?: SpatialSpec;
      padding?: SpatialSpec;
    }
  | { type: 'flatten' }
  /** `out` may be left out on the last layer only: the dataset's classes. */
  | { type: 'dense'; out?: number }
  | { type: 'dropout'; p: number }
  | { type: Activation };

export const CNN_LAYER_TYPES = [
  'conv2d',
  'maxPool2d',
  'avgPool2d',
  'flatten',
  'dense',
  'dropout',
  ...ACTIVATIONS,
] as const;

/** Stated limits of a layer list: a typo should not build a network that fills the memory. */
export const CNN_LIMITS = {
  layers: 64,
  /** Channels of a conv layer, units of a dense one. */
  width: 8_192,
  kernel: 64,
  stride: 64,
  padding: 64,
} as const;

type Path = readonly (string | number)[];

/**
 * One field of a layer type, described as the option model describes options (`OptionInfo`:
 * kind, default, bounds, doc), for forms and `optlab list`. A `spatial` field takes an integer or
 * a [height, width] pair of integers in [min, max]; `alsoSame` allows "same" too (a conv's
 * padding). The checks below read the field names from here.
 */
export interface CnnLayerField extends OptionInfo {
  readonly spatial?: boolean;
  readonly alsoSame?: boolean;
}

/** A layer type as a spec writes it (`{"type": ..., ...fields}`): what it does and its fields. */
export interface CnnLayerInfo {
  readonly type: (typeof CNN_LAYER_TYPES)[number];
  readonly summary: string;
  readonly fields: readonly CnnLayerField[];
}

const kernelField = (what: string): CnnLayerField => ({
  name: 'kernel',
  kind: 'integer',
  spatial: true,
  default: null,
  required: true,
  min: 1,
  max: CNN_LIMITS.kernel,
  doc: `${what} window: an integer, or [height, width]`,
});

const poolFields = (what: string): CnnLayerField[] => [
  kernelField(what),
  {
    name: 'stride',
    kind: 'integer',
    spatial: true,
    default: null,
    min: 1,
    max: CNN_LIMITS.stride,
    doc: 'Step between windows: an integer, or [height, width] (default: the kernel)',
  },
  {
    name: 'padding',
    kind: 'integer',
    spatial: true,
    default: 0,
    min: 0,
    max: CNN_LIMITS.padding,
    doc: 'Padding on each side, at most half the kernel: an integer, or [height, width]',
  },
];

/** Every layer type of a `cnn` model, in the order `CNN_LAYER_TYPES` lists them. */
export const CNN_LAYERS: readonly CnnLayerInfo[] = [
  {
    type: 'conv2d',
    summary: '2-D convolution (PyTorch Conv2d): images [N, C, H, W] → [N, out, H′, W′]',
    fields: [
      {
        name: 'out',
        kind: 'integer',
        default: null,
        required: true,
        min: 1,
        max: CNN_LIMITS.width,
        doc: 'Output channels (filters)',
      },
      kernelField('Convolution'),
      {
        name: 'stride',
        kind: 'integer',
        spatial: true,
        default: 1,
        min: 1,
        max: CNN_LIMITS.stride,
        doc: 'Step between windows: an integer, or [height, width]',
      },
      {
        name: 'padding',
        kind: 'integer',
        spatial: true,
        alsoSame: true,
        default: 0,
        min: 0,
        max: CNN_LIMITS.padding,
        doc: 'Zeros on each side: an integer, [height, width], or "same" (odd kernel, stride 1: the output keeps the input\'s size)',
      },
    ],
  },
  { type: 'maxPool2d', summary: 'Max pooling (PyTorch MaxPool2d)', fields: poolFields('Pooling') },
  {
    type: 'avgPool2d',
    summary: 'Average pooling (PyTorch AvgPool2d, zeros of the padding counted)',
    fields: poolFields('Pooling'),
  },
  {
    type: 'flatten',
    summary: 'Images [N, C, H, W] → vectors [N, C·H·W], before dense layers',
    fields: [],
  },
  {
    type: 'dense',
    summary: 'Fully connected layer: vectors [N, in] → [N, out]',
    fields: [
      {
        name: 'out',
        kind: 'integer',
        default: null,
        min: 1,
        max: CNN_LIMITS.width,
        doc: "Units; only the last layer may leave it out: the dataset's classes",
      },
    ],
  },
  {
    type: 'dropout',
    summary:
      'Zeroes each value with probability p while training (seeded), scales the rest by 1/(1 − p)',
    fields: [
      {
        name: 'p',
        kind: 'number',
        default: null,
        required: true,
        min: 0,
        max: 1,
        exclusiveMax: true,
        doc: 'Probability of zeroing a value, in [0, 1)',
      },
    ],
  },
  ...ACTIVATIONS.map((a) => ({ type: a, summary: `${a} activation, element-wise`, fields: [] })),
];

const FIELDS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  CNN_LAYERS.map((l) => [l.type, l.fields.map((f) => f.name)]),
);

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/** An integer in [min, max], or why not. */
function intProblem(v: unknown, min: number, max: number): string | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v)) return `must be an integer, got ${show(v)}`;
  if (v < min) return `must be ≥ ${min}, got ${v}`;
  if (v > max) return `must be ≤ ${max} (limit), got ${v}`;
  return undefined;
}

/** An integer or a [height, width] pair of integers in [min, max], or the problem and its path. */
function spatialProblem(v: unknown, min: number, max: number, at: Path): OptionProblem | undefined {
  if (Array.isArray(v)) {
    if (v.length !== 2) {
      return { path: at, message: `must be an integer or a [height, width] pair, got ${show(v)}` };
    }
    for (let i = 0; i < 2; i++) {
      const p = intProblem(v[i], min, max);
      if (p) return { path: [...at, i], message: p };
    }
    return undefined;
  }
  const p = intProblem(v, min, max);
  return p ? { path: at, message: p } : undefined;
}

/**
 * Every problem with a layer list, without data: types, fields and values, and the order
 * (conv and pooling layers take images, dense layers vectors: a `flatten` goes between; the last
 * layer is a dense one, the logits). Paths start at `layers`.
 */
export function checkCnnLayers(value: unknown): OptionProblem[] {
  const at: Path = ['layers'];
  if (!Array.isArray(value)) {
    return [{ path: at, message: `must be a list of layers, got ${show(value)}` }];
  }
  if (value.length === 0) return [{ path: at, message: 'must list at least one layer' }];
  if (value.length > CNN_LIMITS.layers) {
    return [
      { path: at, message: `at most ${CNN_LIMITS.layers} layers (limit), got ${value.length}` },
    ];
  }
  const problems: OptionProblem[] = [];
  let images = true;
  value.forEach((layer: unknown, i) => {
    const here: Path = [...at, i];
    if (typeof layer !== 'object' || layer === null || Array.isArray(layer)) {
      problems.push({
        path: here,
        message: `must be a layer object {"type": …}, got ${show(layer)}`,
      });
      return;
    }
    const l = layer as Record<string, unknown>;
    const type = l.type;
    if (typeof type !== 'string' || !Object.hasOwn(FIELDS, type)) {
      problems.push({
        path: [...here, 'type'],
        message: `unknown layer type ${show(type)}; known: ${CNN_LAYER_TYPES.join(', ')}`,
      });
      return;
    }
    for (const key of Object.keys(l)) {
      if (key !== 'type' && !FIELDS[type].includes(key)) {
        problems.push({
          path: [...here, key],
          message: `unknown field "${key}" for a ${type} layer; known: ${FIELDS[type].join(', ') || '(none)'}`,
        });
      }
    }
    const field = (name: string): Path => [...here, name];
    const push = (p: OptionProblem | undefined) => p && problems.push(p);
    const last = i === value.length - 1;
    switch (type) {
      case 'conv2d':
      case 'maxPool2d':
      case 'avgPool2d': {
        if (!images) {
          problems.push({
            path: [...here, 'type'],
            message: `a ${type} layer needs images [N,C,H,W], but an earlier flatten or dense layer made vectors`,
          });
        }
        if (type === 'conv2d') {
          const p = l.out === undefined ? 'is required' : intProblem(l.out, 1, CNN_LIMITS.width);
          if (p) problems.push({ path: field('out'), message: p });
        }
        if (l.kernel === undefined)
          problems.push({ path: field('kernel'), message: 'is required' });
        else push(spatialProblem(l.kernel, 1, CNN_LIMITS.kernel, field('kernel')));
        if (l.stride !== undefined)
          push(spatialProblem(l.stride, 1, CNN_LIMITS.stride, field('stride')));
        if (l.padding === 'same' && type === 'conv2d') {
          const k = Array.isArray(l.kernel) ? l.kernel : [l.kernel, l.kernel];
          const stride = Array.isArray(l.stride) ? l.stride : [l.stride ?? 1, l.stride ?? 1];
          if (k.some((v) => typeof v === 'number' && v % 2 === 0) || stride.some((s) => s !== 1)) {
            problems.push({
              path: field('padding'),
              message: `"same" needs odd kernel sizes and stride 1 (equal padding on both sides), got kernel ${show(l.kernel)}, stride ${show(l.stride ?? 1)}`,
            });
          }
        } else if (l.padding !== undefined) {
          push(spatialProblem(l.padding, 0, CNN_LIMITS.padding, field('padding')));
        }
        if (type !== 'conv2d' && problems.every((p) => !startsWith(p.path, here))) {
          // PyTorch refuses pooling padding over half the kernel.
          const k = pairOf(l.kernel as SpatialSpec);
          const pad = pairOf((l.padding as SpatialSpec | undefined) ?? 0);
          if (pad[0] > k[0] / 2 || pad[1] > k[1] / 2) {
            problems.push({
              path: field('padding'),
              message: `must be at most half the kernel (${show(l.kernel)}), got ${show(l.padding)}`,
            });
          }
        }
        break;
      }
      case 'flatten':
        images = false;
        break;
      case 'dense': {
        if (images) {
          problems.push({
            path: [...here, 'type'],
            message: 'a dense layer needs vectors: put {"type": "flatten"} before it',
          });
        }
        if (l.out === undefined) {
          if (!last) {
            problems.push({
              path: field('out'),
              message: "is required (only the last layer's out may be left out: the classes)",
            });
          }
        } else {
          const p = intProblem(l.out, 1, CNN_LIMITS.width);
          if (p) problems.push({ path: field('out'), message: p });
        }
        images = false;
        break;
      }
      case 'dropout': {
        const p = l.p;
        if (p === undefined) problems.push({ path: field('p'), message: 'is required' });
        else if (typeof p !== 'number' || !(p >= 0 && p < 1)) {
          problems.push({
            path: field('p'),
            message: `must be a number in [0, 1), got ${show(p)}`,
          });
        }
        break;
      }
      default:
        break;
    }
    if (last && type !== 'dense') {
      problems.push({
        path: [...here, 'type'],
        message: `the last layer must be dense (the logits, one per class), got ${type}`,
      });
    }
  });
  return problems;
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.every((p, i) => path[i] === p);
}

export function pairOf(v: SpatialSpec): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** A conv layer's padding as numbers (`same`: half the odd kernel). */
export function convPadding(l: Extract<CnnLayerSpec, { type: 'conv2d' }>): [number, number] {
  if (l.padding === 'same') {
    const [kh, kw] = pairOf(l.kernel);
    return [(kh - 1) / 2, (kw - 1) / 2];
  }
  return pairOf(l.padding ?? 0);
}

/** The shape after each layer, and the trainable numbers, for an input image shape [C, H, W]. */
export interface CnnPlan {
  readonly shapes: readonly (readonly number[])[];
  readonly parameters: number;
}

/**
 * Walks a (checked) layer list from an input [C, H, W] to the logits: every layer's output shape
 * and the weights and biases. A kernel larger than its padded input, or a last layer whose width
 * is not the number of classes, is a problem with the layer's path.
 */
export function planCnn(
  layers: readonly CnnLayerSpec[],
  input: readonly number[],
  classes: number,
): CnnPlan | OptionProblem {
  let shape: number[] = [...input];
  let parameters = 0;
  const shapes: number[][] = [];
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    const at: Path = ['layers', i];
    const spatial = (k: SpatialSpec, s: SpatialSpec, p: [number, number]) => {
      const [kh, kw] = pairOf(k);
      const [sh, sw] = pairOf(s);
      const [c, h, w] = shape;
      if (h + 2 * p[0] < kh || w + 2 * p[1] < kw) {
        return {
          path: [...at, 'kernel'],
          message: `kernel ${kh}×${kw} is larger than its input ${h}×${w} (padding ${p[0]}×${p[1]}); the input to layer ${i} is [${shape.join(',')}]`,
        } satisfies OptionProblem;
      }
      return [
        c,
        Math.floor((h + 2 * p[0] - kh) / sh) + 1,
        Math.floor((w + 2 * p[1] - kw) / sw) + 1,
      ];
    };
    switch (l.type) {
      case 'conv2d': {
        const next = spatial(l.kernel, l.stride ?? 1, convPadding(l));
        if (!Array.isArray(next)) return next;
        const [kh, kw] = pairOf(l.kernel);
        parameters += l.out * shape[0] * kh * kw + l.out;
        shape = [l.out, next[1], next[2]];
        break;
      }
      case 'maxPool2d':
      case 'avgPool2d': {
        const next = spatial(l.kernel, l.stride ?? l.kernel, pairOf(l.padding ?? 0));
        if (!Array.isArray(next)) return next;
        shape = next;
        break;
      }
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      case 'dense': {
        const out = l.out ?? classes;
        if (i === layers.length - 1 && out !== classes) {
          return {
            path: [...at, 'out'],
            message: `the last layer gives the logits: out must be the ${classes} classes of the data, got ${out}`,
          };
        }
        parameters += shape[0] * out + out;
        shape = [out];
        break;
      }
      default:
        break;
    }
    shapes.push(shape);
  }
  return { shapes, parameters };
}

/**
 * The image shape [C, H, W] of data with `features` values per row when no shape is given: one
 * channel of a square image (28×28 for MNIST's 784), or null when `features` is no square.
 */
export function squareImage(features: number): [number, number, number] | null {
  const side = Math.round(Math.sqrt(features));
  return side * side === features ? [1, side, side] : null;
}
