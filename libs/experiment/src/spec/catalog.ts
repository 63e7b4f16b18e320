/**
 * What the spec may name: optimizers, schedules, test functions, datasets, activations and
 * initialisers, each with its option descriptions. Validation checks a spec against a catalog
 * and `optlab list` prints one; `defaultCatalog()` builds it from the libraries' registries.
 */
export interface OptionDescription {
  readonly name: string;
  readonly kind:
    'number' | 'integer' | 'boolean' | 'pair' | 'numbers' | 'choice' | 'string' | 'column';
  readonly default: number | boolean | string | readonly number[] | null;
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: boolean;
  readonly exclusiveMax?: boolean;
  readonly choices?: readonly string[];
  readonly unit?: string;
  readonly doc: string;
}

export interface CatalogEntry {
  readonly name: string;
  readonly summary: string;
  readonly options: readonly OptionDescription[];
  /** Where it comes from (a paper, PyTorch, the tutorial), where known. */
  readonly source?: string;
}

/** A dataset or a model: each serves some task kinds. */
export interface DatasetEntry extends CatalogEntry {
  /** The task kinds it serves. */
  readonly tasks: readonly ('regression' | 'classification')[];
}

export interface Catalog {
  readonly optimizers: Readonly<Record<string, CatalogEntry>>;
  readonly schedules: Readonly<Record<string, CatalogEntry>>;
  readonly functions: Readonly<Record<string, CatalogEntry>>;
  readonly datasets: Readonly<Record<string, DatasetEntry>>;
  readonly models: Readonly<Record<string, DatasetEntry>>;
  /** gpu.js modes a run with backend "gpu" may ask for. */
  readonly gpuModes: readonly string[];
  /**
   * Deeper checks that build the thing (on a tiny CPU parameter) and return the library's own
   * complaint, for rules the option descriptions cannot state (e.g. a required option).
   */
  readonly probeOptimizer?: (type: string, options: Record<string, unknown>) => string | undefined;
  readonly probeSchedule?: (type: string, options: Record<string, unknown>) => string | undefined;
  /** The parameter size a test function needs (null: any), or its complaint about the options. */
  readonly functionDimension?: (
    type: string,
    options: Record<string, unknown>,
  ) => { dimension: number | null } | { error: string };
}
