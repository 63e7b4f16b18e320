import { describe, expect, it } from 'vitest';
import { heavyBallOptimum, heavyBallRate, measuredRate } from '@optlab/optim';
import { rosenbrock } from '@optlab/models';
import {
  assertSpec,
  defaultCatalog,
  runToSummary,
  validateSpec,
  type ExperimentEvent,
  type ExperimentSpecInput,
} from './helpers.js';

/**
 * The learning-lab functions through the whole runner: a rotated quadratic's measured rate under
 * the project's SGD matches the heavy-ball theory; a typed expression trains exactly like the
 * built-in function it spells; a bad expression is refused at validation with its position; a
 * start point where f is not finite stops that run at step 0 and the others go on.
 */
const catalog = defaultCatalog();

function pathsOf(events: ExperimentEvent[], run: string): number[][] {
  return events.flatMap((e) =>
    (e.type === 'start' || e.type === 'step') && e.run === run && 'params' in e && e.params
      ? [e.params as number[]]
      : [],
  );
}

describe('rotated-quadratic in a spec', () => {
  it('SGD with momentum at (α*, β*) and elsewhere converges at the theory rate (κ = 100, 30°)', async () => {
    const opt = heavyBallOptimum([1, 100]);
    const settings = [
      { lr: opt.alpha, momentum: opt.beta },
      { lr: 0.01, momentum: 0.5 },
      { lr: 0.015, momentum: 0.8 },
    ];
    const spec: ExperimentSpecInput = {
      version: 1,
      name: 'rates',
      task: {
        kind: 'function',
        function: { type: 'rotated-quadratic', condition: 100, angle: 30 },
      },
      training: { steps: 240 },
      runs: settings.map((s, i) => ({
        name: `r${i}`,
        optimizer: { type: 'SGD', lr: s.lr, momentum: s.momentum },
        backend: 'cpu64',
      })),
    };
    const { events } = await runToSummary(assertSpec(spec, catalog));
    settings.forEach((s, i) => {
      const errors = pathsOf(events, `r${i}`).map(([x, y]) => Math.hypot(x, y));
      expect(errors).toHaveLength(241);
      const predicted = heavyBallRate([1, 100], s.lr, s.momentum);
      const measured = measuredRate(errors, 180, 60);
      expect(Math.abs(measured / predicted - 1), `run ${i}`).toBeLessThan(0.015);
    });
  });
});

describe('expression in a spec', () => {
  it('a typed Rosenbrock gives the built-in trajectory within 1e-12 (cpu64, Adam and SGD)', async () => {
    const run = (fn: Record<string, unknown>) => ({
      version: 1 as const,
      name: 'rb',
      task: { kind: 'function' as const, function: fn, start: [-1.2, 1] },
      training: { steps: 150 },
      runs: [
        { name: 'adam', optimizer: { type: 'Adam', lr: 0.02 }, backend: 'cpu64' as const },
        {
          name: 'sgd',
          optimizer: { type: 'SGD', lr: 5e-4, momentum: 0.9 },
          backend: 'cpu64' as const,
        },
      ],
    });
    const typed = await runToSummary(
      assertSpec(run({ type: 'expression', expr: '(1 - x)^2 + 100*(y - x^2)^2' }), catalog),
    );
    const builtIn = await runToSummary(assertSpec(run({ type: 'rosenbrock' }), catalog));
    for (const name of ['adam', 'sgd']) {
      const a = pathsOf(typed.events, name);
      const b = pathsOf(builtIn.events, name);
      expect(a).toHaveLength(151);
      let worst = 0;
      a.forEach((p, k) => p.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[k][j])))));
      expect(worst).toBeLessThan(1e-12);
    }
    expect(rosenbrock().f(pathsOf(typed.events, 'adam')[150])).toBeLessThan(
      rosenbrock().f([-1.2, 1]),
    );
  });

  it('an unknown symbol is refused at validation, naming the field and the position', () => {
    const r = validateSpec(
      {
        version: 1,
        name: 'bad',
        task: { kind: 'function', function: { type: 'expression', expr: 'x^2 + zz*y' } },
        training: { steps: 5 },
        runs: [{ name: 'r', optimizer: { type: 'SGD', lr: 0.1 } }],
      },
      catalog,
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues).toEqual([
      {
        path: 'task.function.expr',
        message:
          'unknown symbol "zz" (allowed: x, y or x1 … x100; pi, e; sin, cos, exp, log, sqrt, abs, tanh, min, max) at character 7',
      },
    ]);
  });

  it('division by zero at the start point stops each run at step 0 with the reason; the experiment ends', async () => {
    const spec = assertSpec(
      {
        version: 1,
        name: 'pole',
        task: {
          kind: 'function',
          function: { type: 'expression', expr: '1/x + y^2' },
          start: [0, 1],
        },
        training: { steps: 20 },
        runs: [
          { name: 'a', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64' },
          { name: 'b', optimizer: { type: 'Adam', lr: 0.1 }, backend: 'cpu64' },
        ],
      },
      catalog,
    );
    const { events, summary } = await runToSummary(spec);
    const diverged = events.filter((e) => e.type === 'diverged');
    expect(diverged).toEqual([
      {
        type: 'diverged',
        run: 'a',
        seed: 0,
        step: 0,
        epoch: null,
        reason: 'the loss is Infinity at the start point (0, 1)',
      },
      {
        type: 'diverged',
        run: 'b',
        seed: 0,
        step: 0,
        epoch: null,
        reason: 'the loss is Infinity at the start point (0, 1)',
      },
    ]);
    expect(events.filter((e) => e.type === 'eval')).toEqual([]);
    expect(summary?.runs.map((r) => [r.run, r.status, r.steps])).toEqual([
      ['a', 'diverged', 0],
      ['b', 'diverged', 0],
    ]);
  });
});
