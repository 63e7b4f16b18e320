import { describe, expect, it } from 'vitest';
import type { Backend } from '@optlab/tensor';
import {
  assertSpec,
  computeLandscape,
  createBackend,
  runExperiment,
  type BackendFactory,
  defaultCatalog,
  layerNorms,
  runToSummary,
  validateSpec,
  type DiagnosticsEvent,
  type ExperimentEvent,
  type ExperimentSpecInput,
} from '../helpers.js';

const catalog = defaultCatalog();
const still = { now: () => 1000, warmUp: false };
type Run = ExperimentSpecInput['runs'][number];

function moons(runs: Run[], training: ExperimentSpecInput['training']) {
  return assertSpec(
    {
      version: 1,
      name: 'moons',
      task: {
        kind: 'classification',
        dataset: { type: 'moons', n: 60, noise: 0.1, seed: 1 },
        model: { type: 'mlp', hidden: [6], activation: 'tanh' },
        testFraction: 0,
      },
      training,
      runs,
    },
    catalog,
  );
}

/** Every loss a run reports, in order: what must not move when diagnostics are on. */
function losses(events: readonly ExperimentEvent[]): number[] {
  return events.flatMap((e) =>
    e.type === 'step' || e.type === 'eval' ? [e.loss] : e.type === 'start' ? [e.initialLoss] : [],
  );
}

const diagnosticsOf = (events: readonly ExperimentEvent[]) =>
  events.filter((e): e is DiagnosticsEvent => e.type === 'diagnostics');

describe('training diagnostics (runs[].diagnostics)', () => {
  it('leaves the training trajectory bit for bit as it is without them', async () => {
    for (const optimizer of [
      { type: 'SGD', lr: 0.3, momentum: 0.9 },
      { type: 'Adam', lr: 0.02 },
      { type: 'LBFGS', lr: 0.1, maxIter: 3 },
    ]) {
      for (const backend of ['cpu', 'cpu64'] as const) {
        const training = { steps: 12, batchSize: 16, shuffle: true, logEvery: 1, evalEvery: 2 };
        const plain = moons([{ name: 'r', optimizer, backend, seed: 3 }], training);
        const diagnosed = moons(
          [
            {
              name: 'r',
              optimizer,
              backend,
              seed: 3,
              diagnostics: { every: 3, sharpness: { iterations: 5 } },
            },
          ],
          training,
        );
        const a = await runToSummary(plain, still);
        const b = await runToSummary(diagnosed, still);
        expect(losses(b.events)).toEqual(losses(a.events));
        expect(losses(a.events).length, `${optimizer.type} on ${backend}`).toBeGreaterThan(12);
        // Steps 3, 6, 9, 12 (the last) are measured, each with a sharpness.
        const d = diagnosticsOf(b.events);
        expect(d.map((e) => e.step)).toEqual([3, 6, 9, 12]);
        for (const e of d) expect(Number.isFinite(e.sharpness!.value)).toBe(true);
        expect(b.summary!.runs[0].finalLoss).toBe(a.summary!.runs[0].finalLoss);
      }
    }
  });

  it('measures the update the step made: SGD without momentum moves each parameter by lr·‖g‖', async () => {
    const lr = 0.25;
    const spec = moons(
      [{ name: 'r', optimizer: { type: 'SGD', lr }, backend: 'cpu64', diagnostics: { every: 1 } }],
      { steps: 5, batchSize: 'full' },
    );
    const { events } = await runToSummary(spec, still);
    const d = diagnosticsOf(events);
    expect(d).toHaveLength(5);
    for (const e of d) {
      expect(e.layers.map((l) => l.name)).toEqual(['layer1.W', 'layer1.b', 'layer2.W', 'layer2.b']);
      expect(e.sharpness).toBeUndefined();
      expect(e.lr).toBe(lr);
      for (const l of e.layers) {
        expect(l.updateNorm).toBeCloseTo(lr * l.gradNorm!, 12);
        if (l.updateRatio !== null)
          expect(l.updateRatio).toBeCloseTo(l.updateNorm / l.weightNorm, 14);
      }
    }
    // Biases start at zero: no ratio at the first step.
    expect(d[0].layers[1].updateRatio).toBeNull();
    expect(d[1].layers[1].updateRatio).not.toBeNull();
  });

  it('computes the norms per parameter from flat vectors as written out by hand', () => {
    const layout = {
      names: ['a', 'b'],
      shapes: [[2], [1]],
      offsets: [0, 2],
      sizes: [2, 1],
      total: 3,
    };
    const out = layerNorms(
      layout,
      Float64Array.of(3, 4, 0),
      Float64Array.of(3, 5, 2),
      Float64Array.of(6, 8, -1),
    );
    expect(out).toEqual([
      { name: 'a', gradNorm: 10, updateNorm: 1, weightNorm: 5, updateRatio: 0.2 },
      { name: 'b', gradNorm: 1, updateNorm: 2, weightNorm: 0, updateRatio: null },
    ]);
  });

  it("reports a quadratic's largest curvature as its sharpness, with 2/lr beside it", async () => {
    const spec = assertSpec(
      {
        version: 1,
        name: 'q',
        task: {
          kind: 'function',
          function: { type: 'quadratic', coefficients: [1, 9, 4] },
          start: [1, 1, 1],
        },
        training: { steps: 4 },
        runs: [
          {
            name: 'r',
            optimizer: { type: 'SGD', lr: 0.1 },
            backend: 'cpu',
            diagnostics: { every: 2, sharpness: { iterations: 100, tolerance: 1e-10 } },
          },
        ],
      },
      catalog,
    );
    const d = diagnosticsOf((await runToSummary(spec, still)).events);
    expect(d.map((e) => e.step)).toEqual([2, 4]);
    for (const e of d) {
      expect(e.sharpness!.value).toBeCloseTo(9, 8);
      expect(e.sharpness!.twoOverLr).toBeCloseTo(20, 6);
      expect(e.sharpness!.stability).toEqual({ value: 2 / 0.1, rule: '2/η' });
      expect(e.sharpness!.batch).toBe('the function');
    }
  });

  it("gives each optimizer its own stability threshold: momentum's (2+2β)/η, none for Adam or Lookahead", async () => {
    const run = (name: string, extra: Record<string, unknown>) => ({
      name,
      backend: 'cpu64',
      diagnostics: { every: 2, sharpness: { iterations: 5 } },
      ...extra,
    });
    const spec = assertSpec(
      {
        version: 1,
        name: 'q',
        task: {
          kind: 'function',
          function: { type: 'quadratic', coefficients: [1, 9] },
          start: [1, 1],
        },
        training: { steps: 2 },
        runs: [
          run('heavy ball', { optimizer: { type: 'SGD', lr: 0.05, momentum: 0.9 } }),
          run('nesterov', { optimizer: { type: 'SGD', lr: 0.05, momentum: 0.9, nesterov: true } }),
          run('adam', { optimizer: { type: 'Adam', lr: 0.05 } }),
          run('lookahead', { optimizer: { type: 'SGD', lr: 0.05 }, lookahead: {} }),
        ],
      },
      catalog,
    );
    const d = diagnosticsOf((await runToSummary(spec, still)).events);
    expect(d.map((e) => [e.run, e.sharpness!.stability])).toEqual([
      ['heavy ball', { value: 3.8 / 0.05, rule: '(2+2β)/η' }],
      ['nesterov', { value: 3.8 / (0.05 * 2.8), rule: '(2+2β)/(η(1+2β))' }],
      ['adam', null],
      ['lookahead', null],
    ]);
  });

  it('names the full training set as the batch of a dataset task', async () => {
    const spec = moons(
      [
        {
          name: 'r',
          optimizer: { type: 'SGD', lr: 0.1 },
          backend: 'cpu64',
          diagnostics: { every: 10, sharpness: {} },
        },
      ],
      { steps: 3, batchSize: 8 },
    );
    const d = diagnosticsOf((await runToSummary(spec, still)).events);
    // Only the last step (3) is due with every = 10.
    expect(d.map((e) => e.step)).toEqual([3]);
    expect(d[0].sharpness!.batch).toBe('the full training set (60 rows)');
  });

  it('leaves no tensor behind, on the CPU and on gpu.js (webasm), and agrees across them', async () => {
    const sharpness: Record<string, number[]> = {};
    for (const backend of ['cpu', 'gpu'] as const) {
      const made: Backend[] = [];
      const backendFactory: BackendFactory = async (request) => {
        const be = await createBackend(request);
        made.push(be);
        // Kept alive so its count can be read after the run.
        Object.defineProperty(be, 'dispose', { value: () => undefined });
        return be;
      };
      const spec = moons(
        [
          {
            name: 'r',
            optimizer: { type: 'Adam', lr: 0.02 },
            backend,
            ...(backend === 'gpu' ? { gpuMode: 'webasm' } : {}),
            diagnostics: { every: 2, sharpness: { iterations: 30, tolerance: 1e-6 } },
          },
        ],
        { steps: 6, batchSize: 'full' },
      );
      const live: number[] = [];
      sharpness[backend] = [];
      for await (const e of runExperiment(spec, { backendFactory, warmUp: false })) {
        if (e.type === 'diagnostics') {
          live.push(made[0].stats().liveTensors);
          sharpness[backend].push(e.sharpness!.value);
        }
      }
      expect(live).toHaveLength(3);
      expect(new Set(live).size).toBe(1);
      expect(made[0].stats().liveTensors).toBe(0);
      await computeLandscape(spec, 'r', { dim: 2, steps: 3, backendFactory });
      expect(made[1].stats().liveTensors).toBe(0);
    }
    // float32 on both, different kernels: the same sharpness to a few digits.
    sharpness['cpu'].forEach((v, i) =>
      expect(Math.abs(sharpness['gpu'][i] - v) / v).toBeLessThan(1e-2),
    );
  }, 120_000);

  it('refuses bad diagnostics with the field named', () => {
    const bad = (diagnostics: unknown) => {
      const r = validateSpec(
        {
          version: 1,
          name: 'x',
          task: { kind: 'function', function: { type: 'x-squared' } },
          training: { steps: 3 },
          runs: [{ name: 'r', optimizer: { type: 'SGD', lr: 0.1 }, diagnostics }],
        },
        catalog,
      );
      return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
    };
    expect(bad({ every: 0 }).join('\n')).toMatch(/runs\[0\]\.diagnostics\.every/);
    expect(bad({ every: 1, sharpness: { iterations: 5000 } }).join('\n')).toMatch(
      /runs\[0\]\.diagnostics\.sharpness\.iterations/,
    );
    expect(bad({ every: 1, sharpnes: {} }).join('\n')).toMatch(/sharpnes/);
  });
});
