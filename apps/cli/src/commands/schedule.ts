import { SCHEDULES, scheduleCurve } from '@optlab/optim';
import { type Catalog, type SpecIssue } from '@optlab/experiment';
import { checkScheduleOptions } from '@optlab/experiment';

/**
 * `optlab schedule <type> [--option value ...] --steps N [--lr LR]`: the learning rate at steps
 * 0…N−1 of a schedule, one per line (`step<TAB>lr`), from the schedule's pure function of the
 * step. Option values are read as JSON where they parse (`--milestones [30,80]`, `--gamma 0.5`,
 * `--verbose true`), else as text.
 */
export interface ScheduleRequest {
  type: string;
  steps: number;
  lr: number;
  options: Record<string, unknown>;
}

/** `-h` or `--help` anywhere among the words (the command parses its own options). */
export function wantsHelp(words: readonly string[]): boolean {
  return words.includes('--help') || words.includes('-h');
}

export function scheduleHelp(catalog: Catalog): string {
  const curves = Object.keys(catalog.schedules).filter(hasCurve);
  return [
    'Usage: optlab schedule <type> [--option value ...] --steps N [--lr LR] [--json]',
    '',
    'Print the learning rate of a schedule at steps 0…N−1, one `step<TAB>lr` per line, from the',
    "schedule's pure function of the step (no training).",
    '',
    'Options:',
    '  --steps N          how many steps to print (required, 1 … 10000000)',
    "  --lr LR            the optimizer's learning rate the schedule starts from (default 0.1)",
    '  --<option> VALUE   an option of the schedule, read as JSON where it parses',
    '                     (--milestones [30,80], --gamma 0.5), else as text',
    '  --json             print {type, steps, lr, options, lrs} as JSON',
    '  -h, --help         this help',
    '',
    ...wrap(`Types: ${curves.join(', ')}`, 96),
    "Each type's options, defaults and bounds: optlab list schedules",
    '',
    'Example: optlab schedule CosineAnnealingLR --TMax 4 --steps 6 --lr 0.1',
    '',
  ].join('\n');
}

/** Breaks a line at spaces into lines of at most `width` characters, indenting the rest. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '  ' + word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** Whether a schedule is a pure function of the step (ReduceLROnPlateau follows a metric). */
function hasCurve(type: string): boolean {
  return !Object.hasOwn(SCHEDULES, type) || SCHEDULES[type].pure;
}

/** Parses the words after `schedule`; returns the request or the problems found. */
export function parseScheduleArgs(
  words: readonly string[],
  catalog: Catalog,
): { ok: true; request: ScheduleRequest } | { ok: false; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  const [type, ...rest] = words;
  if (!type || type.startsWith('--')) {
    return {
      ok: false,
      issues: [
        {
          path: 'schedule',
          message: `missing schedule type; known: ${Object.keys(catalog.schedules).join(', ')}`,
        },
      ],
    };
  }
  const options: Record<string, unknown> = {};
  let steps: number | undefined;
  let lr = 0.1;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    const m = /^--([A-Za-z][\w]*)(?:=(.*))?$/.exec(word);
    if (!m) {
      issues.push({ path: 'schedule', message: `unexpected argument ${JSON.stringify(word)}` });
      continue;
    }
    const name = m[1];
    let raw = m[2];
    if (raw === undefined) {
      raw = rest[i + 1];
      if (raw === undefined) {
        issues.push({ path: `--${name}`, message: 'needs a value' });
        continue;
      }
      i++;
    }
    const value = parseValue(raw);
    if (name === 'steps') {
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        value < 1 ||
        value > 10_000_000
      ) {
        issues.push({
          path: '--steps',
          message: `must be an integer in [1, 10000000], got ${raw}`,
        });
      } else steps = value;
    } else if (name === 'lr') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        issues.push({ path: '--lr', message: `must be a finite number ≥ 0, got ${raw}` });
      } else lr = value;
    } else options[name] = value;
  }
  if (steps === undefined && !issues.some((i) => i.path === '--steps')) {
    issues.push({ path: '--steps', message: 'required: how many steps to print' });
  }
  if (!hasCurve(type)) {
    issues.push({
      path: 'schedule.type',
      message:
        `${type} has no curve to print: it lowers the lr when a metric (the loss) stops ` +
        'improving, so its lr is only known during a run; use it in a spec and read the lr ' +
        'from the run',
    });
    return { ok: false, issues };
  }
  issues.push(...checkScheduleOptions(type, options, catalog, ['schedule']));
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, request: { type, steps: steps!, lr, options } };
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function scheduleLines(request: ScheduleRequest): number[] {
  return scheduleCurve(request.type, request.options, request.lr, request.steps);
}
