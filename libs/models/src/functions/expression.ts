import type { MathNode } from 'mathjs';
import { ModelsError } from '../options.js';
import { expressionEngine } from './expression-engine.js';
import type { Point, TestFunction } from './test-function.js';

/*
 * Test functions typed as math expressions, f(x, y) or f(x1, …, xn). The text is checked by a
 * small scanner of ours first (it knows where every name and character is, which mathjs's
 * syntax tree does not), then parsed by mathjs; the gradient is mathjs's symbolic `derivative`
 * of the tree, every tree compiled once. mathjs is loaded on first use (expression-engine.ts).
 */

/** The longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 2000;
/** The deepest nesting of parentheses accepted (mathjs's parser recurses per level). */
export const MAX_EXPRESSION_DEPTH = 64;
/** The most coordinates an expression may use (x1 … x100): one derivative tree per coordinate. */
export const MAX_EXPRESSION_DIM = 100;

/** The functions an expression may call, with how many arguments (min/max take two or more). */
const FUNCTIONS_ALLOWED: Readonly<Record<string, { min: number; max: number }>> = {
  sin: { min: 1, max: 1 },
  cos: { min: 1, max: 1 },
  exp: { min: 1, max: 1 },
  log: { min: 1, max: 1 },
  sqrt: { min: 1, max: 1 },
  abs: { min: 1, max: 1 },
  tanh: { min: 1, max: 1 },
  min: { min: 2, max: Infinity },
  max: { min: 2, max: Infinity },
};
const CONSTANTS_ALLOWED = new Set(['pi', 'e']);
const OPERATORS_ALLOWED = new Set([
  'add',
  'subtract',
  'multiply',
  'divide',
  'pow',
  'unaryMinus',
  'unaryPlus',
]);
const OPERATOR_CHARACTERS = new Set(['+', '-', '*', '/', '^', '(', ')', ',']);

/** A bad expression, with where: `position` is the 0-based index in the text, `length` how many characters. */
export class ExpressionError extends ModelsError {
  override name = 'ExpressionError';
  constructor(
    readonly reason: string,
    readonly position: number,
    readonly length = 1,
  ) {
    super(`${reason} at character ${position + 1}`);
  }
}

/** A checked, parsed expression. */
export interface ParsedExpression {
  readonly text: string;
  readonly tree: MathNode;
  /** The coordinates, in order: x, y; or x1 … xn (n the largest index used). */
  readonly variables: readonly string[];
}

const NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z_0-9]*/;
const INDEXED = /^x([1-9]\d*)$/;

interface Token {
  readonly name: string;
  readonly at: number;
  /** Followed (after spaces) by "(": a call. */
  readonly call: boolean;
}

/** Scans the text: refuses characters and names outside the language, names each with its position. */
function scan(text: string): Token[] {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      `the expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`,
      MAX_EXPRESSION_LENGTH,
    );
  }
  if (text.trim() === '') throw new ExpressionError('the expression is empty', 0);
  const names: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const rest = text.slice(i);
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9.]/.test(c)) {
      const m = NUMBER.exec(rest);
      if (!m) throw new ExpressionError(`"${c}" is not a number`, i);
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const name = (NAME.exec(rest) as RegExpExecArray)[0];
      const call = /^\s*\(/.test(text.slice(i + name.length));
      names.push({ name, at: i, call });
      i += name.length;
    } else if (OPERATOR_CHARACTERS.has(c)) {
      if (c === '(') depth++;
      if (c === ')') depth--;
      if (depth > MAX_EXPRESSION_DEPTH) {
        throw new ExpressionError(`parentheses nest deeper than ${MAX_EXPRESSION_DEPTH} levels`, i);
      }
      i++;
    } else {
      throw new ExpressionError(`"${c}" is not allowed (operators: + - * / ^ and parentheses)`, i);
    }
  }
  for (const t of names) checkName(t);
  return names;
}

function checkName({ name, at, call }: Token): void {
  const known = `allowed: x, y or x1 … x${MAX_EXPRESSION_DIM}; pi, e; ${Object.keys(FUNCTIONS_ALLOWED).join(', ')}`;
  if (call) {
    if (Object.hasOwn(FUNCTIONS_ALLOWED, name)) return;
    throw new ExpressionError(`unknown function "${name}" (${known})`, at, name.length);
  }
  if (Object.hasOwn(FUNCTIONS_ALLOWED, name)) {
    throw new ExpressionError(`function "${name}" needs arguments in parentheses`, at, name.length);
  }
  if (name === 'x' || name === 'y' || CONSTANTS_ALLOWED.has(name)) return;
  const indexed = INDEXED.exec(name);
  if (indexed && Number(indexed[1]) <= MAX_EXPRESSION_DIM) return;
  throw new ExpressionError(`unknown symbol "${name}" (${known})`, at, name.length);
}

/** The variables named by the tokens, in coordinate order. */
function variablesOf(text: string, tokens: readonly Token[]): string[] {
  const plain = tokens.find((t) => t.name === 'x' || t.name === 'y');
  const indexed = tokens.filter((t) => INDEXED.test(t.name));
  if (plain && indexed.length > 0) {
    const second = plain.at < indexed[0].at ? indexed[0] : plain;
    throw new ExpressionError(
      `use either x, y or x1 … xn, not both ("${second.name}")`,
      second.at,
      second.name.length,
    );
  }
  if (indexed.length === 0) return ['x', 'y'];
  const n = Math.max(...indexed.map((t) => Number((INDEXED.exec(t.name) as RegExpExecArray)[1])));
  return Array.from({ length: n }, (_, i) => `x${i + 1}`);
}

/** Where the first occurrence of a name is, for errors found in the tree (which has no positions). */
function positionOf(tokens: readonly Token[], name: string): number {
  return tokens.find((t) => t.name === name)?.at ?? 0;
}

/** Refuses tree nodes outside the language that the scanner cannot see (wrong argument counts). */
function checkTree(tree: MathNode, tokens: readonly Token[], text: string): void {
  tree.traverse((node) => {
    switch (node.type) {
      case 'ConstantNode':
        if (typeof (node as unknown as { value: unknown }).value !== 'number') {
          throw new ExpressionError('only numbers are allowed as constants', 0, text.length);
        }
        return;
      case 'SymbolNode':
      case 'ParenthesisNode':
        return;
      case 'OperatorNode': {
        const op = node as unknown as { fn: string; op: string };
        if (!OPERATORS_ALLOWED.has(op.fn)) {
          const at = Math.max(0, text.indexOf(op.op));
          throw new ExpressionError(`operator "${op.op}" is not allowed`, at, op.op.length);
        }
        return;
      }
      case 'FunctionNode': {
        const f = node as unknown as { fn: MathNode; args: MathNode[] };
        const name = f.fn.type === 'SymbolNode' ? (f.fn as unknown as { name: string }).name : '';
        const arity = Object.hasOwn(FUNCTIONS_ALLOWED, name) ? FUNCTIONS_ALLOWED[name] : null;
        const at = positionOf(tokens, name);
        if (!arity) throw new ExpressionError(`"${name}" is not a function`, at, name.length || 1);
        if (f.args.length < arity.min || f.args.length > arity.max) {
          const wanted =
            arity.max === Infinity ? `${arity.min} or more arguments` : `${arity.min} argument`;
          throw new ExpressionError(
            `${name} takes ${wanted}, got ${f.args.length}`,
            at,
            name.length,
          );
        }
        return;
      }
      default:
        throw new ExpressionError(`${node.type} is not allowed in an expression`, 0, text.length);
    }
  });
}

/** Checks and parses `text`; throws an `ExpressionError` naming the position of the first problem. */
export function parseExpression(text: string): ParsedExpression {
  if (typeof text !== 'string') throw new ExpressionError('the expression must be a string', 0);
  const tokens = scan(text);
  const variables = variablesOf(text, tokens);
  let tree: MathNode;
  try {
    tree = expressionEngine().parse(text);
  } catch (err) {
    // mathjs's SyntaxError counts `char` from 1 at the end of the offending token.
    const char = (err as { char?: unknown }).char;
    const at = typeof char === 'number' ? Math.min(Math.max(char - 1, 0), text.length) : 0;
    const reason = (err as Error).message.replace(/\s*\(char \d+\)\s*$/, '');
    throw new ExpressionError(`syntax error: ${reason}`, at);
  }
  checkTree(tree, tokens, text);
  return { text, tree, variables };
}

/**
 * min and max as abs: min(a, b) = (a + b − |a − b|)/2, max(a, b) = (a + b + |a − b|)/2, folded
 * left for more arguments. mathjs's `derivative` knows abs but not min/max; the identities are
 * exact, so the derivative of the rewrite is the derivative of the original wherever it exists.
 */
function minMaxAsAbs(tree: MathNode): MathNode {
  const math = expressionEngine();
  return tree.transform((node) => {
    if (node.type !== 'FunctionNode') return node;
    const f = node as unknown as { fn: { name: string }; args: MathNode[] };
    const sign = f.fn.name === 'min' ? '-' : f.fn.name === 'max' ? '+' : null;
    if (!sign) return node;
    const args = f.args.map(minMaxAsAbs);
    return args.slice(1).reduce((a, b) => {
      const sum = new math.OperatorNode('+', 'add', [a, b]);
      const gap = new math.FunctionNode(new math.SymbolNode('abs'), [
        new math.OperatorNode('-', 'subtract', [a, b]),
      ]);
      const both =
        sign === '+'
          ? new math.OperatorNode('+', 'add', [sum, gap])
          : new math.OperatorNode('-', 'subtract', [sum, gap]);
      return new math.OperatorNode('/', 'divide', [both, new math.ConstantNode(2)]);
    }, args[0]);
  });
}

/**
 * mathjs differentiates abs(u) as abs(u)/u · u′, which is NaN at u = 0. Every `abs(u) / u` of
 * the derivative becomes sign(u): the same value where u ≠ 0, and 0 at the kink, a subgradient
 * (for min/max at a tie, the average of the two sides' gradients).
 */
function absQuotientAsSign(tree: MathNode): MathNode {
  const math = expressionEngine();
  return tree.transform((node) => {
    if (node.type !== 'OperatorNode') return node;
    const op = node as unknown as { fn: string; args: MathNode[] };
    if (op.fn !== 'divide') return node;
    const [num, den] = op.args;
    if (num.type !== 'FunctionNode') return node;
    const f = num as unknown as { fn: { name: string }; args: MathNode[] };
    if (f.fn.name !== 'abs' || f.args[0].toString() !== den.toString()) return node;
    return new math.FunctionNode(new math.SymbolNode('sign'), [den]);
  });
}

function asNumber(v: unknown): number {
  return typeof v === 'number' ? v : NaN;
}

/**
 * The test function of an expression: f compiled from the tree, ∇f from one compiled derivative
 * tree per coordinate. `box` is the plotting range of every coordinate; the start is a quarter of
 * the way into it ((−1, −1) for the default [−2, 2]).
 */
export function expressionFunction(
  text: string,
  box: readonly [number, number] = [-2, 2],
): TestFunction {
  const parsed = parseExpression(text);
  const names = parsed.variables;
  const dim = names.length;
  const f = parsed.tree.compile();
  const forDerivative = minMaxAsAbs(parsed.tree);
  const partials = names.map((v) =>
    absQuotientAsSign(
      expressionEngine().derivative(forDerivative, v, { simplify: false }),
    ).compile(),
  );
  const scopeOf = (x: Point): Record<string, number> => {
    const scope: Record<string, number> = {};
    for (let i = 0; i < dim; i++) scope[names[i]] = x[i];
    return scope;
  };
  const [lo, hi] = box;
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return {
    kind: 'expression',
    name: `f(${names.length > 3 ? `x1…x${dim}` : names.join(', ')}) = ${shown}`,
    dim,
    f: (x: Point) => asNumber(f.evaluate(scopeOf(x))),
    grad: (x: Point) => {
      const scope = scopeOf(x);
      const g = new Float64Array(dim);
      for (let i = 0; i < dim; i++) g[i] = asNumber(partials[i].evaluate(scope));
      return g;
    },
    minima: [],
    start: new Array<number>(dim).fill(lo + (hi - lo) / 4),
    domain: new Array(dim).fill([lo, hi] as const),
  };
}
