import type { Parameter } from '@optlab/tensor';
import { isClosureOptimizer } from './closure.js';
import { Optimizer, type OptimizerStateDict } from './optimizer.js';
import type { ParamGroup, ParamGroupBase } from './param-groups.js';

/**
 * Several optimizers over disjoint parameters, stepped as one: Muon for the weight matrices and
 * AdamW for the biases, as torch.optim.Muon's documentation advises (in PyTorch, two optimizers
 * and two `step()` calls; Keller Jordan's `MuonWithAuxAdam` is the same idea as one class).
 *
 * `paramGroups` is every part's groups, in order — the same group objects, not copies — so a
 * schedule attached to the combination writes each part's learning rates (each group keeps its
 * own `initialLr`, so a StepLR scales Muon's lr and AdamW's lr by the same factor). `step()`
 * steps every part in order; `zeroGrad()` drops every gradient; the state dict holds each
 * part's in `parts`.
 *
 * Closure optimizers (LBFGS, SAM) are refused as parts: their steps evaluate the objective
 * themselves, which cannot be shared between parts. Wrap the combination instead
 * (`new Lookahead(new CombinedOptimizer([...]))`).
 */
export class CombinedOptimizer<G extends ParamGroupBase = ParamGroup> extends Optimizer<G> {
  readonly parts: readonly Optimizer<G>[];

  constructor(parts: readonly Optimizer<NoInfer<G>>[]) {
    if (!Array.isArray(parts) || parts.length === 0) {
      throw new Error('CombinedOptimizer: needs at least one optimizer');
    }
    const seen = new Set<Parameter>();
    parts.forEach((part, i) => {
      if (!(part instanceof Optimizer)) {
        throw new Error(`CombinedOptimizer: part ${i} is not an optimizer`);
      }
      if (isClosureOptimizer(part)) {
        throw new Error(
          `CombinedOptimizer: part ${i} (${part.name}) steps with a closure; only optimizers that step without one can be combined`,
        );
      }
      for (const p of part.params) {
        if (seen.has(p)) {
          throw new Error(
            `CombinedOptimizer: a parameter${p.name ? ` ("${p.name}")` : ''} belongs to more than one part`,
          );
        }
        seen.add(p);
      }
    });
    super(
      { name: parts.map((p) => p.name).join('+'), options: [] },
      parts.flatMap((p) => p.paramGroups),
    );
    this.parts = [...parts];
  }

  override step(): void {
    for (const part of this.parts) part.step();
  }

  override stateDict(): OptimizerStateDict {
    return { ...this.ownDict(), parts: this.parts.map((p) => p.stateDict()) };
  }

  override async stateDictAsync(): Promise<OptimizerStateDict> {
    const parts = await Promise.all(this.parts.map((p) => p.stateDictAsync()));
    return { ...this.ownDict(), parts };
  }

  /** The groups' layout (as every state dict has it); the state lives in the parts. */
  private ownDict(): OptimizerStateDict {
    return this.serialize(() => []);
  }

  override loadStateDict(dict: OptimizerStateDict): void {
    const parts = dict?.parts;
    if (!Array.isArray(parts) || parts.length !== this.parts.length) {
      throw new Error(
        `${this.name}: loadStateDict needs a state dict with ${this.parts.length} parts, got ${Array.isArray(parts) ? parts.length : 'none'}`,
      );
    }
    this.parts.forEach((p, i) => p.loadStateDict(parts[i]));
  }

  override dispose(): void {
    for (const part of this.parts) part.dispose();
  }
}
