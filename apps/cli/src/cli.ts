import { existsSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import {
  BACKENDS,
  SUITES,
  defaultCatalog,
  parseShard,
  type BackendName,
  type SpecIssue,
} from '@optlab/experiment';
import { dirname } from 'node:path';
import { loadDataFiles, readDocumentFile } from '@optlab/experiment/node';
import { mergeCommand } from './commands/merge.js';
import { lrFindCommand, type LrFindArgs } from './commands/lr-find.js';
import { landscapeCommand, type LandscapeArgs } from './commands/landscape.js';
import { executeDocument, slug, withBackend, type ExecuteOptions } from './commands/execute.js';
import { LIST_TOPICS, listJson, listText, type ListTopic } from './commands/list.js';
import { selectExperiments } from './commands/select-experiments.js';
import { formatIssues } from './render/issues.js';
import { expansionText } from './render/comparison.js';
import { parseScheduleArgs, scheduleHelp, scheduleLines, wantsHelp } from './commands/schedule.js';
import { internalErrorText } from './internal-error.js';
import { EXIT, type CliIo } from './io.js';

interface RunOptions extends OutputOptions {
  data?: string;
  dryRun?: boolean;
  shard?: string;
  tuned?: string;
}

/** Most worker threads `--jobs` may ask for. */
export const MAX_JOBS = 256;

/**
 * The `optlab` command line. `main(argv, io)` runs one command and resolves to its exit code:
 * 0 done, 1 a reported result diverged (a run; in a comparison, a chosen configuration), 2 bad input (every problem listed on stderr), 3 internal error (a
 * bug: one line on stderr, the stack with `io.debug`), 130 cancelled. It never rejects.
 * `argv` is the arguments after the program name.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await runCommand(argv, io);
  } catch (error) {
    io.stderr(internalErrorText(error, io.debug === true));
    return EXIT.internal;
  }
}

async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.done;
  const fail = (issues: readonly SpecIssue[]) => {
    io.stderr(formatIssues(issues));
    code = EXIT.badInput;
  };
  const now = () => (io.now ? io.now() : new Date());
  const defaultOut = (name: string) =>
    freshFolder(
      `results/${slug(name)}-${now()
        .toISOString()
        .replace(/[:.]/g, '-')
        .replace(/-\d{3}Z$/, 'Z')}`,
    );
  const backendOption = () =>
    new Option('--backend <backend>', 'run every run on this backend').choices([...BACKENDS]);

  const program = new Command('optlab')
    .description('Run, compare and benchmark neural-network optimizers (OptLab).')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run optlab --help for usage)');

  program
    .command('run')
    .description('run an experiment spec (or a suite) and write its result files')
    .argument('<spec>', 'spec file (JSON)')
    .option('--out <dir>', 'output folder (default: results/<name>-<time>)')
    .option('--force', forceHelp)
    .option('--json', 'print the results as JSON on stdout')
    .option('--data <file>', "the csv dataset's file (instead of its path or text)")
    .option(
      '--dry-run',
      "list the configurations the sweeps expand into, each run's tuning budget and the trainings, without running",
    )
    .addOption(backendOption())
    .option('--jobs <n>', jobsHelp)
    .option(
      '--shard <K/N>',
      "run only the K-th of N shards of the runs (round-robin; a sweep's configurations on the tune seeds); `optlab merge` joins the folders",
    )
    .option(
      '--tuned <dir>',
      "the merged tuning phase of this spec (`optlab merge` of its shards): run only the protocol's rerun of each best configuration",
    )
    .action(async (path: string, opts: RunOptions) => {
      const jobs = parseJobs(opts.jobs, io.cores);
      const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
      const optionIssues = [
        ...(jobs.ok ? [] : [{ path: '--jobs', message: jobs.message }]),
        ...(shard && !shard.ok ? [{ path: '--shard', message: shard.message }] : []),
      ];
      if (optionIssues.length > 0) return fail(optionIssues);
      const read = readDocumentFile(path, defaultCatalog());
      if (!read.ok) return fail(read.issues);
      if (opts.dryRun) {
        const specs =
          read.value.kind === 'experiment' ? [read.value.spec] : read.value.suite.experiments;
        io.stdout(specs.map(expansionText).join('\n'));
        return;
      }
      if (shard?.ok && read.value.kind === 'suite') {
        return fail([
          {
            path: '--shard',
            message: "shards split the runs of one experiment; run a suite's experiments as specs",
          },
        ]);
      }
      if (opts.tuned !== undefined && read.value.kind === 'suite') {
        return fail([
          {
            path: '--tuned',
            message: "a tuning phase is one experiment's; run a suite's experiments as specs",
          },
        ]);
      }
      if (opts.tuned !== undefined && shard?.ok) {
        // The rerun phase is small (runs × rerun seeds, whatever the budget): one machine, --jobs.
        return fail([
          {
            path: '--shard',
            message: 'the rerun phase (--tuned) is not sharded: run it whole, with --jobs',
          },
        ]);
      }
      // Data files are read and parsed before any output folder exists.
      const doc = await loadDataFiles(read.value, { specDir: dirname(path), dataFile: opts.data });
      if (!doc.ok) return fail(doc.issues);
      const name = doc.value.kind === 'experiment' ? doc.value.spec.name : doc.value.suite.name;
      code = await executeDocument(
        doc.value,
        {
          ...executeOptions(opts, () => defaultOut(name)),
          jobs: jobs.ok ? jobs.jobs : 1,
          shard: shard?.ok ? shard.shard : undefined,
          tuned: opts.tuned,
        },
        io,
      );
    });

  program
    .command('lr-find')
    .description('learning-rate range test of one run (Smith 2017): suggestions, a plot and a CSV')
    .argument('<spec>', 'spec file (JSON)')
    .option('--run <name>', 'the run to test (its task, optimizer and options; not its schedule)')
    .option('--start <lr>', 'first learning rate', '1e-7')
    .option('--end <lr>', 'last learning rate', '10')
    .option('--steps <n>', 'updates at most', '100')
    .option('--seeds <k>', "seeds: the run's first seed and the k − 1 after it", '1')
    .option('--out <file>', 'CSV of the curves (default: results/<name>-lr-find-<run>-<time>.csv)')
    .option('--force', 'replace the CSV if it exists')
    .option('--data <file>', "the csv dataset's file (instead of its path or text)")
    .addOption(backendOption())
    .action(async (path: string, opts: Omit<LrFindArgs, 'out'> & RunOptions) => {
      const read = readDocumentFile(path, defaultCatalog());
      if (!read.ok) return fail(read.issues);
      if (read.value.kind === 'suite') {
        return fail([
          { path: '', message: `${path}: lr-find tests a run of an experiment, not a suite` },
        ]);
      }
      const doc = await loadDataFiles(read.value, { specDir: dirname(path), dataFile: opts.data });
      if (!doc.ok || doc.value.kind !== 'experiment') return fail(doc.ok ? [] : doc.issues);
      const spec = withBackend(doc.value.spec, opts.backend);
      const out = opts.out ?? `${defaultOut(`${spec.name}-lr-find-${opts.run ?? 'run'}`)}.csv`;
      code = await lrFindCommand(spec, { ...opts, out }, io);
    });

  program
    .command('landscape')
    .description(
      'train a run and write its loss landscape (Li et al. 2018): a 1-D line from the initial to the final weights, or a 2-D slice around the final weights with the trajectory projected',
    )
    .argument('<spec>', 'spec file (JSON)')
    .option('--run <name>', 'the run to train and draw (its first seed)')
    .option(
      '--dim <1|2>',
      '1: interpolation initial → final; 2: filter-normalised slice (default 2)',
    )
    .option(
      '--steps <n>',
      'points along the line (default 51, at most 1001) or per side (default 25, at most 101)',
    )
    .option(
      '--span <s>',
      '1-D: α from −s to 1 + s (default 0.5); 2-D: ±s along each direction (default 1)',
    )
    .option('--seed <s>', 'seed of the random directions (default 0)')
    .option('--out <dir>', 'output folder (default: results/<name>-landscape-<run>-<time>)')
    .option('--force', forceHelp)
    .option('--data <file>', "the csv dataset's file (instead of its path or text)")
    .addOption(backendOption())
    .action(async (path: string, opts: Omit<LandscapeArgs, 'out'> & RunOptions) => {
      const read = readDocumentFile(path, defaultCatalog());
      if (!read.ok) return fail(read.issues);
      if (read.value.kind === 'suite') {
        return fail([
          { path: '', message: `${path}: landscape draws a run of an experiment, not a suite` },
        ]);
      }
      const doc = await loadDataFiles(read.value, { specDir: dirname(path), dataFile: opts.data });
      if (!doc.ok || doc.value.kind !== 'experiment') return fail(doc.ok ? [] : doc.issues);
      const spec = withBackend(doc.value.spec, opts.backend);
      const out = opts.out ?? defaultOut(`${spec.name}-landscape-${opts.run ?? 'run'}`);
      code = await landscapeCommand(spec, { ...opts, out }, io);
    });

  program
    .command('merge')
    .description('merge the result folders of shards 1/N … N/N of one spec into one folder')
    .argument('<dirs...>', "the shards' result folders")
    .requiredOption('--out <dir>', 'output folder of the merged results')
    .option('--force', forceHelp)
    .option('--json', 'print the merged summary as JSON on stdout')
    .action(async (dirs: string[], opts: OutputOptions & { out: string }) => {
      code = await mergeCommand(dirs, opts, io);
    });

  program
    .command('bench')
    .description(
      `run a built-in benchmark suite (${Object.keys(SUITES).join(', ')}) and print its performance profile (steps and time to target)`,
    )
    .argument('[suite]', 'suite name', 'tutorial')
    .option('--out <dir>', 'output folder (default: results/<suite>-<time>)')
    .option('--force', forceHelp)
    .option('--json', 'print the results as JSON on stdout')
    .addOption(backendOption())
    .option('--jobs <n>', jobsHelp)
    .option(
      '--only <names>',
      "run only these of the suite's experiments (comma-separated names, as the suite prints them)",
    )
    .action(async (name: string, opts: OutputOptions & { only?: string }) => {
      const jobs = parseJobs(opts.jobs, io.cores);
      if (!jobs.ok) return fail([{ path: '--jobs', message: jobs.message }]);
      const whole = Object.hasOwn(SUITES, name) ? SUITES[name] : undefined;
      if (!whole) {
        return fail([
          {
            path: 'suite',
            message: `unknown suite "${name}"; known: ${Object.keys(SUITES).join(', ')}`,
          },
        ]);
      }
      const selected = selectExperiments(whole, opts.only);
      if (!selected.ok) return fail(selected.issues);
      // A built-in suite's data folders (Fashion-MNIST's) are read here, as `run` reads a spec's,
      // before any output folder exists; relative folders are relative to the working folder.
      const doc = await loadDataFiles(
        { kind: 'suite', suite: selected.suite },
        { specDir: process.cwd() },
      );
      if (!doc.ok) return fail(doc.issues);
      if (opts.only !== undefined && !opts.json) {
        io.stdout(
          `--only: ${selected.suite.experiments.length} of ${whole.name}'s ${whole.experiments.length} experiments\n`,
        );
      }
      code = await executeDocument(
        doc.value,
        { ...executeOptions(opts, () => defaultOut(name)), jobs: jobs.jobs },
        io,
      );
    });

  program
    .command('list')
    .description(`list what a spec can name, with options and defaults (${LIST_TOPICS.join(', ')})`)
    .argument('[topic]', 'one of: ' + LIST_TOPICS.join(', '))
    .option('--json', 'print as JSON')
    .action((topic: string | undefined, opts: { json?: boolean }) => {
      if (topic !== undefined && !LIST_TOPICS.includes(topic as ListTopic)) {
        return fail([
          { path: 'topic', message: `unknown topic "${topic}"; known: ${LIST_TOPICS.join(', ')}` },
        ]);
      }
      const catalog = defaultCatalog();
      io.stdout(
        opts.json
          ? JSON.stringify(listJson(catalog, topic as ListTopic | undefined), null, 2) + '\n'
          : listText(catalog, topic as ListTopic | undefined),
      );
    });

  program
    .command('schedule')
    .description('print the learning rate of a schedule at steps 0…N−1 (step<TAB>lr)')
    .usage('<type> [--option value ...] --steps N [--lr 0.1] [--json]')
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    .argument('[words...]')
    .action((words: string[]) => {
      if (wantsHelp(words)) {
        io.stdout(scheduleHelp(defaultCatalog()));
        return;
      }
      const json = words.includes('--json');
      const parsed = parseScheduleArgs(
        words.filter((w) => w !== '--json'),
        defaultCatalog(),
      );
      if (!parsed.ok) {
        io.stderr(formatIssues(parsed.issues));
        code = EXIT.badInput;
        return;
      }
      const lrs = scheduleLines(parsed.request);
      io.stdout(
        json
          ? JSON.stringify({ ...parsed.request, lrs }) + '\n'
          : lrs.map((lr, step) => `${step}\t${lr}`).join('\n') + '\n',
      );
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help exits 0; a usage error (unknown command or option, no command at all) is bad input.
      return err.exitCode === 0 ? EXIT.done : EXIT.badInput;
    }
    throw err;
  }
  return code;
}

interface OutputOptions {
  out?: string;
  force?: boolean;
  json?: boolean;
  backend?: BackendName;
  jobs?: string;
}

const jobsHelp =
  'runs trained at once, on worker threads (default: the available cores; 1: one after the ' +
  'other); results are the same for every N, only timings differ';

/** `--jobs N`: a whole number 1 … MAX_JOBS; absent, the cores available (at least 1). */
function parseJobs(
  text: string | undefined,
  cores: number | undefined,
): { ok: true; jobs: number } | { ok: false; message: string } {
  if (text === undefined) return { ok: true, jobs: Math.max(1, Math.min(cores ?? 1, MAX_JOBS)) };
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_JOBS) {
    return { ok: false, message: `"${text}" is not a whole number of jobs from 1 to ${MAX_JOBS}` };
  }
  return { ok: true, jobs: n };
}

const forceHelp =
  'reuse a non-empty output folder: clear the OptLab result files in it first (it refuses a ' +
  'folder holding anything else)';

function executeOptions(
  opts: OutputOptions,
  defaultOut: () => string,
): Omit<ExecuteOptions, 'jobs'> {
  return {
    out: opts.out ?? defaultOut(),
    force: Boolean(opts.force),
    json: Boolean(opts.json),
    backend: opts.backend,
  };
}

/** `path`, or `path-2`, `path-3`, … where `path` exists: two runs in one second do not collide. */
function freshFolder(path: string): string {
  let candidate = path;
  for (let n = 2; existsSync(candidate); n++) candidate = `${path}-${n}`;
  return candidate;
}
