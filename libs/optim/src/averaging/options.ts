import { checkOptionValues, optionValue, type OptionInfo } from '@optlab/tensor';

/**
 * Checks the options of an averaging class against their descriptions and fills in defaults;
 * the first problem is thrown, naming the class and the option.
 */
export function readAveragingOptions(
  owner: string,
  infos: readonly OptionInfo[],
  options: unknown,
): Record<string, unknown> {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`${owner}: Invalid options: ${JSON.stringify(options)} (expected an object)`);
  }
  const given = options as Record<string, unknown>;
  const problem = checkOptionValues(infos, given, [], owner)[0];
  if (problem) throw new Error(`${owner}: ${String(problem.path[0])} ${problem.message}`);
  return Object.fromEntries(infos.map((i) => [i.name, optionValue(i, given)]));
}
