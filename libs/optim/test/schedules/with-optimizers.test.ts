import { cpu, Parameter } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  CyclicLR,
  OneCycleLR,
  SGD,
  StepLR,
  createSchedule,
  type SchedulableOptimizer,
} from '../../src/index.js';
import { expectClose, loadFixtures } from './helpers.js';

const be = cpu({ dtype: 'float64' });
const param = (): Parameter => new Parameter(be.tensor([1, 2], [2]));

describe("schedules on this library's optimizers (structural contract)", () => {
  it('SGD and Adam satisfy SchedulableOptimizer and read the lr the schedule writes', async () => {
    const w = param();
    const opt: SchedulableOptimizer = new SGD([w], { lr: 1 });
    const sched = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    const sgd = opt as SGD;
    for (const lr of [1, 0.5, 0.25]) {
      expect(sgd.paramGroups[0].lr).toBe(lr);
      w.grad = be.tensor([1, 1], [2]);
      sgd.step();
      sched.step();
    }
    // w − (1 + 0.5 + 0.25) · grad
    expect(Array.from(await w.value.data())).toEqual([-0.75, 0.25]);
    expect(sgd.paramGroups[0].initialLr).toBe(1);
  });

  it("CyclicLR cycles SGD's momentum and Adam's beta1 like the PyTorch fixture", () => {
    const c = loadFixtures().cases.find(
      (x) => x.name === 'CyclicLR' && x.momentum && x.options.mode === undefined,
    )!;
    const sgd = new SGD([param()], { lr: 0.1, momentum: 0.9 });
    const adam = new Adam([param()], { lr: 0.1 });
    const a = new CyclicLR(sgd, c.options as never);
    const b = new CyclicLR(adam, c.options as never);
    c.momentum!.forEach((row, t) => {
      if (t > 0) {
        a.step();
        b.step();
      }
      expectClose(sgd.paramGroups[0].momentum, row[0], `SGD momentum at ${t}`);
      expectClose(adam.paramGroups[0].betas[0], row[0], `Adam beta1 at ${t}`);
      expect(adam.paramGroups[0].betas[1]).toBe(0.999);
      expectClose(sgd.paramGroups[0].lr, c.lrs[t][0], `lr at ${t}`);
    });
  });

  it('OneCycleLR from the registry on Adam, and its state beside the optimizer state', () => {
    const adam = new Adam([param()], { lr: 0.1 });
    const sched = createSchedule('OneCycleLR', adam, { maxLr: 0.01, totalSteps: 30 }) as OneCycleLR;
    for (let t = 0; t < 10; t++) sched.step();
    expectClose(adam.paramGroups[0].lr, sched.lrAt(10), 'lr');
    expectClose(adam.paramGroups[0].betas[0], sched.momentumAt(10), 'beta1');
    expect(JSON.parse(JSON.stringify(sched.stateDict()))).toEqual(sched.stateDict());
  });
});
