import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { SchedulableOptimizer } from '../../src/index.js';

/** A parameter group as the optimizers of this library keep it, reduced to what schedules read. */
export interface FakeGroup {
  lr: number;
  initialLr?: number;
  momentum?: number;
  betas?: [number, number];
}

export type FakeKind = 'SGD' | 'Adam' | 'Adagrad';

/** An optimizer stand-in: SGD groups carry momentum, Adam groups betas, Adagrad groups neither. */
export function fakeOptimizer(
  groups: ReadonlyArray<{ lr: number; initialLr?: number }>,
  kind: FakeKind = 'SGD',
): { paramGroups: FakeGroup[] } {
  return {
    paramGroups: groups.map((g) => {
      const group: FakeGroup = { ...g };
      if (kind === 'SGD') group.momentum = 0.9;
      if (kind === 'Adam') group.betas = [0.9, 0.999];
      return group;
    }),
  };
}

export interface FixtureCase {
  name: string;
  options: Record<string, unknown>;
  steps: number;
  groups: Array<{ lr: number; initialLr?: number }>;
  optimizer: 'SGD' | 'Adam';
  metrics?: number[];
  /** The step of lrs[0] (resumed cases); 0 otherwise. */
  firstStep?: number;
  lrs: number[][];
  momentum?: number[][];
  reference: string;
  tf_formula_flips?: number[];
}

/**
 * The cases of generate.py (schedules.json) and generate_extra.py (schedules-extra.json:
 * MultiplicativeLR, SWALR, WSD), in that order.
 */
export function loadFixtures(): { torch: string; cases: FixtureCase[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  const read = (file: string): { torch: string; cases: FixtureCase[] } =>
    JSON.parse(readFileSync(join(here, '../fixtures', file), 'utf8'));
  const main = read('schedules.json');
  const extra = read('schedules-extra.json');
  if (extra.torch !== main.torch) {
    throw new Error(`fixtures from two torch versions: ${main.torch} and ${extra.torch}`);
  }
  return { torch: main.torch, cases: [...main.cases, ...extra.cases] };
}

/** `actual` equals `expected` within 1e-12 relative (1e-15 absolute near zero). */
export function expectClose(actual: number, expected: number, what: string): void {
  const tolerance = 1e-12 * Math.abs(expected) + 1e-15;
  if (!(Math.abs(actual - expected) <= tolerance)) {
    expect.fail(`${what}: got ${actual}, expected ${expected} (difference ${actual - expected})`);
  }
}

export function expectAllClose(
  actual: readonly number[],
  expected: readonly number[],
  what: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  actual.forEach((a, i) => expectClose(a, expected[i], `${what}[${i}]`));
}

/** A one-line label for a case: its name and options. */
export function label(c: FixtureCase): string {
  return `${c.name} ${JSON.stringify(c.options)} on ${c.groups.length} group(s)`;
}

/** The fewest options each schedule needs; the tests below also use them for state round trips. */
export const REQUIRED: Record<string, Record<string, unknown>> = {
  StepLR: { stepSize: 3 },
  MultiStepLR: { milestones: [2, 5] },
  ConstantLR: {},
  LinearLR: {},
  ExponentialLR: { gamma: 0.9 },
  PolynomialLR: {},
  CosineAnnealingLR: { TMax: 10 },
  CosineAnnealingWarmRestarts: { T0: 3 },
  CyclicLR: { baseLr: 0.01, maxLr: 0.1 },
  OneCycleLR: { maxLr: 0.1, totalSteps: 50 },
  LambdaLR: { factors: [0.5, 1] },
  MultiplicativeLR: { factor: 0.9 },
  SWALR: { swaLr: 0.05 },
  SequentialLR: {
    schedulers: [
      { type: 'LinearWarmup', options: { warmupSteps: 4 } },
      { type: 'CosineAnnealingLR', options: { TMax: 8 } },
    ],
    milestones: [4],
  },
  ChainedScheduler: {
    schedulers: [
      { type: 'ExponentialLR', options: { gamma: 0.9 } },
      { type: 'StepLR', options: { stepSize: 2 } },
    ],
  },
  ReduceLROnPlateau: {},
  StepDecay: {},
  ExponentialDecay: {},
  CosineDecay: { totalEpochs: 20 },
  LinearWarmup: {},
  CosineDecayRestarts: { firstDecaySteps: 5 },
  WSD: { warmupSteps: 2, stableSteps: 3, decaySteps: 4 },
};

/** Compile-time check: the fake optimizer satisfies the structural contract. */
export const fakeIsSchedulable: SchedulableOptimizer = fakeOptimizer([{ lr: 1 }]);
