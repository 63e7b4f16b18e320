/**
 * The consumer application: the tutorial's linear regression (y = 4 + 3x + noise, 100 points,
 * weights drawn N(0, 1)) trained with Adam through OptLab's public API only, twice:
 *
 * 1. with the libraries directly: a CPU backend, a dataset and model from @optlab/models, Adam
 *    from @optlab/optim, a full-batch training loop written here;
 * 2. as an experiment spec, validated and run by @optlab/experiment's runner.
 *
 * The tutorial's own setting (Adam at lr 0.01, 100 epochs) stops far from the solution; at lr 0.1
 * for 300 epochs Adam reaches the least-squares optimum (MSE 1.0935 on this data, from 55.6 at
 * the start). Each part prints one `RESULT {json}` line and the program exits 1 unless both final
 * losses are below MAX_FINAL_LOSS.
 */
import { cpu, tidy } from '@optlab/tensor';
import { Adam } from '@optlab/optim';
import { LinearRegression, linearData, toTensors } from '@optlab/models';
import { defaultCatalog, leastSquares, runToSummary, validateSpec } from '@optlab/experiment';

const MAX_FINAL_LOSS = 1.1;
const EPOCHS = 300;
const LR = 0.1;
const DATASET = { n: 100, noise: 1, seed: 42 };

async function trainWithLibraries(): Promise<{ initial: number; final: number; optimum: number }> {
  const data = linearData(DATASET);
  const backend = cpu({ dtype: 'float64' });
  const { x, y } = toTensors(backend, data);
  const model = new LinearRegression(backend, { features: 1, seed: 0 });
  const optimizer = new Adam(model.parameters(), { lr: LR });
  const lossNow = async (): Promise<number> => {
    const loss = model.loss(x, y);
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  };
  const initial = await lossNow();
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const loss = tidy(() => model.lossAndGrad(x, y));
    optimizer.step();
    optimizer.zeroGrad();
    loss.dispose();
  }
  const final = await lossNow();
  // The best any optimizer can do: the mean squared error of the least-squares fit.
  const fit = leastSquares(data.x, data.y, data.n);
  if (!fit.ok) throw new Error(`no least-squares fit: ${fit.reason}`);
  const [b, w] = fit.weights;
  let sum = 0;
  for (let i = 0; i < data.n; i++) sum += (b + w * data.x[i] - data.y[i]) ** 2;
  backend.dispose();
  return { initial, final, optimum: sum / data.n };
}

async function trainWithRunner(): Promise<{ initial: number; final: number; status: string }> {
  const spec = validateSpec(
    {
      version: 1,
      name: 'tutorial-linear-regression',
      task: {
        kind: 'regression',
        dataset: { type: 'linear', ...DATASET },
        model: { type: 'linear-regression', init: 'normal' },
      },
      training: { epochs: EPOCHS, batchSize: 'full', shuffle: false },
      runs: [{ name: 'Adam', optimizer: { type: 'Adam', lr: LR }, backend: 'cpu64', seed: 0 }],
    },
    defaultCatalog(),
  );
  if (!spec.ok) throw new Error(`the spec is invalid: ${JSON.stringify(spec.issues)}`);
  const { summary } = await runToSummary(spec.value);
  const run = summary?.runs[0];
  if (!run) throw new Error('the runner returned no summary');
  return { initial: run.initialLoss, final: run.finalLoss, status: run.status };
}

const results = [
  { part: 'libraries', ...(await trainWithLibraries()) },
  { part: 'runner', ...(await trainWithRunner()) },
];
for (const r of results) console.log(`RESULT ${JSON.stringify(r)}`);
const failed = results.filter((r) => !(r.final < MAX_FINAL_LOSS));
for (const r of failed) {
  console.error(`${r.part}: final loss ${r.final} is not below ${MAX_FINAL_LOSS}`);
}
process.exit(failed.length === 0 ? 0 : 1);
