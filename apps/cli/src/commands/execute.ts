import { join } from 'node:path';
import {
  runExperiment,
  type BackendName,
  type ExperimentSpec,
  type ExperimentSummary,
  type SpecDocument,
} from '@optlab/experiment';
import { ResultWriter, recordedSpec, writeAtomic } from '@optlab/experiment/node';
import { EXIT, type CliIo } from '../io.js';
import { progressView } from '../render/progress.js';
import { resultsTable } from '../render/table.js';

export interface ExecuteOptions {
  /** Output folder; a suite writes one subfolder per experiment. */
  readonly out: string;
  readonly json: boolean;
  /** Overrides every run's backend. */
  readonly backend?: BackendName;
}

/** Every run of the spec on one backend (`--backend`); a gpu.js mode only stays for "gpu". */
export function withBackend(
  spec: ExperimentSpec,
  backend: BackendName | undefined,
): ExperimentSpec {
  if (!backend) return spec;
  return {
    ...spec,
    runs: spec.runs.map((r) => ({
      ...r,
      backend,
      gpuMode: backend === 'gpu' ? r.gpuMode : undefined,
    })),
  };
}

/** Folder-safe form of a name. */
export function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'experiment';
}

/**
 * Runs a validated document, writing result files as events come, showing progress, and
 * printing the table (or, with --json, the summaries as JSON on stdout). Returns the exit code.
 */
export async function executeDocument(
  doc: SpecDocument,
  options: ExecuteOptions,
  io: CliIo,
): Promise<number> {
  const specs =
    doc.kind === 'experiment'
      ? [{ spec: withBackend(doc.spec, options.backend), dir: options.out }]
      : doc.suite.experiments.map((s) => ({
          spec: withBackend(s, options.backend),
          dir: join(options.out, slug(s.name)),
        }));
  const summaries: ExperimentSummary[] = [];
  if (doc.kind === 'suite' && !options.json) {
    io.stdout(`suite ${doc.suite.name}: ${doc.suite.experiments.length} experiments\n`);
    io.stdout(`tuning budget: ${doc.suite.tuningBudget}\n`);
  }
  for (const { spec, dir } of specs) {
    const summary = await executeSpec(spec, dir, io, options.json);
    if (!summary) return EXIT.cancelled;
    summaries.push(summary);
    if (!options.json) {
      io.stdout(`\n${spec.name} — ${summary.task}\n`);
      io.stdout(resultsTable(summary));
      io.stdout(`results: ${dir}\n`);
    }
  }
  if (doc.kind === 'suite') {
    writeAtomic(
      join(options.out, 'suite.json'),
      JSON.stringify(
        {
          suite: doc.suite.name,
          tuningBudget: doc.suite.tuningBudget,
          experiments: summaries.map((s, i) => ({
            name: s.experiment,
            folder: slug(doc.suite.experiments[i].name),
            status: s.status,
          })),
        },
        null,
        2,
      ) + '\n',
    );
  }
  if (options.json) {
    const payload =
      doc.kind === 'experiment'
        ? { out: options.out, summary: summaries[0] }
        : {
            out: options.out,
            suite: doc.suite.name,
            tuningBudget: doc.suite.tuningBudget,
            summaries,
          };
    io.stdout(JSON.stringify(payload, null, 2) + '\n');
  }
  return summaries.some((s) => s.status === 'diverged') ? EXIT.diverged : EXIT.done;
}

async function executeSpec(
  spec: ExperimentSpec,
  dir: string,
  io: CliIo,
  quiet: boolean,
): Promise<ExperimentSummary | null> {
  const writer = new ResultWriter(dir);
  writer.open(recordedSpec(spec));
  const progress = progressView(quiet ? { ...io, isTTY: false, stderr: () => {} } : io);
  try {
    for await (const event of runExperiment(spec, { signal: io.signal })) {
      writer.append(event);
      progress.update(event);
      if (event.type === 'summary') {
        writer.finish(event.summary);
        return event.summary;
      }
    }
    return null;
  } finally {
    progress.stop();
    writer.close();
  }
}
