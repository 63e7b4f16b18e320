import { checkOptionValues, optionValue, type OptionInfo } from '@optlab/tensor';

/**
 * Options of datasets, models and test functions are described with @optlab/tensor's
 * `OptionInfo` and checked by its `checkOption`, the same rule as optimizers, schedules and the
 * experiment spec (docs/decisions/0009-one-option-model.md). Re-exported for API stability.
 */
export type { OptionInfo, OptionProblem } from '@optlab/tensor';

/** Thrown for a bad model, dataset or function option; the message names the field and value. */
export class ModelsError extends Error {
  override name = 'ModelsError';
}

type Options = Readonly<Record<string, unknown>>;

/**
 * Reads the options of `owner` (e.g. `dataset "moons"`) against their descriptions: refuses
 * unknown names (listing the known ones), missing required options and values that do not fit,
 * then fills the defaults in.
 */
export function resolveOptions(
  owner: string,
  infos: readonly OptionInfo[],
  given: Options,
  ignore: readonly string[] = ['kind'],
): Record<string, unknown> {
  const [problem] = checkOptionValues(infos, given, ignore);
  if (problem) {
    const name = String(problem.path[0]);
    const known = infos.some((i) => i.name === name);
    throw new ModelsError(
      known ? `${owner}: option "${name}" ${problem.message}` : `${owner}: ${problem.message}`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const info of infos) out[info.name] = optionValue(info, given);
  return out;
}
