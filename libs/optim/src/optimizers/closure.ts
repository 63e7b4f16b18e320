import type { Optimizer } from './optimizer.js';
import { Optimizer as OptimizerBase } from './optimizer.js';
import type { ParamGroupBase } from './param-groups.js';

/**
 * PyTorch's closure: recomputes the loss at the current parameters, writes every parameter's
 * gradient (`p.grad = ...`), and returns the loss. It may be asynchronous (a GPU backend reads
 * the loss back with `await`).
 */
export type Closure = () => number | Promise<number>;

/**
 * The base of optimizers that must evaluate the objective themselves during a step (LBFGS's line
 * search, SAM's perturbed gradient): `await opt.step(closure)` returns the loss of the first
 * evaluation (at the parameters the step started from), as PyTorch's `step(closure)` does.
 *
 * It extends `Optimizer` rather than overloading `Optimizer.step`, so that every other
 * optimizer keeps its synchronous `step(): void` (see docs/decisions/0003-optimizers.md,
 * "Closures"). `requiresClosure` marks these optimizers for a runner; `stepWithClosure` drives
 * any optimizer through a closure.
 */
export abstract class ClosureOptimizer<
  G extends ParamGroupBase = ParamGroupBase,
> extends OptimizerBase<G> {
  readonly requiresClosure = true;
  /** Closure calls (function and gradient evaluations) since construction. */
  evaluations = 0;

  /**
   * One step, evaluating `closure` as often as the method needs. Throws at once (not as a
   * rejected promise) when the closure is missing.
   */
  override step(closure?: Closure): Promise<number> {
    if (typeof closure !== 'function') {
      throw new Error(
        `${this.name}: step() needs a closure that computes the loss and the gradients: ` +
          `await opt.step(() => loss)`,
      );
    }
    return this.stepWith(closure);
  }

  /** The method's step; calls the closure through `evaluate`, which counts the evaluations. */
  protected abstract stepWith(closure: Closure): Promise<number>;

  /** Calls the closure once, counts it, and checks that it returned a number. */
  protected async evaluate(closure: Closure): Promise<number> {
    this.evaluations += 1;
    const loss = await closure();
    if (typeof loss !== 'number') {
      throw new Error(
        `${this.name}: the closure must return the loss as a number, got ${typeof loss}`,
      );
    }
    return loss;
  }
}

/** True for optimizers whose `step` needs a closure (LBFGS, SAM). */
export function isClosureOptimizer<G extends ParamGroupBase>(
  opt: Optimizer<G>,
): opt is Optimizer<G> & ClosureOptimizer<G> {
  return (opt as { requiresClosure?: unknown }).requiresClosure === true;
}

/**
 * Steps any optimizer with a closure, as PyTorch's `step(closure)` does for every optimizer: a
 * closure optimizer evaluates it as it needs; any other optimizer evaluates it once, then takes
 * its ordinary step. Returns the loss of the first evaluation.
 */
export async function stepWithClosure<G extends ParamGroupBase>(
  opt: Optimizer<G>,
  closure: Closure,
): Promise<number> {
  if (isClosureOptimizer(opt)) return opt.step(closure);
  const loss = await closure();
  opt.step();
  return loss;
}
