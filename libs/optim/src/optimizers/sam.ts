import { defineUpdate, tidy, type Parameter, type Tensor } from '@optlab/tensor';
import { ClosureOptimizer, isClosureOptimizer, type Closure } from './closure.js';
import type { Optimizer, OptimizerStateDict } from './optimizer.js';
import type { OptimizerSpec, ParamGroupBase, ParamGroupInput } from './param-groups.js';
import { SAM_GROUP_OPTIONS } from './sam-options.js';
// A cycle (registry → registry-torch → sam → registry) that is safe: SAM reads the registry only
// when constructed, never while the modules load.
import { createOptimizer, OPTIMIZERS } from './registry.js';

/** SAM's own options; every other option goes to the base optimizer. */
export interface SAMOptions {
  /** Registry name of the optimizer that takes the step at w with the gradient at w + e(w). */
  base?: string;
  rho?: number;
  adaptive?: boolean;
  [baseOption: string]: unknown;
}

/** Validates rho and adaptive of a group (the base's options are the base's business). */
const SAM_SPEC: OptimizerSpec = { name: 'SAM', options: SAM_GROUP_OPTIONS };

/** old ← θ;  θ ← θ + (adaptive ? θ² : 1)·g·ρ/(‖g‖ + 1e-12)  (sam.py's first_step). */
const perturb = defineUpdate({
  name: 'samPerturb',
  inputs: ['param', 'grad', 'oldParam', 'norm'],
  scalars: ['rho', 'adaptive'],
  outputs: ['oldParam', 'param'],
  body: ({ param, grad, norm }, { rho, adaptive }) => {
    // adaptive is 0 or 1: θ²·a + (1 − a) picks θ² or 1 without a branch.
    const weight = param.mul(param).mul(adaptive).add(adaptive.neg().add(1));
    const scale = rho.div(norm.add(1e-12));
    return { oldParam: param, param: param.add(weight.mul(grad).mul(scale)) };
  },
});

/** (adaptive ? |θ| : 1)·g, squared: the terms of one parameter's norm in `_grad_norm`. */
const normTerms = defineUpdate({
  name: 'samNormTerms',
  inputs: ['param', 'grad'],
  scalars: ['adaptive'],
  outputs: ['sq'],
  body: ({ param, grad }, { adaptive }) => {
    const x = param.abs().mul(adaptive).add(adaptive.neg().add(1)).mul(grad);
    return { sq: x.mul(x) };
  },
});

const restore = defineUpdate({
  name: 'samRestore',
  inputs: ['param', 'oldParam'],
  outputs: ['param'],
  body: ({ oldParam }) => ({ param: oldParam }),
});

/**
 * Sharpness-Aware Minimization around any optimizer of the registry, from davda54/sam (sam.py).
 *
 * ```
 * g ← ∇f(w)                                   (first closure call)
 * ‖g‖ ← ‖(‖(adaptive ? |w| : 1)·g_p‖₂ for every p)‖₂
 * e(w) ← (adaptive ? w² : 1)·g·ρ/(‖g‖ + 1e-12);   w ← w + e(w)
 * g ← ∇f(w + e(w))                            (second closure call)
 * w ← w − e(w) (restored exactly);   base.step() with that gradient
 * ```
 * Foret, Kleiner, Mobahi & Neyshabur (2021), "Sharpness-Aware Minimization for Efficiently
 * Improving Generalization", ICLR; adaptive: Kwon et al. (2021), "ASAM", ICML.
 *
 * sam.py's `step(closure)` expects the gradient at w to be there already (the caller ran the
 * first forward/backward); here `step(closure)` calls the closure for it, so one call is one SAM
 * step with two evaluations, and it returns the loss at w. The ‖g‖ stays on the device as a
 * 1-element tensor (no readback). Passes per parameter: 2 for the norm (terms, sum), 1 perturb
 * (saving w), 1 restore, plus the base's step. The groups are the base optimizer's groups with
 * rho and adaptive added (sam.py shares them the same way), so schedules reach the base's lr.
 */
export class SAM extends ClosureOptimizer<ParamGroupBase> {
  readonly inner: Optimizer;
  readonly base: string;

  constructor(params: readonly Parameter[] | readonly ParamGroupInput[], options: SAMOptions = {}) {
    const { base, rho, adaptive, ...baseOptions } = options;
    if (base === undefined || base === null) {
      throw new Error(
        `SAM: option "base" is required: the optimizer SAM wraps, one of ${baseNames().join(', ')}`,
      );
    }
    if (typeof base !== 'string' || !Object.prototype.hasOwnProperty.call(OPTIMIZERS, base)) {
      throw new Error(
        `SAM: unknown base optimizer ${JSON.stringify(base)}; known: ${baseNames().join(', ')}`,
      );
    }
    const own = { rho: rho ?? 0.05, adaptive: adaptive ?? false };
    const isGroups = Array.isArray(params) && params.length > 0 && !isParameter(params[0]);
    const groupSam: Array<Record<string, unknown>> = [];
    const stripped = isGroups
      ? (params as readonly ParamGroupInput[]).map((g) => {
          const { rho: r, adaptive: a, ...rest } = g;
          groupSam.push({
            ...own,
            ...(r === undefined ? {} : { rho: r }),
            ...(a === undefined ? {} : { adaptive: a }),
          });
          return rest as ParamGroupInput;
        })
      : params;
    const inner = createOptimizer(base, stripped, baseOptions);
    if (isClosureOptimizer(inner as never)) {
      inner.dispose();
      throw new Error(`SAM: base must be an optimizer that steps without a closure, got ${base}`);
    }
    inner.paramGroups.forEach((g, i) => Object.assign(g, groupSam[i] ?? own));
    try {
      inner.paramGroups.forEach((g) => validateSamGroup(g));
    } catch (err) {
      inner.dispose();
      throw err;
    }
    super(SAM_SPEC, inner.paramGroups as ParamGroupBase[]);
    this.inner = inner;
    this.base = base;
  }

  protected async stepWith(closure: Closure): Promise<number> {
    const loss = await this.evaluate(closure);
    const withGrad = this.params.filter((p) => p.grad !== null);
    if (withGrad.length === 0) {
      throw new Error('SAM: the closure left every gradient empty');
    }
    const norm = this.gradNorm();
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        const state = this.samState(p);
        p.backend.fusedUpdate(
          perturb,
          { param: p.value, grad: p.grad, oldParam: state.tensors.oldParam, norm },
          { rho: group.rho as number, adaptive: group.adaptive ? 1 : 0 },
        );
        state.step += 1;
      }
    }
    norm.dispose();
    this.zeroGrad();
    await this.evaluate(closure);
    for (const p of withGrad) {
      if (p.grad === null) continue;
      p.backend.fusedUpdate(restore, {
        param: p.value,
        oldParam: this.state.get(p)!.tensors.oldParam,
      });
    }
    this.inner.step();
    return loss;
  }

  /** sam.py's `_grad_norm`: the 2-norm of the per-parameter 2-norms, each group with its own adaptive. */
  private gradNorm(): Tensor {
    return tidy(() => {
      let total: Tensor | null = null;
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (p.grad === null) continue;
          const be = p.backend;
          const { sq } = be.fusedUpdate(
            normTerms,
            { param: p.value, grad: p.grad },
            {
              adaptive: group.adaptive ? 1 : 0,
            },
          );
          // torch.norm of the stacked norms: each norm is rooted, then squared again.
          const term = be.square(be.sqrt(be.sum(sq)));
          total = total === null ? term : be.add(total, term);
        }
      }
      return total!.backend.sqrt(total!);
    });
  }

  private samState(p: Parameter): { step: number; tensors: Record<string, Tensor> } {
    let s = this.state.get(p);
    if (s === undefined) {
      s = { step: 0, tensors: { oldParam: tidy(() => p.backend.zeros(p.shape)) }, values: {} };
      this.state.set(p, s);
    }
    return s;
  }

  override stateDict(): OptimizerStateDict {
    return { ...super.stateDict(), inner: this.inner.stateDict() };
  }

  override async stateDictAsync(): Promise<OptimizerStateDict> {
    const own = await super.stateDictAsync();
    return { ...own, inner: await this.inner.stateDictAsync() };
  }

  protected override serialize(read: (t: Tensor) => number[]): OptimizerStateDict {
    return { ...super.serialize(read), options: { base: this.base } };
  }

  override loadStateDict(dict: OptimizerStateDict): void {
    if (dict?.inner === undefined || dict.options?.base !== this.base) {
      throw new Error(
        `SAM: loadStateDict needs a state dict of SAM over ${this.base} (with inner and options.base)`,
      );
    }
    for (const g of dict.paramGroups ?? []) validateSamGroup(g);
    this.inner.loadStateDict(dict.inner);
    super.loadStateDict({ ...dict, paramGroups: dict.inner.paramGroups });
  }

  override dispose(): void {
    super.dispose();
    this.inner.dispose();
  }
}

function validateSamGroup(g: Record<string, unknown>): void {
  const rho = g.rho;
  if (typeof rho !== 'number' || !Number.isFinite(rho) || rho < 0) {
    throw new Error(`SAM: Invalid rho, should be non-negative: ${String(rho)}`);
  }
  if (typeof g.adaptive !== 'boolean') {
    throw new Error(`SAM: option "adaptive" must be true or false, got ${String(g.adaptive)}`);
  }
}

function isParameter(x: unknown): boolean {
  return x !== null && typeof x === 'object' && 'backend' in x && 'value' in x;
}

/** Registry names a SAM can wrap (not the closure optimizers). */
function baseNames(): string[] {
  return Object.keys(OPTIMIZERS).filter((n) => n !== 'SAM' && n !== 'LBFGS');
}
