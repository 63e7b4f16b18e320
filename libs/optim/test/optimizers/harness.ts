import { readdirSync, readFileSync } from 'node:fs';
import { Parameter, type Backend } from '@optlab/tensor';
import {
  createOptimizer,
  stepWithClosure,
  type Closure,
  type Optimizer,
  type ParamGroupInput,
} from '../../src/index.js';
import { PROBLEMS } from './problems.js';

export interface Fixture {
  optimizer: string;
  options: Record<string, unknown>;
  problem: string;
  groups: Record<string, unknown>[] | null;
  codePath: string;
  trajectory: number[][];
  /** Closure optimizers: what step(closure) returned at each step. */
  losses?: number[];
  /** Closure optimizers: closure calls in each step. */
  evaluations?: number[];
  /** ASGD: the averaged parameters after each step. */
  ax?: number[][];
  /** 'endpoint': float32 replays compare the last point only (the generator says why). */
  float32?: 'endpoint';
  /** Schedule-Free: the parameters after `opt.eval()` at the end (x). */
  evalValues?: number[];
  /** Prodigy: its d estimate after the last step. */
  dEstimate?: number;
}

export interface FixtureFile {
  generator: string;
  torch: string;
  steps: number;
  fixtures: Fixture[];
}

/** A fixture file of test/fixtures (generate.py's by default; generate_<group>.py's by name). */
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

/** PyTorch's closure over a problem: sets the analytic gradients, returns the loss. */
export function problemClosure(
  be: Backend,
  problem: string,
  params: readonly Parameter[],
): Closure {
  return () => {
    setGrads(be, problem, params);
    return PROBLEMS[problem].loss(params.map((p) => p.value.dataSync()));
  };
}

/** Runs `steps` steps through `step(closure)`; returns the values and the losses after each. */
export async function runWithClosure(
  be: Backend,
  problem: string,
  params: readonly Parameter[],
  opt: Optimizer,
  steps: number,
): Promise<{ trajectory: number[][]; losses: number[] }> {
  const closure = problemClosure(be, problem, params);
  const trajectory: number[][] = [];
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    losses.push(await stepWithClosure(opt as never, closure));
    trajectory.push(flatValues(params));
  }
  return { trajectory, losses };
}

/**
 * The largest |got − ref| / max(|ref|, 1) over a trajectory (relative, with magnitudes below 1
 * compared absolutely, since trajectories cross zero); Infinity where the lengths differ.
 */
export function worstError(got: readonly number[][], ref: readonly number[][]): number {
  if (got.length !== ref.length) return Infinity;
  let worst = 0;
  got.forEach((row, s) => {
    if (row.length !== ref[s].length) worst = Infinity;
    row.forEach((v, i) => {
      const r = ref[s][i];
      worst = Math.max(worst, Math.abs(v - r) / Math.max(Math.abs(r), 1));
    });
  });
  return worst;
}
