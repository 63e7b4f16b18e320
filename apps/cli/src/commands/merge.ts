import { mergeShards } from '@optlab/experiment/node';
import { EXIT, type CliIo } from '../io.js';
import { formatIssues } from '../render/issues.js';
import { resultsTable } from '../render/table.js';

/**
 * `optlab merge DIR... --out DIR`: joins shard folders (`optlab run --shard K/N`) into the
 * folder the unsharded run would have written (see `mergeShards`). Bad shards exit 2 with every
 * problem named; otherwise the exit code is `run`'s: 1 when a run diverged, else 0.
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
  const { summary } = merged;
  if (opts.json) io.stdout(JSON.stringify({ out: opts.out, summary }, null, 2) + '\n');
  else {
    io.stdout(`merged ${merged.shards} shards of ${summary.experiment} — ${summary.task}\n`);
    io.stdout(resultsTable(summary));
    io.stdout(`results: ${opts.out}\n`);
  }
  return summary.status === 'diverged' ? EXIT.diverged : EXIT.done;
}
