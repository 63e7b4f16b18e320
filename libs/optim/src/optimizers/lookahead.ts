import { defineUpdate, keep, tidy, type Parameter, type Tensor } from '@optlab/tensor';
import type { OptionInfo } from '@optlab/tensor';
import { isClosureOptimizer, type Closure } from './closure.js';
import { Optimizer, type OptimizerStateDict, type ParameterState } from './optimizer.js';
import type { OptimizerSpec, ParamGroupBase } from './param-groups.js';

export interface LookaheadOptions {
  k?: number;
  alpha?: number;
}

export const LOOKAHEAD_OPTIONS: readonly OptionInfo[] = [
  {
    name: 'k',
    kind: 'integer',
    default: 5,
    min: 1,
    unit: 'steps',
    doc: 'Fast steps of the inner optimizer between two synchronisations.',
  },
  {
    name: 'alpha',
    kind: 'number',
    default: 0.5,
    min: 0,
    max: 1,
    doc: 'Slow-weights step size α: φ ← φ + α(θ − φ).',
  },
];

function checkOptions(options: LookaheadOptions): { k: number; alpha: number } {
  const k = options.k ?? 5;
  const alpha = options.alpha ?? 0.5;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new Error(`Lookahead: Invalid k value: ${String(k)}`);
  }
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
    throw new Error(`Lookahead: Invalid alpha value: ${String(alpha)}`);
  }
  return { k, alpha };
}

const LOOKAHEAD_SPEC: OptimizerSpec = { name: 'Lookahead', options: [] };

/** φ ← φ + α(θ − φ);  θ ← φ */
const syncStep = defineUpdate({
  name: 'lookahead',
  inputs: ['param', 'slow'],
  scalars: ['alpha'],
  outputs: ['slow', 'param'],
  body: ({ param, slow }, { alpha }) => {
    const s = slow.add(param.sub(slow).mul(alpha));
    return { slow: s, param: s };
  },
});

const copyProgram = defineUpdate({
  name: 'copy',
  inputs: ['x'],
  outputs: ['y'],
  body: ({ x }) => ({ y: x }),
});

/**
 * Lookahead around any optimizer (the "fast" one): every k fast steps, the slow weights move
 * toward the fast ones and the fast weights restart from them.
 *
 * ```
 * φ ← θ₀
 * each step: θ ← inner.step(θ)
 * every k steps: φ ← φ + α(θ − φ);  θ ← φ
 * ```
 * Zhang, Lucas, Hinton & Ba (2019), "Lookahead Optimizer: k steps forward, 1 step back",
 * NeurIPS, Algorithm 1. The wrapper shares the inner optimizer's `paramGroups`, so schedules
 * attached to it drive the inner learning rate; the inner state is kept as is.
 *
 * Around a closure optimizer (LBFGS, SAM) the wrapper is one too (`requiresClosure` follows the
 * inner optimizer): `await opt.step(closure)` takes the inner step with the closure, then
 * synchronises every k steps, and returns the inner step's loss.
 */
export class Lookahead<G extends ParamGroupBase = ParamGroupBase> extends Optimizer<G> {
  readonly inner: Optimizer<G>;
  k: number;
  alpha: number;
  /** Fast steps taken so far. */
  stepCount = 0;

  constructor(inner: Optimizer<G>, options: LookaheadOptions = {}) {
    super(LOOKAHEAD_SPEC, inner.paramGroups);
    for (const key of Object.keys(options)) {
      if (key !== 'k' && key !== 'alpha') {
        throw new Error(`Lookahead: unknown option "${key}"; known: k, alpha`);
      }
    }
    const { k, alpha } = checkOptions(options);
    this.inner = inner;
    this.k = k;
    this.alpha = alpha;
    for (const p of this.params) this.slowWeights(p);
  }

  private slowWeights(p: Parameter): Tensor {
    let s = this.state.get(p);
    if (s === undefined) {
      const slow = keep(tidy(() => p.backend.fusedUpdate(copyProgram, { x: p.value }).y));
      s = { step: 0, tensors: { slow }, values: {} } satisfies ParameterState;
      this.state.set(p, s);
    }
    return s.tensors.slow;
  }

  /** True when the inner optimizer steps with a closure (see `isClosureOptimizer`). */
  get requiresClosure(): boolean {
    return isClosureOptimizer(this.inner);
  }

  /** Closures evaluated by the inner optimizer (closure optimizers count them). */
  get evaluations(): number {
    const n = (this.inner as { evaluations?: unknown }).evaluations;
    return typeof n === 'number' ? n : 0;
  }

  override step(closure?: Closure): void | Promise<number> {
    if (isClosureOptimizer(this.inner)) {
      return this.inner.step(closure).then((loss) => {
        this.afterInnerStep();
        return loss;
      });
    }
    this.inner.step();
    this.afterInnerStep();
  }

  private afterInnerStep(): void {
    this.stepCount += 1;
    if (this.stepCount % this.k !== 0) return;
    for (const p of this.params) {
      const slow = this.slowWeights(p);
      this.state.get(p)!.step = this.stepCount;
      p.backend.fusedUpdate(syncStep, { param: p.value, slow }, { alpha: this.alpha });
    }
  }

  override stateDict(): OptimizerStateDict {
    return { ...super.stateDict(), inner: this.inner.stateDict() };
  }

  override async stateDictAsync(): Promise<OptimizerStateDict> {
    const own = await super.stateDictAsync();
    return { ...own, inner: await this.inner.stateDictAsync() };
  }

  protected override serialize(read: (t: Tensor) => number[]): OptimizerStateDict {
    return {
      ...super.serialize(read),
      options: { k: this.k, alpha: this.alpha, stepCount: this.stepCount },
    };
  }

  override loadStateDict(dict: OptimizerStateDict): void {
    if (dict?.inner === undefined || dict.options === undefined) {
      throw new Error(
        'Lookahead: loadStateDict needs a Lookahead state dict (with inner and options)',
      );
    }
    const stepCount = dict.options.stepCount;
    if (typeof stepCount !== 'number' || !Number.isInteger(stepCount) || stepCount < 0) {
      throw new Error(`Lookahead: loadStateDict: Invalid stepCount value: ${String(stepCount)}`);
    }
    const { k, alpha } = checkOptions({
      k: dict.options.k as number | undefined,
      alpha: dict.options.alpha as number | undefined,
    });
    this.inner.loadStateDict(dict.inner);
    super.loadStateDict({ ...dict, paramGroups: dict.inner.paramGroups });
    this.k = k;
    this.alpha = alpha;
    this.stepCount = stepCount;
  }

  override dispose(): void {
    super.dispose();
    this.inner.dispose();
  }
}
