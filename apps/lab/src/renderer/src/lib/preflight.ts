/**
 * Everything that stops an experiment from running, found before any worker starts, one line
 * each with its JSON path: the spec's own checks (schema and registry), then what only reading
 * the data reveals (a CSV the page cannot read or parse). Without this, each run's worker would
 * fail on its own, with the same error once per run.
 */
import { formatIssue, validateSpec, type Catalog } from '@optlab/experiment';
import { isRecord } from './draft.js';
import { readTaskCsv } from './task-csv.js';

export function experimentProblems(spec: Record<string, unknown>, catalog: Catalog): string[] {
  const validation = validateSpec(spec, catalog);
  if (!validation.ok) return validation.issues.map(formatIssue);
  const csv = isRecord(spec['task']) ? readTaskCsv(spec['task']) : null;
  return csv && !csv.ok ? [`${csv.path}: ${csv.message}`] : [];
}
