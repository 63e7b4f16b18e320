/**
 * Training diagnostics in the lab (`runs[].diagnostics`): the runner's `diagnostics` events as
 * compact records, and the lines of the Compare view's diagnostics charts — per-layer gradient
 * norm, update norm and update/weight ratio, and the sharpness beside each run's stability
 * threshold (SGD's 2/η, (2+2β)/η with momentum; none for adaptive optimizers). Pure functions,
 * tested without Svelte.
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
  /** The optimizer's stability threshold at this step (null: it has none on the raw Hessian). */
  readonly threshold: number | null;
  /** How the threshold is computed: "2/η", "(2+2β)/η", … */
  readonly thresholdRule: string | null;
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
    threshold: e.sharpness?.stability?.value ?? null,
    thresholdRule: e.sharpness?.stability?.rule ?? null,
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

/**
 * The sharpness of every run that measures it, each followed by its stability threshold (dashed,
 * labelled by its rule) when its optimizer has one.
 */
export function sharpnessLines(runs: readonly DiagnosticsRun[]): DiagnosticsLine[] {
  return runs.flatMap((run) => {
    const records = (run.records ?? []).filter((r) => r.sharpness !== null);
    if (records.length === 0) return [];
    const x = records.map((r) => r.step);
    const rule = records.find((r) => r.thresholdRule !== null)?.thresholdRule ?? null;
    return [
      {
        label: `${run.label} sharpness`,
        color: run.color,
        x,
        y: records.map((r) => value(r.sharpness)),
      },
      ...(rule === null
        ? []
        : [
            {
              label: `${run.label} ${rule}`,
              color: run.color,
              x,
              y: records.map((r) => value(r.threshold)),
              dash: [8, 5],
            },
          ]),
    ];
  });
}

/** Runs whose sharpness is measured but whose optimizer has no threshold line to draw. */
export function runsWithoutThreshold(runs: readonly DiagnosticsRun[]): string[] {
  return runs
    .filter((run) => {
      const measured = (run.records ?? []).filter((r) => r.sharpness !== null);
      return measured.length > 0 && measured.every((r) => r.thresholdRule === null);
    })
    .map((run) => run.label);
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

const numberOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/**
 * Diagnostics read back from a lab file (JSON turned NaN into null), keeping only records of the
 * right shape; undefined when there are none.
 */
export function storedDiagnostics(value: unknown): DiagnosticsRecord[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const records = value.flatMap((r): DiagnosticsRecord[] => {
    if (typeof r !== 'object' || r === null) return [];
    const o = r as Record<string, unknown>;
    if (typeof o['step'] !== 'number' || !Array.isArray(o['layers'])) return [];
    return [
      {
        step: o['step'],
        lr: numberOrNull(o['lr']) ?? NaN,
        layers: (o['layers'] as unknown[]).flatMap((l) => {
          if (typeof l !== 'object' || l === null) return [];
          const layer = l as Record<string, unknown>;
          if (typeof layer['name'] !== 'string') return [];
          return [
            {
              name: layer['name'],
              gradNorm: numberOrNull(layer['gradNorm']),
              updateNorm: numberOrNull(layer['updateNorm']) ?? NaN,
              updateRatio: numberOrNull(layer['updateRatio']),
            },
          ];
        }),
        sharpness: numberOrNull(o['sharpness']),
        ...storedThreshold(o),
      },
    ];
  });
  return records.length > 0 ? records : undefined;
}

/**
 * A stored record's threshold. Files saved before thresholds had rules carry `twoOverLr` only:
 * that was always drawn as 2/η, and is read back as such.
 */
function storedThreshold(
  o: Record<string, unknown>,
): Pick<DiagnosticsRecord, 'threshold' | 'thresholdRule'> {
  if ('thresholdRule' in o) {
    const rule = o['thresholdRule'];
    return {
      threshold: numberOrNull(o['threshold']),
      thresholdRule: typeof rule === 'string' ? rule : null,
    };
  }
  const old = numberOrNull(o['twoOverLr']);
  return { threshold: old, thresholdRule: old === null ? null : '2/η' };
}
