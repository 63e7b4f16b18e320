import type { ComparisonAnalysis } from '../protocol/analysis.js';
import type { RunMetrics } from '../runner/events.js';

/**
 * results.csv: one row per (run, seed), RFC 4180 quoting, numbers written in full precision
 * (empty where a value does not apply), so that a spreadsheet or pandas reads it as is. Text
 * that a spreadsheet would evaluate as a formula is defused (see `cell`).
 */
export const CSV_COLUMNS = [
  'run',
  'seed',
  'optimizer',
  'schedule',
  'label',
  'backend',
  'device',
  'status',
  'diverged_step',
  'steps',
  'epochs',
  'initial_loss',
  'final_loss',
  'best_loss',
  'best_step',
  'epochs_to_converge',
  'target_step',
  'target_ms',
  'wall_ms',
  'steps_per_s',
  'concurrent_runs',
  'final_lr',
  'train_accuracy',
  'test_accuracy',
  'test_loss',
  'validation_loss',
  'best_validation_loss',
  'validation_accuracy',
  'best_validation_accuracy',
  // The comparison (empty without an analysis): the run the row's configuration belongs to, its
  // swept values (JSON), the phase, the run's tuning budget, whether the configuration was chosen,
  // and the protocol, so a reader of this file alone knows how "best" was chosen.
  'group',
  'configuration',
  'phase',
  'budget',
  'selected',
  'select_metric',
  'select_reduce',
  'report_metric',
  'protocol',
] as const;

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): a run
 * named `=HYPERLINK(…)` or `@SUM(…)` would otherwise run when results.csv is opened.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. Numbers are written as they are (a negative number is data, not a formula).
 * Text that starts like a formula gets OWASP's treatment — a single quote in front, inside a
 * quoted field — so a spreadsheet shows it as text; a CSV parser reads the quote back as part
 * of the text. Other text is quoted when it holds a quote, comma or line break (RFC 4180).
 */
function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const s = String(v);
  const quoted = (t: string) => `"${t.replace(/"/g, '""')}"`;
  if (FORMULA_START.test(s)) return quoted(`'${s}`);
  return /[",\n\r]/.test(s) ? quoted(s) : s;
}

/** Where a row stands in the comparison. */
interface RowContext {
  readonly group: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly phase: 'tune' | 'rerun' | 'run';
  readonly budget: number;
  readonly selected: boolean;
}

export function metricsRow(
  m: RunMetrics,
  context?: RowContext,
  analysis?: ComparisonAnalysis,
): unknown[] {
  return [
    m.run,
    m.seed,
    m.optimizer,
    m.schedule,
    m.label,
    m.backend,
    m.device,
    m.status,
    m.diverged?.step,
    m.steps,
    m.epochs,
    m.initialLoss,
    m.finalLoss,
    m.bestLoss,
    m.bestStep,
    m.epochsToConverge,
    m.target?.step,
    m.target?.elapsedMs,
    m.wallTimeMs,
    m.stepsPerSecond,
    m.concurrentRuns,
    m.finalLr,
    m.trainAccuracy,
    m.testAccuracy,
    m.testLoss,
    m.validationLoss,
    m.bestValidationLoss,
    m.validationAccuracy,
    m.bestValidationAccuracy,
    context?.group,
    context ? JSON.stringify(context.values) : undefined,
    context?.phase,
    context?.budget,
    context ? String(context.selected) : undefined,
    analysis?.protocol.select.metric,
    analysis?.protocol.select.reduce,
    analysis?.protocol.report,
    analysis?.protocol.text,
  ];
}

/**
 * One row per (run, seed); with an analysis, each row also says which run (group) and swept
 * values it belongs to, its phase, the budget, whether it was chosen, and the protocol.
 */
export function toCsv(metrics: readonly RunMetrics[], analysis?: ComparisonAnalysis): string {
  const lines = [CSV_COLUMNS.join(',')];
  const contexts = analysis ? rowContexts(analysis) : null;
  for (const m of metrics) {
    const context = contexts?.(m);
    lines.push(metricsRow(m, context, analysis).map(cell).join(','));
  }
  return lines.join('\n') + '\n';
}

function rowContexts(analysis: ComparisonAnalysis): (m: RunMetrics) => RowContext | undefined {
  const byName = new Map<string, { group: ComparisonAnalysis['groups'][number]; index: number }>();
  for (const group of analysis.groups) {
    group.configurations.forEach((c, index) => byName.set(c.name, { group, index }));
  }
  const tuning = analysis.protocol.kind === 'tune-and-rerun';
  return (m) => {
    const found = byName.get(m.run);
    if (!found) return undefined;
    const c = found.group.configurations[found.index];
    const rerun = found.group.reported.phase === 'rerun' && !c.seeds.includes(m.seed);
    return {
      group: found.group.name,
      values: c.values,
      phase: !tuning ? 'run' : rerun ? 'rerun' : 'tune',
      budget: found.group.budget,
      selected: c.selected,
    };
  };
}

/** Parses one CSV line written by `toCsv` (quoted cells included); for tests and tools. */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
