import { defineUpdate, keep, tidy, type Parameter, type Tensor } from '@optlab/tensor';
import type { SavedTensor } from '../optimizers/optimizer.js';

/** A weight average's state as plain JSON: its class, the models averaged, its options, the averages. */
export interface WeightAverageState {
  type: string;
  nAveraged: number;
  options: Record<string, number | boolean>;
  averages: SavedTensor[];
}

/** A new tensor holding x's values (the average at construction). */
const cloneProgram = defineUpdate({
  name: 'averageClone',
  inputs: ['x'],
  outputs: ['y'],
  body: ({ x }) => ({ y: x }),
});

/** avg ← param: the first update (PyTorch's AveragedModel copies when n_averaged is 0). */
const copyProgram = defineUpdate({
  name: 'averageCopy',
  inputs: ['avg', 'param'],
  outputs: ['avg'],
  body: ({ param }) => ({ avg: param }),
});

/** avg ← avg + w·(param − avg): timm's `lerp_(model_v, weight=1 − decay)` (|w| < 0.5 branch). */
const lerpProgram = defineUpdate({
  name: 'averageLerp',
  inputs: ['avg', 'param'],
  scalars: ['w'],
  outputs: ['avg'],
  body: ({ avg, param }, { w }) => ({ avg: avg.add(param.sub(avg).mul(w)) }),
});

/** avg ← avg + (param − avg) / count: PyTorch's default `avg_fn`, with count = n_averaged + 1. */
const runningMeanProgram = defineUpdate({
  name: 'averageMean',
  inputs: ['avg', 'param'],
  scalars: ['count'],
  outputs: ['avg'],
  body: ({ avg, param }, { count }) => ({ avg: avg.add(param.sub(avg).div(count)) }),
});

/** Exchanges the two tensors' values in place, in one pass (every input is read before any write). */
const swapProgram = defineUpdate({
  name: 'averageSwap',
  inputs: ['avg', 'param'],
  outputs: ['avg', 'param'],
  body: ({ avg, param }) => ({ avg: param, param: avg }),
});

/** How update n (n = models averaged before it, ≥ 1) mixes the parameters in. */
export type AverageRule = { kind: 'lerp'; weight: number } | { kind: 'mean'; count: number };

/**
 * A running average of parameters, kept on their backend: one fused pass per parameter tensor per
 * update, nothing read back. Like PyTorch's `AveragedModel` (and timm's `ModelEmaV3`), it starts
 * as a copy of the parameters, and its first update copies them again; later updates follow
 * `rule(n)`. `swap()` exchanges the averages with the parameters' values (in place, one pass
 * each), so a caller evaluates the averaged weights between two swaps and trains on the raw ones.
 */
export abstract class WeightAverage {
  /** Models averaged so far (PyTorch's `n_averaged`). */
  nAveraged = 0;
  /** True between `swap()` calls that put the averages into the parameters. */
  swapped = false;
  readonly params: readonly Parameter[];
  #averages: Tensor[];

  protected constructor(
    /** The class name, also the `type` of the state dict. */
    readonly name: string,
    params: readonly Parameter[],
  ) {
    if (!Array.isArray(params) || params.length === 0) {
      throw new Error(`${name}: expected a non-empty list of parameters`);
    }
    this.params = [...params];
    this.#averages = this.params.map((p) =>
      keep(tidy(() => p.backend.fusedUpdate(cloneProgram, { x: p.value }).y)),
    );
  }

  /** How update n (≥ 1) mixes the parameters into the average. */
  protected abstract rule(n: number): AverageRule;

  /** The options saved with the state (and checked on load). */
  protected abstract options(): Record<string, number | boolean>;

  /** The averages, one per parameter (read-only views: the average owns them). */
  get averages(): readonly Tensor[] {
    return this.#averages;
  }

  /** Averages the parameters' current values in (PyTorch's `update_parameters(model)`). */
  update(): void {
    if (this.swapped) {
      throw new Error(
        `${this.name}: update() while the averages are swapped in; swap() back first`,
      );
    }
    const n = this.nAveraged;
    const rule = n === 0 ? null : this.rule(n);
    this.params.forEach((p, i) => {
      const tensors = { avg: this.#averages[i], param: p.value };
      if (rule === null) p.backend.fusedUpdate(copyProgram, tensors);
      else if (rule.kind === 'lerp')
        p.backend.fusedUpdate(lerpProgram, tensors, { w: rule.weight });
      else p.backend.fusedUpdate(runningMeanProgram, tensors, { count: rule.count });
    });
    this.nAveraged = n + 1;
  }

  /** PyTorch's name for `update()`. */
  updateParameters(): void {
    this.update();
  }

  /** Exchanges the averages and the parameters' values; a second call restores both. */
  swap(): void {
    this.params.forEach((p, i) =>
      p.backend.fusedUpdate(swapProgram, { avg: this.#averages[i], param: p.value }),
    );
    this.swapped = !this.swapped;
  }

  /** The state as plain data (synchronous readback; use `stateDictAsync` on the GPU backend). */
  stateDict(): WeightAverageState {
    return this.serialize(this.#averages.map((t) => Array.from(t.dataSync())));
  }

  async stateDictAsync(): Promise<WeightAverageState> {
    const data = await Promise.all(this.#averages.map((t) => t.data()));
    return this.serialize(data.map((d) => Array.from(d)));
  }

  private serialize(values: number[][]): WeightAverageState {
    return {
      type: this.name,
      nAveraged: this.nAveraged,
      options: this.options(),
      averages: this.#averages.map((t, i) => ({ shape: [...t.shape], values: values[i] })),
    };
  }

  /**
   * Restores a `stateDict()` of the same class over parameters of the same shapes. Options are
   * the constructor's: a state saved with other options is refused rather than silently mixed.
   */
  loadStateDict(state: WeightAverageState): void {
    const fail = (why: string): never => {
      throw new Error(`${this.name}: loadStateDict: ${why}`);
    };
    if (state === null || typeof state !== 'object' || state.type !== this.name) {
      fail(`got the state of ${JSON.stringify((state as { type?: unknown } | null)?.type)}`);
    }
    if (this.swapped) fail('the averages are swapped in; swap() back first');
    if (!Number.isInteger(state.nAveraged) || state.nAveraged < 0) {
      fail(`Invalid nAveraged: ${JSON.stringify(state.nAveraged)}`);
    }
    const own = this.options();
    for (const [key, value] of Object.entries(own)) {
      if (state.options?.[key] !== value) {
        fail(
          `the state has ${key} ${JSON.stringify(state.options?.[key])}, this average ${JSON.stringify(value)}`,
        );
      }
    }
    if (!Array.isArray(state.averages) || state.averages.length !== this.params.length) {
      fail(
        `expected ${this.params.length} averages, got ${JSON.stringify(state.averages?.length)}`,
      );
    }
    state.averages.forEach((a, i) => {
      const shape = this.params[i].shape;
      const size = shape.reduce((x, y) => x * y, 1);
      if (
        !Array.isArray(a?.shape) ||
        a.shape.join() !== shape.join() ||
        !Array.isArray(a.values) ||
        a.values.length !== size
      ) {
        fail(`average ${i} must have shape [${shape.join(', ')}] and ${size} values`);
      }
    });
    const made = state.averages.map((a, i) =>
      keep(this.params[i].backend.tensor(a.values, a.shape)),
    );
    for (const t of this.#averages) t.dispose();
    this.#averages = made;
    this.nAveraged = state.nAveraged;
    this.swapped = false;
  }

  /** Frees the averages (swap back first if they are swapped in). */
  dispose(): void {
    for (const t of this.#averages) t.dispose();
    this.#averages = [];
  }
}
