import {
  checkOptionValues,
  lookup,
  optionValue,
  showOptionValue,
  type OptionProblem,
} from '@optlab/tensor';
import { CHILD_KEYS, SCHEDULES } from './registry.js';

type Key = string | number;

/**
 * A path built by linking to its parent rather than copying it, so that walking a schedule
 * nested d deep costs O(d), not O(d²); a path is spelled out only for a problem.
 */
interface PathLink {
  readonly up: PathLink | null;
  readonly keys: readonly Key[];
}

function spell(at: PathLink | null, keys: readonly Key[]): Key[] {
  const parts: (readonly Key[])[] = [keys];
  for (let link = at; link !== null; link = link.up) parts.push(link.keys);
  return parts.reverse().flat();
}

interface Pending {
  readonly type: unknown;
  readonly options: Readonly<Record<string, unknown>>;
  /** Where the `type` sits, and where the options sit (the same object at the top level). */
  readonly typeAt: PathLink | null;
  readonly optionsAt: PathLink | null;
  readonly isChild: boolean;
}

/**
 * Every problem with a schedule named `type` and its `options`, without building it: unknown
 * names (own properties of the registry only), unknown options, values that do not fit their
 * description, required options left out, the rules across options that each schedule states
 * next to its class, and (for SequentialLR and ChainedScheduler) every child in `schedulers`,
 * with its path (`['schedulers', 1, 'options', 'gamma']`). Iterative and linear in the size of
 * the options, however deep the composites nest.
 */
export function checkScheduleOptions(
  type: string,
  options: Readonly<Record<string, unknown>> = {},
): OptionProblem[] {
  const problems: OptionProblem[] = [];
  const work: Pending[] = [{ type, options, typeAt: null, optionsAt: null, isChild: false }];
  while (work.length > 0) {
    const item = work.pop()!;
    const report = (at: PathLink | null, keys: readonly Key[], message: string) =>
      problems.push({ path: spell(at, keys), message });
    const info = lookup(SCHEDULES, item.type);
    if (!info) {
      report(
        item.typeAt,
        ['type'],
        `unknown schedule ${showOptionValue(item.type)}; known: ${Object.keys(SCHEDULES).join(', ')}`,
      );
      continue;
    }
    if (item.isChild && !info.pure) {
      report(
        item.typeAt,
        ['type'],
        `${info.name} cannot be composed: only schedules with a closed form can`,
      );
      continue;
    }
    const before = problems.length;
    for (const p of checkOptionValues(
      info.options,
      item.options,
      info.composite ? ['schedulers'] : [],
      `schedule ${info.name}`,
    )) {
      report(item.optionsAt, p.path, p.message);
    }
    if (problems.length === before && info.check) {
      const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const o of info.options) values[o.name] = optionValue(o, item.options);
      if (info.composite) values.schedulers = item.options.schedulers;
      const cross = info.check(values);
      if (cross) report(item.optionsAt, cross.path, cross.message);
    }
    const children = (info.composite ? childrenOf(item, report) : null) ?? [];
    for (let i = children.length - 1; i >= 0; i--) work.push(children[i]);
  }
  return problems;
}

/** The children of a composite as pending checks, or null (reported) when `schedulers` is malformed. */
function childrenOf(
  item: Pending,
  report: (at: PathLink | null, keys: readonly Key[], message: string) => void,
): Pending[] | null {
  const list = Object.hasOwn(item.options, 'schedulers') ? item.options.schedulers : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    report(
      item.optionsAt,
      ['schedulers'],
      `required: a non-empty list of { "type": ..., "options": { ... } }, got ${showOptionValue(list)}`,
    );
    return null;
  }
  const listAt: PathLink = { up: item.optionsAt, keys: ['schedulers'] };
  const children: Pending[] = [];
  list.forEach((child: unknown, i) => {
    if (child === null || typeof child !== 'object' || Array.isArray(child)) {
      report(
        listAt,
        [i],
        `must be { "type": ..., "options": { ... } }, got ${showOptionValue(child)}`,
      );
      return;
    }
    const c = child as Record<string, unknown>;
    let ok = true;
    for (const key of Object.keys(c)) {
      if (!CHILD_KEYS.includes(key)) {
        report(listAt, [i, key], `unknown key "${key}"; known: ${CHILD_KEYS.join(', ')}`);
        ok = false;
      }
    }
    const type = Object.hasOwn(c, 'type') ? c.type : undefined;
    if (typeof type !== 'string') {
      report(listAt, [i, 'type'], `required: a schedule name, got ${showOptionValue(type)}`);
      ok = false;
    }
    const options = Object.hasOwn(c, 'options') ? c.options : undefined;
    if (
      options !== undefined &&
      (options === null || typeof options !== 'object' || Array.isArray(options))
    ) {
      report(listAt, [i, 'options'], `must be an object, got ${showOptionValue(options)}`);
      ok = false;
    }
    if (!ok) return;
    const childAt: PathLink = { up: listAt, keys: [i] };
    children.push({
      type,
      options: (options ?? {}) as Record<string, unknown>,
      typeAt: childAt,
      optionsAt: { up: childAt, keys: ['options'] },
      isChild: true,
    });
  });
  return children;
}
