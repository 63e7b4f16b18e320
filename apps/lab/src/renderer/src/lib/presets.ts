/**
 * Presets: the repository's `examples/*.json` specs (the tutorial's examples, the same files the
 * CLI runs), bundled into the page at build time. Benchmark suites (`"kind": "suite"`) are listed
 * apart for the benchmark view.
 */
import { isRecord } from './draft.js';

export interface Preset {
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly spec: Record<string, unknown>;
}

const modules = import.meta.glob<Record<string, unknown>>('../../../../../../examples/**/*.json', {
  eager: true,
  import: 'default',
});

function toPresets(filter: (spec: Record<string, unknown>) => boolean): Preset[] {
  return Object.entries(modules)
    .filter(([, spec]) => isRecord(spec) && filter(spec))
    .map(([path, spec]) => ({
      file: path.replace(/^.*examples\//, 'examples/'),
      name: String(spec['name'] ?? path),
      description: typeof spec['description'] === 'string' ? spec['description'] : '',
      spec,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const presets: Preset[] = toPresets(
  (spec) => spec['kind'] !== 'suite' && Array.isArray(spec['runs']),
);
export const suites: Preset[] = toPresets((spec) => spec['kind'] === 'suite');
