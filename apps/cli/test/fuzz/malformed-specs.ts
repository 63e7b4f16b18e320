import fc from 'fast-check';

/**
 * Generators of malformed experiment specs for the spec fuzzer. Each case is JSON text (so that
 * raw `__proto__` keys survive) and the class of defect it carries, so a failure report says what
 * kind of input broke the CLI. The classes follow the bad input that was seen to crash OptLab:
 * registry names that are object properties, broken CSV text, size bombs, unsafe seeds, deeply
 * nested schedules, unknown keys, and random damage anywhere in an otherwise valid spec.
 */
export interface FuzzCase {
  readonly kind: string;
  readonly text: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Small valid specs of every task kind, each cheap to run for a few steps. */
export const BASE_SPECS: readonly Json[] = [
  {
    version: 1,
    name: 'fn',
    task: { kind: 'function', function: { type: 'rosenbrock' }, start: [-1, 1] },
    training: { steps: 20 },
    runs: [
      { name: 'sgd', optimizer: { type: 'SGD', lr: 0.001 }, backend: 'cpu64', seed: 0 },
      {
        name: 'adam',
        optimizer: { type: 'Adam', lr: 0.01 },
        schedule: { type: 'StepLR', stepSize: 5, gamma: 0.5 },
        backend: 'cpu',
      },
    ],
  },
  {
    version: 1,
    name: 'linreg',
    task: {
      kind: 'regression',
      dataset: { type: 'linear', n: 40, noise: 1, seed: 3 },
      model: { type: 'linear-regression', init: 'normal' },
      testFraction: 0.25,
    },
    training: { epochs: 3, batchSize: 8, targetLoss: 1.5 },
    runs: [{ name: 'momentum', optimizer: { type: 'SGD', lr: 0.01, momentum: 0.9 } }],
  },
  {
    version: 1,
    name: 'csv',
    task: {
      kind: 'classification',
      dataset: {
        type: 'csv',
        text: 'a,b,label\n1,2,x\n2,1,y\n3,3,x\n0,1,y\n1,1,x\n2,2,y\n',
        labelColumn: 'label',
      },
      model: { type: 'mlp', hidden: [4], activation: 'relu' },
      testFraction: 0.25,
      standardize: true,
    },
    training: { epochs: 2, batchSize: 2 },
    runs: [{ name: 'adam', optimizer: { type: 'Adam', lr: 0.01 }, seeds: [0, 1] }],
  },
  {
    version: 1,
    name: 'moons',
    task: {
      kind: 'classification',
      dataset: { type: 'moons', n: 40, noise: 0.1, seed: 1 },
      model: { type: 'mlp', hidden: [8, 4], activation: 'tanh', init: 'xavier-uniform' },
      testFraction: 0.25,
    },
    training: { epochs: 2, batchSize: 8 },
    runs: [
      {
        name: 'seq',
        optimizer: { type: 'SGD', lr: 0.1 },
        schedule: {
          type: 'SequentialLR',
          schedulers: [
            { type: 'LinearLR', options: { startFactor: 0.1, totalIters: 3 } },
            { type: 'ExponentialLR', options: { gamma: 0.9 } },
          ],
          milestones: [3],
        },
      },
    ],
  },
];

/** Names that are properties of every JavaScript object: a registry keyed by a plain object finds them. */
const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
];

/** Values that have broken parsers somewhere: wrong types, edges of number ranges, huge sizes. */
const NASTY_VALUES: readonly Json[] = [
  null,
  true,
  false,
  '',
  ' ',
  'NaN',
  'Infinity',
  '1e999',
  '0x10',
  'constructor',
  '__proto__',
  -1,
  0,
  0.5,
  1.5,
  -0,
  1e-320,
  1e300,
  -1e300,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  -(2 ** 53),
  1e9,
  [],
  [[]],
  [0],
  [-1, -1],
  {},
  { type: 'constructor' },
  'x'.repeat(5000),
];

/** CSV text that must be refused (or read by a stated rule), never crash. */
const BAD_CSV = [
  '',
  'a,b,label\n',
  'a,b,label\n1,2\n3,4,y\n',
  'a,b,label\n1,2,x\n3,4,x\n5,6,x\n',
  'a,b,label\n1,NaN,x\n3,4,y\n',
  'a,b,label\n1,,x\n3,4,y\n',
  'a,b,label\n1, ,x\n3,4,y\n',
  'a,b,label\n0x10,2,x\n0b11,4,y\n',
  'a;b;label\n1;2;x\n3;4;y\n',
  'a\tb\tlabel\n1\t2\tx\n3\t4\ty\n',
  'a,b,label\n"1,2,x\n3,4,y\n',
  'a,b,label\n1,2,1\n3,4,1.0\n5,6,2\n',
  'a,b,label\n1,2,3.5\n3,4,7.25\n5,6,1.125\n',
  'a,b,label\n1,2,\n3,4,y\n',
  '\uFEFFa,b,label\r\n1,2,x\r\n3,4,y\r\n',
  'a,b,label\n1e400,2,x\n3,4,y\n',
  'label\nx\ny\n',
  '"a""b",c,label\n1,2,x\n3,4,y\n',
  'a,b,label\n1,2,x,9\n3,4,y\n',
];

const jsonText = (value: Json): string => JSON.stringify(value);

function clone(value: Json): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** Every path in a JSON value (objects and arrays), the root excluded. */
function pathsOf(value: Json, base: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(value)
    ? value.map((_, i) => i)
    : Object.keys(value);
  return keys.flatMap((k) => {
    const child = (value as Record<string | number, Json>)[k];
    return [[...base, k], ...pathsOf(child, [...base, k])];
  });
}

function parentOf(root: Json, path: readonly (string | number)[]): Record<string | number, Json> {
  let node = root as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  return node;
}

/** Sets `key` as an own property even when it is `__proto__` (a plain assignment would not). */
function setOwn(target: Record<string | number, Json>, key: string | number, value: Json): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

const baseArb = fc.constantFrom(...BASE_SPECS);

/** Random damage at a random place: replace a value, delete a key, add a key, empty a list. */
const randomDamage: fc.Arbitrary<FuzzCase> = baseArb.chain((base) => {
  const paths = pathsOf(base);
  return fc
    .record({
      path: fc.constantFrom(...paths),
      action: fc.constantFrom('replace', 'delete', 'add-key', 'wrap'),
      value: fc.constantFrom(...NASTY_VALUES),
      key: fc.constantFrom('__proto__', 'constructor', 'extra', 'lr', 'type', 'prototype'),
    })
    .map(({ path, action, value, key }) => {
      const spec = clone(base);
      const parent = parentOf(spec, path);
      const last = path[path.length - 1];
      const target = parent[last];
      if (action === 'replace') setOwn(parent, last, value);
      else if (action === 'delete') {
        if (Array.isArray(parent)) parent.splice(last as number, 1);
        else delete parent[last];
      } else if (action === 'wrap') setOwn(parent, last, [target]);
      else if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
        setOwn(target as Record<string, Json>, key, value);
      } else setOwn(parent, last, { [key]: value });
      return { kind: `damage:${action}:${path.join('.')}`, text: jsonText(spec) };
    });
});

/** A registry name that is an Object.prototype property, in every place a registry is consulted. */
const prototypeNames: fc.Arbitrary<FuzzCase> = fc
  .record({
    name: fc.constantFrom(...PROTOTYPE_NAMES),
    where: fc.constantFrom(
      'optimizer',
      'schedule',
      'function',
      'dataset',
      'model',
      'activation',
      'init',
      'backend',
    ),
  })
  .map(({ name, where }) => {
    const fn = clone(BASE_SPECS[0]) as Record<string, Json>;
    const data = clone(BASE_SPECS[3]) as Record<string, Json>;
    const run = () => (fn.runs as Record<string, Json>[])[0];
    const task = data.task as Record<string, Record<string, Json>>;
    let spec: Json = fn;
    if (where === 'optimizer') (run().optimizer as Record<string, Json>).type = name;
    else if (where === 'schedule') run().schedule = { type: name };
    else if (where === 'backend') run().backend = name;
    else if (where === 'function')
      (fn.task as Record<string, Record<string, Json>>).function.type = name;
    else {
      spec = data;
      if (where === 'dataset') task.dataset.type = name;
      else if (where === 'model') task.model.type = name;
      else task.model[where] = name;
    }
    return { kind: `prototype-name:${where}=${name}`, text: jsonText(spec) };
  });

/** Broken CSV text under a classification or regression task. */
const badCsv: fc.Arbitrary<FuzzCase> = fc
  .record({
    csv: fc.constantFrom(...BAD_CSV),
    task: fc.constantFrom('classification', 'regression'),
    labelColumn: fc.constantFrom<Json>('label', 2, 'missing', 99, -1),
    csvTask: fc.constantFrom<Json>('classification', 'regression'),
  })
  .map(({ csv, task, labelColumn, csvTask }) => {
    const spec = clone(BASE_SPECS[2]) as Record<string, Record<string, Json>>;
    spec.task.kind = task;
    if (task === 'regression') spec.task.model = { type: 'linear-regression' };
    spec.task.dataset = { type: 'csv', text: csv, labelColumn, task: csvTask };
    return { kind: `csv:${task}:${JSON.stringify(csv.slice(0, 24))}`, text: jsonText(spec) };
  });

/** Sizes that would exhaust memory or time if a limit were not enforced at validation. */
const sizeBombs: fc.Arbitrary<FuzzCase> = fc
  .constantFrom<[string, (spec: Record<string, Record<string, Json>>) => void]>(
    [
      'model-parameters',
      (s) => {
        s.task.dataset = { type: 'random-classification', n: 10, features: 100_000, seed: 1 };
        s.task.model = { type: 'mlp', hidden: [8192] };
      },
    ],
    ['hidden-empty', (s) => (s.task.model = { type: 'mlp', hidden: [] })],
    ['hidden-deep', (s) => (s.task.model = { type: 'mlp', hidden: Array(40).fill(4) })],
    ['hidden-wide', (s) => (s.task.model = { type: 'mlp', hidden: [1e7] })],
    [
      'dataset-values',
      (s) => (s.task.dataset = { type: 'random-classification', n: 1_000_000, features: 100 }),
    ],
    ['dataset-samples', (s) => (s.task.dataset = { type: 'moons', n: 1e9 })],
    ['tiny-split', (s) => (s.task.dataset = { type: 'moons', n: 2, seed: 1 })],
    ['epochs', (s) => (s.training = { epochs: 1e12 })],
    ['batch', (s) => (s.training = { epochs: 1, batchSize: 1e12 })],
    ['runs', (s) => (s.runs = Array(5000).fill({ optimizer: { type: 'SGD', lr: 0.1 } }) as never)],
    [
      'seeds',
      (s) =>
        ((s.runs as unknown as Json[])[0] = {
          optimizer: { type: 'SGD' },
          seeds: Array(10_000).fill(1),
        }),
    ],
    ['name', (s) => (s.name = 'n'.repeat(100_000) as unknown as Record<string, Json>)],
  )
  .map(([kind, apply]) => {
    const spec = clone(BASE_SPECS[3]) as Record<string, Record<string, Json>>;
    apply(spec);
    return { kind: `size:${kind}`, text: jsonText(spec) };
  });

/** Seeds that are not safe integers: they used to give identical data for 0, 2³², 2⁵³ and 1e300. */
const unsafeSeeds: fc.Arbitrary<FuzzCase> = fc
  .record({
    seed: fc.constantFrom(2 ** 53, 2 ** 64, 1e300, -1, 0.5, -(2 ** 53)),
    where: fc.constantFrom('dataset', 'run', 'seeds'),
  })
  .map(({ seed, where }) => {
    const spec = clone(BASE_SPECS[3]) as Record<string, Record<string, Json>>;
    const run = (spec.runs as unknown as Record<string, Json>[])[0];
    if (where === 'dataset') (spec.task.dataset as Record<string, Json>).seed = seed;
    else if (where === 'run') run.seed = seed;
    else run.seeds = [0, seed];
    return { kind: `seed:${where}=${seed}`, text: jsonText(spec) };
  });

/** SequentialLR nested `depth` deep, optionally with damage at the bottom. */
const nestedSchedules: fc.Arbitrary<FuzzCase> = fc
  .record({
    depth: fc.integer({ min: 2, max: 800 }),
    // A child schedule is `{ type, options }`; the run's own schedule has its options beside type.
    leaf: fc.constantFrom<Json>(
      { type: 'StepLR', options: { stepSize: 2 } },
      { type: 'StepLR', options: {} },
      { type: 'StepLR', options: { stepSize: 2 }, bogus: 1 },
      { type: 'StepLR', stepSize: 2 },
      { type: 'constructor', options: {} },
    ),
  })
  .map(({ depth, leaf }) => {
    const sequential = (child: Json) => ({
      schedulers: [{ type: 'ConstantLR', options: { factor: 0.5, totalIters: 1 } }, child],
      milestones: [1],
    });
    let child: Json = leaf;
    for (let i = 1; i < depth; i++) child = { type: 'SequentialLR', options: sequential(child) };
    const spec = clone(BASE_SPECS[0]) as Record<string, Json>;
    (spec.runs as Record<string, Json>[])[0].schedule = {
      type: 'SequentialLR',
      ...sequential(child),
    };
    return { kind: `nested-schedule:depth=${depth}:${JSON.stringify(leaf)}`, text: jsonText(spec) };
  });

/** Not a spec at all: JSON of the wrong type, or text that is not JSON. */
const notSpecs: fc.Arbitrary<FuzzCase> = fc
  .constantFrom(
    '',
    'null',
    '[]',
    '42',
    '"spec"',
    '{',
    '{"version": 1,}',
    '{"version": 2, "name": "x"}',
    '\uFEFF{}',
    '{"__proto__": {"version": 1}}',
    '['.repeat(5000) + ']'.repeat(5000),
  )
  .map((text) => ({ kind: `not-a-spec:${JSON.stringify(text.slice(0, 20))}`, text }));

/** Every class, weighted so that random damage is the largest share. */
export const malformedSpec: fc.Arbitrary<FuzzCase> = fc.oneof(
  { arbitrary: randomDamage, weight: 6 },
  { arbitrary: prototypeNames, weight: 2 },
  { arbitrary: badCsv, weight: 2 },
  { arbitrary: sizeBombs, weight: 2 },
  { arbitrary: unsafeSeeds, weight: 1 },
  { arbitrary: nestedSchedules, weight: 1 },
  { arbitrary: notSpecs, weight: 1 },
);
