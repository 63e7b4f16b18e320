import { Parameter, TensorError, tidy, type Backend, type Tensor } from '@optlab/tensor';
import { QUADRATIC_DEEP_DIM, quadraticDeepHessian } from '../datasets/deepobs-quadratic.js';
import type { Model } from './model.js';

/** Built once: 100 rotations of up to 100×100 on the host. */
let hessian: Float64Array | null = null;

/**
 * DeepOBS's quadratic_deep loss (net_quadratic_deep in fsschneider/DeepOBS
 * deepobs/pytorch/testproblems/testproblems_modules.py, commit 009aa5eb): for a batch of points
 * x [N, 100], the mean of ½·(θ − xₙ)ᵀH(θ − xₙ), θ ∈ ℝ¹⁰⁰ starting at ones, H the problem's fixed
 * Hessian (datasets/deepobs-quadratic.ts). There are no targets (`y` is ignored).
 *
 * With q = θ − x [N, 100] and z = q·H: loss = ½·mean(Σⱼ qⱼzⱼ); ∂loss/∂θ = mean over rows of z
 * (H is symmetric).
 */
export class QuadraticDeep implements Model {
  readonly kind = 'quadratic-deep';
  readonly task = 'regression' as const;
  readonly name = 'QuadraticDeep(100-D, DeepOBS Hessian)';
  readonly theta: Parameter;
  readonly #h: Tensor;

  constructor(readonly backend: Backend) {
    hessian ??= quadraticDeepHessian();
    this.#h = backend.tensor(hessian, [QUADRATIC_DEEP_DIM, QUADRATIC_DEEP_DIM]);
    this.theta = new Parameter(backend.ones([QUADRATIC_DEEP_DIM]), 'theta');
  }

  parameters(): Parameter[] {
    return [this.theta];
  }

  private check(x: Tensor): void {
    if (x.rank !== 2 || x.shape[1] !== QUADRATIC_DEEP_DIM) {
      throw new TensorError(
        `${this.name}: points have shape [${x.shape.join(',')}], expected [N,${QUADRATIC_DEEP_DIM}]`,
      );
    }
  }

  /** Each point's loss ½·(θ − x)ᵀH(θ − x), [N, 1]. */
  predict(x: Tensor): Tensor {
    this.check(x);
    const be = this.backend;
    return tidy(() => {
      const q = be.sub(this.theta.value, x);
      return be.mul(be.sum(be.mul(q, be.matmul(q, this.#h)), 1, true), 0.5);
    });
  }

  loss(x: Tensor, _y?: Tensor): Tensor {
    this.check(x);
    const be = this.backend;
    return tidy(() => {
      const q = be.sub(this.theta.value, x);
      return be.mul(be.mean(be.mul(q, be.matmul(q, this.#h))), 0.5 * QUADRATIC_DEEP_DIM);
    });
  }

  lossAndGrad(x: Tensor, _y?: Tensor): Tensor {
    this.check(x);
    const be = this.backend;
    const q = be.sub(this.theta.value, x);
    const z = be.matmul(q, this.#h);
    this.theta.grad = be.mean(z, 0);
    // mean over all N·100 products, times 100: the mean over rows of Σⱼ qⱼzⱼ.
    return be.mul(be.mean(be.mul(q, z)), 0.5 * QUADRATIC_DEEP_DIM);
  }

  dispose(): void {
    this.theta.dispose();
    this.#h.dispose();
  }
}
