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
  return run.schedule ? `${show(run.optimizer)} + ${show(run.schedule)}` : show(run.optimizer);
}
