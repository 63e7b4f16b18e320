/**
 * The experiment being edited, as the spec's JSON (the document the CLI reads), plus a stable id
 * per run so results, charts and forms follow a run when it is renamed or moved. Pure functions:
 * each returns a new draft, so the store can keep history simple and tests can check them.
 */

export type BackendChoice = 'cpu' | 'cpu64' | 'gpu';

export interface TypedConfig {
  type: string;
  [option: string]: unknown;
}

export interface RunDraft {
  /** Lab-only identity; removed when the spec is written out. */
  id: string;
  name: string;
  optimizer: TypedConfig;
  schedule?: TypedConfig;
  backend: BackendChoice;
  gpuMode?: string;
  seed?: number;
  /** Several seeds in one run card (`"seeds": [0, 1, 2]`), instead of `seed`. */
  seeds?: number[];
  /** Training extras (training-extras.ts): present only when the run uses them. */
  lookahead?: { k?: number; alpha?: number };
  clipGradNorm?: { maxNorm: number; normType?: number | 'inf' };
  clipGradValue?: { clipValue: number };
  averaging?: TypedConfig;
  paramGroups?: { match: string; [option: string]: unknown }[];
  /** Training diagnostics (per-layer norms, sharpness), kept as the spec has them. */
  diagnostics?: { every: number; sharpness?: Record<string, number> };
  /** Options swept over (sweep-editor.ts): present only when the run sweeps. */
  sweep?: Record<string, unknown>;
}

export interface ExperimentDraft {
  version: 1;
  name: string;
  description?: string;
  task: { kind: 'function' | 'regression' | 'classification'; [key: string]: unknown };
  training: { [key: string]: unknown };
  /** The tuning protocol (ProtocolEditor): present only when the experiment states one. */
  protocol?: Record<string, unknown>;
  runs: RunDraft[];
}

let counter = 0;
/** A short id unique within this page. */
export function newRunId(): string {
  counter += 1;
  return `run-${Date.now().toString(36)}-${counter}`;
}

/** `Adam` → `Adam 2` when `Adam` is taken, and so on. */
export function uniqueRunName(base: string, taken: readonly string[]): string {
  const stem = base.replace(/ \d+$/, '');
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${stem} ${i}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

export function addRun(draft: ExperimentDraft, run: Omit<RunDraft, 'id'>): ExperimentDraft {
  const name = uniqueRunName(
    run.name,
    draft.runs.map((r) => r.name),
  );
  return { ...draft, runs: [...draft.runs, { ...structuredClone(run), name, id: newRunId() }] };
}

export function duplicateRun(draft: ExperimentDraft, id: string): ExperimentDraft {
  const index = indexOf(draft, id);
  const source = draft.runs[index];
  const copy: RunDraft = {
    ...structuredClone(source),
    id: newRunId(),
    name: uniqueRunName(
      `${source.name} copy`,
      draft.runs.map((r) => r.name),
    ),
  };
  const runs = [...draft.runs];
  runs.splice(index + 1, 0, copy);
  return { ...draft, runs };
}

/** Moves a run up (delta −1) or down (+1); a move past either end leaves the order unchanged. */
export function moveRun(draft: ExperimentDraft, id: string, delta: number): ExperimentDraft {
  const from = indexOf(draft, id);
  const to = from + delta;
  if (to < 0 || to >= draft.runs.length) return draft;
  const runs = [...draft.runs];
  const [run] = runs.splice(from, 1);
  runs.splice(to, 0, run);
  return { ...draft, runs };
}

/** Removes a run; the last run stays (a spec has at least one). */
export function removeRun(draft: ExperimentDraft, id: string): ExperimentDraft {
  if (draft.runs.length <= 1) return draft;
  indexOf(draft, id);
  return { ...draft, runs: draft.runs.filter((r) => r.id !== id) };
}

export function updateRun(
  draft: ExperimentDraft,
  id: string,
  patch: Partial<Omit<RunDraft, 'id'>>,
): ExperimentDraft {
  indexOf(draft, id);
  return {
    ...draft,
    runs: draft.runs.map((r) => {
      if (r.id !== id) return r;
      const next: RunDraft = { ...r, ...patch };
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) delete (next as unknown as Record<string, unknown>)[key];
      }
      return next;
    }),
  };
}

/**
 * The spec document for the runner and for files: run ids removed, and run fields left unset
 * (`undefined`) left out, so an optional field is written only when the run uses it.
 */
export function toSpec(draft: ExperimentDraft): Record<string, unknown> {
  const { runs, ...rest } = draft;
  return {
    ...structuredClone(rest),
    runs: runs.map(({ id: _id, ...run }) =>
      structuredClone(Object.fromEntries(Object.entries(run).filter(([, v]) => v !== undefined))),
    ),
  };
}

/** A draft from a spec document (a preset, a file, the CLI's spec.json): gives each run an id. */
export function fromSpec(spec: unknown): ExperimentDraft {
  if (!isRecord(spec)) throw new Error('an experiment spec must be a JSON object');
  if (spec['version'] !== 1)
    throw new Error(`unsupported spec version ${JSON.stringify(spec['version'])}; expected 1`);
  if (!isRecord(spec['task']) || typeof spec['task']['kind'] !== 'string')
    throw new Error('spec.task.kind is missing');
  if (!isRecord(spec['training'])) throw new Error('spec.training is missing');
  if (!Array.isArray(spec['runs']) || spec['runs'].length === 0)
    throw new Error('spec.runs must list at least one run');
  const runs = spec['runs'].map((run: unknown, i: number): RunDraft => {
    if (!isRecord(run) || !isRecord(run['optimizer']))
      throw new Error(`spec.runs[${i}].optimizer is missing`);
    const copy = structuredClone(run) as unknown as RunDraft;
    return {
      ...copy,
      id: newRunId(),
      backend: copy.backend ?? 'cpu',
      name: String(run['name'] ?? `Run ${i + 1}`),
    };
  });
  const {
    runs: _runs,
    $schema: _schema,
    ...rest
  } = structuredClone(spec) as Record<string, unknown>;
  return { ...(rest as Omit<ExperimentDraft, 'runs'>), runs };
}

function indexOf(draft: ExperimentDraft, id: string): number {
  const index = draft.runs.findIndex((r) => r.id === id);
  if (index < 0) throw new Error(`no run with id ${id}`);
  return index;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
