/**
 * The time left of the lab's runs while they train: one `TimeLeft` per run start (a run's id and
 * the start's time), fed with the run's progress and training time as its results come in, so
 * that every view (the Build cards, the Compare strip) shows the same estimate.
 */
import { isActive, type RunResult } from './series.js';
import { remainingOfAll, TimeLeft } from './time-estimate.js';

const trackers = new Map<string, TimeLeft>();

/** Milliseconds left of a run, or null while unknown (not started, or no rate yet). */
export function runTimeLeft(id: string, result: RunResult | undefined): number | null {
  if (!result || !isActive(result.status) || result.elapsedMs === undefined) return null;
  const key = `${id}@${result.startedAt ?? 0}`;
  let tracker = trackers.get(key);
  if (!tracker) {
    for (const k of trackers.keys()) if (k.startsWith(`${id}@`)) trackers.delete(k);
    tracker = new TimeLeft();
    trackers.set(key, tracker);
  }
  tracker.add(result.elapsedMs, result.progress);
  return tracker.remainingMs();
}

/** Progress and time left of every active run together (runs train side by side). */
export function allTimeLeft(results: Readonly<Record<string, RunResult>>): {
  active: number;
  progress: number;
  remainingMs: number | null;
} {
  const active = Object.entries(results).filter(([, r]) => isActive(r.status));
  const progress =
    active.length === 0 ? 0 : active.reduce((a, [, r]) => a + r.progress, 0) / active.length;
  return {
    active: active.length,
    progress,
    remainingMs: remainingOfAll(active.map(([id, r]) => runTimeLeft(id, r))),
  };
}
