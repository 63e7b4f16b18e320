import { defineUpdate, tidy, type Parameter, type Tensor } from '@optlab/tensor';
import type { OptionInfo } from '../options.js';
import { Optimizer, type ParameterState } from './optimizer.js';
import type { OptimizerSpec, ParamGroup } from './param-groups.js';

/**
 * What the Schedule-Free optimizers share (facebookresearch/schedule_free): the averaging weights
 * of a step, the train/eval switch between y and x, and the options that drive them.
 *
 * Three sequences: z (the base iterate, an SGD or Adam step), x (the weighted average of the z's,
 * where the loss is evaluated) and y = (1 − β)z + βx (where gradients are taken). The parameters
 * hold y in train mode and x in eval mode; `train()` and `eval()` move them between the two with
 * one pass per parameter, as the reference's do.
 */
export interface ScheduleFreeGroup extends ParamGroup {
  weightDecay: number;
  warmupSteps: number;
  r: number;
  weightLrPower: number;
  /** Steps this group took (the reference's `k`). */
  k: number;
  /** Σ of the averaging weights so far (`weight_sum`). */
  weightSum: number;
  /** The largest warmed-up lr so far (`lr_max`; −1 before the first step). */
  lrMax: number;
  /** The warmed-up lr of the last step (`scheduled_lr`, for logging). */
  scheduledLr: number;
  /** True while the parameters hold y (`train_mode`). */
  trainMode: boolean;
}

export const scheduleFreeOptions: readonly OptionInfo[] = [
  {
    name: 'warmupSteps',
    kind: 'integer',
    default: 0,
    min: 0,
    unit: 'steps',
    doc: 'Linear warmup of the learning rate over this many steps (Schedule-Free needs no schedule after).',
  },
  {
    name: 'r',
    kind: 'number',
    default: 0,
    min: 0,
    doc: 'Polynomial weighting of the average: step t weighs tʳ.',
  },
  {
    name: 'weightLrPower',
    kind: 'number',
    default: 2,
    min: 0,
    doc: 'The average weighs each step by lr_maxᵖ (p = this power); 0 weighs warmup steps like the rest.',
  },
];

/** The host scalars of one group's step: the warmed-up lr and the averaging weight cₖ₊₁. */
export interface ScheduleFreeStep {
  k: number;
  lr: number;
  ckp1: number;
}

/**
 * Advances a group's averaging state by one step and returns its scalars, as the reference's
 * `step` does before touching any tensor (adamw_schedulefree.py L133-158, sgd_schedulefree.py
 * L126-147): linear warmup, lr_max, weight (k+1)ʳ·lr_maxᵖ, cₖ₊₁ = weight / Σweights (0 when the
 * sum is 0, i.e. lr = 0 so far).
 */
export function advanceScheduleFree(group: ScheduleFreeGroup): ScheduleFreeStep {
  const k = group.k;
  const sched = k < group.warmupSteps ? (k + 1) / group.warmupSteps : 1;
  const lr = group.lr * sched;
  group.scheduledLr = lr;
  group.lrMax = Math.max(lr, group.lrMax);
  const weight = (k + 1) ** group.r * group.lrMax ** group.weightLrPower;
  group.weightSum += weight;
  const ckp1 = group.weightSum === 0 ? 0 : weight / group.weightSum;
  group.k = k + 1;
  return { k, lr, ckp1 };
}

/** θ ← θ + w(z − θ): y → x with w = 1 − 1/β, x → y with w = 1 − β. */
const moveTowardZ = defineUpdate({
  name: 'scheduleFreeSwitch',
  inputs: ['param', 'z'],
  scalars: ['weight'],
  outputs: ['param'],
  body: ({ param, z }, s) => ({ param: param.lerp(z, s.weight) }),
});

const copy = defineUpdate({
  name: 'copy',
  inputs: ['x'],
  outputs: ['y'],
  body: ({ x }) => ({ y: x }),
});

/**
 * The base of `AdamWScheduleFree` and `SGDScheduleFree`. Unlike the reference, a new optimizer
 * starts in train mode: before the first step x = y = z, so the starting mode changes no value,
 * and generic training loops (the runner, the bench) can step it like any other optimizer.
 * `eval()` before evaluating or saving, `train()` before stepping again, as the reference asks.
 */
export abstract class ScheduleFreeOptimizer<G extends ScheduleFreeGroup> extends Optimizer<G> {
  protected constructor(spec: OptimizerSpec, groups: G[]) {
    for (const g of groups) {
      Object.assign(g, { k: 0, weightSum: 0, lrMax: -1, scheduledLr: 0, trainMode: true });
    }
    super(spec, groups);
  }

  /** β of y = (1 − β)z + βx: AdamW's β₁, SGD's momentum. */
  protected abstract interpolation(group: G): number;

  /** The update of one parameter with the group's step scalars; state.step counts this step. */
  protected abstract updateScheduleFree(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: G,
    step: ScheduleFreeStep,
  ): void;

  /** z, created as a copy of the parameter at its first step (the reference's `clone(p)`). */
  protected zState(p: Parameter, state: ParameterState): Tensor {
    return this.stateTensor(state, 'z', () => p.backend.fusedUpdate(copy, { x: p.value }).y);
  }

  /** True while the parameters hold y (the reference checks the first group's flag). */
  get trainMode(): boolean {
    return this.paramGroups[0].trainMode;
  }

  override step(): void {
    if (!this.paramGroups[0].trainMode) {
      throw new Error(
        `${this.name}: step() called in eval mode (the parameters hold the average x); call ` +
          'opt.train() before training steps and opt.eval() before evaluating',
      );
    }
    for (const group of this.paramGroups) {
      const step = advanceScheduleFree(group);
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
        tidy(() => this.updateScheduleFree(p, grad, s, group, step));
      }
    }
  }

  /** Parameters to x, the average (evaluate and save here); nothing happens if already in eval mode. */
  eval(): void {
    this.switchMode(false);
  }

  /** Parameters to y, where gradients are taken; nothing happens if already in train mode. */
  train(): void {
    this.switchMode(true);
  }

  private switchMode(train: boolean): void {
    for (const group of this.paramGroups) {
      if (group.trainMode === train) continue;
      const beta = this.interpolation(group);
      for (const p of group.params) {
        const z = this.state.get(p)?.tensors.z;
        if (z === undefined) continue;
        tidy(() =>
          p.backend.fusedUpdate(
            moveTowardZ,
            { param: p.value, z },
            { weight: train ? 1 - beta : 1 - 1 / beta },
          ),
        );
      }
      group.trainMode = train;
    }
  }
}
