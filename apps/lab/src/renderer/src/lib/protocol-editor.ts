/**
 * The Build form of the tuning protocol (`spec.protocol`, decision 0018): turning it on sets the
 * seeds for every run (the protocol's tune and rerun seeds replace each run's own, which the
 * validator refuses beside a protocol), turning it off leaves the runs on seed 0.
 */
import type { ExperimentDraft } from './draft.js';

/** DeepOBS's default in small: tune on seed 0, rerun the best on 3 seeds. */
export const DEFAULT_PROTOCOL = { tuneSeeds: [0], rerunSeeds: 3 } as const;

export function withProtocol(
  draft: ExperimentDraft,
  protocol: Record<string, unknown> | undefined,
): ExperimentDraft {
  if (!protocol) {
    const { protocol: _off, ...rest } = draft;
    return { ...rest, runs: draft.runs.map((r) => ({ ...r, seed: r.seed ?? 0 })) };
  }
  return {
    ...draft,
    protocol,
    runs: draft.runs.map(({ seed: _seed, ...r }) => {
      const { seeds: _seeds, ...run } = r as typeof r & { seeds?: unknown };
      return run;
    }),
  };
}

/** `0, 1, 2` → [0, 1, 2]; null when some entry is not a whole number ≥ 0. */
export function parseSeedList(text: string): number[] | null {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const seeds = parts.map(Number);
  return parts.length > 0 && seeds.every((s) => Number.isInteger(s) && s >= 0) ? seeds : null;
}
