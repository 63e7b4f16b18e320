/**
 * Training diagnostics in the lab (`runs[].diagnostics`): the runner's `diagnostics` events as
 * compact records, and the lines of the Compare view's diagnostics charts — per-layer gradient
 * norm, update norm and update/weight ratio, and the sharpness beside each run's 2/η line. Pure
 * functions, tested without Svelte.
 */
import type { DiagnosticsEvent } from '@optlab/experiment';

export interface DiagnosticsRecord {
  readonly step: number;
  readonly lr: number;
  /** Per parameter: name, ‖g‖, ‖Δθ‖, ‖Δθ‖/‖θ‖ (null where not defined). */
  readonly layers: readonly {
    readonly name: string;
    readonly gradNorm: number | null;
    readonly updateNorm: number;
    readonly updateRatio: number | null;
  }[];
  readonly sharpness: number | null;
  readonly twoOverLr: number | null;
}

export function diagnosticsRecordOf(e: DiagnosticsEvent): DiagnosticsRecord {
  return {
    step: e.step,
    lr: e.lr,
    layers: e.layers.map((l) => ({
      name: l.name,
      gradNorm: l.gradNorm,
      updateNorm: l.updateNorm,
      updateRatio: l.updateRatio,
    })),
    sharpness: e.sharpness ? e.sharpness.value : null,
    twoOverLr: e.sharpness ? e.sharpness.twoOverLr : null,
  };
}

export interface DiagnosticsRun {
  readonly label: string;
  readonly color: string;
  readonly records: readonly DiagnosticsRecord[] | undefined;
}

export interface DiagnosticsLine {
  readonly label: string;
  readonly color: string;
  readonly x: number[];
  readonly y: number[];
  /** Dash pattern (canvas setLineDash): a threshold, or the second, third… layer of a run. */
  readonly dash?: number[];
}

/** Dash patterns by layer index: solid, then dashed and dotted variants. */
const LAYER_DASHES: (number[] | undefined)[] = [undefined, [6, 3], [2, 3], [10, 3, 2, 3], [1, 6]];

const value = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);

/** The sharpness of every run that measures it, each followed by its 2/η line (dashed). */
export function sharpnessLines(runs: readonly DiagnosticsRun[]): DiagnosticsLine[] {
  return runs.flatMap((run) => {
    const records = (run.records ?? []).filter((r) => r.sharpness !== null);
    if (records.length === 0) return [];
    const x = records.map((r) => r.step);
    return [
      {
        label: `${run.label} sharpness`,
        color: run.color,
        x,
        y: records.map((r) => value(r.sharpness)),
      },
      {
        label: `${run.label} 2/η`,
        color: run.color,
        x,
        y: records.map((r) => value(r.twoOverLr)),
        dash: [8, 5],
      },
    ];
  });
}

export type LayerMeasure = 'gradNorm' | 'updateNorm' | 'updateRatio';

/** One line per (run, parameter): the run's colour, a dash per parameter. */
export function layerLines(
  runs: readonly DiagnosticsRun[],
  measure: LayerMeasure,
): DiagnosticsLine[] {
  return runs.flatMap((run) => {
    const records = run.records ?? [];
    if (records.length === 0) return [];
    const names = records[0].layers.map((l) => l.name);
    const x = records.map((r) => r.step);
    return names.map((name, k) => ({
      label: `${run.label} · ${name}`,
      color: run.color,
      x,
      y: records.map((r) => value(r.layers[k]?.[measure])),
      dash: LAYER_DASHES[k % LAYER_DASHES.length],
    }));
  });
}
