/**
 * `npm run bench`: OptLab beside TensorFlow.js (tfjs-backend-cpu, tfjs-backend-wasm) and the
 * memory-copy limit, in one process, interleaved, several rounds. Prints one table per suite with
 * medians, spreads, ratios OptLab ÷ peer and the issues' targets; saves every figure as JSON in
 * bench-results/.
 *
 * Usage: node tools/bench/dist/main.js [suite ...] [--rounds N] [--sample-ms MS] [--quick]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpu } from '@optlab/tensor';
import { elementwiseSuite } from './elementwise.js';
import { convSuite } from './conv.js';
import { poolSuite } from './pool.js';
import { currentLoad, describeEnvironment } from './environment.js';
import { fusedUpdateSuite } from './fused-update.js';
import type { MeasureOptions } from './harness.js';
import { matmulSuite } from './matmul.js';
import { mlpSuite } from './mlp.js';
import { optimizersSuite } from './optimizers.js';
import { parallelSuite } from './parallel.js';
import { epochSuite } from './epoch.js';
import { renderSuite, renderTable } from './report.js';
import type { SuiteResult } from './results.js';
import type { Suite } from './suite.js';
import { initPeers } from './tfjs-peers.js';
import { validationSuite } from './validation.js';

const SUITES: readonly Suite[] = [
  matmulSuite,
  elementwiseSuite,
  fusedUpdateSuite,
  optimizersSuite,
  mlpSuite,
  convSuite,
  poolSuite,
  parallelSuite,
  epochSuite,
  validationSuite,
];

function usage(message: string): never {
  console.error(`bench: ${message}`);
  console.error(
    `usage: main.js [${SUITES.map((s) => s.id).join('|')} ...] [--rounds N] [--sample-ms MS] [--quick]`,
  );
  process.exit(2);
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) usage(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      rounds: { type: 'string' },
      'sample-ms': { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  });
  const selected = positionals.length
    ? positionals.map((id) => SUITES.find((s) => s.id === id) ?? usage(`unknown suite "${id}"`))
    : SUITES;
  const measure: MeasureOptions = {
    rounds: positiveInt('rounds', values.rounds, values.quick ? 3 : 7),
    sampleMs: positiveInt('sample-ms', values['sample-ms'], values.quick ? 40 : 120),
    warmupMs: values.quick ? 60 : 200,
  };

  const env = describeEnvironment();
  const backend = cpu({ dtype: 'float32' });
  const jsBackend = cpu({ dtype: 'float32', simd: 'js' });
  const log = (line: string): void => void process.stderr.write(`… ${line}\n`);
  log('initialising tfjs backends');
  const peers = await initPeers();
  const devices = [
    ['OptLab', backend.device],
    ['OptLab JS', jsBackend.device],
    ...peers.map((p) => [p.label, p.device]),
  ];
  console.log('# OptLab benchmark');
  console.log(
    `${env.date} · Node ${env.node} (V8 ${env.v8}) · ${env.platform} · ${env.cpu} × ${env.cores} · load ${env.loadStart.toFixed(2)}`,
  );
  console.log(renderTable(['side', 'device'], devices, 2));
  console.log(
    `${measure.rounds} interleaved rounds per case, ${measure.sampleMs} ms per sample (its figure: the median latency of its operations); figures are medians over rounds, ±x% = interquartile range ÷ median; ratios are medians of per-round ratios.\n`,
  );

  const results: SuiteResult[] = [];
  const started = performance.now();
  for (const suite of selected) {
    const result = await suite.run({ backend, jsBackend, peers, measure, log });
    results.push(result);
    console.log(renderSuite(result) + '\n');
  }
  env.loadEnd = currentLoad();
  const seconds = (performance.now() - started) / 1000;
  const checks = results.flatMap((r) => r.cases.flatMap((c) => c.targets));
  const met = checks.filter((t) => t.met).length;
  console.log(
    `targets met: ${met} of ${checks.length} · ran ${seconds.toFixed(0)} s · load at end ${env.loadEnd.toFixed(2)}` +
      (env.cores <= 2 && Math.max(env.loadStart, env.loadEnd) > 0.5
        ? ' (other processes were using the CPU: figures are noisy, ratios less so since rounds interleave)'
        : ''),
  );

  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const dir = path.join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${env.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      { environment: env, devices: Object.fromEntries(devices), measure, suites: results },
      null,
      2,
    ) + '\n',
  );
  console.log(`figures saved to ${path.relative(process.cwd(), file) || file}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
