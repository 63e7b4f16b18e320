import { cpu, tidy } from '@optlab/tensor';
import type { Backend, Tensor } from '@optlab/tensor';
import { gpu, type GpuMode } from '../src/index.js';
import { AdamState, Mlp, classificationData, rows } from '../test/support/training.js';

/**
 * The benchmark page: each workload on the GPU backend(s) and on the CPU backend (float32) in
 * the same page. Every timing ends with a readback (the only way to know the device finished),
 * so figures include it; the first run of each workload compiles its kernels and is not timed.
 * Repetitions are few because software rendering (SwiftShader) is slow.
 */

export interface BenchRow {
  workload: string;
  backend: string;
  device: string;
  /** Median wall time of the timed repetitions, milliseconds. */
  medianMs: number;
  minMs: number;
  reps: number;
}

declare global {
  interface Window {
    __bench?: { done: boolean; rows: BenchRow[]; error?: string; log: string[] };
  }
}

const state: NonNullable<Window['__bench']> = { done: false, rows: [], log: [] };
window.__bench = state;

function log(line: string): void {
  state.log.push(line);
  console.log(line);
  const el = document.getElementById('log');
  if (el) el.textContent = state.log.join('\n');
}

async function time(
  reps: number,
  run: () => Promise<void>,
): Promise<{ medianMs: number; minMs: number }> {
  await run(); // compile and warm up
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    await run();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: ms[Math.floor(ms.length / 2)], minMs: ms[0] };
}

/** Reads one element, which waits for every queued kernel that produced `t`. */
async function sync(be: Backend, t: Tensor): Promise<void> {
  const one = tidy(() => be.slice(be.reshape(t, [-1]), [0], [1]));
  await one.data();
  one.dispose();
}

async function matmul(be: Backend, n: number, reps: number) {
  const a = be.uniform([n, n], { seed: 1, low: -1, high: 1 });
  const b = be.uniform([n, n], { seed: 2, low: -1, high: 1 });
  const result = await time(reps, async () => {
    const c = be.matmul(a, b);
    await c.data();
    c.dispose();
  });
  a.dispose();
  b.dispose();
  return result;
}

async function mlpEpoch(
  be: Backend,
  sizes: { input: number; hidden: number; classes: number },
  samples: number,
  reps: number,
) {
  const data = classificationData(samples, sizes.input, sizes.classes, 42);
  const mlp = new Mlp(be, sizes, 1);
  const batch = 32;
  const result = await time(reps, async () => {
    let last: Tensor | null = null;
    for (let i = 0; i < samples; i += batch) {
      last?.dispose();
      last = mlp.step(rows(data.x, sizes.input, i, batch), data.y.subarray(i, i + batch));
    }
    if (last) {
      await last.data();
      last.dispose();
    }
  });
  mlp.dispose();
  return result;
}

async function adam1M(be: Backend, reps: number) {
  const param = be.normal([1000, 1000], { seed: 3 });
  const grad = be.normal([1000, 1000], { seed: 4, std: 0.1 });
  const adam = new AdamState(be, [param], 1e-3);
  const result = await time(reps, async () => {
    adam.step([grad]);
    await sync(be, param);
  });
  adam.dispose();
  grad.dispose();
  return result;
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const modes = (params.get('modes') ?? 'webgl2').split(',') as GpuMode[];
  const backends: Backend[] = [cpu({ dtype: 'float32' })];
  for (const mode of modes) {
    try {
      backends.push(await gpu({ mode }));
    } catch (err) {
      log(`skipping ${mode}: ${(err as Error).message}`);
    }
  }
  for (const be of backends) {
    const soft = be.name === 'gpu';
    const workloads: [string, () => Promise<{ medianMs: number; minMs: number }>, number][] = [
      ['matmul 256', () => matmul(be, 256, 3), 3],
      ['matmul 512', () => matmul(be, 512, soft ? 2 : 3), soft ? 2 : 3],
      ['matmul 1024', () => matmul(be, 1024, 1), 1],
      [
        'MLP 20-64-3 epoch (1024 samples, batch 32, Adam)',
        () => mlpEpoch(be, { input: 20, hidden: 64, classes: 3 }, 1024, 2),
        2,
      ],
      [
        'MLP 784-256-10 epoch (1024 samples, batch 32, Adam)',
        () => mlpEpoch(be, { input: 784, hidden: 256, classes: 10 }, 1024, 1),
        1,
      ],
      ['Adam step, 1M parameters (fused)', () => adam1M(be, 3), 3],
    ];
    for (const [workload, run, reps] of workloads) {
      const r = await run();
      const row = { workload, backend: be.name, device: be.device, reps, ...r };
      state.rows.push(row);
      log(`${workload} | ${be.device} | median ${r.medianMs.toFixed(1)} ms`);
    }
  }
  state.done = true;
}

main().catch((err: unknown) => {
  state.error = String((err as Error).stack ?? err);
  state.done = true;
});
