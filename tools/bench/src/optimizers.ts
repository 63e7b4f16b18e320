import { OPTIMIZERS, createOptimizer, stepWithClosure, type Optimizer } from '@optlab/optim';
import { Parameter, type Backend } from '@optlab/tensor';
import { ADAM_TARGETS } from './fused-update.js';
import { measureInterleaved, type Contender } from './harness.js';
import { formatNumber } from './report.js';
import { toCase, type CaseResult, type TargetCheck } from './results.js';
import { seededValues, type Suite } from './suite.js';
import { tf, tfjsContender } from './tfjs-peers.js';

/**
 * 1M parameters as one 1000×1000 matrix: 2-D so that Muon runs and Adafactor factors its
 * second moment.
 */
const SHAPE = [1000, 1000];
const N = SHAPE[0] * SHAPE[1];

interface OptimizerCase {
  /** Row name. */
  name: string;
  /** @optlab/optim class name (a key of OPTIMIZERS) and options. */
  optimizer: string;
  options: Record<string, unknown>;
  /** The same optimizer in tfjs, where tfjs has it. */
  tfjs?: () => tf.Optimizer;
}

/**
 * Settings that differ from an optimizer's defaults: a common lr where the row has a tfjs twin,
 * the options an optimizer cannot do without (SAM's base). Every other registered optimizer runs
 * with its defaults; `optimizerCases` adds its row, so a new optimizer cannot be missed.
 */
const SETTINGS: readonly OptimizerCase[] = [
  { name: 'SGD', optimizer: 'SGD', options: { lr: 0.01 }, tfjs: () => tf.train.sgd(0.01) },
  {
    name: 'SGD momentum 0.9',
    optimizer: 'SGD',
    options: { lr: 0.01, momentum: 0.9 },
    tfjs: () => tf.train.momentum(0.01, 0.9),
  },
  {
    name: 'Adagrad',
    optimizer: 'Adagrad',
    options: { lr: 0.01 },
    tfjs: () => tf.train.adagrad(0.01),
  },
  {
    name: 'RMSprop',
    optimizer: 'RMSprop',
    options: { lr: 0.01 },
    tfjs: () => tf.train.rmsprop(0.01, 0.99, 0, 1e-8),
  },
  {
    name: 'Adadelta',
    optimizer: 'Adadelta',
    options: { lr: 1 },
    tfjs: () => tf.train.adadelta(1, 0.9, 1e-6),
  },
  {
    name: 'Adam',
    optimizer: 'Adam',
    options: { lr: 1e-3 },
    tfjs: () => tf.train.adam(1e-3, 0.9, 0.999, 1e-8),
  },
  {
    name: 'Adamax',
    optimizer: 'Adamax',
    options: { lr: 2e-3 },
    tfjs: () => tf.train.adamax(2e-3, 0.9, 0.999, 1e-8),
  },
  { name: 'SAM (base SGD)', optimizer: 'SAM', options: { base: 'SGD', lr: 0.01 } },
];

/** The rows: SETTINGS, then every other registered optimizer with its defaults, in registry order. */
export function optimizerCases(
  registered: readonly string[] = Object.keys(OPTIMIZERS),
): OptimizerCase[] {
  const cases = [...SETTINGS];
  for (const name of registered) {
    if (!cases.some((c) => c.optimizer === name))
      cases.push({ name, optimizer: name, options: {} });
  }
  const missing = registered.filter((name) => !cases.some((c) => c.optimizer === name));
  const unknown = cases.filter((c) => !registered.includes(c.optimizer)).map((c) => c.optimizer);
  if (missing.length || unknown.length) {
    throw new Error(
      `bench optimizers: the rows do not match the registry (missing: ${missing.join(', ') || 'none'}; not registered: ${unknown.join(', ') || 'none'})`,
    );
  }
  return cases;
}

/**
 * Why an optimizer needs more passes than Adam's one fused loop, from the math (libs/optim's
 * README tables). Printed for an optimizer under 0.5× Adam whose measured passes exceed Adam's;
 * one missing here is printed as "(no reason recorded)".
 */
const WHY_MORE_PASSES: Readonly<Record<string, string>> = {
  Muon: "Newton–Schulz orthogonalisation: 3 matmuls per iteration (1000³ multiply-adds each), 5 iterations, plus Σu² before them: O(n³) against Adam's O(n²)",
  LBFGS:
    'quasi-Newton: gathers the gradient, the two-loop recursion (dot products over the history), a host read of max|g|, y·s, y·y, g·d per iteration; the closure runs at least twice a step (figure includes it)',
  SAM: 'two gradients a step: ‖g‖ over all parameters (a reduction), ascent to w + e(w), the closure again, restore w, then the base step (figure includes the two closure calls)',
  LAMB: 'trust ratio ‖θ‖/‖u‖ needs two whole-tensor reductions before the update, and the update recomputes u',
  LARS: 'trust ratio ‖θ‖/‖g + λθ‖ needs two whole-tensor reductions before the update',
  Prodigy:
    'estimates d from Σ⟨g, θ₀ − θ⟩ and Σ|s| (two reductions over the whole tensor) before the step uses it',
  Adafactor:
    'factored second moment: row and column means of g² (reductions), then the factored update and the RMS clip',
  AdafactorHF:
    'factored second moment: row and column means of g², RMS of the update and of θ (reductions) before the step',
};

/** Issue 3 / issue 11: no optimizer below half of Adam's throughput, unless its math needs more passes. */
const MIN_FRACTION_OF_ADAM = 0.5;

/** What one step of one optimizer does on one backend, counted by the backend. */
interface StepFacts {
  /** Backend compute passes in one step after the first (CPU: op calls, matmuls included). */
  passes: number;
  /** Of those, matmuls (from `kernelPaths()` where the backend has it). */
  matmuls: number;
  /** Closure evaluations in one step (closure optimizers), else 0. */
  evaluations: number;
  /** Bytes of the tensors in `stateDict()` per parameter, after two steps. */
  stateBytesPerParam: number;
  /** Bytes the backend holds after two steps beyond the parameter and its gradient, per parameter. */
  heldBytesPerParam: number;
}

interface OptlabSide {
  contender: Contender;
  facts: StepFacts;
}

/** Counts of `kernelPaths()` (CpuBackend), or an empty record on a backend without it. */
function kernelPaths(be: Backend): Record<string, number> {
  const withPaths = be as Backend & { kernelPaths?: () => Record<string, number> };
  return typeof withPaths.kernelPaths === 'function' ? withPaths.kernelPaths() : {};
}

function matmulCount(paths: Record<string, number>): number {
  return Object.entries(paths)
    .filter(([key]) => key.startsWith('matmul'))
    .reduce((s, [, n]) => s + n, 0);
}

/** Values in the tensors of a state dict, wherever they sit (wrappers nest their inner state). */
function savedTensorValues(x: unknown): number {
  if (x === null || typeof x !== 'object') return 0;
  const o = x as { shape?: unknown; values?: unknown };
  if (Array.isArray(o.shape) && Array.isArray(o.values)) return o.values.length;
  return Object.values(x).reduce((s: number, v) => s + savedTensorValues(v), 0);
}

async function optlabSide(
  be: Backend,
  id: string,
  label: string,
  c: OptimizerCase,
  pv: Float32Array,
  gv: Float32Array,
): Promise<OptlabSide> {
  const p = new Parameter(be.tensor(pv, SHAPE), 'w');
  p.grad = be.tensor(gv, SHAPE);
  const heldBefore = be.stats().liveBytes;
  const opt: Optimizer = createOptimizer(c.optimizer, [p], c.options);
  const closureOptimizer = OPTIMIZERS[c.optimizer].requiresClosure === true;
  // The closure of LBFGS and SAM "computes" a constant loss and writes the fixed gradient: a
  // fresh copy (an upload, no kernel) where the optimizer cleared it (SAM's zeroGrad between its
  // two evaluations), nothing where it is still there (LBFGS keeps it).
  const closure = (): number => {
    if (p.grad === null) p.grad = be.tensor(gv, SHAPE);
    return 1;
  };
  const evaluationsOf = (): number => (opt as { evaluations?: number }).evaluations ?? 0;
  const step = closureOptimizer ? () => stepWithClosure(opt, closure) : () => opt.step();
  await step(); // creates the state
  const kernelsBefore = be.stats().kernels;
  const matmulsBefore = matmulCount(kernelPaths(be));
  const evaluationsBefore = evaluationsOf();
  await step();
  const facts: StepFacts = {
    passes: be.stats().kernels - kernelsBefore,
    matmuls: matmulCount(kernelPaths(be)) - matmulsBefore,
    evaluations: evaluationsOf() - evaluationsBefore,
    heldBytesPerParam: (be.stats().liveBytes - heldBefore) / N,
    stateBytesPerParam: (savedTensorValues(opt.stateDict()) * (be.dtype === 'float32' ? 4 : 8)) / N,
  };
  return {
    contender: {
      id,
      label,
      run: closureOptimizer ? () => stepWithClosure(opt, closure) : () => opt.step(),
      dispose: () => {
        opt.dispose();
        p.dispose();
      },
    },
    facts,
  };
}

/**
 * One step of every optimizer of @optlab/optim on 1M float32 parameters (M params/s), on the
 * WebAssembly and the JavaScript path, with its state bytes per parameter and passes per step
 * counted by the backend, beside tfjs's optimizers where tfjs has the same one
 * (`applyGradients`, cpu and wasm).
 */
export const optimizersSuite: Suite = {
  id: 'optimizers',
  title: `optimizer.step() on ${N.toLocaleString('en-US')} float32 parameters, a ${SHAPE.join('×')} matrix (M params/s, higher is better)`,
  async run(ctx) {
    const pv = seededValues(N, 41);
    const gv = seededValues(N, 42);
    const cases: CaseResult[] = [];
    const facts = new Map<string, StepFacts>();
    for (const c of optimizerCases()) {
      ctx.log(`optimizer ${c.name}`);
      const ours = await optlabSide(ctx.backend, 'optlab', 'OptLab', c, pv, gv);
      const js = await optlabSide(ctx.jsBackend, 'optlab-js', 'OptLab JS', c, pv, gv);
      if (js.facts.passes !== ours.facts.passes) {
        ctx.log(`${c.name}: ${ours.facts.passes} passes on wasm, ${js.facts.passes} on js`);
      }
      facts.set(c.name, ours.facts);
      const peers: Contender[] = [];
      const make = c.tfjs;
      if (make) {
        for (const peer of ctx.peers) {
          peers.push(
            await tfjsContender(peer, () => {
              const variable = tf.variable(tf.tensor(pv, SHAPE));
              const g = tf.tensor(gv, SHAPE);
              const optimizer = make();
              const grads = { [variable.name]: g };
              return {
                run: () => optimizer.applyGradients(grads),
                dispose: () => {
                  optimizer.dispose();
                  tf.dispose([variable, g]);
                },
              };
            }),
          );
        }
      }
      const all = [ours.contender, js.contender, ...peers];
      const measured = await measureInterleaved(all, ctx.measure);
      for (const x of all) x.dispose?.();
      cases.push(
        toCase(
          c.name,
          'M params/s',
          'higher',
          measured,
          (ms) => N / (ms * 1e3),
          c.name === 'Adam' ? ADAM_TARGETS.map((t) => ({ ...t, source: 'issue 3' })) : [],
          {
            'state bytes/param': ours.facts.stateBytesPerParam,
            'held bytes/param': ours.facts.heldBytesPerParam,
            'passes/step': ours.facts.passes,
            'matmuls/step': ours.facts.matmuls,
            'closure calls/step': ours.facts.evaluations,
          },
        ),
      );
    }
    const { notes, table } = compareWithAdam(cases, facts);
    return { id: this.id, title: this.title, cases, notes, tables: [table] };
  },
};

/**
 * Each optimizer's throughput ÷ Adam's (both paths), the ≥ 0.5× Adam target for those whose
 * math needs no more passes than Adam's, and the table of state, passes and the reason for any
 * optimizer under 0.5×.
 */
function compareWithAdam(
  cases: CaseResult[],
  facts: Map<string, StepFacts>,
): { notes: string[]; table: { header: string[]; rows: string[][] } } {
  const adam = cases.find((c) => c.name === 'Adam');
  if (!adam) throw new Error('bench optimizers: no Adam row to compare with');
  const adamPasses = facts.get('Adam')!.passes;
  const jsMedian = (c: CaseResult): number =>
    c.peers.find((p) => p.id === 'optlab-js')!.summary.median;
  const rows: string[][] = [];
  const whys: string[] = [];
  for (const c of cases) {
    const f = facts.get(c.name)!;
    const fraction = c.optlab.summary.median / adam.optlab.summary.median;
    const jsFraction = jsMedian(c) / jsMedian(adam);
    c.details['÷ OptLab Adam'] = fraction;
    c.details['÷ OptLab JS Adam (js path)'] = jsFraction;
    const morePasses = f.passes > adamPasses;
    let why = '';
    if (c !== adam && !morePasses) {
      const check: TargetCheck = {
        peer: 'OptLab Adam',
        ratio: MIN_FRACTION_OF_ADAM,
        source: 'issue 11',
        measured: fraction,
        met: fraction >= MIN_FRACTION_OF_ADAM,
      };
      c.targets.push(check);
      if (!check.met) why = `NOT met: ${f.passes} pass(es), as few as Adam's`;
    } else if (fraction < MIN_FRACTION_OF_ADAM) {
      why = WHY_MORE_PASSES[optimizerOf(c.name)] ?? '(no reason recorded)';
    }
    if (why) c.details.why = why;
    rows.push([
      c.name,
      formatNumber(c.optlab.summary.median),
      `${formatNumber(fraction)}×`,
      formatNumber(jsMedian(c)),
      `${formatNumber(jsFraction)}×`,
      formatNumber(f.stateBytesPerParam),
      formatNumber(f.heldBytesPerParam),
      `${f.passes}${f.matmuls ? ` (${f.matmuls} matmul)` : ''}`,
      f.evaluations ? String(f.evaluations) : '',
    ]);
    if (why) whys.push(`${c.name} at ${formatNumber(fraction)}× Adam: ${why}`);
  }
  return {
    table: {
      header: [
        'optimizer',
        'wasm M/s',
        '÷ Adam',
        'js M/s',
        '÷ Adam js',
        'state B/param',
        'held B/param',
        'passes/step',
        'closure calls',
      ],
      rows,
    },
    notes: [
      `state B/param: values in the tensors of stateDict() after two steps × 4 bytes ÷ ${N.toLocaleString('en-US')}; held B/param: the backend's live bytes after two steps beyond the parameter and its gradient ÷ the same (counts what stateDict leaves out, e.g. LBFGS's flat buffers).`,
      `passes/step: the backend's kernel counter (stats().kernels, one per op call, matmuls included; matmuls from kernelPaths()) over the second step; Adam's is ${adamPasses}. The ≥ 0.5× Adam target (issue 11) applies to optimizers with no more passes than Adam; the others carry the reason their math needs more.`,
      'LBFGS and SAM step with stepWithClosure and a closure that returns a constant loss and writes the fixed gradient where the optimizer cleared it (SAM: one 4 MB upload per step; LBFGS: nothing): their figure includes the closure calls (in training each is a forward and backward pass). With a constant loss LBFGS stops at its tolerance on the loss change.',
      '÷ Adam compares medians of separate cases (not interleaved with each other); the wasm and js columns of one row are interleaved.',
      ...whys.map((w) => `under 0.5× Adam: ${w}`),
    ],
  };
}

function optimizerOf(caseName: string): string {
  return optimizerCases().find((c) => c.name === caseName)?.optimizer ?? caseName;
}
