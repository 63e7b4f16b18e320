import { topoOrder, type ExprNode, type FusedProgram } from '../fused.js';
import type { BinaryOp, UnaryOp } from '../types.js';

/**
 * The one walker of fused-program expression trees that every code generator shares.
 *
 * A target language is an {@link ExprOpTable}: how each node kind renders (an operand load, a
 * scalar, a constant, each unary and binary op, `where`) and how a computed node is bound to a
 * temporary. The walker visits the nodes the requested outputs need, children before parents and
 * each node once, and hands every node its children's renderings; the table combines them. It
 * knows nothing of loops, kernels or layouts: a generator wraps the statements it gets back in
 * its own loop (the CPU backend's JavaScript) or kernel (the GPU backend's gpu.js source).
 *
 * The rendering type `R` is the table's own choice, so targets of different shapes fit:
 * - an expression language (JavaScript, GLSL, WGSL) renders text, `(a + b)`, and binds with
 *   `const t3 = …;`, referring to the node afterwards as `t3`;
 * - a stack machine (WebAssembly) renders instruction sequences: a binary op is `[...a, ...b,
 *   'f64.add']`, and binding is `[...value, 'local.set $t3']`, after which parents push
 *   `['local.get $t3']`. Post-order is exactly the order a stack machine evaluates in.
 *
 * Every computed (non-leaf) node is bound, so a shared sub-expression is computed once; leaves
 * (operands, scalars, constants) are rendered inline at each use.
 */
export interface ExprOpTable<R, S = string> {
  /** The k-th tensor operand of the program (`program.inputs[k]`), already loaded for this element. */
  readonly input: (index: number) => R;
  /** The k-th number operand (`program.scalars[k]`). */
  readonly scalar: (index: number) => R;
  readonly constant: (value: number) => R;
  readonly unary: Readonly<Record<UnaryOp, (x: R) => R>>;
  readonly binary: Readonly<Record<BinaryOp, (a: R, b: R) => R>>;
  /** `cond > 0 ? a : b` */
  readonly where: (cond: R, a: R, b: R) => R;
  /**
   * Binds a computed node to the temporary numbered `index` (0, 1, … in evaluation order): the
   * statement that computes it, and how the nodes that use it refer to it from then on.
   */
  readonly bind: (value: R, index: number) => BoundTemporary<R, S>;
}

export interface BoundTemporary<R, S> {
  readonly statement: S;
  readonly ref: R;
}

export interface EmittedExpressions<R, S> {
  /** One statement per computed node, in evaluation order. */
  readonly statements: readonly S[];
  /** The rendering of each requested output, in the order requested. */
  readonly outputs: readonly R[];
}

/**
 * Renders the expressions of `outputs` (by default all of the program's) with `table`: the
 * statements to run in order, then each output's rendering, which the caller stores.
 */
export function emitExpressions<R, S>(
  program: FusedProgram,
  table: ExprOpTable<R, S>,
  outputs: readonly string[] = program.outputs,
): EmittedExpressions<R, S> {
  const inputIndex = new Map(program.inputs.map((n, i) => [n, i]));
  const scalarIndex = new Map(program.scalars.map((n, i) => [n, i]));
  const rendered = new Map<ExprNode, R>();
  const ref = (n: ExprNode): R => rendered.get(n)!;
  const statements: S[] = [];
  for (const n of topoOrder(program, outputs)) {
    let value: R;
    switch (n.kind) {
      case 'input':
        rendered.set(n, table.input(inputIndex.get(n.name)!));
        continue;
      case 'scalar':
        rendered.set(n, table.scalar(scalarIndex.get(n.name)!));
        continue;
      case 'const':
        rendered.set(n, table.constant(n.value));
        continue;
      case 'unary':
        value = table.unary[n.op](ref(n.x));
        break;
      case 'binary':
        value = table.binary[n.op](ref(n.a), ref(n.b));
        break;
      case 'where':
        value = table.where(ref(n.cond), ref(n.a), ref(n.b));
        break;
    }
    const bound = table.bind(value, statements.length);
    statements.push(bound.statement);
    rendered.set(n, bound.ref);
  }
  return { statements, outputs: outputs.map((o) => ref(program.exprs[o])) };
}

/** The binding of text targets with block-scoped constants (JavaScript and gpu.js source). */
export function bindConst(value: string, index: number): BoundTemporary<string, string> {
  return { statement: `const t${index} = ${value};`, ref: `t${index}` };
}
