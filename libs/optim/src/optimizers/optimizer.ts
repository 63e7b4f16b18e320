import { keep, tidy, type Parameter, type Tensor } from '@optlab/tensor';
import {
  validateGroupOptions,
  type OptimizerSpec,
  type ParamGroup,
  type ParamGroupBase,
} from './param-groups.js';

/**
 * Per-parameter state, created lazily at a parameter's first step (PyTorch's `optimizer.state[p]`).
 * `step` counts the steps this parameter took (parameters without a gradient are skipped and do
 * not count); `tensors` live on the parameter's backend; `values` are host numbers (NAdam's
 * μ-product).
 */
export interface ParameterState {
  step: number;
  readonly tensors: Record<string, Tensor>;
  readonly values: Record<string, number>;
}

/** A tensor in a state dict: row-major values as plain numbers. */
export interface SavedTensor {
  shape: number[];
  values: number[];
}

export interface SavedParameterState {
  step: number;
  values: Record<string, number>;
  tensors: Record<string, SavedTensor>;
}

/**
 * An optimizer's state as plain JSON-serialisable data, shaped like PyTorch's: `state` keyed by
 * the parameter's index counted across groups in order, `paramGroups` with every option and the
 * indices of their parameters. Wrappers (Lookahead) add their own options and the wrapped state.
 */
export interface OptimizerStateDict {
  optimizer: string;
  state: Record<string, SavedParameterState>;
  paramGroups: Array<{ params: number[]; [option: string]: unknown }>;
  options?: Record<string, unknown>;
  inner?: OptimizerStateDict;
  /** CombinedOptimizer: each part's state dict, in order. */
  parts?: OptimizerStateDict[];
}

/**
 * The base of every optimizer: parameter groups, lazily created state, `step()`, `zeroGrad()`,
 * `stateDict()`/`loadStateDict()` and `dispose()`. Subclasses write only the math of one
 * parameter's update (`updateParameter`), through one fused program per parameter tensor.
 */
export abstract class Optimizer<G extends ParamGroupBase = ParamGroup> {
  readonly name: string;
  readonly paramGroups: G[];
  /** Per-parameter state, created at a parameter's first step. */
  readonly state = new Map<Parameter, ParameterState>();
  protected readonly spec: OptimizerSpec;

  protected constructor(spec: OptimizerSpec, paramGroups: G[]) {
    this.spec = spec;
    this.name = spec.name;
    this.paramGroups = paramGroups;
  }

  /** Every parameter across groups, in order (the indices of the state dict). */
  get params(): Parameter[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /**
   * One update of every parameter that has a gradient. Group options are read here, at every
   * step, so that schedules can change them between steps. Runs without reading anything back
   * from the device: per-step scalars are computed on the host.
   */
  step(): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const grad = p.grad;
        if (grad === null) continue;
        let state = this.state.get(p);
        if (state === undefined) {
          state = { step: 0, tensors: {}, values: {} };
          this.state.set(p, state);
        }
        state.step += 1;
        const s = state;
        tidy(() => this.updateParameter(p, grad, s, group));
      }
    }
  }

  /**
   * Updates one parameter in place; `state.step` already counts this step. Subclasses implement
   * it; wrappers that override `step()` do not.
   */
  protected updateParameter(_p: Parameter, _grad: Tensor, _state: ParameterState, _group: G): void {
    throw new Error(`${this.name}: updateParameter is not implemented`);
  }

  /**
   * The state tensor `name`, created by `init` the first time it is asked for (PyTorch creates
   * state lazily too; a buffer an option switched on later, such as SGD's momentum buffer,
   * appears at the first step that needs it). Kept out of every `tidy` scope.
   */
  protected stateTensor(state: ParameterState, name: string, init: () => Tensor): Tensor {
    let t = state.tensors[name];
    if (t === undefined) {
      t = keep(init());
      state.tensors[name] = t;
    }
    return t;
  }

  /** Drops every gradient (PyTorch's default `set_to_none=True`). */
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }

  /**
   * The state as plain data (synchronous readback; on a backend that cannot read synchronously,
   * use `stateDictAsync`). Numbers survive `JSON.stringify`/`parse` exactly, so a reload on the
   * CPU backend continues bit for bit.
   */
  stateDict(): OptimizerStateDict {
    return this.serialize((t) => Array.from(t.dataSync()));
  }

  /** `stateDict()` with asynchronous readbacks, for backends that cannot read synchronously. */
  async stateDictAsync(): Promise<OptimizerStateDict> {
    const values = new Map<Tensor, number[]>();
    const tensors = [...this.allStateTensors()];
    const data = await Promise.all(tensors.map((t) => t.data()));
    tensors.forEach((t, i) => values.set(t, Array.from(data[i])));
    return this.serialize((t) => values.get(t)!);
  }

  protected *allStateTensors(): Iterable<Tensor> {
    for (const s of this.state.values()) yield* Object.values(s.tensors);
  }

  protected serialize(read: (t: Tensor) => number[]): OptimizerStateDict {
    const index = new Map(this.params.map((p, i) => [p, i]));
    const state: Record<string, SavedParameterState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      const tensors: Record<string, SavedTensor> = {};
      for (const [name, t] of Object.entries(s.tensors)) {
        tensors[name] = { shape: [...t.shape], values: read(t) };
      }
      state[String(i)] = { step: s.step, values: { ...s.values }, tensors };
    }
    let next = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const options: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(g)) {
        if (key !== 'params') options[key] = Array.isArray(value) ? [...value] : value;
      }
      return { ...options, params: g.params.map(() => next++) };
    });
    return { optimizer: this.name, state, paramGroups };
  }

  /**
   * Restores a `stateDict()` taken from an optimizer of the same class over parameters of the
   * same shapes in the same group layout: group options are replaced (and validated), state
   * tensors are rebuilt on each parameter's backend, the old ones freed.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    if (dict === null || typeof dict !== 'object' || dict.optimizer !== this.name) {
      throw new Error(
        `${this.name}: loadStateDict got a state dict of ${String((dict as OptimizerStateDict | null)?.optimizer)}`,
      );
    }
    const groups = dict.paramGroups;
    if (!Array.isArray(groups) || groups.length !== this.paramGroups.length) {
      throw new Error(
        `${this.name}: loadStateDict: the state dict has ${groups?.length} parameter groups, the optimizer ${this.paramGroups.length}`,
      );
    }
    groups.forEach((saved, g) => {
      const own = this.paramGroups[g];
      if (!Array.isArray(saved.params) || saved.params.length !== own.params.length) {
        throw new Error(
          `${this.name}: loadStateDict: parameter group ${g} has ${saved.params?.length} parameters in the state dict, ${own.params.length} in the optimizer`,
        );
      }
      const candidate: Record<string, unknown> = { params: own.params };
      for (const [key, value] of Object.entries(saved)) {
        if (key !== 'params') candidate[key] = Array.isArray(value) ? [...value] : value;
      }
      validateGroupOptions(this.spec, candidate);
    });
    const params = this.params;
    const restored = new Map<Parameter, ParameterState>();
    for (const [key, saved] of Object.entries(dict.state ?? {})) {
      const p = params[Number(key)];
      if (p === undefined) {
        throw new Error(`${this.name}: loadStateDict: no parameter with index ${key}`);
      }
      const tensors: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(saved.tensors)) {
        const size = t.shape.reduce((a, b) => a * b, 1);
        if (t.values.length !== size) {
          for (const made of Object.values(tensors)) made.dispose();
          throw new Error(
            `${this.name}: loadStateDict: state "${name}" of parameter ${key} has ${t.values.length} values for shape [${t.shape.join(', ')}]`,
          );
        }
        tensors[name] = keep(p.backend.tensor(t.values, t.shape));
      }
      restored.set(p, { step: saved.step, values: { ...saved.values }, tensors });
    }
    // Everything checked: replace options and state.
    groups.forEach((saved, g) => {
      const own = this.paramGroups[g] as Record<string, unknown>;
      for (const key of Object.keys(own)) if (key !== 'params') delete own[key];
      for (const [key, value] of Object.entries(saved)) {
        if (key !== 'params') own[key] = Array.isArray(value) ? [...value] : value;
      }
    });
    this.disposeState();
    for (const [p, s] of restored) this.state.set(p, s);
  }

  /** Frees every state tensor; the optimizer starts afresh if stepped again. */
  dispose(): void {
    this.disposeState();
  }

  protected disposeState(): void {
    for (const s of this.state.values()) for (const t of Object.values(s.tensors)) t.dispose();
    this.state.clear();
  }
}
