import { lookup, type Parameter } from '@optlab/tensor';
import {
  clipGradNorm,
  clipGradValue,
  CombinedOptimizer,
  createOptimizer,
  createSchedule,
  LBFGS,
  Lookahead,
  OPTIMIZERS,
  Prodigy,
  SAM,
  ScheduleFreeOptimizer,
  type LRScheduler,
  type Optimizer,
  type ParamGroupInput,
} from '@optlab/optim';
import { optionsOf } from '../spec/options-check.js';
import { groupByEntries, type MatchedGroup, type ParamGroupEntry } from '../spec/param-match.js';
import type { RunSpec } from '../spec/schema.js';
import { DEFAULT_FALLBACK } from '../spec/validate-run-optimizer.js';

/**
 * A run's optimizer as the spec describes it, built over the task's parameters: the named
 * optimizer over its parameter groups (`paramGroups`), Muon's matrices beside a fallback
 * optimizer for the other parameters (a `CombinedOptimizer`), wrapped in Lookahead
 * (`lookahead`), with its schedule; the gradient clipping to apply before each step; and the
 * hooks the training loop needs into the optimizers inside (Schedule-Free's eval/train, Prodigy's
 * d, LBFGS's evaluations).
 */
export interface BuiltOptimizer {
  /** The outermost optimizer: the one the loop steps and the schedule drives. */
  readonly optimizer: Optimizer;
  readonly schedule: LRScheduler | null;
  /** Whether `optimizer` steps with a closure (LBFGS, SAM, or Lookahead around one). */
  readonly requiresClosure: boolean;
  /** Which parameters went to which optimizer and options, for humans; null for one plain group. */
  readonly paramGroups: string | null;
  /** Clips the gradients as the spec asks (value, then norm); does nothing without clipping. */
  clip(): void;
  /** Parameters to the point to evaluate at (Schedule-Free: the average x). */
  evalMode(): void;
  /** Parameters back to where gradients are taken (Schedule-Free: y). */
  trainMode(): void;
  /** Numbers to plot beside the loss (Prodigy: its step-size estimate d); null when none. */
  stats(): Promise<Record<string, number> | null>;
  /** The LBFGS inside, if any (its line-search evaluations can be observed). */
  readonly lbfgs: LBFGS | null;
}

export function buildOptimizer(run: RunSpec, params: readonly Parameter[]): BuiltOptimizer {
  const type = run.optimizer.type;
  const options = optionsOf(run.optimizer);
  const names = params.map((p, i) => p.name ?? `parameter${i}`);
  const groups = run.paramGroups
    ? groupByEntries(names, run.paramGroups as ParamGroupEntry[]).groups
    : [{ indices: params.map((_, i) => i), entries: [], options: {} }];
  const matricesOnly = lookup(OPTIMIZERS, type)?.parameterShapes === 'matrices';
  const built = matricesOnly
    ? splitMatrices(run, params, names, groups)
    : {
        optimizer: createOptimizer(type, groupInputs(params, groups), options),
        described: run.paramGroups ? describeGroups(type, names, groups) : null,
      };
  let optimizer = built.optimizer;
  if (run.lookahead) optimizer = new Lookahead(optimizer, { ...run.lookahead });
  const s = run.schedule;
  const schedule = s ? createSchedule(s.type, optimizer, optionsOf(s)) : null;
  const members = membersOf(optimizer);
  const scheduleFree = members.filter((m) => m instanceof ScheduleFreeOptimizer);
  const prodigy = members.find((m) => m instanceof Prodigy) as Prodigy | undefined;
  const { clipGradNorm: byNorm, clipGradValue: byValue } = run;
  const all = [...params];
  return {
    optimizer,
    schedule,
    requiresClosure: (optimizer as { requiresClosure?: unknown }).requiresClosure === true,
    paramGroups: built.described,
    clip() {
      if (byValue) clipGradValue(all, byValue.clipValue);
      if (byNorm) {
        const normType = byNorm.normType === 'inf' ? Infinity : (byNorm.normType ?? 2);
        clipGradNorm(all, byNorm.maxNorm, normType).dispose();
      }
    },
    evalMode: () => scheduleFree.forEach((m) => m.eval()),
    trainMode: () => scheduleFree.forEach((m) => m.train()),
    async stats() {
      if (!prodigy) return null;
      return { d: (await prodigy.estimateAsync()).d };
    },
    lbfgs: (members.find((m) => m instanceof LBFGS) as LBFGS | undefined) ?? null,
  };
}

/** The optimizer and the optimizers inside it (Lookahead's, SAM's base, a combination's parts). */
function membersOf(o: Optimizer): Optimizer[] {
  const inner =
    o instanceof Lookahead || o instanceof SAM
      ? [o.inner as Optimizer]
      : o instanceof CombinedOptimizer
        ? (o.parts as Optimizer[])
        : [];
  return [o, ...inner.flatMap(membersOf)];
}

/** Constructor groups: each matched group's parameters with its entries' options. */
function groupInputs(
  params: readonly Parameter[],
  groups: readonly MatchedGroup[],
): ParamGroupInput[] {
  return groups.map((g) => ({ params: g.indices.map((i) => params[i]), ...g.options }));
}

/**
 * Muon takes the matrices; the other parameters (biases) go to the fallback (`fallback`, default
 * AdamW with Muon's lr, torch.optim.Muon's advice), each keeping its parameter-group options.
 */
function splitMatrices(
  run: RunSpec,
  params: readonly Parameter[],
  names: readonly string[],
  groups: readonly MatchedGroup[],
): { optimizer: Optimizer; described: string } {
  const type = run.optimizer.type;
  const options = optionsOf(run.optimizer);
  const isMatrix = (i: number) => params[i].shape.length === 2;
  const part = (keep: (i: number) => boolean) =>
    groups
      .map((g) => ({ ...g, indices: g.indices.filter(keep) }))
      .filter((g) => g.indices.length > 0);
  const matrixGroups = part(isMatrix);
  const otherGroups = part((i) => !isMatrix(i));
  const fallbackType = run.fallback?.type ?? DEFAULT_FALLBACK;
  const lr = options.lr ?? lookup(OPTIMIZERS, type)!.options.find((o) => o.name === 'lr')?.default;
  const fallbackOptions = { lr, ...optionsOf(run.fallback) };
  const parts: Optimizer[] = [];
  const described: string[] = [];
  const count = (gs: readonly MatchedGroup[]) => gs.reduce((n, g) => n + g.indices.length, 0);
  if (matrixGroups.length > 0) {
    parts.push(createOptimizer(type, groupInputs(params, matrixGroups), options));
    const n = count(matrixGroups);
    described.push(`${type}: ${n} ${n === 1 ? 'matrix' : 'matrices'}`);
  }
  if (otherGroups.length > 0) {
    try {
      parts.push(createOptimizer(fallbackType, groupInputs(params, otherGroups), fallbackOptions));
    } catch (err) {
      for (const p of parts) p.dispose();
      throw err;
    }
    const others = otherGroups.flatMap((g) => g.indices);
    const n = others.length;
    const what = others.every((i) => params[i].shape.length === 1)
      ? `${n} ${n === 1 ? 'vector' : 'vectors'}`
      : `${n} other ${n === 1 ? 'parameter' : 'parameters'}`;
    const biases = others.every((i) => /(^|\.)b$/.test(names[i])) ? ' (biases)' : '';
    described.push(`${fallbackType}(lr=${String(fallbackOptions.lr)}): ${what}${biases}`);
  }
  const optimizer = parts.length === 1 ? parts[0] : new CombinedOptimizer(parts);
  const groupsText = run.paramGroups ? `; ${describeGroups(type, names, groups)}` : '';
  return { optimizer, described: described.join('; ') + groupsText };
}

/** `group 0 (weightDecay=0): layer1.b, layer2.b; group 1: layer1.W, layer2.W`. */
function describeGroups(
  type: string,
  names: readonly string[],
  groups: readonly MatchedGroup[],
): string {
  const text = groups.map((g, i) => {
    const set = Object.entries(g.options).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    const opts = set.length > 0 ? ` (${set.join(', ')})` : ` (the run's options)`;
    return `group ${i}${opts}: ${g.indices.map((j) => names[j]).join(', ')}`;
  });
  return `${type} parameter groups: ${text.join('; ')}`;
}
