import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  LIMITS,
  LR_FIND_DEFAULTS,
  LrFindError,
  checkLrFindOptions,
  lrFindPlot,
  runLrFind,
  seedsOf,
  suggestionSpread,
  type ExperimentSpec,
  type LrFindOptions,
  type LrFindResult,
  type SpecIssue,
} from '@optlab/experiment';
import { OutputFolderError, makeDirectory, writeAtomic } from '@optlab/experiment/node';
import { EXIT, type CliIo } from '../io.js';
import { formatIssues } from '../render/issues.js';
import { num } from '../render/format.js';

export interface LrFindArgs {
  readonly run?: string;
  readonly start?: string;
  readonly end?: string;
  readonly steps?: string;
  readonly seeds?: string;
  readonly out: string;
  readonly force?: boolean;
}

/** The range test's options and seed count from the command line, or the problems, by option. */
export function parseLrFindArgs(
  args: LrFindArgs,
): { ok: true; options: LrFindOptions; seeds: number } | { ok: false; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  const number = (text: string | undefined, option: string, fallback: number) => {
    if (text === undefined) return fallback;
    const v = text.trim() === '' ? NaN : Number(text);
    if (Number.isNaN(v)) issues.push({ path: `--${option}`, message: `"${text}" is not a number` });
    return v;
  };
  const options: LrFindOptions = {
    ...LR_FIND_DEFAULTS,
    start: number(args.start, 'start', LR_FIND_DEFAULTS.start),
    end: number(args.end, 'end', LR_FIND_DEFAULTS.end),
    steps: number(args.steps, 'steps', LR_FIND_DEFAULTS.steps),
  };
  const seeds = number(args.seeds, 'seeds', 1);
  if (issues.length === 0) {
    for (const i of checkLrFindOptions(options))
      issues.push({ path: `--${i.option}`, message: i.message });
    if (!(Number.isInteger(seeds) && seeds >= 1 && seeds <= LIMITS.seedsPerRun)) {
      issues.push({
        path: '--seeds',
        message: `must be a whole number from 1 to ${LIMITS.seedsPerRun}, not ${seeds}`,
      });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, options, seeds };
}

/**
 * `optlab lr-find spec.json --run NAME`: the learning-rate range test of one run (see
 * `range-test.ts`), for K seeds (the run's first seed and the K − 1 after it). Writes a CSV
 * (seed, step, lr, loss, smoothed), draws the first seed's curve, names both suggestions per
 * seed and, over several seeds, how far each one moves. Exit 0, or 2 for bad input.
 */
export async function lrFindCommand(
  spec: ExperimentSpec,
  args: LrFindArgs,
  io: CliIo,
): Promise<number> {
  const fail = (issues: SpecIssue[]) => {
    io.stderr(formatIssues(issues));
    return EXIT.badInput;
  };
  const parsed = parseLrFindArgs(args);
  if (!parsed.ok) return fail(parsed.issues);
  const run = spec.runs.find((r) => r.name === args.run);
  if (!run) {
    const names = spec.runs.map((r) => JSON.stringify(r.name)).join(', ');
    return fail([
      {
        path: '--run',
        message:
          args.run === undefined
            ? `name the run to test; the spec's runs: ${names}`
            : `no run named "${args.run}"; the spec's runs: ${names}`,
      },
    ]);
  }
  if (existsSync(args.out) && !args.force) {
    return fail([
      {
        path: '--out',
        message: `${args.out} exists: choose another file, or add --force to replace it`,
      },
    ]);
  }
  const first = seedsOf(run)[0];
  const seeds = Array.from({ length: parsed.seeds }, (_, k) => first + k);
  let results: { seed: number; result: LrFindResult }[];
  try {
    results = await runLrFind(spec, run.name, seeds, parsed.options);
  } catch (err) {
    if (err instanceof LrFindError) return fail([{ path: '--run', message: err.message }]);
    throw err;
  }
  try {
    makeDirectory(dirname(args.out));
  } catch (err) {
    if (!(err instanceof OutputFolderError)) throw err;
    return fail([{ path: '--out', message: err.message }]);
  }
  writeAtomic(args.out, lrFindCsv(results));
  const o = parsed.options;
  io.stdout(
    `lr range test of ${run.name} (${run.optimizer.type}) on ${spec.name}: lr ${num(o.start)} → ` +
      `${num(o.end)} over ${o.steps} updates, smoothed with β = ${o.beta}, stopping at ` +
      `${o.divergeFactor} × the best smoothed loss\n\n`,
  );
  io.stdout(`seed ${results[0].seed}:\n`);
  io.stdout(lrFindPlot(results[0].result.points, results[0].result.suggestions));
  io.stdout(`  S steepest descent, M minimum of the smoothed loss\n\n`);
  for (const { seed, result } of results) {
    const s = result.suggestions;
    const stopped =
      result.stopped === 'end'
        ? 'ran to the end'
        : result.stopped === 'diverged'
          ? `stopped at lr ${num(result.points.at(-1)!.lr)} (loss above ${o.divergeFactor} × its best)`
          : `stopped at lr ${num(result.points.at(-1)!.lr)} (a non-finite loss)`;
    io.stdout(
      `seed ${seed}: steepest descent lr ${num(s.steepest?.lr)}, minimum ÷ 10 lr ` +
        `${num(s.minimumDiv10)} (minimum at lr ${num(s.minimum?.lr)}); ${stopped}` +
        `${s.why ? `; ${s.why}` : ''}\n`,
    );
  }
  if (results.length > 1) {
    io.stdout(`\nover ${results.length} seeds (min / median / max):\n`);
    const show = (name: string, values: (number | null)[]) => {
      const sp = suggestionSpread(values);
      io.stdout(
        sp
          ? `  ${name}: ${num(sp.min)} / ${num(sp.median)} / ${num(sp.max)} (max ÷ min = ${num(sp.max / sp.min, 3)}${sp.n < values.length ? `; ${values.length - sp.n} seeds gave none` : ''})\n`
          : `  ${name}: no seed gave one\n`,
      );
    };
    show(
      'steepest descent',
      results.map((r) => r.result.suggestions.steepest?.lr ?? null),
    );
    show(
      'minimum ÷ 10',
      results.map((r) => r.result.suggestions.minimumDiv10),
    );
  }
  io.stdout(`\ncurve: ${args.out}\n`);
  return EXIT.done;
}

/** seed, step, lr, loss, smoothed: one row per update of every seed, numbers in full precision. */
export function lrFindCsv(results: readonly { seed: number; result: LrFindResult }[]): string {
  const lines = ['seed,step,lr,loss,smoothed'];
  for (const { seed, result } of results) {
    for (const p of result.points) lines.push(`${seed},${p.step},${p.lr},${p.loss},${p.smoothed}`);
  }
  return lines.join('\n') + '\n';
}
