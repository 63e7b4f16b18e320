import { readdirSync, readFileSync } from 'node:fs';
import { Parameter, type Backend } from '@optlab/tensor';
import { createOptimizer, type Optimizer, type ParamGroupInput } from '../../src/index.js';
import { PROBLEMS } from './problems.js';

export interface Fixture {
  optimizer: string;
  options: Record<string, unknown>;
  problem: string;
  groups: Record<string, unknown>[] | null;
  codePath: string;
  trajectory: number[][];
}

export interface FixtureFile {
  generator: string;
  torch: string;
  steps: number;
  fixtures: Fixture[];
}

export function loadFixtures(file = 'optimizers.json'): FixtureFile {
  const url = new URL(`../fixtures/${file}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as FixtureFile;
}

/** Every fixture file: optimizers.json and the optimizers-<group>.json of each group. */
export function loadAllFixtures(): FixtureFile[] {
  const dir = new URL('../fixtures/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => /^optimizers(-[a-z0-9]+)?\.json$/.test(f))
    .sort()
    .map((f) => loadFixtures(f));
}

export function fixtureName(f: Fixture): string {
  const groups = f.groups ? ` groups ${JSON.stringify(f.groups)}` : '';
  return `${f.optimizer} ${JSON.stringify(f.options)}${groups} on ${f.problem}`;
}

/** Parameters of a problem on a backend, and the optimizer of a fixture over them. */
export function setUp(
  be: Backend,
  f: Pick<Fixture, 'optimizer' | 'options' | 'problem' | 'groups'>,
): { params: Parameter[]; opt: Optimizer } {
  const problem = PROBLEMS[f.problem];
  const params = problem.init().map((v, i) => new Parameter(be.tensor(v, problem.shapes[i])));
  const arg: Parameter[] | ParamGroupInput[] = f.groups
    ? params.map((p, i) => ({ params: [p], ...f.groups![i] }))
    : params;
  return { params, opt: createOptimizer(f.optimizer, arg, f.options) };
}

/** Sets every gradient from the problem's analytic formula at the current parameters. */
export function setGrads(be: Backend, problem: string, params: readonly Parameter[]): void {
  const grads = PROBLEMS[problem].grad(params.map((p) => p.value.dataSync()));
  params.forEach((p, i) => (p.grad = be.tensor(grads[i], p.shape)));
}

/** All parameter values, flattened and concatenated as in the fixtures. */
export function flatValues(params: readonly Parameter[]): number[] {
  return params.flatMap((p) => Array.from(p.value.dataSync()));
}

/** Runs `steps` steps; returns the values after each. */
export function run(
  be: Backend,
  problem: string,
  params: readonly Parameter[],
  opt: Optimizer,
  steps: number,
): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    setGrads(be, problem, params);
    opt.step();
    out.push(flatValues(params));
  }
  return out;
}
