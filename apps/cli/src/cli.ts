import { Command, CommanderError, Option } from 'commander';
import {
  BACKENDS,
  SUITES,
  defaultCatalog,
  formatIssue,
  type BackendName,
  type SpecIssue,
} from '@optlab/experiment';
import { dirname } from 'node:path';
import { loadDataFiles, readDocumentFile } from '@optlab/experiment/node';
import { executeDocument, slug } from './commands/execute.js';
import { LIST_TOPICS, listJson, listText, type ListTopic } from './commands/list.js';
import { formatIssues, parseScheduleArgs, scheduleLines } from './commands/schedule.js';
import { EXIT, type CliIo } from './io.js';

interface RunOptions {
  out?: string;
  json?: boolean;
  backend?: BackendName;
  data?: string;
}

/**
 * The `optlab` command line. `main(argv, io)` runs one command and resolves to its exit code:
 * 0 done, 1 a run diverged, 2 bad input (every problem listed on stderr), 130 cancelled.
 * `argv` is the arguments after the program name.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.done;
  const fail = (issues: readonly SpecIssue[]) => {
    io.stderr(issues.map((i) => `error: ${formatIssue(i)}\n`).join(''));
    code = EXIT.badInput;
  };
  const now = () => (io.now ? io.now() : new Date());
  const defaultOut = (name: string) =>
    `results/${slug(name)}-${now()
      .toISOString()
      .replace(/[:.]/g, '-')
      .replace(/-\d{3}Z$/, 'Z')}`;
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
    .option('--json', 'print the results as JSON on stdout')
    .option('--data <file>', "the csv dataset's file (instead of its path or text)")
    .addOption(backendOption())
    .action(async (path: string, opts: RunOptions) => {
      const read = readDocumentFile(path, defaultCatalog());
      if (!read.ok) return fail(read.issues);
      // Data files are read and parsed before any output folder exists.
      const doc = await loadDataFiles(read.value, { specDir: dirname(path), dataFile: opts.data });
      if (!doc.ok) return fail(doc.issues);
      const name = doc.value.kind === 'experiment' ? doc.value.spec.name : doc.value.suite.name;
      code = await executeDocument(
        doc.value,
        { out: opts.out ?? defaultOut(name), json: Boolean(opts.json), backend: opts.backend },
        io,
      );
    });

  program
    .command('bench')
    .description(`run a built-in benchmark suite (${Object.keys(SUITES).join(', ')})`)
    .argument('[suite]', 'suite name', 'tutorial')
    .option('--out <dir>', 'output folder (default: results/<suite>-<time>)')
    .option('--json', 'print the results as JSON on stdout')
    .addOption(backendOption())
    .action(async (name: string, opts: { out?: string; json?: boolean; backend?: BackendName }) => {
      const suite = Object.hasOwn(SUITES, name) ? SUITES[name] : undefined;
      if (!suite) {
        return fail([
          {
            path: 'suite',
            message: `unknown suite "${name}"; known: ${Object.keys(SUITES).join(', ')}`,
          },
        ]);
      }
      code = await executeDocument(
        { kind: 'suite', suite },
        { out: opts.out ?? defaultOut(name), json: Boolean(opts.json), backend: opts.backend },
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
