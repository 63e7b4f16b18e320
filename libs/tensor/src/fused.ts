import type { BinaryOp, UnaryOp } from './types.js';
import { BINARY_OPS, UNARY_OPS } from './types.js';

/**
 * Fused elementwise programs.
 *
 * An optimizer step such as Adam's reads a parameter, its gradient and two state tensors and
 * writes three of them back. Written as separate ops it costs ~15 passes over memory and as many
 * temporaries; written as one program it costs one pass. A program is a small expression tree,
 * built once (at module load) with the `Expr` methods below, then handed to a backend's
 * `fusedUpdate`, which compiles it for itself and caches the result by `program.key`:
 * the CPU backend generates one JavaScript loop, a GPU backend one kernel. Scalars (lr, bias
 * corrections) are arguments, not constants, so a changing learning rate never recompiles.
 *
 * See docs/decisions/0002-fused-elementwise-updates.md.
 */
export type ExprNode =
  | { readonly kind: 'input'; readonly name: string }
  | { readonly kind: 'scalar'; readonly name: string }
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly x: ExprNode }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly a: ExprNode; readonly b: ExprNode }
  /** `cond > 0 ? a : b` */
  | { readonly kind: 'where'; readonly cond: ExprNode; readonly a: ExprNode; readonly b: ExprNode };

export type Operand = Expr | number;

/** A node of an elementwise expression, with methods that read like the math. */
export class Expr {
  constructor(readonly node: ExprNode) {}

  static of(v: Operand): Expr {
    return v instanceof Expr ? v : new Expr({ kind: 'const', value: v });
  }

  private bin(op: BinaryOp, other: Operand): Expr {
    return new Expr({ kind: 'binary', op, a: this.node, b: Expr.of(other).node });
  }
  private un(op: UnaryOp): Expr {
    return new Expr({ kind: 'unary', op, x: this.node });
  }

  add(o: Operand): Expr {
    return this.bin('add', o);
  }
  sub(o: Operand): Expr {
    return this.bin('sub', o);
  }
  mul(o: Operand): Expr {
    return this.bin('mul', o);
  }
  div(o: Operand): Expr {
    return this.bin('div', o);
  }
  pow(o: Operand): Expr {
    return this.bin('pow', o);
  }
  maximum(o: Operand): Expr {
    return this.bin('maximum', o);
  }
  minimum(o: Operand): Expr {
    return this.bin('minimum', o);
  }
  neg(): Expr {
    return this.un('neg');
  }
  abs(): Expr {
    return this.un('abs');
  }
  sign(): Expr {
    return this.un('sign');
  }
  square(): Expr {
    return this.un('square');
  }
  sqrt(): Expr {
    return this.un('sqrt');
  }
  exp(): Expr {
    return this.un('exp');
  }
  log(): Expr {
    return this.un('log');
  }
  tanh(): Expr {
    return this.un('tanh');
  }
  sigmoid(): Expr {
    return this.un('sigmoid');
  }
  relu(): Expr {
    return this.un('relu');
  }
  /** `a + t·(b − a)`, the EMA form PyTorch writes as `lerp_`. */
  lerp(to: Operand, t: Operand): Expr {
    return this.add(Expr.of(to).sub(this).mul(t));
  }
}

/** `cond > 0 ? a : b`, elementwise. */
export function where(cond: Operand, a: Operand, b: Operand): Expr {
  return new Expr({
    kind: 'where',
    cond: Expr.of(cond).node,
    a: Expr.of(a).node,
    b: Expr.of(b).node,
  });
}

export interface FusedProgram {
  readonly name: string;
  /** Tensor operands; they broadcast (NumPy rules) to the program's shape. */
  readonly inputs: readonly string[];
  /** Number operands, passed at each call (learning rate, bias corrections, ...). */
  readonly scalars: readonly string[];
  /**
   * Results in evaluation order. An output named like an input is written into that input's
   * tensor in place (it must have the program's full shape); any other output is a new tensor.
   */
  readonly outputs: readonly string[];
  readonly exprs: Readonly<Record<string, ExprNode>>;
  /** Canonical text of the program, the cache key of compiled kernels. */
  readonly key: string;
}

export interface FusedDefinition<I extends string, S extends string, O extends string> {
  name: string;
  inputs: readonly I[];
  scalars?: readonly S[];
  outputs: readonly O[];
  body: (inputs: Record<I, Expr>, scalars: Record<S, Expr>) => Record<O, Operand>;
}

/** Builds a fused elementwise program from a body written with `Expr` methods. */
export function defineUpdate<I extends string, S extends string = never, O extends string = I>(
  def: FusedDefinition<I, S, O>,
): FusedProgram {
  const scalars = def.scalars ?? [];
  const dupes = [...def.inputs, ...scalars].filter((n, i, all) => all.indexOf(n) !== i);
  if (dupes.length)
    throw new Error(`defineUpdate(${def.name}): duplicate names ${dupes.join(', ')}`);
  for (const n of [...def.inputs, ...scalars, ...def.outputs]) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(n)) {
      throw new Error(`defineUpdate(${def.name}): "${n}" is not a plain identifier`);
    }
  }
  const inputs = Object.fromEntries(
    def.inputs.map((n) => [n, new Expr({ kind: 'input', name: n })]),
  ) as Record<I, Expr>;
  const scalarExprs = Object.fromEntries(
    scalars.map((n) => [n, new Expr({ kind: 'scalar', name: n })]),
  ) as Record<S, Expr>;
  const result = def.body(inputs, scalarExprs);
  const exprs: Record<string, ExprNode> = {};
  for (const o of def.outputs) {
    const e = result[o];
    if (e === undefined) throw new Error(`defineUpdate(${def.name}): body did not return "${o}"`);
    exprs[o] = Expr.of(e).node;
  }
  const key = `${def.name}|${def.inputs.join(',')}|${scalars.join(',')}|${def.outputs
    .map((o) => `${o}=${printExpr(exprs[o])}`)
    .join(';')}`;
  return { name: def.name, inputs: def.inputs, scalars, outputs: def.outputs, exprs, key };
}

/** Prints an expression as nested calls; used for the cache key and for error messages. */
export function printExpr(n: ExprNode): string {
  switch (n.kind) {
    case 'input':
      return n.name;
    case 'scalar':
      return `$${n.name}`;
    case 'const':
      return String(n.value);
    case 'unary':
      return `${n.op}(${printExpr(n.x)})`;
    case 'binary':
      return `${n.op}(${printExpr(n.a)},${printExpr(n.b)})`;
    case 'where':
      return `where(${printExpr(n.cond)},${printExpr(n.a)},${printExpr(n.b)})`;
  }
}

/**
 * Nodes of the given outputs (by default all) in dependency order, each once (shared
 * sub-expressions are computed once by code generators that assign one local per node).
 */
export function topoOrder(
  program: FusedProgram,
  outputs: readonly string[] = program.outputs,
): ExprNode[] {
  const seen = new Set<ExprNode>();
  const order: ExprNode[] = [];
  const visit = (n: ExprNode): void => {
    if (seen.has(n)) return;
    seen.add(n);
    if (n.kind === 'unary') visit(n.x);
    else if (n.kind === 'binary') {
      visit(n.a);
      visit(n.b);
    } else if (n.kind === 'where') {
      visit(n.cond);
      visit(n.a);
      visit(n.b);
    }
    order.push(n);
  };
  for (const o of outputs) visit(program.exprs[o]);
  return order;
}

export const FUSED_UNARY_OPS: readonly UnaryOp[] = UNARY_OPS;
export const FUSED_BINARY_OPS: readonly BinaryOp[] = BINARY_OPS;
