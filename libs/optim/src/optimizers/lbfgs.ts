import { defineUpdate, keep, tidy, type Parameter, type Tensor } from '@optlab/tensor';
import { ClosureOptimizer, type Closure } from './closure.js';
import type { ParameterState } from './optimizer.js';
import {
  resolveParamGroups,
  type OptimizerSpec,
  type ParamGroup,
  type ParamGroupInput,
} from './param-groups.js';

export interface LBFGSOptions {
  lr?: number;
  maxIter?: number;
  maxEval?: number | null;
  toleranceGrad?: number;
  toleranceChange?: number;
  historySize?: number;
  lineSearchFn?: 'strong_wolfe' | null;
}

export interface LBFGSGroup extends ParamGroup {
  maxIter: number;
  /** null: ⌊maxIter·5/4⌋, resolved at each step (torch resolves it once, at construction). */
  maxEval: number | null;
  toleranceGrad: number;
  toleranceChange: number;
  historySize: number;
  lineSearchFn: 'strong_wolfe' | null;
}

export const LBFGS_SPEC: OptimizerSpec = {
  name: 'LBFGS',
  options: [
    {
      name: 'lr',
      kind: 'number',
      default: 1,
      min: 0,
      doc: 'Step length of every iteration (the line search’s first trial with strong_wolfe).',
    },
    {
      name: 'maxIter',
      kind: 'integer',
      default: 20,
      min: 1,
      doc: 'Iterations per step().',
    },
    {
      name: 'maxEval',
      kind: 'integer',
      default: null,
      min: 1,
      doc: 'Function evaluations per step(); null: ⌊maxIter·5/4⌋.',
    },
    {
      name: 'toleranceGrad',
      kind: 'number',
      default: 1e-7,
      min: 0,
      doc: 'Stop when max|g| ≤ toleranceGrad (first-order optimality).',
    },
    {
      name: 'toleranceChange',
      kind: 'number',
      default: 1e-9,
      min: 0,
      doc: 'Stop when the step, the loss change or the directional derivative falls below it.',
    },
    {
      name: 'historySize',
      kind: 'integer',
      default: 100,
      min: 1,
      doc: 'Curvature pairs (s, y) kept for the inverse-Hessian approximation.',
    },
    {
      name: 'lineSearchFn',
      kind: 'choice',
      default: null,
      choices: ['strong_wolfe'],
      doc: 'null: fixed steps of lr; strong_wolfe: a line search meeting the strong Wolfe conditions.',
    },
  ],
};

/** One closure evaluation of a step, for drawing the line search. */
export interface LBFGSEvaluation {
  /** `initial`: at the step's start; `step`: after a fixed step; `lineSearch`: a trial of strong_wolfe. */
  kind: 'initial' | 'step' | 'lineSearch';
  /** Step length along the direction (0 for `initial`). */
  t: number;
  loss: number;
  /** g·d at the point (null for `initial` and `step`). */
  directionalDerivative: number | null;
}

/** param ← param + t·piece (`_add_grad`). */
const addScaled = defineUpdate({
  name: 'lbfgsAddScaled',
  inputs: ['param', 'piece'],
  scalars: ['t'],
  outputs: ['param'],
  body: ({ param, piece }, { t }) => ({ param: param.add(piece.mul(t)) }),
});

/** param ← saved (`_set_param`). */
const restore = defineUpdate({
  name: 'lbfgsRestore',
  inputs: ['param', 'saved'],
  outputs: ['param'],
  body: ({ saved }) => ({ param: saved }),
});

/** A fresh copy of a tensor (`clone`). */
const copy = defineUpdate({
  name: 'lbfgsCopy',
  inputs: ['from'],
  outputs: ['to'],
  body: ({ from }) => ({ to: from }),
});

/** q ← q − (dot·ρ)·y: one step of the first loop, al = dot·ρ stays on the device. */
const firstLoop = defineUpdate({
  name: 'lbfgsFirstLoop',
  inputs: ['q', 'y', 'dot'],
  scalars: ['ro'],
  outputs: ['q'],
  body: ({ q, y, dot }, { ro }) => ({ q: q.sub(dot.mul(ro).mul(y)) }),
});

/** r ← r + (al − be)·s with al = dotA·ρ, be = dotB·ρ (the second loop). */
const secondLoop = defineUpdate({
  name: 'lbfgsSecondLoop',
  inputs: ['r', 's', 'dotA', 'dotB'],
  scalars: ['ro'],
  outputs: ['r'],
  body: ({ r, s, dotA, dotB }, { ro }) => ({ r: r.add(dotA.mul(ro).sub(dotB.mul(ro)).mul(s)) }),
});

/** a·k (−g, s = t·d, r = H·q): one pass. */
const scale = defineUpdate({
  name: 'lbfgsScale',
  inputs: ['a'],
  scalars: ['k'],
  outputs: ['out'],
  body: ({ a }, { k }) => ({ out: a.mul(k) }),
});

/** y = g − g_prev: one pass. */
const difference = defineUpdate({
  name: 'lbfgsDifference',
  inputs: ['a', 'b'],
  outputs: ['out'],
  body: ({ a, b }) => ({ out: a.sub(b) }),
});

/** The cubic interpolation of torch's `_cubic_interpolate` (from torch/optim polyinterp.lua). */
function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  bounds?: readonly [number, number],
): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 ** 2 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos =
      x1 <= x2
        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/** Python's `min(a, b)`/`max(a, b)` return the first argument on ties; so do these. */
const pyMin = (a: number, b: number): number => (b < a ? b : a);
const pyMax = (a: number, b: number): number => (b > a ? b : a);

async function scalar(t: Tensor): Promise<number> {
  const v = (await t.data())[0];
  t.dispose();
  return v;
}

/**
 * Limited-memory BFGS, PyTorch's `torch.optim.LBFGS` (heavily inspired by minFunc), with
 * optional strong-Wolfe line search.
 *
 * ```
 * each step(closure), up to maxIter iterations / maxEval evaluations:
 *   g ← ∇f(x) (the closure);  stop if max|g| ≤ toleranceGrad
 *   first iteration ever: d ← −g, H ← 1, t ← min(1, 1/Σ|g|)·lr
 *   else: y ← g − g_prev, s ← t·d;  if y·s > 1e-10 keep (s, y, ρ = 1/y·s), H ← y·s / y·y
 *         d ← −H̃g by the two-loop recursion over the kept pairs;  t ← lr
 *   stop if g·d > −toleranceChange
 *   strong_wolfe: t from the line search (c₁ 1e-4, c₂ 0.9, 25 trials); x ← x + t·d
 *   else: x ← x + t·d, then re-evaluate (except at the last iteration)
 *   stop on maxIter, maxEval, max|g| ≤ toleranceGrad, max|t·d| ≤ toleranceChange or
 *   |Δloss| < toleranceChange
 * ```
 * Nocedal (1980), "Updating Quasi-Newton Matrices with Limited Storage", Math. Comp.; Liu &
 * Nocedal (1989); the line search is Nocedal & Wright (2006), Algorithms 3.5–3.6, as in torch.
 *
 * Like torch, it flattens every parameter into one vector (`_gather_flat_grad`): a gradient
 * costs one reshape per parameter and one concat; moving along d costs a slice, a reshape and a
 * fused add per parameter. Vectors are stored as rows [1, n] so that a dot product is one matmul
 * pass. The two loops keep their α coefficients on the device; the host reads back the numbers
 * the method branches on (max|g|, y·s and y·y, g·d, max|t·d|, Σ|g| at the first iteration, g·d
 * at each line-search trial). Only one parameter group, as in torch; its state (the history,
 * d, t, H, g_prev) is the first parameter's, as in torch.
 */
export class LBFGS extends ClosureOptimizer<LBFGSGroup> {
  /** Called after every closure evaluation, while the parameters sit at the evaluated point. */
  onEvaluation: ((e: LBFGSEvaluation) => void | Promise<void>) | null = null;

  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: LBFGSOptions = {},
  ) {
    const groups = resolveParamGroups<LBFGSGroup>(LBFGS_SPEC, params, { ...options });
    if (groups.length !== 1) {
      throw new Error(
        `LBFGS doesn't support per-parameter options (parameter groups): got ${groups.length} groups, it takes one`,
      );
    }
    super(LBFGS_SPEC, groups);
  }

  private get numel(): number {
    return this.params.reduce((n, p) => n + p.value.size, 0);
  }

  /** Every gradient flattened into one row [1, n] (zeros for a parameter without one). */
  private gatherFlatGrad(): Tensor {
    return keep(
      tidy(() => {
        const rows = this.params.map((p) =>
          p.grad === null
            ? p.backend.zeros([1, p.value.size])
            : p.backend.reshape(p.grad, [1, p.value.size]),
        );
        return rows.length === 1 ? rows[0] : rows[0].backend.concat(rows, 1);
      }),
    );
  }

  /** x ← x + t·update, parameter by parameter (`_add_grad`). */
  private addGrad(t: number, update: Tensor): void {
    let offset = 0;
    for (const p of this.params) {
      const n = p.value.size;
      tidy(() => {
        const be = p.backend;
        const piece = be.reshape(be.slice(update, [0, offset], [1, n]), p.shape);
        be.fusedUpdate(addScaled, { param: p.value, piece }, { t });
      });
      offset += n;
    }
  }

  private dot(a: Tensor, b: Tensor): Tensor {
    return a.backend.matmul(a, b, { transposeB: true });
  }

  private absMax(x: Tensor): Tensor {
    return tidy(() => x.backend.max(x.backend.abs(x)));
  }

  private scaled(a: Tensor, k: number): Tensor {
    return keep(a.backend.fusedUpdate(scale, { a }, { k }).out);
  }

  private clone(a: Tensor): Tensor {
    return keep(a.backend.fusedUpdate(copy, { from: a }).to);
  }

  private async report(e: LBFGSEvaluation): Promise<void> {
    if (this.onEvaluation) await this.onEvaluation(e);
  }

  /** The loss and flat gradient at x + t·d; the parameters are restored to x afterwards. */
  private async directionalEvaluate(
    closure: Closure,
    x: readonly Tensor[],
    t: number,
    d: Tensor,
  ): Promise<{ loss: number; grad: Tensor; gtd: number }> {
    this.addGrad(t, d);
    const loss = await this.evaluate(closure);
    const grad = this.gatherFlatGrad();
    const gtd = await scalar(this.dot(grad, d));
    await this.report({ kind: 'lineSearch', t, loss, directionalDerivative: gtd });
    this.params.forEach((p, i) => p.backend.fusedUpdate(restore, { param: p.value, saved: x[i] }));
    return { loss, grad, gtd };
  }

  protected async stepWith(closure: Closure): Promise<number> {
    const group = this.paramGroups[0];
    const { lr, maxIter, toleranceGrad, toleranceChange, historySize } = group;
    const maxEval = group.maxEval ?? Math.floor((maxIter * 5) / 4);
    const first = this.params[0];
    let state = this.state.get(first);
    if (state === undefined) {
      state = { step: 0, tensors: {}, values: { funcEvals: 0, nIter: 0 } };
      this.state.set(first, state);
    }
    state.step += 1;
    const memory = readMemory(state);

    const origLoss = await this.evaluate(closure);
    let loss = origLoss;
    let currentEvals = 1;
    state.values.funcEvals += 1;
    await this.report({ kind: 'initial', t: 0, loss, directionalDerivative: null });

    let flatGrad = this.gatherFlatGrad();
    if ((await scalar(this.absMax(flatGrad))) <= toleranceGrad) {
      flatGrad.dispose();
      return origLoss;
    }

    let { d, t, hDiag, prevFlatGrad, prevLoss } = memory;
    const { oldDirs, oldStps, ro } = memory;
    let nIter = 0;
    try {
      while (nIter < maxIter) {
        nIter += 1;
        state.values.nIter += 1;

        // ---- direction ------------------------------------------------------------------
        if (state.values.nIter === 1) {
          d?.dispose();
          d = this.scaled(flatGrad, -1);
          for (const v of [...oldDirs, ...oldStps]) v.dispose();
          oldDirs.length = 0;
          oldStps.length = 0;
          ro.length = 0;
          hDiag = 1;
        } else {
          const y = keep(
            flatGrad.backend.fusedUpdate(difference, { a: flatGrad, b: prevFlatGrad! }).out,
          );
          const s = this.scaled(d!, t);
          const ys = await scalar(this.dot(y, s));
          if (ys > 1e-10) {
            if (oldDirs.length === historySize) {
              oldDirs.shift()!.dispose();
              oldStps.shift()!.dispose();
              ro.shift();
            }
            oldDirs.push(y);
            oldStps.push(s);
            ro.push(1 / ys);
            hDiag = ys / (await scalar(this.dot(y, y)));
          } else {
            y.dispose();
            s.dispose();
          }
          d!.dispose();
          d = this.twoLoop(flatGrad, oldDirs, oldStps, ro, hDiag);
        }
        if (prevFlatGrad === null) prevFlatGrad = this.clone(flatGrad);
        else {
          const copy = this.clone(flatGrad);
          prevFlatGrad.dispose();
          prevFlatGrad = copy;
        }
        prevLoss = loss;

        // ---- step length ----------------------------------------------------------------
        if (state.values.nIter === 1) {
          const absSum = await scalar(
            tidy(() => flatGrad.backend.sum(flatGrad.backend.abs(flatGrad))),
          );
          t = pyMin(1, 1 / absSum) * lr;
        } else {
          t = lr;
        }
        const gtd = await scalar(this.dot(flatGrad, d));
        if (gtd > -toleranceChange) break;

        let lsFuncEvals = 0;
        let optCond = false;
        if (group.lineSearchFn === 'strong_wolfe') {
          // x_init: the parameters the trials start from (`_clone_param`), one pass each.
          const x = this.params.map((p) => this.clone(p.value));
          try {
            const found = await this.strongWolfe(
              closure,
              x,
              t,
              d,
              loss,
              flatGrad,
              gtd,
              toleranceChange,
            );
            loss = found.loss;
            flatGrad.dispose();
            flatGrad = found.grad;
            t = found.t;
            lsFuncEvals = found.evals;
          } finally {
            for (const v of x) v.dispose();
          }
          this.addGrad(t, d);
          optCond = (await scalar(this.absMax(flatGrad))) <= toleranceGrad;
        } else {
          this.addGrad(t, d);
          if (nIter !== maxIter) {
            loss = await this.evaluate(closure);
            await this.report({ kind: 'step', t, loss, directionalDerivative: null });
            flatGrad.dispose();
            flatGrad = this.gatherFlatGrad();
            optCond = (await scalar(this.absMax(flatGrad))) <= toleranceGrad;
            lsFuncEvals = 1;
          }
        }
        currentEvals += lsFuncEvals;
        state.values.funcEvals += lsFuncEvals;

        // ---- stopping conditions --------------------------------------------------------
        if (nIter === maxIter) break;
        if (currentEvals >= maxEval) break;
        if (optCond) break;
        const stepMax = await scalar(tidy(() => this.absMax(d!.backend.mul(d!, t))));
        if (stepMax <= toleranceChange) break;
        if (Math.abs(loss - prevLoss!) < toleranceChange) break;
      }
    } finally {
      flatGrad.dispose();
    }
    writeMemory(state, { d, t, hDiag, prevFlatGrad, prevLoss, oldDirs, oldStps, ro });
    return origLoss;
  }

  /** d = −H̃g: the two-loop recursion with α kept on the device as [1, 1] tensors. */
  private twoLoop(
    flatGrad: Tensor,
    oldDirs: readonly Tensor[],
    oldStps: readonly Tensor[],
    ro: readonly number[],
    hDiag: number,
  ): Tensor {
    const be = flatGrad.backend;
    const q = this.scaled(flatGrad, -1);
    const dots: Tensor[] = [];
    for (let i = oldDirs.length - 1; i >= 0; i--) {
      const dot = keep(this.dot(oldStps[i], q));
      dots[i] = dot;
      be.fusedUpdate(firstLoop, { q, y: oldDirs[i], dot }, { ro: ro[i] });
    }
    const r = this.scaled(q, hDiag);
    q.dispose();
    for (let i = 0; i < oldDirs.length; i++) {
      tidy(() => {
        const dotB = this.dot(oldDirs[i], r);
        be.fusedUpdate(secondLoop, { r, s: oldStps[i], dotA: dots[i], dotB }, { ro: ro[i] });
      });
      dots[i].dispose();
    }
    return r;
  }

  /** torch's `_strong_wolfe` (from torch/optim lswolfe.lua), c₁ = 1e-4, c₂ = 0.9, 25 trials. */
  private async strongWolfe(
    closure: Closure,
    x: readonly Tensor[],
    t0: number,
    d: Tensor,
    f: number,
    g: Tensor,
    gtd: number,
    toleranceChange: number,
  ): Promise<{ loss: number; grad: Tensor; t: number; evals: number }> {
    const c1 = 1e-4;
    const c2 = 0.9;
    const maxLs = 25;
    let t = t0;
    const dNorm = await scalar(this.absMax(d));
    const created: Tensor[] = [];
    const evalAt = async (at: number) => {
      const r = await this.directionalEvaluate(closure, x, at, d);
      created.push(r.grad);
      return r;
    };
    let { loss: fNew, grad: gNew, gtd: gtdNew } = await evalAt(t);
    let evals = 1;

    let tPrev = 0;
    let fPrev = f;
    let gPrev = g;
    let gtdPrev = gtd;
    let done = false;
    let lsIter = 0;
    let bracket: number[] = [];
    let bracketF: number[] = [];
    let bracketG: Tensor[] = [];
    let bracketGtd: number[] = [];
    while (lsIter < maxLs) {
      if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
        [bracket, bracketF, bracketG, bracketGtd] = [
          [tPrev, t],
          [fPrev, fNew],
          [gPrev, gNew],
          [gtdPrev, gtdNew],
        ];
        break;
      }
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
        done = true;
        break;
      }
      if (gtdNew >= 0) {
        [bracket, bracketF, bracketG, bracketGtd] = [
          [tPrev, t],
          [fPrev, fNew],
          [gPrev, gNew],
          [gtdPrev, gtdNew],
        ];
        break;
      }
      const minStep = t + 0.01 * (t - tPrev);
      const maxStep = t * 10;
      const tmp = t;
      t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
      tPrev = tmp;
      fPrev = fNew;
      gPrev = gNew;
      gtdPrev = gtdNew;
      ({ loss: fNew, grad: gNew, gtd: gtdNew } = await evalAt(t));
      evals += 1;
      lsIter += 1;
    }
    if (lsIter === maxLs) {
      [bracket, bracketF, bracketG] = [
        [0, t],
        [f, fNew],
        [g, gNew],
      ];
    }

    // Zoom: refine the bracket until a point meets the strong Wolfe conditions.
    let insufProgress = false;
    let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
    while (!done && lsIter < maxLs) {
      if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
      t = cubicInterpolate(
        bracket[0],
        bracketF[0],
        bracketGtd[0],
        bracket[1],
        bracketF[1],
        bracketGtd[1],
      );
      const hi = pyMax(bracket[0], bracket[1]);
      const lo = pyMin(bracket[0], bracket[1]);
      const eps = 0.1 * (hi - lo);
      if (pyMin(hi - t, t - lo) < eps) {
        if (insufProgress || t >= hi || t <= lo) {
          t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
          insufProgress = false;
        } else {
          insufProgress = true;
        }
      } else {
        insufProgress = false;
      }
      ({ loss: fNew, grad: gNew, gtd: gtdNew } = await evalAt(t));
      evals += 1;
      lsIter += 1;

      if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]) {
        bracket[highPos] = t;
        bracketF[highPos] = fNew;
        bracketG[highPos] = gNew;
        bracketGtd[highPos] = gtdNew;
        [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
      } else {
        if (Math.abs(gtdNew) <= -c2 * gtd) {
          done = true;
        } else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0) {
          bracket[highPos] = bracket[lowPos];
          bracketF[highPos] = bracketF[lowPos];
          bracketG[highPos] = bracketG[lowPos];
          bracketGtd[highPos] = bracketGtd[lowPos];
        }
        bracket[lowPos] = t;
        bracketF[lowPos] = fNew;
        bracketG[lowPos] = gNew;
        bracketGtd[lowPos] = gtdNew;
      }
    }
    const chosen = bracketG[lowPos];
    // The caller owns `g`; every other gradient made here but not returned is freed.
    const grad = chosen === g ? this.clone(g) : chosen;
    for (const c of created) if (c !== grad) c.dispose();
    return { loss: bracketF[lowPos], grad, t: bracket[lowPos], evals };
  }
}

interface Memory {
  d: Tensor | null;
  t: number;
  hDiag: number;
  prevFlatGrad: Tensor | null;
  prevLoss: number | null;
  oldDirs: Tensor[];
  oldStps: Tensor[];
  ro: number[];
}

/** The history as torch keeps it in `state`, read from (and written to) the first parameter's state. */
function readMemory(state: ParameterState): Memory {
  const n = state.values.historyLength ?? 0;
  const idx = Array.from({ length: n }, (_, i) => i);
  return {
    d: state.tensors.d ?? null,
    t: state.values.t ?? 0,
    hDiag: state.values.hDiag ?? 1,
    prevFlatGrad: state.tensors.prevFlatGrad ?? null,
    prevLoss: state.values.prevLoss ?? null,
    oldDirs: idx.map((i) => state.tensors[`oldDirs.${i}`]),
    oldStps: idx.map((i) => state.tensors[`oldStps.${i}`]),
    ro: idx.map((i) => state.values[`ro.${i}`]),
  };
}

function writeMemory(state: ParameterState, m: Memory): void {
  const tensors = state.tensors as Record<string, Tensor>;
  const values = state.values as Record<string, number>;
  for (const key of Object.keys(tensors)) delete tensors[key];
  for (const key of Object.keys(values)) if (key.startsWith('ro.')) delete values[key];
  if (m.d) tensors.d = m.d;
  if (m.prevFlatGrad) tensors.prevFlatGrad = m.prevFlatGrad;
  m.oldDirs.forEach((v, i) => (tensors[`oldDirs.${i}`] = v));
  m.oldStps.forEach((v, i) => (tensors[`oldStps.${i}`] = v));
  m.ro.forEach((v, i) => (values[`ro.${i}`] = v));
  values.historyLength = m.ro.length;
  values.t = m.t;
  values.hDiag = m.hDiag;
  if (m.prevLoss !== null) values.prevLoss = m.prevLoss;
}
