import { describe, expect, it } from 'vitest';
import {
  bindConst,
  cpu,
  defineUpdate,
  emitExpressions,
  Expr,
  where,
  type BinaryOp,
  type ExprOpTable,
  type UnaryOp,
} from '../src/index.js';

/** The shared sub-expression `d = a − b` feeds both outputs, and twice one of them. */
const shared = defineUpdate({
  name: 'emitShared',
  inputs: ['a', 'b'],
  scalars: ['s'],
  outputs: ['sq', 'mix'],
  body: ({ a, b }, { s }) => {
    const d = a.sub(b);
    return { sq: d.mul(d), mix: where(d, d.exp(), d.neg().tanh()).add(d.abs().pow(0.5)).mul(s) };
  },
});

/** Every node kind and op once, with non-finite constants, and an output that is a bare input. */
const everyOp = defineUpdate({
  name: 'emitEveryOp',
  inputs: ['a', 'b'],
  scalars: ['s'],
  outputs: ['y', 'z', 'a'],
  body: ({ a, b }, { s }) => ({
    y: a
      .add(b)
      .mul(s)
      .div(b.abs().add(1))
      .sub(a.sigmoid())
      .add(a.maximum(b).minimum(1.5))
      .add(a.square().add(1).log())
      .add(a.sign().mul(b.tanh()))
      .add(b.abs().sqrt().pow(2))
      .add(a.neg().relu().exp())
      .add(where(a.sub(b), Infinity, -Infinity).maximum(-3).minimum(3))
      .add(a.lerp(b, 0.25)),
    z: Expr.of(b).mul(NaN).maximum(a),
    a: b,
  }),
});

const minimalText: ExprOpTable<string> = {
  input: (k) => `x${k}`,
  scalar: (k) => `s${k}`,
  constant: (v) => `${v}`,
  unary: Object.fromEntries(
    (
      ['neg', 'abs', 'sign', 'square', 'sqrt', 'exp', 'log', 'tanh', 'sigmoid', 'relu'] as const
    ).map((op) => [op, (x: string) => `${op}(${x})`]),
  ) as Record<UnaryOp, (x: string) => string>,
  binary: Object.fromEntries(
    (['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const).map((op) => [
      op,
      (a: string, b: string) => `${op}(${a}, ${b})`,
    ]),
  ) as Record<BinaryOp, (a: string, b: string) => string>,
  where: (c, a, b) => `where(${c}, ${a}, ${b})`,
  bind: bindConst,
};

describe('emitExpressions', () => {
  it('binds each computed node once, children first, and returns the outputs in order', () => {
    const { statements, outputs } = emitExpressions(shared, minimalText);
    expect(statements).toEqual([
      'const t0 = sub(x0, x1);',
      'const t1 = mul(t0, t0);',
      'const t2 = exp(t0);',
      'const t3 = neg(t0);',
      'const t4 = tanh(t3);',
      'const t5 = where(t0, t2, t4);',
      'const t6 = abs(t0);',
      'const t7 = pow(t6, 0.5);',
      'const t8 = add(t5, t7);',
      'const t9 = mul(t8, s0);',
    ]);
    expect(outputs).toEqual(['t1', 't9']);
  });

  it('emits only the nodes the requested outputs need', () => {
    const { statements, outputs } = emitExpressions(shared, minimalText, ['sq']);
    expect(statements).toEqual(['const t0 = sub(x0, x1);', 'const t1 = mul(t0, t0);']);
    expect(outputs).toEqual(['t1']);
  });

  it('renders leaves inline: a bare input or constant output needs no statement', () => {
    const program = defineUpdate({
      name: 'emitLeaves',
      inputs: ['a', 'b'],
      outputs: ['c', 'a'],
      body: ({ b }) => ({ c: 2, a: b }),
    });
    expect(emitExpressions(program, minimalText)).toEqual({ statements: [], outputs: ['2', 'x1'] });
  });
});

/**
 * A stack-machine target, the shape a WebAssembly table will have: renderings are instruction
 * sequences, binding is `local.set` and references are `local.get`. Run by a tiny interpreter,
 * it must give the CPU backend's results bit for bit (both compute in doubles with Math).
 */
type Instr =
  | { readonly op: 'const'; readonly value: number }
  | { readonly op: 'input' | 'scalar' | 'get' | 'set'; readonly index: number }
  | { readonly op: 'unary'; readonly fn: UnaryOp }
  | { readonly op: 'binary'; readonly fn: BinaryOp }
  | { readonly op: 'select' };

const unaryOp = (fn: UnaryOp) => (x: Instr[]) => [...x, { op: 'unary', fn } as const];
const binaryOp = (fn: BinaryOp) => (a: Instr[], b: Instr[]) => [
  ...a,
  ...b,
  { op: 'binary', fn } as const,
];

const stackTable: ExprOpTable<Instr[], Instr[]> = {
  input: (index) => [{ op: 'input', index }],
  scalar: (index) => [{ op: 'scalar', index }],
  constant: (value) => [{ op: 'const', value }],
  unary: {
    neg: unaryOp('neg'),
    abs: unaryOp('abs'),
    sign: unaryOp('sign'),
    square: unaryOp('square'),
    sqrt: unaryOp('sqrt'),
    exp: unaryOp('exp'),
    log: unaryOp('log'),
    tanh: unaryOp('tanh'),
    sigmoid: unaryOp('sigmoid'),
    relu: unaryOp('relu'),
  },
  binary: {
    add: binaryOp('add'),
    sub: binaryOp('sub'),
    mul: binaryOp('mul'),
    div: binaryOp('div'),
    pow: binaryOp('pow'),
    maximum: binaryOp('maximum'),
    minimum: binaryOp('minimum'),
  },
  // WebAssembly's order: `select` pops the condition last.
  where: (cond, a, b) => [...a, ...b, ...cond, { op: 'select' }],
  bind: (value, index) => ({
    statement: [...value, { op: 'set', index }],
    ref: [{ op: 'get', index }],
  }),
};

const UNARY_MATH: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: Math.sign,
  square: (x) => x * x,
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  relu: (x) => (x < 0 ? 0 : x),
};
const BINARY_MATH: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: Math.max,
  minimum: Math.min,
};

function runStack(
  code: readonly Instr[],
  inputs: number[],
  scalars: number[],
  locals: number[],
): number[] {
  const stack: number[] = [];
  for (const i of code) {
    if (i.op === 'const') stack.push(i.value);
    else if (i.op === 'input') stack.push(inputs[i.index]);
    else if (i.op === 'scalar') stack.push(scalars[i.index]);
    else if (i.op === 'get') stack.push(locals[i.index]);
    else if (i.op === 'set') locals[i.index] = stack.pop()!;
    else if (i.op === 'unary') stack.push(UNARY_MATH[i.fn](stack.pop()!));
    else if (i.op === 'binary') {
      const b = stack.pop()!;
      stack.push(BINARY_MATH[i.fn](stack.pop()!, b));
    } else {
      const cond = stack.pop()!;
      const b = stack.pop()!;
      const a = stack.pop()!;
      stack.push(cond > 0 ? a : b);
    }
  }
  return stack;
}

describe('a stack-machine op table', () => {
  it.each([shared, everyOp])('evaluates $name exactly as the CPU backend does', async (program) => {
    const be = cpu({ dtype: 'float64' });
    const a = [-2, -0.5, 0, 0.25, 1, 3, NaN, -0];
    const b = [1, -0.5, 2, -3, 0, 0.75, 1, 4];
    const s = 1.75;
    const out = be.fusedUpdate(
      program,
      { a: be.tensor(a, [a.length]), b: be.tensor(b, [b.length]) },
      { s },
    );
    const { statements, outputs } = emitExpressions(program, stackTable);
    const body = statements.flat();
    const expected = await Promise.all(program.outputs.map((o) => out[o].data()));
    for (let i = 0; i < a.length; i++) {
      const locals: number[] = [];
      // The statements leave the stack empty; each output then pushes exactly its value.
      expect(runStack(body, [a[i], b[i]], [s], locals)).toEqual([]);
      outputs.forEach((code, k) => {
        expect(runStack(code, [a[i], b[i]], [s], locals)).toEqual([expected[k][i]]);
      });
    }
    be.dispose();
  });
});
