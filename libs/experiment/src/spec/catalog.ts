import type { OptionInfo, OptionProblem } from '@optlab/tensor';

/**
 * What the spec may name: optimizers, schedules, test functions, datasets and models, each with
 * its option descriptions, and the libraries' pure checks of them. Validation checks a spec
 * against a catalog and `optlab list` prints one; `defaultCatalog()` builds it from the
 * libraries' registries.
 */

/** @optlab/tensor's `OptionInfo`, under the name this package has always exported. */
export type OptionDescription = OptionInfo;

/**
 * One type of item of a structured list option (a cnn layer type): its fields as options are
 * described; a `spatial` field takes an integer or a [height, width] pair (`alsoSame`: or "same").
 */
export interface StructuredItemType {
  readonly type: string;
  readonly summary: string;
  readonly fields: readonly (OptionDescription & {
    readonly spatial?: boolean;
    readonly alsoSame?: boolean;
  })[];
}

export interface CatalogEntry {
  readonly name: string;
  readonly summary: string;
  readonly options: readonly OptionDescription[];
  /** Where it comes from (a paper, PyTorch, the tutorial), where known. */
  readonly source?: string;
  /** Options of which at least one must be given (a CSV's `text` or `path`). */
  readonly requiresOneOf?: readonly string[];
  /**
   * Models: options the option kinds cannot describe (a cnn's list of layers), shown with their
   * doc and an example; the owner's check covers them.
   */
  readonly structuredOptions?: readonly {
    readonly name: string;
    readonly doc: string;
    readonly required: boolean;
    readonly example: unknown;
    /** A list of `{"type": …}` objects (a cnn's layers): each type's fields, as options are described. */
    readonly itemTypes?: readonly StructuredItemType[];
  }[];
  /** Optimizers: `'matrices'` when it updates 2-D parameters only (Muon). */
  readonly parameterShapes?: 'matrices';
  /** Optimizers: true when each step evaluates a closure (LBFGS, SAM). */
  readonly requiresClosure?: boolean;
}

/** A dataset or a model: each serves some task kinds. */
export interface DatasetEntry extends CatalogEntry {
  /** The task kinds it serves. */
  readonly tasks: readonly ('regression' | 'classification')[];
}

/** The kinds of `{ "type": ..., ...options }` configs a spec holds. */
export type ConfigKind = 'optimizer' | 'schedule' | 'averaging' | 'dataset' | 'model' | 'function';

/**
 * The records are null-prototype objects: look names up with `Object.hasOwn` only, so that
 * "constructor" or "__proto__" is an unknown name, never an inherited property.
 */
export interface Catalog {
  readonly optimizers: Readonly<Record<string, CatalogEntry>>;
  /** Wrappers a run puts around its optimizer (`lookahead`), keyed by their class name. */
  readonly optimizerWrappers: Readonly<Record<string, CatalogEntry & { readonly field: string }>>;
  readonly schedules: Readonly<Record<string, CatalogEntry>>;
  /** Weight averages a run may ask for (`averaging: { type: 'ema' | 'swa', ... }`). */
  readonly averaging: Readonly<Record<string, CatalogEntry>>;
  readonly functions: Readonly<Record<string, CatalogEntry>>;
  readonly datasets: Readonly<Record<string, DatasetEntry>>;
  readonly models: Readonly<Record<string, DatasetEntry>>;
  /** gpu.js modes a run with backend "gpu" may ask for. */
  readonly gpuModes: readonly string[];
  /**
   * The owning library's pure check of a config's options (without `type`): unknown names,
   * values, required options and the rules across options; paths relative to the config.
   */
  readonly checkOptions: (
    kind: ConfigKind,
    type: string,
    options: Readonly<Record<string, unknown>>,
  ) => OptionProblem[];
  /** Coordinates of a test function with valid options (undefined: unknown function). */
  readonly functionDimension: (
    type: string,
    options: Readonly<Record<string, unknown>>,
  ) => number | undefined;
  /** Rows, features and classes a dataset's options decide (null: the data decides). */
  readonly datasetShape: (
    type: string,
    options: Readonly<Record<string, unknown>>,
  ) => { rows: number | null; features: number | null; classes: number | null } | undefined;
  /** Names and ranks of a model's parameters with valid options (its `parameters()`, in order). */
  readonly modelParameterLayout: (
    type: string,
    options: Readonly<Record<string, unknown>>,
  ) => readonly { readonly name: string; readonly rank: number }[] | undefined;
  /**
   * The first problem a model's valid options have with data of that width (a cnn kernel larger
   * than the image), path relative to the model's options; undefined when none.
   */
  readonly modelDataProblem?: (
    type: string,
    options: Readonly<Record<string, unknown>>,
    features: number,
    classes: number,
  ) => { readonly path: readonly (string | number)[]; readonly message: string } | undefined;
  /** Weights and biases of a model with valid options on data of that width. */
  readonly modelParameterCount: (
    type: string,
    options: Readonly<Record<string, unknown>>,
    features: number,
    classes: number,
  ) => number | undefined;
}
