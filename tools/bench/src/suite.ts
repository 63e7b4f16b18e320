import type { Backend } from '@optlab/tensor';
import type { MeasureOptions } from './harness.js';
import type { SuiteResult } from './results.js';
import type { PeerInfo } from './tfjs-peers.js';

/**
 * What every suite gets: OptLab's float32 CPU backend on its default path (WebAssembly SIMD where
 * the engine has it), the same backend forced onto its JavaScript path (`simd: 'js'`, shown side
 * by side so the gain is visible), the initialised tfjs peers, timing options.
 */
export interface SuiteContext {
  backend: Backend;
  jsBackend: Backend;
  peers: readonly PeerInfo[];
  measure: MeasureOptions;
  /** Progress lines (stderr), so stdout carries only the report. */
  log: (line: string) => void;
}

export interface Suite {
  id: string;
  title: string;
  run: (ctx: SuiteContext) => Promise<SuiteResult>;
}

/** Largest |a − b| relative to max |b| (1 when b is all zeros), for agreement checks. */
export function relativeMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`bench: lengths differ (${a.length} vs ${b.length})`);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / (scale || 1);
}

/** A deterministic Float32Array in [-1, 1), the same on every run (no dependence on a backend). */
export function seededValues(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    // xorshift32: plenty for benchmark inputs, and independent of the libraries under test.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}
