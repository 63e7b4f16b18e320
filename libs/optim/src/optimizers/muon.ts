import { defineUpdate, tidy, type Backend, type Parameter, type Tensor } from '@optlab/tensor';
import { epsOption, lrOption } from './common.js';
import { Optimizer, type ParameterState } from './optimizer.js';
import {
  resolveParamGroups,
  type OptimizerSpec,
  type ParamGroup,
  type ParamGroupInput,
} from './param-groups.js';

export type MuonAdjustLrFn = 'original' | 'match_rms_adamw';

export interface MuonOptions {
  lr?: number;
  weightDecay?: number;
  momentum?: number;
  nesterov?: boolean;
  nsCoefficients?: readonly [number, number, number];
  eps?: number;
  nsSteps?: number;
  adjustLrFn?: MuonAdjustLrFn | null;
}

export interface MuonGroup extends ParamGroup {
  weightDecay: number;
  momentum: number;
  nesterov: boolean;
  nsCoefficients: [number, number, number];
  eps: number;
  nsSteps: number;
  adjustLrFn: MuonAdjustLrFn | null;
}

/** Keller Jordan's quintic coefficients, torch's `DEFAULT_A/B/C`. */
export const MUON_NS_COEFFICIENTS: readonly [number, number, number] = [3.4445, -4.775, 2.0315];

export const MUON_SPEC: OptimizerSpec = {
  name: 'Muon',
  options: [
    lrOption(1e-3),
    {
      name: 'weightDecay',
      kind: 'number',
      default: 0.1,
      min: 0,
      doc: 'Decoupled weight decay: θ ← θ·(1 − lr·weightDecay), with the unadjusted lr.',
    },
    {
      name: 'momentum',
      kind: 'number',
      default: 0.95,
      min: 0,
      doc: 'Momentum of the buffer B ← μB + (1 − μ)g that is orthogonalized.',
    },
    {
      name: 'nesterov',
      kind: 'boolean',
      default: true,
      doc: 'Orthogonalize g + μ(B − g) (Nesterov) instead of B.',
    },
    {
      name: 'nsCoefficients',
      kind: 'numbers',
      default: MUON_NS_COEFFICIENTS,
      doc: 'Coefficients (a, b, c) of the Newton–Schulz polynomial X ← aX + (bA + cA²)X, A = XXᵀ.',
    },
    epsOption(1e-7, 'Lower bound of the Frobenius norm the update is divided by.'),
    {
      name: 'nsSteps',
      kind: 'integer',
      default: 5,
      min: 0,
      max: 99,
      unit: 'iterations',
      doc: 'Newton–Schulz iterations per step (3 matrix products each).',
    },
    {
      name: 'adjustLrFn',
      kind: 'choice',
      default: null,
      choices: ['original', 'match_rms_adamw'],
      doc: "Learning-rate scaling by shape: 'original' (null) √max(1, rows/cols); 'match_rms_adamw' 0.2·√max(rows, cols).",
    },
  ],
  check: (g) => {
    const c = g.nsCoefficients;
    if (Array.isArray(c) && c.length !== 3) {
      return {
        option: 'nsCoefficients',
        message: `option "nsCoefficients" must be three numbers (a, b, c), got ${JSON.stringify(c)}`,
      };
    }
    return undefined;
  },
};

/** B ← B + (1 − μ)(g − B);  U = g + μ(B − g) (Nesterov) or B;  U² for the norm. */
function momentumProgram(nesterov: boolean) {
  return defineUpdate({
    name: nesterov ? 'muonNesterov' : 'muonMomentum',
    inputs: ['grad', 'buf'],
    scalars: ['momentum', 'oneMinusMomentum'],
    outputs: ['buf', 'update', 'updateSq'],
    body: ({ grad, buf }, s) => {
      const b = buf.lerp(grad, s.oneMinusMomentum);
      const update = nesterov ? grad.lerp(b, s.momentum) : b;
      return { buf: b, update, updateSq: update.mul(update) };
    },
  });
}

const MOMENTUM = momentumProgram(false);
const NESTEROV = momentumProgram(true);

/** X = U / max(‖U‖_F, ε), the sum of squares read as a one-element tensor. */
const normalize = defineUpdate({
  name: 'muonNormalize',
  inputs: ['update', 'sumSq'],
  scalars: ['eps'],
  outputs: ['x'],
  body: ({ update, sumSq }, s) => ({ x: update.div(sumSq.sqrt().maximum(s.eps)) }),
});

/** bA + cA² (the Gram matrix A and its square from two matrix products). */
const gramPolynomial = defineUpdate({
  name: 'muonGramPolynomial',
  inputs: ['gram', 'gramSq'],
  scalars: ['b', 'c'],
  outputs: ['poly'],
  body: ({ gram, gramSq }, s) => ({ poly: gram.mul(s.b).add(gramSq.mul(s.c)) }),
});

/** aX + (bA + cA²)X. */
const combine = defineUpdate({
  name: 'muonCombine',
  inputs: ['x', 'polyX'],
  scalars: ['a'],
  outputs: ['next'],
  body: ({ x, polyX }, s) => ({ next: x.mul(s.a).add(polyX) }),
});

/** θ ← θ(1 − γλ) − γ′·O. */
const apply = defineUpdate({
  name: 'muonApply',
  inputs: ['param', 'ortho'],
  scalars: ['decay', 'adjustedLr'],
  outputs: ['param'],
  body: ({ param, ortho }, s) => ({ param: param.mul(s.decay).sub(ortho.mul(s.adjustedLr)) }),
});

/**
 * `nsSteps` Newton–Schulz iterations on the normalized update, as torch's
 * `_zeropower_via_newtonschulz`. A tall matrix (rows > columns) is orthogonalized as its
 * transpose, which we never form: with Y = Xᵀ stored, A = YᵀY and (BX)ᵀ = YBᵀ, so the transposes
 * are matmul flags. Each iteration is 3 matrix products (A, A², BX) and 2 elementwise passes.
 */
export function newtonSchulz(
  be: Backend,
  x0: Tensor,
  [a, b, c]: readonly [number, number, number],
  steps: number,
): Tensor {
  const tall = x0.shape[0] > x0.shape[1];
  let x = x0;
  for (let i = 0; i < steps; i++) {
    const prev = x;
    x = tidy(() => {
      const gram = tall
        ? be.matmul(prev, prev, { transposeA: true })
        : be.matmul(prev, prev, { transposeB: true });
      const { poly } = be.fusedUpdate(
        gramPolynomial,
        { gram, gramSq: be.matmul(gram, gram) },
        {
          b,
          c,
        },
      );
      const polyX = tall ? be.matmul(prev, poly, { transposeB: true }) : be.matmul(poly, prev);
      return be.fusedUpdate(combine, { x: prev, polyX }, { a }).next;
    });
    if (prev !== x0) prev.dispose();
  }
  return x;
}

/** torch's `_adjust_lr`: the learning rate scaled for the matrix's shape. */
export function muonAdjustedLr(lr: number, fn: MuonAdjustLrFn | null, shape: readonly number[]) {
  const [rows, cols] = shape;
  const ratio =
    fn === 'match_rms_adamw'
      ? 0.2 * Math.sqrt(Math.max(rows, cols))
      : Math.sqrt(Math.max(1, rows / cols));
  return lr * ratio;
}

/**
 * Muon (MomentUm Orthogonalized by Newton–Schulz), PyTorch's `torch.optim.Muon` (≥ 2.9), for 2-D
 * parameters (the weight matrices of hidden layers) only.
 *
 * ```
 * B ← μB + (1 − μ)g
 * U ← g + μ(B − g)  (nesterov)  or  B
 * X ← U / max(‖U‖_F, ε)   (transposed when U has more rows than columns)
 * k times:  A ← XXᵀ;  X ← aX + (bA + cA²)X
 * θ ← θ(1 − γλ) − γ′·X,   γ′ = γ·√max(1, rows/cols)  or  0.2γ·√max(rows, cols)
 * ```
 * Jordan et al. (2024), "Muon: An optimizer for hidden layers in neural networks"
 * (kellerjordan.github.io/posts/muon); Liu et al. (2025), "Muon is Scalable for LLM Training"
 * (arXiv:2502.16982) for `match_rms_adamw`. torch runs Newton–Schulz in bfloat16; OptLab runs it
 * in the backend's dtype. Biases, embeddings and other non-matrix parameters belong in another
 * optimizer (AdamW), as torch's documentation advises: Muon refuses them.
 *
 * Cost per parameter and step: 3·nsSteps matrix products (15 by default, each of min(m,n)² or
 * m·n·min(m,n) work) and 4 + 2·nsSteps elementwise or reduction passes (momentum, Σu², normalize,
 * apply, and per iteration bA + cA² and aX + BX).
 */
export class Muon extends Optimizer<MuonGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: MuonOptions = {},
  ) {
    const groups = resolveParamGroups<MuonGroup>(MUON_SPEC, params, { ...options });
    let index = 0;
    groups.forEach((group, g) => {
      for (const p of group.params) {
        if (p.shape.length !== 2) {
          const name = p.name ? `, "${p.name}"` : '';
          throw new Error(
            `Muon: parameter ${index} (group ${g}${name}) has shape [${p.shape.join(', ')}]; Muon ` +
              'takes 2-D parameters (weight matrices) only. Give biases and other non-2-D ' +
              'parameters to an AdamW parameter group, as torch.optim.Muon advises',
          );
        }
        index++;
      }
    });
    super(MUON_SPEC, groups);
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: MuonGroup,
  ): void {
    const be = p.backend;
    const buf = this.stateTensor(state, 'momentumBuffer', () => be.zeros(p.shape));
    const { update, updateSq } = be.fusedUpdate(
      group.nesterov ? NESTEROV : MOMENTUM,
      { grad, buf },
      { momentum: group.momentum, oneMinusMomentum: 1 - group.momentum },
    );
    const { x } = be.fusedUpdate(
      normalize,
      { update, sumSq: be.sum(updateSq) },
      { eps: group.eps },
    );
    const ortho = newtonSchulz(be, x, group.nsCoefficients, group.nsSteps);
    be.fusedUpdate(
      apply,
      { param: p.value, ortho },
      {
        decay: 1 - group.lr * group.weightDecay,
        adjustedLr: muonAdjustedLr(group.lr, group.adjustLrFn, p.shape),
      },
    );
  }
}
