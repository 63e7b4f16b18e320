import { createHash } from 'node:crypto';
import type { ExperimentSpec } from '../spec/schema.js';

/**
 * Node-only: the identity of a spec as run, `sha256:` and the hex digest of its canonical JSON
 * (object keys sorted at every depth, so key order does not matter). A csv dataset counts by its
 * content (`text`), not by where its file lay (`path`): shards run on machines with different
 * paths to the same data are shards of one spec. `optlab merge` refuses shards whose hashes differ.
 */
export function specHash(spec: ExperimentSpec): string {
  let hashed: unknown = spec;
  if (spec.task.kind !== 'function' && spec.task.dataset.type === 'csv') {
    const { path: _path, ...dataset } = spec.task.dataset as Record<string, unknown>;
    hashed = { ...spec, task: { ...spec.task, dataset } };
  }
  return 'sha256:' + createHash('sha256').update(canonicalJson(hashed)).digest('hex');
}

/** JSON with every object's keys in sorted order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
