/**
 * Shards: the K-th of N deterministic parts of an experiment's units, for running one experiment
 * on several machines through a batch scheduler (a Kubernetes Indexed Job, a Slurm job array).
 * Units go round-robin over the experiment's unit order — unit i belongs to shard (i mod N) + 1 —
 * so shards get near-equal shares of every run, and a shard's units depend on the spec alone.
 */
export interface Shard {
  /** 1-based: 1 … count. */
  readonly index: number;
  readonly count: number;
}

/** Most shards an experiment may be split into. */
export const MAX_SHARDS = 10_000;

/** Parses `K/N` (1 ≤ K ≤ N ≤ MAX_SHARDS), or says what is wrong with it. */
export function parseShard(
  text: string,
): { ok: true; shard: Shard } | { ok: false; message: string } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return { ok: false, message: `"${text}" is not K/N (for example 2/3)` };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) {
    return { ok: false, message: `"${text}": N must be 1 … ${MAX_SHARDS}, not ${m[2]}` };
  }
  if (index < 1 || index > count) {
    return { ok: false, message: `"${text}": K must be 1 … ${count}, not ${m[1]}` };
  }
  return { ok: true, shard: { index, count } };
}

/** The unit positions of a shard, in order: i with i mod count = index − 1. */
export function shardUnits(unitCount: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let i = shard.index - 1; i < unitCount; i += shard.count) out.push(i);
  return out;
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
