/**
 * One optimizer's paths across a small grid of learning rates, for the paths view: the run's spec
 * with its lr multiplied by each factor, run by the experiment runner on the CPU in float64, and
 * a colour per factor from one ramp (dark = small lr, bright = large lr).
 */
import { assertSpec, defaultCatalog, runToSummary, type ExperimentSpec } from '@optlab/experiment';

export const LR_FACTORS = [0.25, 0.5, 1, 2, 4] as const;
/** The most steps an lr-grid run takes (the paths are drawn, not studied). */
export const LR_GRID_MAX_STEPS = 2000;

export interface LrGridPath {
  readonly lr: number;
  readonly color: string;
  readonly points: number[][];
  /** Why the run stopped early (diverged), if it did. */
  readonly diverged: string | null;
}

// A perceptual ramp (viridis' ends and middle), interpolated in RGB.
const RAMP = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** The colour at t ∈ [0, 1] of the ramp, as #rrggbb. */
export function rampColor(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const k = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - k;
  const c = RAMP[k].map((v, i) => Math.round(v + (RAMP[k + 1][i] - v) * f));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The spec of the lr grid: the experiment's task and training (steps capped), one run per factor
 * copying run `index` with lr × factor, on cpu64. Throws with a reason when the run has no lr
 * to vary (Adafactor's relative step) or the draft is not a valid function task.
 */
export function lrGridSpec(
  draftSpec: Record<string, unknown>,
  index: number,
  factors: readonly number[],
): ExperimentSpec {
  const spec = assertSpec(draftSpec, defaultCatalog());
  if (spec.task.kind !== 'function') throw new Error('the lr grid draws paths of a function task');
  const run = spec.runs[index];
  if (!run) throw new Error(`there is no run ${index + 1}`);
  const lr = (run.optimizer as Record<string, unknown>)['lr'];
  if (typeof lr !== 'number' || !(lr > 0)) {
    throw new Error(
      `${run.name}'s optimizer has no single lr to vary (lr is ${JSON.stringify(lr ?? null)})`,
    );
  }
  const steps = Math.min(spec.training.steps ?? LR_GRID_MAX_STEPS, LR_GRID_MAX_STEPS);
  return assertSpec(
    {
      version: 1,
      name: `${spec.name} — lr grid of ${run.name}`,
      task: draftSpec['task'],
      training: { steps },
      runs: factors.map((f) => ({
        name: `lr ${Number((lr * f).toPrecision(4))}`,
        optimizer: { ...(run.optimizer as Record<string, unknown>), lr: lr * f },
        backend: 'cpu64',
        seed: run.seed ?? 0,
      })),
    },
    defaultCatalog(),
  );
}

/** Runs the grid and gives each factor's path in its ramp colour. */
export async function lrGridPaths(spec: ExperimentSpec): Promise<LrGridPath[]> {
  const { events } = await runToSummary(spec);
  return spec.runs.map((run, k) => {
    const points: number[][] = [];
    let diverged: string | null = null;
    for (const e of events) {
      if (!('run' in e) || e.run !== run.name) continue;
      if ((e.type === 'start' || e.type === 'step') && e.params) points.push([...e.params]);
      if (e.type === 'diverged') diverged = e.reason;
    }
    return {
      lr: (run.optimizer as Record<string, unknown>)['lr'] as number,
      color: rampColor(spec.runs.length === 1 ? 0.5 : k / (spec.runs.length - 1)),
      points,
      diverged,
    };
  });
}
