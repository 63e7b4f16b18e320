import { optionsOf } from '../spec/options-check.js';
import type { ExperimentSpec, RunSpec } from '../spec/schema.js';

export function describeTask(spec: ExperimentSpec): string {
  const t = spec.task;
  if (t.kind === 'function') return `function ${t.function.type}`;
  return `${t.kind}: ${t.model.type} on ${t.dataset.type}`;
}

/** `Adam(lr=0.01) + StepLR(stepSize=10, gamma=0.5)`: what a run compares, in one line. */
export function runLabel(run: RunSpec): string {
  const show = (c: { type: string } & Record<string, unknown>) => {
    const args = Object.entries(optionsOf(c)).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    return args.length > 0 ? `${c.type}(${args.join(', ')})` : c.type;
  };
  let optimizer = show(run.optimizer);
  if (run.fallback)
    optimizer += ` | ${show({ type: run.fallback.type ?? 'AdamW', ...run.fallback })}`;
  if (run.paramGroups) optimizer += ` [${run.paramGroups.length} paramGroups]`;
  if (run.lookahead) optimizer = `Lookahead(${optimizer}${lookaheadArgs(run.lookahead)})`;
  const parts = [optimizer];
  if (run.clipGradValue) parts.push(`clipGradValue(${run.clipGradValue.clipValue})`);
  if (run.clipGradNorm) {
    const n = run.clipGradNorm.normType;
    parts.push(`clipGradNorm(${run.clipGradNorm.maxNorm}${n === undefined ? '' : `, ${n}`})`);
  }
  if (run.schedule) parts.push(show(run.schedule));
  return parts.join(' + ');
}

function lookaheadArgs(l: NonNullable<RunSpec['lookahead']>): string {
  const args = Object.entries(l).filter(([, v]) => v !== undefined);
  return args.map(([k, v]) => `, ${k}=${v}`).join('');
}
