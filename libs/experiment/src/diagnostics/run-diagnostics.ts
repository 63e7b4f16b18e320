import type { DiagnosticsSpec } from '../spec/diagnostics-schema.js';
import { SHARPNESS_DEFAULTS } from '../spec/diagnostics-schema.js';
import { layerNorms, type LayerNorms } from './layer-norms.js';
import { withWeightsRestored, type WeightObjective } from './objective.js';
import { topHessianEigenvalue } from './sharpness.js';

/** What one diagnostics step measured (the loop adds the run, step and lr: an event). */
export interface DiagnosticsReading {
  readonly layers: LayerNorms[];
  readonly sharpness?: {
    readonly value: number;
    readonly iterations: number;
    readonly converged: boolean;
    readonly batch: string;
  };
}

/**
 * A run's diagnostics (`runs[].diagnostics`): the training loop calls `before()` ahead of every
 * update that `due(step)` names and `after()` right after it. Everything is measured on copies:
 * the weights are read back, the sharpness moves the parameters only inside
 * `withWeightsRestored`, which writes the trained weights and gradients back bit for bit, and its
 * start vector comes from a generator of its own (then the previous eigenvector, a warm start).
 */
export class RunDiagnostics {
  #before: Float64Array | null = null;
  #eigenvector: Float64Array | null = null;

  constructor(
    private readonly spec: DiagnosticsSpec,
    private readonly objective: WeightObjective,
    private readonly totalSteps: number,
  ) {}

  /** Whether the update that makes `step` (1-based) updates is measured. */
  due(step: number): boolean {
    return step % this.spec.every === 0 || step === this.totalSteps;
  }

  /** Reads the weights before the update. */
  async before(): Promise<void> {
    this.#before = await this.objective.current();
  }

  /** Measures the update just made (after `before()`). */
  async after(): Promise<DiagnosticsReading> {
    const before = this.#before;
    if (!before) throw new Error('RunDiagnostics: after() without before()');
    this.#before = null;
    const { objective } = this;
    const afterWeights = await objective.current();
    const layers = layerNorms(
      objective.layout,
      before,
      afterWeights,
      await objective.currentGradients(),
    );
    const asked = this.spec.sharpness;
    if (!asked) return { layers };
    const found = await withWeightsRestored(objective, (theta) =>
      topHessianEigenvalue((w) => objective.gradient(w), theta, {
        iterations: asked.iterations ?? SHARPNESS_DEFAULTS.iterations,
        tolerance: asked.tolerance ?? SHARPNESS_DEFAULTS.tolerance,
        seed: asked.seed ?? SHARPNESS_DEFAULTS.seed,
        epsilon: objective.epsilon,
        start: this.#eigenvector,
      }),
    );
    if (Number.isFinite(found.value)) this.#eigenvector = found.vector;
    return {
      layers,
      sharpness: {
        value: found.value,
        iterations: found.iterations,
        converged: found.converged,
        batch: objective.batch,
      },
    };
  }
}
