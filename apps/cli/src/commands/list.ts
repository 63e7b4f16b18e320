import type { Catalog, CatalogEntry, OptionDescription } from '@optlab/experiment';
import { SUITES } from '@optlab/experiment';
import { updateRuleOf } from '@optlab/optim';
import { describeDefault } from '@optlab/tensor';

export const LIST_TOPICS = [
  'optimizers',
  'schedules',
  'averaging',
  'tasks',
  'datasets',
  'functions',
  'models',
  'suites',
] as const;
export type ListTopic = (typeof LIST_TOPICS)[number];

/**
 * "required", "optional, no default" (Adafactor's lr, OneCycleLR's totalSteps: the owner decides
 * what leaving it out means) or "default X", with X as a spec would write it.
 */
function showDefault(o: OptionDescription): string {
  return o.default === null ? describeDefault(o) : `default ${JSON.stringify(o.default)}`;
}

function bounds(o: OptionDescription): string {
  const parts: string[] = [];
  if (o.min !== undefined) parts.push(`${o.exclusiveMin ? '>' : '≥'} ${o.min}`);
  if (o.max !== undefined) parts.push(`${o.exclusiveMax ? '<' : '≤'} ${o.max}`);
  if (o.choices) parts.push(`one of ${o.choices.join(', ')}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function entryText(e: CatalogEntry, extra = ''): string {
  const lines = [`  ${e.name}${extra}  —  ${e.summary}`];
  if (e.source) lines.push(`      source: ${e.source}`);
  for (const o of e.options) {
    lines.push(
      `      ${o.name}: ${o.kind}, ${showDefault(o)}${bounds(o)}${o.unit ? ` [${o.unit}]` : ''}  ${o.doc}`,
    );
  }
  for (const o of e.structuredOptions ?? []) {
    lines.push(`      ${o.name}: list${o.required ? ', required' : ''}  ${o.doc}`);
    lines.push(`        e.g. ${JSON.stringify(o.example)}`);
    for (const item of o.itemTypes ?? []) {
      lines.push(`        ${item.type}  —  ${item.summary}`);
      for (const f of item.fields) {
        const kind = f.spatial ? `${f.kind} or [h, w]${f.alsoSame ? ' or "same"' : ''}` : f.kind;
        lines.push(`          ${f.name}: ${kind}, ${showDefault(f)}${bounds(f)}  ${f.doc}`);
      }
    }
  }
  return lines.join('\n');
}

/** An optimizer's update rule and paper (@optlab/optim UPDATE_RULES), indented under its entry. */
function ruleText(name: string): string {
  const doc = updateRuleOf(name);
  if (!doc) return '';
  const lines = doc.rule.map((line, i) => `      ${i === 0 ? 'update:' : '       '} ${line}`);
  return `\n${[...lines, `      paper: ${doc.title} — ${doc.link}`].join('\n')}`;
}

const TASKS_TEXT = [
  '  function        a test function (task.function: { type, ...options }, task.start), trained in "steps"',
  '  regression      a regression model on a dataset (task.dataset, task.model: linear-regression)',
  '  classification  a classifier on a dataset (task.dataset, task.model: mlp | cnn | logistic-regression)',
].join('\n');

/** Text of `optlab list [topic]`: every entry with its options, defaults and bounds. */
export function listText(catalog: Catalog, topic?: ListTopic): string {
  const sections: [ListTopic, () => string][] = [
    [
      'optimizers',
      () =>
        [
          ...Object.values(catalog.optimizers).map((e) => entryText(e) + ruleText(e.name)),
          // Wrappers are listed with the optimizers (a spec gives them beside a run's optimizer).
          ...Object.values(catalog.optimizerWrappers).map((e) =>
            entryText(e, ` [wrapper: "${e.field}": { … } beside any run's optimizer]`),
          ),
        ].join('\n'),
    ],
    [
      'schedules',
      () =>
        Object.values(catalog.schedules)
          .map((e) => entryText(e))
          .join('\n'),
    ],
    [
      'averaging',
      () =>
        Object.values(catalog.averaging)
          .map((e) => entryText(e))
          .join('\n'),
    ],
    ['tasks', () => TASKS_TEXT],
    [
      'datasets',
      () =>
        Object.values(catalog.datasets)
          .map((e) => entryText(e, ` [${e.tasks.join(', ')}]`))
          .join('\n'),
    ],
    [
      'functions',
      () =>
        Object.values(catalog.functions)
          .map((e) => entryText(e))
          .join('\n'),
    ],
    [
      'models',
      () =>
        Object.values(catalog.models)
          .map((e) => entryText(e, ` [${e.tasks.join(', ')}]`))
          .join('\n'),
    ],
    [
      'suites',
      () =>
        Object.values(SUITES)
          .map(
            (s) => `  ${s.name}  —  ${s.description ?? ''}\n      tuning budget: ${s.tuningBudget}`,
          )
          .join('\n'),
    ],
  ];
  return (
    sections
      .filter(([name]) => topic === undefined || topic === name)
      .map(([name, body]) => `${name}:\n${body()}`)
      .join('\n\n') + '\n'
  );
}

/** `optlab list --json`: the catalog entries as data. */
export function listJson(catalog: Catalog, topic?: ListTopic): unknown {
  const all: Record<string, unknown> = {
    optimizers: [
      ...Object.values(catalog.optimizers),
      ...Object.values(catalog.optimizerWrappers).map((w) => ({ ...w, wrapper: true })),
    ],
    schedules: Object.values(catalog.schedules),
    averaging: Object.values(catalog.averaging),
    tasks: ['function', 'regression', 'classification'],
    datasets: Object.values(catalog.datasets),
    functions: Object.values(catalog.functions),
    models: Object.values(catalog.models),
    suites: Object.values(SUITES).map((s) => ({
      name: s.name,
      description: s.description,
      tuningBudget: s.tuningBudget,
    })),
  };
  return topic ? all[topic] : all;
}
