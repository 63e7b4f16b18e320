import { describe, expect, it } from 'vitest';
import { assertSpec, defaultCatalog, runToSummary } from './helpers.js';

describe('backend "gpu"', () => {
  it('loads @optlab/tensor-gpu on demand and reports the gpu.js mode that ran; same init as the CPU', async () => {
    const spec = assertSpec(
      {
        version: 1,
        name: 'gpu',
        task: {
          kind: 'classification',
          dataset: { type: 'blobs', n: 40, seed: 3 },
          model: { type: 'mlp', hidden: [4], activation: 'tanh' },
        },
        training: { epochs: 2, batchSize: 10 },
        runs: [
          { name: 'cpu', optimizer: { type: 'Adam', lr: 0.01 }, backend: 'cpu' },
          { name: 'gpu', optimizer: { type: 'Adam', lr: 0.01 }, backend: 'gpu', gpuMode: 'cpu' },
        ],
      },
      defaultCatalog(),
    );
    const { summary, events } = await runToSummary(spec);
    const [cpuRun, gpuRun] = summary!.runs;
    // In Node, gpu.js has no WebGL: the run names the mode that actually computed.
    expect(gpuRun.device).toMatch(/^gpu\.js cpu/);
    const starts = events.filter((e) => e.type === 'start');
    expect(starts[1].initialLoss).toBeCloseTo(starts[0].initialLoss, 5);
    expect(gpuRun.finalLoss).toBeCloseTo(cpuRun.finalLoss, 4);
  }, 60_000);
});
