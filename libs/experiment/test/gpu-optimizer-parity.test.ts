/**
 * Issue 5's parity requirement for optimizers: every optimizer in the registry, 20 steps on the
 * GPU backend, agrees with the CPU float32 backend within 1e-4 relative at every step. Lives here
 * because libs/experiment is the one library allowed to see both @optlab/optim and
 * @optlab/tensor-gpu. In Node the GPU backend runs gpu.js's WebAssembly mode (no WebGL here);
 * the backend's device string says so and the test asserts it.
 */
import { describe, expect, it } from 'vitest';
import { OPTIMIZERS, createOptimizer, isClosureOptimizer, stepWithClosure } from '@optlab/optim';
import { cpu, Parameter, tidy, type Backend } from '@optlab/tensor';

const STEPS = 20;
/** A [3,4] matrix (factored by Adafactor and AdafactorHF) and a vector, pulled towards fixed targets. */
const SHAPES: readonly (readonly number[])[] = [[3, 4], [5]];
/** Muon takes matrices only: a wide and a tall one (both Newton–Schulz branches). */
const SHAPES_FOR: Record<string, readonly (readonly number[])[]> = {
  Muon: [
    [3, 4],
    [5, 2],
  ],
};
/** Options that make every optimizer move the parameters visibly in 20 steps. */
const OPTIONS: Record<string, Record<string, unknown>> = {
  SGD: { lr: 0.05, momentum: 0.9, nesterov: true },
  AdafactorHF: { lr: 0.01, relativeStep: false },
  Adadelta: { lr: 1.0 },
  LBFGS: { lr: 0.1, maxIter: 3 },
  SAM: { base: 'SGD', lr: 0.05, momentum: 0.9, rho: 0.05 },
  Prodigy: { lr: 1.0 }, // its default: d is estimated, lr only scales it
};

function makeProblem(be: Backend, shapes = SHAPES) {
  const params = shapes.map((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: n }, (_, k) => Math.sin(1 + 3 * i + k) * 2);
    return new Parameter(be.tensor(values, shape));
  });
  const curvature = shapes.map((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return be
      .tensor(
        Array.from({ length: n }, (_, k) => 0.5 + ((k + i) % 4)),
        shape,
      )
      .keep();
  });
  /** Gradient of ½·Σ cᵢ (θᵢ − 1)², computed on the device. */
  const writeGrads = () =>
    params.forEach((p, i) => {
      p.grad = tidy(() => be.mul(curvature[i], be.sub(p.value, 1)));
    });
  /** PyTorch's closure: the loss ½·Σ cᵢ (θᵢ − 1)², with the gradients written. */
  const closure = async (): Promise<number> => {
    writeGrads();
    let loss = 0;
    for (const [i, p] of params.entries()) {
      const t = tidy(() => be.sum(be.mul(curvature[i], be.square(be.sub(p.value, 1)))));
      loss += 0.5 * (await t.data())[0];
      t.dispose();
    }
    return loss;
  };
  return { params, writeGrads, closure };
}

async function trajectory(be: Backend, name: string): Promise<number[][]> {
  const { params, writeGrads, closure } = makeProblem(be, SHAPES_FOR[name]);
  const opt = createOptimizer(name, params, OPTIONS[name] ?? { lr: 0.01 });
  const out: number[][] = [];
  for (let step = 0; step < STEPS; step++) {
    // Closure optimizers (LBFGS, SAM) evaluate the loss and gradients themselves.
    if (isClosureOptimizer(opt)) await stepWithClosure(opt, closure);
    else {
      writeGrads();
      opt.step();
    }
    const values: number[] = [];
    for (const p of params) values.push(...(await p.value.data()));
    out.push(values);
  }
  return out;
}

describe('every optimizer: GPU backend agrees with CPU float32 for 20 steps', async () => {
  // Loaded lazily, as the runner loads it (the GPU backend is optional at run time).
  const { gpu } = await import('@optlab/tensor-gpu');
  const gpuBackend = await gpu({ mode: 'webasm' });
  const cpuBackend = cpu({ dtype: 'float32' });

  it('runs on the mode it names', () => {
    expect(gpuBackend.device).toMatch(/^gpu\.js webasm/);
  });

  for (const name of Object.keys(OPTIMIZERS)) {
    it(name, async () => {
      const [onGpu, onCpu] = [
        await trajectory(gpuBackend, name),
        await trajectory(cpuBackend, name),
      ];
      let worst = 0;
      for (let s = 0; s < STEPS; s++) {
        for (let k = 0; k < onCpu[s].length; k++) {
          const ref = onCpu[s][k];
          worst = Math.max(worst, Math.abs(onGpu[s][k] - ref) / Math.max(Math.abs(ref), 1e-3));
        }
      }
      // The parameters must have moved, or agreement would prove nothing.
      expect(Math.abs(onCpu[STEPS - 1][0] - onCpu[0][0])).toBeGreaterThan(1e-4);
      expect(worst).toBeLessThan(1e-4);
    });
  }
});
