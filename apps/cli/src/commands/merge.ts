import { join } from 'node:path';
import { mergeShards, RESULT_FILES } from '@optlab/experiment/node';
import { EXIT, type CliIo } from '../io.js';
import { comparisonText, isComparison } from '../render/comparison.js';
import { formatIssues } from '../render/issues.js';
import { resultsTable } from '../render/table.js';

/**
 * `optlab merge DIR... --out DIR`: joins shard folders (`optlab run --shard K/N`) into the
 * folder the unsharded run would have written (see `mergeShards`). Shards of a comparison whose
 * protocol reruns the best configurations merge into its tuning phase: the merge makes the
 * selection and prints the command that trains the rerun. Bad shards exit 2 with every problem
 * named; otherwise the exit code is `run`'s: 1 when a run diverged, else 0.
 */
export async function mergeCommand(
  dirs: readonly string[],
  opts: { out: string; force?: boolean; json?: boolean },
  io: CliIo,
): Promise<number> {
  const merged = await mergeShards(dirs, opts.out, { force: opts.force });
  if (!merged.ok) {
    io.stderr(formatIssues(merged.issues));
    return EXIT.badInput;
  }
  if ('tuning' in merged) {
    const { tuning } = merged;
    const next = `optlab run ${join(opts.out, RESULT_FILES.spec)} --tuned ${opts.out} --out <dir>`;
    if (opts.json) {
      io.stdout(JSON.stringify({ out: opts.out, tuning, next }, null, 2) + '\n');
      return EXIT.done;
    }
    io.stdout(
      `merged ${merged.shards} shards: the tuning phase (${tuning.tuningRuns} runs)\n` +
        `selected by the protocol: ${tuning.selected.join(', ')}\n` +
        `next, the rerun of each on seeds ${tuning.rerunSeeds.join(', ')} (${tuning.rerunRuns} runs):\n` +
        `  ${next}\n` +
        `tuning phase: ${opts.out}\n`,
    );
    return EXIT.done;
  }
  const { summary } = merged;
  if (opts.json) io.stdout(JSON.stringify({ out: opts.out, summary }, null, 2) + '\n');
  else {
    io.stdout(`merged ${merged.shards} shards of ${summary.experiment} — ${summary.task}\n`);
    io.stdout(resultsTable(summary));
    if (isComparison(merged.spec)) io.stdout(comparisonText(summary));
    io.stdout(`results: ${opts.out}\n`);
  }
  return summary.status === 'diverged' ? EXIT.diverged : EXIT.done;
}
