import { Parameter, type Backend } from '@optlab/tensor';
import type { TestFunction } from './test-function.js';

/** One evaluation of a function objective. */
export interface FunctionEvaluation {
  /** f at the point. */
  loss: number;
  /** The point at which f and ∇f were evaluated (the current parameter value). */
  point: Float64Array;
}

/**
 * Lets an optimizer train on a test function as it trains a model: the point is a `Parameter`
 * [dim] on the backend, and `lossAndGrad()` writes ∇f into its `.grad`.
 *
 * The function and its gradient are computed on the host in double precision: each call reads
 * the point back (one readback) and uploads the gradient (one upload). For these toy problems of
 * a few coordinates that is cheaper than any kernel launch, and the runner wants the point for
 * the trajectory anyway. It is the one place in this library that reads a tensor back per step.
 */
export class FunctionObjective {
  readonly parameter: Parameter;

  constructor(
    readonly backend: Backend,
    readonly fn: TestFunction,
    start: readonly number[] = fn.start,
  ) {
    if (start.length !== fn.dim) {
      throw new Error(`${fn.name}: start has ${start.length} coordinates, expected ${fn.dim}`);
    }
    this.parameter = new Parameter(backend.tensor([...start], [fn.dim]), fn.kind);
  }

  parameters(): Parameter[] {
    return [this.parameter];
  }

  /** Reads the point, writes ∇f into the parameter's gradient and returns f there. */
  async lossAndGrad(): Promise<FunctionEvaluation> {
    const point = Float64Array.from(await this.parameter.value.data());
    const grad = this.fn.grad(point);
    this.parameter.grad = this.backend.tensor(grad, [this.fn.dim]);
    return { loss: this.fn.f(point), point };
  }

  dispose(): void {
    this.parameter.dispose();
  }
}

/** `new FunctionObjective(backend, fn, start)`, for symmetry with `createModel`. */
export function functionObjective(
  backend: Backend,
  fn: TestFunction,
  start?: readonly number[],
): FunctionObjective {
  return new FunctionObjective(backend, fn, start);
}
