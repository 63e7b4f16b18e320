import { join } from 'node:path';
import {
  Cancelled,
  LandscapeError,
  computeLandscape,
  resolveLandscapeOptions,
  type ExperimentSpec,
  type LandscapeOptions,
  type LandscapeResult,
  type SpecIssue,
} from '@optlab/experiment';
import {
  LANDSCAPE_FILES,
  OutputFolderError,
  prepareOutputFolder,
  writeAtomic,
} from '@optlab/experiment/node';
import { EXIT, type CliIo } from '../io.js';
import { formatIssues } from '../render/issues.js';
import { num } from '../render/format.js';

export interface LandscapeArgs {
  readonly run?: string;
  readonly steps?: string;
  readonly span?: string;
  readonly dim?: string;
  readonly seed?: string;
  readonly out: string;
  readonly force?: boolean;
}

/** The landscape's options from the command line, or the problems, each naming its flag. */
export function parseLandscapeArgs(
  args: LandscapeArgs,
): { ok: true; options: LandscapeOptions } | { ok: false; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  const number = (text: string | undefined, option: string): number | undefined => {
    if (text === undefined) return undefined;
    const v = text.trim() === '' ? NaN : Number(text);
    if (Number.isNaN(v)) issues.push({ path: `--${option}`, message: `"${text}" is not a number` });
    return v;
  };
  const asked = {
    dim: number(args.dim, 'dim') as 1 | 2 | undefined,
    steps: number(args.steps, 'steps'),
    span: number(args.span, 'span'),
    seed: number(args.seed, 'seed'),
  };
  if (issues.length > 0) return { ok: false, issues };
  try {
    return { ok: true, options: resolveLandscapeOptions(asked) };
  } catch (err) {
    if (!(err instanceof LandscapeError)) throw err;
    return { ok: false, issues: [{ path: `--${err.field}`, message: err.message }] };
  }
}

/**
 * `optlab landscape spec.json --run NAME`: trains the run (its first seed) and writes its loss
 * landscape (`computeLandscape`: a 1-D interpolation from the initial to the final weights, or a
 * 2-D filter-normalised slice around the final weights with the trajectory projected) to `--out`:
 * landscape.json (everything), landscape.csv (one row per grid point) and trajectory.csv.
 * Exit 0, 2 for bad input (the flag named), 130 when cancelled.
 */
export async function landscapeCommand(
  spec: ExperimentSpec,
  args: LandscapeArgs,
  io: CliIo,
): Promise<number> {
  const fail = (issues: SpecIssue[]) => {
    io.stderr(formatIssues(issues));
    return EXIT.badInput;
  };
  const parsed = parseLandscapeArgs(args);
  if (!parsed.ok) return fail(parsed.issues);
  const names = spec.runs.map((r) => JSON.stringify(r.name)).join(', ');
  if (args.run === undefined) {
    return fail([{ path: '--run', message: `name the run to draw; the spec's runs: ${names}` }]);
  }
  if (!spec.runs.some((r) => r.name === args.run)) {
    return fail([
      { path: '--run', message: `no run named "${args.run}"; the spec's runs: ${names}` },
    ]);
  }
  if (spec.task.kind === 'function') {
    return fail([
      {
        path: 'task',
        message:
          "a loss landscape needs a model trained on a dataset; a test function is drawn whole by the lab's Paths view",
      },
    ]);
  }
  // The folder is checked (and made) before the training, which may take a while.
  try {
    prepareOutputFolder(args.out, { force: args.force });
  } catch (err) {
    if (!(err instanceof OutputFolderError)) throw err;
    return fail([{ path: '--out', message: err.message }]);
  }
  let result: LandscapeResult;
  try {
    result = await computeLandscape(spec, args.run, { ...parsed.options, signal: io.signal });
  } catch (err) {
    if (err instanceof LandscapeError) {
      const flag = err.field === 'task' || err.field === 'model' ? err.field : `--${err.field}`;
      return fail([{ path: flag, message: err.message }]);
    }
    if (err instanceof Cancelled) {
      io.stderr('cancelled: no landscape was written\n');
      return EXIT.cancelled;
    }
    throw err;
  }
  writeAtomic(join(args.out, LANDSCAPE_FILES.json), JSON.stringify(result, null, 1) + '\n');
  writeAtomic(join(args.out, LANDSCAPE_FILES.csv), landscapeCsv(result));
  writeAtomic(join(args.out, LANDSCAPE_FILES.trajectory), trajectoryCsv(result));
  const finite = result.losses.filter(Number.isFinite);
  const shape =
    result.dim === 1
      ? `1-D, ${result.xs.length} points, α from ${num(result.xs[0])} to ${num(result.xs.at(-1))}`
      : `2-D, ${result.xs.length} × ${result.ys.length} points, ±${num(result.span)} along two filter-normalised directions (seed ${result.directionSeed})`;
  io.stdout(
    `loss landscape of ${result.run} (seed ${result.seed}, ${result.trainedSteps} updates) on ` +
      `${result.experiment}: ${shape}\n` +
      `  the loss on ${result.batch}: initial ${num(result.initialLoss)}, final ` +
      `${num(result.finalLoss)}; over the grid ${num(Math.min(...finite))} to ${num(Math.max(...finite))}` +
      `${finite.length < result.losses.length ? ` (${result.losses.length - finite.length} points not finite)` : ''}\n` +
      `  files: ${join(args.out, LANDSCAPE_FILES.csv)}, ${LANDSCAPE_FILES.json}, ${LANDSCAPE_FILES.trajectory}\n`,
  );
  return EXIT.done;
}

/** 1-D: alpha,loss; 2-D: x,y,loss (x the first direction's coordinate), numbers in full. */
export function landscapeCsv(r: LandscapeResult): string {
  const lines: string[] = [];
  if (r.dim === 1) {
    lines.push('alpha,loss');
    r.xs.forEach((a, i) => lines.push(`${a},${r.losses[i]}`));
  } else {
    lines.push('x,y,loss');
    r.ys.forEach((y, row) =>
      r.xs.forEach((x, col) => lines.push(`${x},${y},${r.losses[row * r.xs.length + col]}`)),
    );
  }
  return lines.join('\n') + '\n';
}

/** step,x,y: the trajectory's points as landscape coordinates (y empty in 1-D, x = α). */
export function trajectoryCsv(r: LandscapeResult): string {
  return (
    ['step,x,y', ...r.trajectory.map((p) => `${p.step},${p.x},${p.y ?? ''}`)].join('\n') + '\n'
  );
}
