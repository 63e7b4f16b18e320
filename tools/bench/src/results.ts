import type { Measured } from './harness.js';
import { summarize, type Summary } from './stats.js';

/** Which way a figure improves: throughput up, time down. */
export type Better = 'higher' | 'lower';

/** A figure of one contender in one case, in the case's unit. */
export interface Figure {
  id: string;
  label: string;
  summary: Summary;
  /** The per-round values the summary comes from, in the case's unit. */
  rounds: number[];
}

/** OptLab ÷ a peer, from the rounds they ran side by side. */
export interface Ratio {
  peer: string;
  /** Median over rounds of (OptLab's figure ÷ the peer's figure in the same round). */
  median: number;
  min: number;
  max: number;
}

/** A goal from the issues: OptLab ÷ `peer` at least (or, for times, at most) `ratio`. */
export interface Target {
  peer: string;
  ratio: number;
  /** Where the target comes from, e.g. "issue 2". */
  source: string;
}

export interface TargetCheck extends Target {
  measured: number;
  met: boolean;
}

export interface CaseResult {
  name: string;
  unit: string;
  better: Better;
  optlab: Figure;
  peers: Figure[];
  ratios: Ratio[];
  targets: TargetCheck[];
  /** Case-specific facts (bytes of state per parameter, agreement with the peers, ...). */
  details: Record<string, number | string>;
}

export interface SuiteResult {
  id: string;
  title: string;
  cases: CaseResult[];
  notes: string[];
  /**
   * Tables of the suite's own (the optimizers' state and passes); when present they replace the
   * one-line-per-case listing of `details`, which stays in the JSON.
   */
  tables?: { header: string[]; rows: string[][] }[];
}

/**
 * Turns measured times into a case: `perOp(ms)` converts one operation's milliseconds into the
 * case's unit (e.g. GFLOP/s), applied round by round so that spreads stay honest.
 */
export function toCase(
  name: string,
  unit: string,
  better: Better,
  measured: readonly Measured[],
  perOp: (ms: number) => number,
  targets: readonly Target[] = [],
  details: Record<string, number | string> = {},
): CaseResult {
  const figures: Figure[] = measured.map((m) => {
    const rounds = m.msPerOp.map(perOp);
    return { id: m.id, label: m.label, rounds, summary: summarize(rounds) };
  });
  const [optlab, ...peers] = figures;
  const ratios: Ratio[] = peers.map((p) => {
    const perRound = optlab.rounds.map((v, i) => v / p.rounds[i]);
    const s = summarize(perRound);
    return { peer: p.id, median: s.median, min: s.min, max: s.max };
  });
  const checks: TargetCheck[] = targets.map((t) => {
    const r = ratios.find((x) => x.peer === t.peer);
    if (!r) throw new Error(`bench: case "${name}" has a target for unknown peer "${t.peer}"`);
    const met = better === 'higher' ? r.median >= t.ratio : r.median <= t.ratio;
    return { ...t, measured: r.median, met };
  });
  return { name, unit, better, optlab, peers, ratios, targets: checks, details };
}
