import { cpu, Parameter } from '@optlab/tensor';
import { createModel } from '@optlab/models';
import { AdamW, CombinedOptimizer, Muon } from '@optlab/optim';
import {
  AdamWScheduleFree,
  clipGradNorm,
  Lookahead,
  Prodigy,
  SGD,
  type Optimizer,
} from '@optlab/optim';
import { describe, expect, it } from 'vitest';
import {
  assertSpec,
  defaultCatalog,
  formatIssue,
  prepareTask,
  runToSummary,
  validateSpec,
  type ClosureEvent,
  type EvalEvent,
  type ExperimentEvent,
  type ExperimentSpecInput,
  type RunMetrics,
  type StepEvent,
} from './helpers.js';

const catalog = defaultCatalog();
const spec = (json: ExperimentSpecInput) => assertSpec(json, catalog);
type Run = ExperimentSpecInput['runs'][number];

function functionSpec(
  fn: Record<string, unknown> & { type: string },
  runs: Run[],
  steps: number,
  start?: number[] | number[][],
): ExperimentSpecInput {
  return {
    version: 1,
    name: 'fn',
    task: { kind: 'function', function: fn, ...(start ? { start } : {}) },
    training: { steps },
    runs,
  };
}

const blobs = (runs: Run[], steps = 20): ExperimentSpecInput => ({
  version: 1,
  name: 'blobs',
  task: {
    kind: 'classification',
    dataset: { type: 'blobs', n: 60, centers: 3, seed: 3 },
    model: { type: 'mlp', hidden: [4] },
  },
  training: { steps },
  runs,
});

const ofType = <T extends ExperimentEvent['type']>(events: ExperimentEvent[], type: T) =>
  events.filter((e) => e.type === type) as Extract<ExperimentEvent, { type: T }>[];

const endOf = (events: ExperimentEvent[], run?: string): RunMetrics =>
  ofType(events, 'end').find((e) => run === undefined || e.run === run)!.metrics;

function problems(json: ExperimentSpecInput): string[] {
  const r = validateSpec(json, catalog);
  if (r.ok) throw new Error('expected the spec to be invalid');
  return r.issues.map(formatIssue);
}

describe('closure optimizers in the runner', () => {
  const lbfgs: Run = {
    name: 'lbfgs',
    optimizer: { type: 'LBFGS', lineSearchFn: 'strong_wolfe', maxIter: 20 },
    backend: 'cpu64',
  };

  it('LBFGS with strong_wolfe solves Rosenbrock from (−1.5, 2) and counts every evaluation', async () => {
    const { events } = await runToSummary(
      spec(functionSpec({ type: 'rosenbrock' }, [lbfgs], 10, [-1.5, 2])),
    );
    const m = endOf(events);
    expect(m.status).toBe('done');
    expect(m.finalLoss).toBeLessThan(1e-8);
    expect(m.finalParams![0]).toBeCloseTo(1, 4);
    expect(m.finalParams![1]).toBeCloseTo(1, 4);
    expect(m.steps).toBe(10);
    expect(m.evaluations).toBeGreaterThan(m.steps);
    const steps = ofType(events, 'step');
    expect(steps.at(-1)!.evaluations).toBe(m.evaluations);
    // Without asking, no closure events.
    expect(ofType(events, 'closure')).toEqual([]);
  });

  it('emits every evaluated point as a closure event when asked, annotated by LBFGS', async () => {
    const { events } = await runToSummary(
      spec(functionSpec({ type: 'rosenbrock' }, [lbfgs], 2, [-1.5, 2])),
      { closureEvaluations: true },
    );
    const closures = ofType(events, 'closure');
    const m = endOf(events);
    expect(closures.length).toBe(m.evaluations);
    expect(closures[0]).toMatchObject({
      step: 1,
      index: 0,
      kind: 'initial',
      t: 0,
      params: [-1.5, 2],
      paramsMode: 'full',
    });
    // f at the point the event carries is the loss it reports.
    const rosen = ([x, y]: readonly number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    for (const c of closures) expect(c.loss).toBeCloseTo(rosen(c.params!), 9);
    expect(closures.some((c) => c.kind === 'lineSearch')).toBe(true);
    // Each update's evaluations come before its step event.
    const order = events.filter((e) => e.type === 'closure' || e.type === 'step') as (
      ClosureEvent | StepEvent
    )[];
    const firstStep = order.findIndex((e) => e.type === 'step');
    expect(order.slice(0, firstStep).every((e) => e.type === 'closure' && e.step === 1)).toBe(true);
  });

  it('drives LBFGS and SAM on a dataset, on the current minibatch', async () => {
    const { events } = await runToSummary(
      spec({
        ...blobs(
          [
            {
              name: 'lbfgs',
              optimizer: { type: 'LBFGS', maxIter: 5, lineSearchFn: 'strong_wolfe' },
              backend: 'cpu64',
            },
            {
              name: 'sam',
              optimizer: { type: 'SAM', base: 'SGD', lr: 0.5, rho: 0.05 },
              backend: 'cpu64',
            },
          ],
          6,
        ),
        training: { steps: 6, batchSize: 20, logEvery: 1 },
      }),
    );
    const lb = endOf(events, 'lbfgs');
    const sam = endOf(events, 'sam');
    expect(lb.finalLoss).toBeLessThan(lb.initialLoss);
    expect(lb.evaluations).toBeGreaterThan(6);
    expect(sam.finalLoss).toBeLessThan(sam.initialLoss);
    expect(sam.evaluations).toBe(12); // two gradients a step
    const samSteps = ofType(events, 'step').filter((e) => e.run === 'sam');
    expect(samSteps.map((e) => e.evaluations)).toEqual([2, 4, 6, 8, 10, 12]);
    // An ordinary optimizer: one evaluation a step, not repeated in events.
    const { events: sgd } = await runToSummary(
      spec(blobs([{ name: 'sgd', optimizer: { type: 'SGD', lr: 0.1 } }], 4)),
    );
    expect(endOf(sgd).evaluations).toBe(4);
    expect(ofType(sgd, 'eval').every((e) => e.evaluations === undefined)).toBe(true);
  });
});

describe('Muon in a spec', () => {
  it('gives the matrices to Muon and the biases to AdamW with Muon’s lr, and says so', async () => {
    const { events } = await runToSummary(
      spec(blobs([{ name: 'muon', optimizer: { type: 'Muon', lr: 0.02 }, backend: 'cpu64' }])),
    );
    const text = 'Muon: 2 matrices; AdamW(lr=0.02): 2 vectors (biases)';
    expect(ofType(events, 'start')[0].paramGroups).toBe(text);
    const m = endOf(events);
    expect(m.paramGroups).toBe(text);
    expect(m.finalLoss).toBeLessThan(m.initialLoss);
  });

  it('trains exactly as Muon + AdamW built by hand; fallback options reach AdamW', async () => {
    const run: Run = {
      name: 'muon',
      optimizer: { type: 'Muon', lr: 0.05 },
      fallback: { lr: 0.01, weightDecay: 0 },
      backend: 'cpu64',
    };
    const s = spec(blobs([run], 5));
    const { events } = await runToSummary(s);
    expect(endOf(events).paramGroups).toBe('Muon: 2 matrices; AdamW(lr=0.01): 2 vectors (biases)');

    const data = await prepareTask(s);
    if (data.kind === 'function') throw new Error('a dataset task');
    const be = cpu({ dtype: 'float64' });
    const t = data.tensors(be);
    const model = createModel(
      be,
      { kind: 'mlp', hidden: [4] },
      { features: 2, classes: 3, seed: 0 },
    );
    const params = model.parameters();
    const opt = new CombinedOptimizer([
      new Muon(
        params.filter((p) => p.shape.length === 2),
        { lr: 0.05 },
      ),
      new AdamW(
        params.filter((p) => p.shape.length === 1),
        { lr: 0.01, weightDecay: 0 },
      ),
    ]);
    for (let i = 0; i < 5; i++) {
      model.lossAndGrad(t.x, t.y).dispose();
      opt.step();
    }
    const loss = model.loss(t.x, t.y);
    expect(endOf(events).finalLoss).toBe(loss.dataSync()[0]);
  });

  it('is refused on a function’s vector, naming the option; a matrix start is trained', async () => {
    expect(
      problems(
        functionSpec({ type: 'rosenbrock' }, [{ name: 'm', optimizer: { type: 'Muon' } }], 5),
      ),
    ).toEqual([
      "runs[0].optimizer.type: Muon takes 2-D parameters (matrices) only, and this function task trains one vector (rosenbrock's point): nothing can fall back to another optimizer; give task.start as a matrix (rows of equal length) or choose another optimizer",
    ]);
    const matrix = functionSpec(
      { type: 'quadratic', coefficients: [1, 2, 3, 4, 5, 6] },
      [{ name: 'm', optimizer: { type: 'Muon', lr: 0.1 }, backend: 'cpu64' }],
      5,
      [
        [1, 1, 1],
        [1, 1, 1],
      ],
    );
    const { events } = await runToSummary(spec(matrix));
    const m = endOf(events);
    expect(m.paramGroups).toBe('Muon: 1 matrix');
    expect(m.finalLoss).toBeLessThan(m.initialLoss);
  });

  it('refuses a fallback where nothing falls back, and a fallback that cannot take the biases', () => {
    expect(
      problems(blobs([{ name: 'a', optimizer: { type: 'Adam' }, fallback: { type: 'SGD' } }])),
    ).toEqual([
      "runs[0].fallback: Adam takes parameters of every shape: nothing falls back (fallback is for Muon's biases)",
    ]);
    expect(
      problems(blobs([{ name: 'm', optimizer: { type: 'Muon' }, fallback: { type: 'LBFGS' } }])),
    ).toEqual([
      'runs[0].fallback.type: LBFGS cannot take the parameters Muon leaves: it steps with a closure',
    ]);
    expect(
      problems(blobs([{ name: 'm', optimizer: { type: 'Muon' }, fallback: { lr: -1 } }])),
    ).toEqual(['runs[0].fallback.lr: must be ≥ 0, got -1']);
  });
});

describe('Schedule-Free in the runner', () => {
  it('evaluates at the average x and steps from y, as eval()/train() by hand', async () => {
    const steps = 8;
    const c = [1, 10];
    const s = spec(
      functionSpec(
        { type: 'quadratic', coefficients: c },
        [
          {
            name: 'sf',
            optimizer: { type: 'AdamWScheduleFree', lr: 0.1, warmupSteps: 2 },
            backend: 'cpu64',
          },
        ],
        steps,
        [1, 1],
      ),
    );
    const { events } = await runToSummary(s);
    const be = cpu({ dtype: 'float64' });
    const p = new Parameter(be.tensor([1, 1], [2]));
    const opt = new AdamWScheduleFree([p], { lr: 0.1, warmupSteps: 2 });
    const xs: number[][] = [];
    for (let i = 0; i < steps; i++) {
      const y = Array.from(p.value.dataSync());
      p.grad = be.tensor(
        y.map((v, j) => c[j] * v),
        [2],
      );
      opt.step();
      opt.eval();
      xs.push(Array.from(p.value.dataSync()));
      opt.train();
    }
    const trajectory = ofType(events, 'step').map((e) => e.params);
    expect(trajectory).toEqual(xs);
    expect(endOf(events).finalParams).toEqual(xs.at(-1));
    // y differs from x: evaluating in train mode would have reported other numbers.
    expect(Array.from(p.value.dataSync())).not.toEqual(xs.at(-1));
  });
});

describe("Prodigy's d estimate", () => {
  it('comes with every evaluation as optimizerStats.d, equal to estimate() by hand', async () => {
    const s = spec(blobs([{ name: 'p', optimizer: { type: 'Prodigy' }, backend: 'cpu64' }], 4));
    const { events } = await runToSummary({ ...s, training: { ...s.training, evalEvery: 1 } });
    const evals = ofType(events, 'eval');
    expect(evals).toHaveLength(4);
    const data = await prepareTask(s);
    if (data.kind === 'function') throw new Error('a dataset task');
    const be = cpu({ dtype: 'float64' });
    const t = data.tensors(be);
    const model = createModel(
      be,
      { kind: 'mlp', hidden: [4] },
      { features: 2, classes: 3, seed: 0 },
    );
    const opt = new Prodigy(model.parameters());
    const ds: number[] = [];
    for (let i = 0; i < 4; i++) {
      model.lossAndGrad(t.x, t.y).dispose();
      opt.step();
      ds.push(opt.estimate().d);
    }
    expect(evals.map((e: EvalEvent) => e.optimizerStats)).toEqual(ds.map((d) => ({ d })));
    expect(ds.at(-1)).toBeGreaterThan(1e-6); // grew from d0
  });
});

/** f = ½Σcᵢxᵢ² from (1, 1), stepped by hand with `opt`, the gradient clipped by `clip`. */
function byHand(
  c: number[],
  steps: number,
  make: (p: Parameter) => Optimizer,
  clip: (p: Parameter) => void = () => {},
) {
  const be = cpu({ dtype: 'float64' });
  const p = new Parameter(be.tensor([1, 1], [2]));
  const opt = make(p);
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    const x = Array.from(p.value.dataSync());
    p.grad = be.tensor(
      x.map((v, j) => c[j] * v),
      [2],
    );
    clip(p);
    opt.step();
    out.push(Array.from(p.value.dataSync()));
  }
  return out;
}

describe('lookahead, clipping and parameter groups from the spec', () => {
  const c = [1, 10];
  const quad = (run: Omit<Run, 'name'>, steps = 6) =>
    spec(
      functionSpec(
        { type: 'quadratic', coefficients: c },
        [{ name: 'r', backend: 'cpu64', ...run }],
        steps,
        [1, 1],
      ),
    );
  const trajectory = async (s: ReturnType<typeof quad>) =>
    ofType((await runToSummary(s)).events, 'step').map((e) => e.params);

  it('lookahead wraps the optimizer as Lookahead(SGD) by hand', async () => {
    const got = await trajectory(
      quad({ optimizer: { type: 'SGD', lr: 0.05 }, lookahead: { k: 2, alpha: 0.5 } }),
    );
    const want = byHand(
      c,
      6,
      (p) => new Lookahead(new SGD([p], { lr: 0.05 }), { k: 2, alpha: 0.5 }),
    );
    expect(got).toEqual(want);
  });

  it('clipGradNorm and clipGradValue clip before each step', async () => {
    const norm = await trajectory(
      quad({ optimizer: { type: 'SGD', lr: 0.05 }, clipGradNorm: { maxNorm: 1 } }),
    );
    expect(norm).toEqual(
      byHand(
        c,
        6,
        (p) => new SGD([p], { lr: 0.05 }),
        (p) => clipGradNorm([p], 1).dispose(),
      ),
    );
    const value = await trajectory(
      quad({ optimizer: { type: 'SGD', lr: 0.05 }, clipGradValue: { clipValue: 2 } }),
    );
    // g = (1, 10) clamped to (1, 2): the first step is (1 − 0.05, 1 − 0.1).
    expect(value[0]).toEqual([0.95, 0.9]);
  });

  it('paramGroups give per-layer options, as groups built by hand', async () => {
    const paramGroups = [
      { match: 'bias', weightDecay: 0 },
      { match: 'layer1', lr: 0.5 },
    ];
    const s = spec(
      blobs(
        [
          {
            name: 'g',
            optimizer: { type: 'SGD', lr: 0.1, weightDecay: 0.01 },
            paramGroups,
            backend: 'cpu64',
          },
        ],
        5,
      ),
    );
    const { events } = await runToSummary(s);
    const m = endOf(events);
    expect(m.paramGroups).toBe(
      "SGD parameter groups: group 0 (lr=0.5): layer1.W; group 1 (weightDecay=0, lr=0.5): layer1.b; group 2 (the run's options): layer2.W; group 3 (weightDecay=0): layer2.b",
    );
    const data = await prepareTask(s);
    if (data.kind === 'function') throw new Error('a dataset task');
    const be = cpu({ dtype: 'float64' });
    const t = data.tensors(be);
    const model = createModel(
      be,
      { kind: 'mlp', hidden: [4] },
      { features: 2, classes: 3, seed: 0 },
    );
    const [w1, b1, w2, b2] = model.parameters();
    const opt = new SGD(
      [
        { params: [w1], lr: 0.5 },
        { params: [b1], lr: 0.5, weightDecay: 0 },
        { params: [w2] },
        { params: [b2], weightDecay: 0 },
      ],
      { lr: 0.1, weightDecay: 0.01 },
    );
    for (let i = 0; i < 5; i++) {
      model.lossAndGrad(t.x, t.y).dispose();
      opt.step();
    }
    expect(m.finalLoss).toBe(model.loss(t.x, t.y).dataSync()[0]);
  });

  it('refuses bad input naming the JSON path', () => {
    const sgd = { type: 'SGD', lr: 0.1 };
    expect(problems(blobs([{ name: 'a', optimizer: sgd, lookahead: { k: 0 } }]))).toEqual([
      'runs[0].lookahead.k: must be ≥ 1, got 0',
    ]);
    expect(
      problems(blobs([{ name: 'a', optimizer: sgd, lookahead: { k: 2, steps: 3 } as never }])),
    ).toEqual(['runs[0].lookahead.steps: unknown field "steps"; known: k, alpha']);
    expect(problems(blobs([{ name: 'a', optimizer: sgd, clipGradNorm: { maxNorm: -1 } }]))).toEqual(
      ['runs[0].clipGradNorm.maxNorm: must be ≥ 0, got -1'],
    );
    expect(
      problems(blobs([{ name: 'a', optimizer: sgd, paramGroups: [{ match: 'bias', foo: 1 }] }])),
    ).toEqual([expect.stringMatching(/^runs\[0\]\.paramGroups\[0\]\.foo: unknown option "foo"/)]);
    expect(
      problems(
        blobs([
          {
            name: 'a',
            optimizer: sgd,
            paramGroups: [{ match: 'bias', lr: 0 }, { match: 'layer3' }],
          },
        ]),
      ),
    ).toEqual([
      'runs[0].paramGroups[1].match: "layer3" matches no parameter of the mlp model; its parameters: layer1.W, layer1.b, layer2.W, layer2.b',
    ]);
    expect(
      problems(
        functionSpec(
          { type: 'rosenbrock' },
          [{ name: 'a', optimizer: sgd, paramGroups: [{ match: 'x' }] }],
          3,
        ),
      ),
    ).toEqual([
      'runs[0].paramGroups: a function task trains one parameter; parameter groups need a model (a regression or classification task)',
    ]);
    expect(
      problems(
        blobs([
          { name: 'a', optimizer: { type: 'LBFGS' }, paramGroups: [{ match: 'bias', lr: 0.5 }] },
        ]),
      ),
    ).toEqual(['runs[0].paramGroups: LBFGS takes one parameter group (as torch.optim.LBFGS)']);
    expect(
      problems(
        blobs([
          { name: 'p', optimizer: { type: 'Prodigy' }, paramGroups: [{ match: 'bias', lr: 0.5 }] },
        ]),
      ),
    ).toEqual([
      "runs[0].paramGroups[0].lr: Prodigy estimates one step size for every group: a group's lr must be the run's (1) or 0 (to freeze it), got 0.5",
    ]);
  });
});
