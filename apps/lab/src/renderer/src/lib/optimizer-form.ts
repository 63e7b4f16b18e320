/**
 * What an optimizer's form needs beyond its option list: whether it steps with a closure (LBFGS,
 * SAM), and for a wrapper (SAM: a `base` choice naming another optimizer) which of the base's
 * options it shows and how a config changes when the optimizer or its base is switched. Pure,
 * over a catalog, so it is tested without a page.
 */
import * as optim from '@optlab/optim';
import type { Catalog, CatalogEntry } from '@optlab/experiment';
import { lookup } from '@optlab/tensor';
import { defaultsOf, type OptionDescription } from './options.js';

/**
 * True for optimizers whose `step` needs a closure. The registry does not say it, so the
 * optimizer's class (exported by @optlab/optim under the optimizer's name) is asked:
 * `ClosureOptimizer` is the base of exactly those (closure.ts).
 */
export function requiresClosure(type: string): boolean {
  const ctor = lookup(optim as unknown as Record<string, unknown>, type);
  return typeof ctor === 'function' && ctor.prototype instanceof optim.ClosureOptimizer;
}

/** The `base` option of a wrapper optimizer (SAM), whose choices are other optimizers. */
export function baseOption(entry: CatalogEntry): OptionDescription | undefined {
  return entry.options.find((o) => o.name === 'base' && o.kind === 'choice');
}

/**
 * The base's options that a wrapper passes through: all but those whose names the wrapper owns
 * (SAM's own `rho` wins over Adadelta's, as sam.ts reads it first), which the form leaves out.
 */
export function passedBaseOptions(
  wrapper: CatalogEntry,
  base: CatalogEntry,
): { shown: OptionDescription[]; shadowed: string[] } {
  const own = new Set(wrapper.options.map((o) => o.name));
  return {
    shown: base.options.filter((o) => !own.has(o.name)),
    shadowed: base.options.filter((o) => own.has(o.name)).map((o) => o.name),
  };
}

/** The base a new wrapper starts with: SGD (sam.py's example) when offered, else the first. */
function firstBase(option: OptionDescription): string {
  const choices = option.choices ?? [];
  return choices.includes('SGD') ? 'SGD' : (choices[0] ?? '');
}

/**
 * A config for `type` with its defaults; a wrapper gets a base and its own options only (the
 * base's defaults apply until a field is changed). The learning rate carries over when both
 * optimizers take one on the same scale (the same default: SGD's 1e-3 to Muon's, not to Prodigy's
 * multiplier 1), so that switching compares like with like.
 */
export function switchOptimizer(
  catalog: Catalog,
  current: Readonly<Record<string, unknown>>,
  type: string,
): Record<string, unknown> {
  const entry = lookup(catalog.optimizers, type);
  if (!entry) throw new Error(`unknown optimizer ${JSON.stringify(type)}`);
  const next = defaultsOf(type, entry.options);
  const base = baseOption(entry);
  if (base) {
    next['base'] = firstBase(base);
    return next;
  }
  const from = lookup(catalog.optimizers, String(current['type']));
  const lrDefault = (e: CatalogEntry | undefined) =>
    e?.options.find((o) => o.name === 'lr')?.default;
  if (typeof current['lr'] === 'number' && 'lr' in next && lrDefault(from) === lrDefault(entry)) {
    next['lr'] = current['lr'];
  }
  return next;
}

/**
 * A wrapper's config with another base: the wrapper's own options stay, the old base's options
 * go (a value for SGD's momentum means nothing to Adam).
 */
export function switchBase(
  catalog: Catalog,
  config: Readonly<Record<string, unknown>>,
  base: string,
): Record<string, unknown> {
  const entry = lookup(catalog.optimizers, String(config['type']));
  if (!entry) throw new Error(`unknown optimizer ${JSON.stringify(config['type'])}`);
  const next: Record<string, unknown> = { type: config['type'], base };
  for (const option of entry.options) {
    if (option.name !== 'base' && Object.hasOwn(config, option.name)) {
      next[option.name] = config[option.name];
    }
  }
  return next;
}
