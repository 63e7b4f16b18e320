/**
 * How a run's `paramGroups` pick parameters by name. Models name their parameters
 * `<layer>.<kind>`: an MLP's Dense layers are `layer1` … `layerN` with `W` (the weight matrix)
 * and `b` (the bias), logistic regression's one layer is `linear`, linear regression has one
 * `weights` matrix (`modelParameterLayout` in @optlab/models lists them).
 *
 * A `match` is dot-separated parts; it matches a parameter whose name, split at the dots,
 * contains the parts in a row, each part equal to its segment or `*` (any one segment). The
 * parts `weight` and `bias` also match `W` and `b`, PyTorch's names for them. So `bias` matches
 * every bias, `layer1` both of layer1's parameters (not layer10's), `layer2.W` one matrix and
 * `*.b` every bias again.
 *
 * Every entry whose match fits a parameter applies to it, in order, a later entry's options
 * over an earlier one's; parameters that no entry fits keep the run's optimizer options.
 * Parameters with the same fitting entries form one parameter group of the optimizer.
 */

const ALIASES: Readonly<Record<string, string>> = { weight: 'W', bias: 'b' };

export function matchesParameter(match: string, name: string): boolean {
  const parts = match.split('.');
  const segments = name.split('.');
  const fits = (part: string, segment: string) =>
    part === '*' || part === segment || (Object.hasOwn(ALIASES, part) && ALIASES[part] === segment);
  for (let i = 0; i + parts.length <= segments.length; i++) {
    if (parts.every((part, j) => fits(part, segments[i + j]))) return true;
  }
  return false;
}

/** A `paramGroups` entry: its `match` and the optimizer options it sets. */
export interface ParamGroupEntry {
  readonly match: string;
  readonly [option: string]: unknown;
}

/** Parameters (by index) that share the same fitting entries, and the options those entries set. */
export interface MatchedGroup {
  readonly indices: number[];
  /** Indices of the entries that fit, in order (empty: the run's options alone). */
  readonly entries: number[];
  readonly options: Record<string, unknown>;
}

/**
 * Splits parameters (by name) into groups by the entries that fit them, in the order of their
 * first parameter; `unmatched` lists the entries that fit no parameter.
 */
export function groupByEntries(
  names: readonly string[],
  entries: readonly ParamGroupEntry[],
): { groups: MatchedGroup[]; unmatched: number[] } {
  const groups = new Map<string, MatchedGroup>();
  const used = new Set<number>();
  names.forEach((name, index) => {
    const fitting = entries.flatMap((e, j) => (matchesParameter(e.match, name) ? [j] : []));
    for (const j of fitting) used.add(j);
    const key = fitting.join(',');
    let group = groups.get(key);
    if (!group) {
      group = { indices: [], entries: fitting, options: optionsOfEntries(entries, fitting) };
      groups.set(key, group);
    }
    group.indices.push(index);
  });
  const unmatched = entries.flatMap((_, j) => (used.has(j) ? [] : [j]));
  return { groups: [...groups.values()], unmatched };
}

/** The options of the fitting entries, later over earlier, without `match`. */
function optionsOfEntries(
  entries: readonly ParamGroupEntry[],
  fitting: readonly number[],
): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const j of fitting) {
    for (const key of Object.keys(entries[j])) if (key !== 'match') out[key] = entries[j][key];
  }
  return out;
}
