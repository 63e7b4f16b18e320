import type { Tensor } from './tensor.js';

/**
 * Scopes free intermediates: every tensor created while `tidy(fn)` runs is disposed when fn
 * returns, except the tensors fn returns (found in a returned tensor, array or plain object) and
 * those passed to `keep`. Returned tensors move to the enclosing scope, so scopes nest.
 *
 * The stack is module-global (like tf.tidy) so that it works across every backend at once; a
 * training step on a GPU backend that reads a CPU tensor is freed the same way.
 */
const scopes: Set<Tensor>[] = [];

/** Called by Tensor's constructor. */
export function trackTensor(t: Tensor): void {
  const top = scopes[scopes.length - 1];
  if (top) top.add(t);
}

/** Takes a tensor out of every open scope, so that no tidy disposes it. Returns it. */
export function keep<T extends Tensor>(t: T): T {
  for (const s of scopes) s.delete(t);
  return t;
}

function collect(value: unknown, into: Set<Tensor>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 4) return;
  if (isTensor(value)) {
    into.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collect(v, into, depth + 1);
    return;
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, into, depth + 1);
  }
}

function isTensor(v: object): v is Tensor {
  return (v as { __isOptlabTensor?: boolean }).__isOptlabTensor === true;
}

/** Runs fn and disposes every tensor it created that it does not return or keep. */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw err;
  }
  scopes.pop();
  if (result instanceof Promise) {
    for (const t of scope) t.dispose();
    throw new Error('tidy: the function must be synchronous (it returned a Promise)');
  }
  const returned = new Set<Tensor>();
  collect(result, returned);
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (returned.has(t)) parent?.add(t);
    else t.dispose();
  }
  return result;
}

/** Number of open scopes (for tests and diagnostics). */
export function scopeDepth(): number {
  return scopes.length;
}
