/**
 * The performance profile view's input: the CLI's result files, read in the page. A file is one
 * of
 * - an experiment's `summary.json` (`optlab run`, `optlab merge`, each folder of `optlab bench`);
 * - the JSON that `--json` prints: `{ summary }` for one experiment, `{ summaries }` for a suite
 *   (`optlab bench --json`, `optlab run suite.json --json`);
 * - a suite's `suite.json` index, picked with its folders: it names each experiment's folder, whose
 *   `summary.json` must be among the picked files.
 * Each experiment is one task of the profile; its costs are `targetCosts` of @optlab/experiment
 * (the CLI's own), and the profile is `performanceProfile` — nothing is recomputed here.
 */
import {
  DEFAULT_TAUS,
  performanceProfile,
  performanceRatios,
  targetCosts,
  type ExperimentSummary,
  type PerformanceProfile,
  type ProfileMeasure,
  type ProfileTask,
} from '@optlab/experiment';
import { isRecord } from './draft.js';

/** A file as picked: its name (with the folder, for a folder pick) and its text. */
export interface PickedText {
  readonly name: string;
  readonly text: string;
}

/** One experiment of a loaded file. */
export interface LoadedExperiment {
  readonly file: string;
  readonly summary: ExperimentSummary;
}

export interface ReadOutcome {
  readonly experiments: readonly LoadedExperiment[];
  /** One line per file (or experiment) that could not be used, naming it. */
  readonly problems: readonly string[];
}

const SUMMARY_FILE = 'summary.json';
const SUITE_FILE = 'suite.json';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function folderOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

/**
 * Whether a file of a picked folder is read at all: only the summaries and suite indexes (a
 * result folder's metrics.jsonl may be tens of megabytes).
 */
export function readInFolder(path: string): boolean {
  const base = baseName(path);
  return base === SUMMARY_FILE || base === SUITE_FILE;
}

/**
 * What is wrong with `value` as an ExperimentSummary, for the parts a profile reads (null when
 * nothing): the experiment's name, its target loss, and each run's name, status and target hit.
 */
export function summaryProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'not a JSON object';
  if (typeof value['experiment'] !== 'string') return 'no "experiment" name';
  if (!(value['targetLoss'] === null || typeof value['targetLoss'] === 'number')) {
    return '"targetLoss" is neither a number nor null';
  }
  const runs = value['runs'];
  if (!Array.isArray(runs)) return 'no "runs" list';
  for (const [i, run] of runs.entries()) {
    if (!isRecord(run) || typeof run['run'] !== 'string') return `runs[${i}] has no "run" name`;
    if (run['status'] !== 'done' && run['status'] !== 'diverged') {
      return `runs[${i}].status is not "done" or "diverged"`;
    }
    const target = run['target'];
    if (
      target !== null &&
      !(
        isRecord(target) &&
        typeof target['step'] === 'number' &&
        typeof target['elapsedMs'] === 'number'
      )
    ) {
      return `runs[${i}].target is neither null nor { step, elapsedMs }`;
    }
  }
  const analysis = value['analysis'];
  if (analysis !== undefined) {
    if (!isRecord(analysis) || !Array.isArray(analysis['groups']))
      return '"analysis" has no "groups"';
    for (const [i, group] of analysis['groups'].entries()) {
      if (
        !isRecord(group) ||
        typeof group['name'] !== 'string' ||
        typeof group['best'] !== 'string' ||
        !isRecord(group['reported']) ||
        !Array.isArray(group['reported']['seeds'])
      ) {
        return `analysis.groups[${i}] lacks its name, best run or reported seeds`;
      }
    }
  }
  return null;
}

/** The summaries a parsed document holds, or why it holds none. */
function summariesOf(document: unknown): ExperimentSummary[] | string {
  if (isRecord(document) && Array.isArray(document['summaries'])) {
    const out: ExperimentSummary[] = [];
    for (const [i, s] of document['summaries'].entries()) {
      const problem = summaryProblem(s);
      if (problem) return `summaries[${i}]: ${problem}`;
      out.push(s as unknown as ExperimentSummary);
    }
    return out.length > 0 ? out : 'its "summaries" list is empty';
  }
  if (isRecord(document) && isRecord(document['summary'])) {
    const problem = summaryProblem(document['summary']);
    return problem ? `summary: ${problem}` : [document['summary'] as unknown as ExperimentSummary];
  }
  const problem = summaryProblem(document);
  if (problem === null) return [document as unknown as ExperimentSummary];
  if (isRecord(document) && isRecord(document['task']) && Array.isArray(document['runs'])) {
    return 'this is an experiment spec, not its results: run it (optlab run) and open the summary.json it writes';
  }
  return `not an OptLab result file (${problem})`;
}

/**
 * Reads picked files. A folder pick brings every file of the result folders: only `summary.json`
 * and `suite.json` are read there (`fromFolder`); files picked one by one must each be a result.
 */
export function readResultFiles(files: readonly PickedText[], fromFolder = false): ReadOutcome {
  const experiments: LoadedExperiment[] = [];
  const problems: string[] = [];
  const byPath = new Map(files.map((f) => [f.name, f]));
  /** Each suite experiment's summary path, with its place in the suite. */
  const suiteOrder = new Map<string, number>();
  // Parsed by position (files picked one by one may share a name: summary.json); in a folder
  // pick only the summaries and suite indexes (metrics.jsonl may be megabytes).
  const parsed = files.map((file): unknown => {
    if (fromFolder && !readInFolder(file.name)) return undefined;
    try {
      return JSON.parse(file.text);
    } catch (error) {
      return new Error((error as Error).message);
    }
  });
  // A suite index first: it says which folders' summaries belong to it.
  for (const [i, file] of files.entries()) {
    if (baseName(file.name) !== SUITE_FILE) continue;
    const index = parsed[i];
    if (
      !isRecord(index) ||
      typeof index['suite'] !== 'string' ||
      !Array.isArray(index['experiments'])
    ) {
      problems.push(`${file.name}: not the suite.json of an optlab bench result folder`);
      continue;
    }
    const root = folderOf(file.name);
    for (const entry of index['experiments']) {
      if (!isRecord(entry) || typeof entry['folder'] !== 'string') continue;
      const path = `${root ? `${root}/` : ''}${entry['folder']}/${SUMMARY_FILE}`;
      suiteOrder.set(path, suiteOrder.size);
      if (!byPath.has(path)) {
        problems.push(
          `${file.name}: the summary of experiment "${String(entry['name'])}" (${path}) was not picked; pick the whole result folder`,
        );
      }
    }
  }
  for (const [i, file] of files.entries()) {
    const base = baseName(file.name);
    if (base === SUITE_FILE) continue;
    if (fromFolder && base !== SUMMARY_FILE) continue;
    const document = parsed[i];
    if (document instanceof Error) {
      problems.push(`${file.name}: not JSON (${document.message})`);
      continue;
    }
    const summaries = summariesOf(document);
    if (typeof summaries === 'string') problems.push(`${file.name}: ${summaries}`);
    else for (const summary of summaries) experiments.push({ file: file.name, summary });
  }
  if (fromFolder && experiments.length === 0 && problems.length === 0) {
    problems.push(
      'the folder holds no summary.json: pick a folder that optlab run or optlab bench wrote',
    );
  }
  // A suite's experiments in the suite's order (a folder pick lists them alphabetically), then
  // the others in the order picked.
  const rank = (e: LoadedExperiment) => suiteOrder.get(e.file) ?? suiteOrder.size;
  return { experiments: experiments.sort((a, b) => rank(a) - rank(b)), problems };
}

/** One task of the profile, with the file it came from. */
export interface ProfileEntry {
  readonly file: string;
  readonly steps: ProfileTask;
  readonly ms: ProfileTask;
}

export interface ProfileInput {
  readonly entries: readonly ProfileEntry[];
  readonly problems: readonly string[];
}

/**
 * The loaded experiments as profile tasks, in order, with what was left out and why, naming the
 * file: an experiment without a target loss (no cost to measure), one already loaded (the same
 * task twice would count twice), and one whose runs share no optimizer name with the others (a
 * profile compares the same optimizers across tasks).
 */
export function profileInput(experiments: readonly LoadedExperiment[]): ProfileInput {
  const problems: string[] = [];
  const entries: ProfileEntry[] = [];
  const seen = new Map<string, string>();
  for (const { file, summary } of experiments) {
    const steps = targetCosts(summary, 'steps');
    const ms = targetCosts(summary, 'ms');
    if (!steps || !ms) {
      problems.push(
        `${file}: experiment "${summary.experiment}" sets no training.targetLoss, so it has no steps or time to a target; left out`,
      );
      continue;
    }
    const first = seen.get(summary.experiment);
    if (first !== undefined) {
      problems.push(
        `${file}: experiment "${summary.experiment}" is already loaded from ${first}; left out`,
      );
      continue;
    }
    seen.set(summary.experiment, file);
    entries.push({ file, steps, ms });
  }
  if (entries.length < 2) return { entries, problems };
  // Names shared with at least one other task; a task sharing none is left out.
  const kept = entries.filter((entry) => {
    const names = Object.keys(entry.steps.costs);
    const shared = entries.some(
      (other) => other !== entry && names.some((n) => Object.hasOwn(other.steps.costs, n)),
    );
    if (!shared) {
      problems.push(
        `${entry.file}: experiment "${entry.steps.name}" shares no optimizer with the other files (its runs: ${names.join(', ')}); left out`,
      );
    }
    return shared;
  });
  return { entries: kept, problems };
}

/**
 * The τ grid of a drawn profile: 1, every finite ratio of every task (where the step function
 * jumps, so the drawn steps are exact), the CLI's table grid, and one point past the largest
 * ratio so the last step has a width.
 */
export function profileTaus(tasks: readonly ProfileTask[]): number[] {
  const optimizers = [...new Set(tasks.flatMap((t) => Object.keys(t.costs)))];
  const taus = new Set<number>([1, ...DEFAULT_TAUS]);
  for (const task of tasks) {
    for (const r of Object.values(performanceRatios(task, optimizers))) {
      if (Number.isFinite(r)) taus.add(r);
    }
  }
  const sorted = [...taus].sort((a, b) => a - b);
  taus.add(sorted[sorted.length - 1] * 2);
  return [...taus].sort((a, b) => a - b);
}

/** Both profiles of the input: the drawn one (every jump) and the table's (DEFAULT_TAUS). */
export interface ProfilePair {
  readonly drawn: PerformanceProfile;
  readonly table: PerformanceProfile;
}

export function profilesOf(entries: readonly ProfileEntry[], measure: ProfileMeasure): ProfilePair {
  const tasks = entries.map((e) => (measure === 'steps' ? e.steps : e.ms));
  return {
    drawn: performanceProfile(tasks, measure, profileTaus(tasks)),
    table: performanceProfile(tasks, measure, DEFAULT_TAUS),
  };
}
