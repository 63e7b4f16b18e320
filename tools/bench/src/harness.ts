import { Bench } from 'tinybench';
import { summarize, type Summary } from './stats.js';

/**
 * One side of a comparison: OptLab or a peer doing the same work.
 *
 * `activate` runs before each of its samples (a peer switches TensorFlow.js to its backend
 * there); `run` is the timed work, one operation; `dispose` frees what the contender allocated.
 */
export interface Contender {
  /** Short stable id used in the JSON (`optlab`, `tfjs-cpu`, `tfjs-wasm`, `copy`). */
  id: string;
  /** What a reader sees in the table. */
  label: string;
  activate?: () => Promise<void> | void;
  /** One operation; a promise is awaited (closure optimizers step asynchronously). */
  run: () => unknown;
  dispose?: () => void;
}

export interface MeasureOptions {
  /** Recorded rounds; each round takes one sample of every contender. */
  rounds: number;
  /** Time budget of one sample, in milliseconds (at least one operation runs). */
  sampleMs: number;
  /** Unrecorded warm-up budget per contender before the first round, in milliseconds. */
  warmupMs: number;
}

/** Per contender, the mean time of one operation in each round, in milliseconds. */
export interface Measured {
  id: string;
  label: string;
  /** Milliseconds per operation, one value per round. */
  msPerOp: number[];
  summary: Summary;
}

/**
 * Measures contenders interleaved: every round samples each contender once, and the order
 * alternates between rounds (forward, then reversed), so a slow phase of a noisy machine (other
 * processes, GC, thermal) lands on all sides instead of on whoever ran last. Each sample is a
 * tinybench run of `sampleMs` (its median latency is the round's figure).
 */
export async function measureInterleaved(
  contenders: readonly Contender[],
  options: MeasureOptions,
): Promise<Measured[]> {
  for (const c of contenders) {
    await c.activate?.();
    await sample(c, options.warmupMs);
  }
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < options.rounds; round++) {
    const order = contenders.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      await contenders[i].activate?.();
      samples[i].push(await sample(contenders[i], options.sampleMs));
    }
  }
  return contenders.map((c, i) => ({
    id: c.id,
    label: c.label,
    msPerOp: samples[i],
    summary: summarize(samples[i]),
  }));
}

/**
 * Milliseconds per operation in a `budgetMs` tinybench run: the median of its operations'
 * latencies, so that an operation the OS preempted (other processes on a busy machine) does not
 * move the figure the way it would move a mean.
 */
async function sample(contender: Contender, budgetMs: number): Promise<number> {
  const bench = new Bench({ time: budgetMs, iterations: 1, warmup: false, throws: true });
  bench.add(contender.label, contender.run);
  const [task] = await bench.run();
  const result = task.result;
  if (result.state !== 'completed') {
    throw new Error(`bench: ${contender.label} did not complete (${result.state})`);
  }
  return result.latency.p50;
}
