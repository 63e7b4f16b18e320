/**
 * Whether a run's result is stale: its settings (the run's spec, the task, the training) changed
 * after it ran, so its curves no longer show what the form says. The run's name is left out
 * (renaming changes nothing); objects are compared by content, whatever their keys' order.
 *
 * `diagnostics` counts as a setting here, though it does not change training (run-differences.ts
 * keeps it out of the unfair differences): turned on or changed after the run ran, its charts are
 * not in the result until the run reruns, which is what the stale mark asks for.
 */
import { toSpec, type ExperimentDraft } from './draft.js';
import type { RunResult } from './series.js';

/** JSON with object keys sorted, so equal settings give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function withoutName(run: unknown): unknown {
  if (run === null || typeof run !== 'object') return run;
  const { name: _name, ...rest } = run as Record<string, unknown>;
  return rest;
}

/** The settings a run's result depends on besides the run's own: the task and the training. */
export function experimentSettings(draft: ExperimentDraft): { task: unknown; training: unknown } {
  return { task: draft.task, training: draft.training };
}

/**
 * What changed since the run ran ("the run's settings", "the task", "the training"), or null
 * when nothing did, or when the result does not say what it ran with (a file from before).
 */
export function staleReason(
  result: RunResult | undefined,
  draft: ExperimentDraft,
  runId: string,
): string | null {
  if (!result || result.runSpec === undefined || result.status === 'idle') return null;
  const index = draft.runs.findIndex((r) => r.id === runId);
  if (index < 0) return null;
  const changed: string[] = [];
  const run = (toSpec(draft)['runs'] as unknown[])[index];
  if (canonical(withoutName(run)) !== canonical(withoutName(result.runSpec))) {
    changed.push('the run’s settings');
  }
  const settings = result.settings as { task?: unknown; training?: unknown } | undefined;
  if (settings) {
    if (canonical(settings.task) !== canonical(draft.task)) changed.push('the task');
    if (canonical(settings.training) !== canonical(draft.training)) changed.push('the training');
  }
  if (changed.length === 0) return null;
  const list =
    changed.length === 1
      ? changed[0]
      : `${changed.slice(0, -1).join(', ')} and ${changed[changed.length - 1]}`;
  return `${list[0].toUpperCase()}${list.slice(1)} changed after this run ran: rerun it to see the new settings`;
}
