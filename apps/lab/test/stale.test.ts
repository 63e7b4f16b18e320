import { describe, expect, it } from 'vitest';
import { fromSpec, toSpec, updateRun } from '../src/renderer/src/lib/draft.js';
import { parseExperiment, serializeExperiment } from '../src/renderer/src/lib/results-file.js';
import { emptyResult, type RunResult } from '../src/renderer/src/lib/series.js';
import { experimentSettings, staleReason } from '../src/renderer/src/lib/stale.js';

const draft = fromSpec({
  version: 1,
  name: 'x',
  task: { kind: 'function', function: { type: 'rosenbrock' }, start: [-1.5, 2] },
  training: { steps: 100 },
  runs: [
    { name: 'SGD', optimizer: { type: 'SGD', lr: 0.001 }, backend: 'cpu', seed: 0 },
    { name: 'Adam', optimizer: { type: 'Adam', lr: 0.02 }, backend: 'cpu', seed: 0 },
  ],
});

/** A result as LabState.start records it. */
function ran(index: number): RunResult {
  return {
    ...emptyResult(),
    status: 'done',
    runSpec: (toSpec(draft)['runs'] as unknown[])[index],
    settings: structuredClone(experimentSettings(draft)),
  };
}

describe('stale results', () => {
  it('are those whose run, task or training changed after they ran; a new name is no change', () => {
    const [sgd, adam] = draft.runs;
    expect(staleReason(ran(0), draft, sgd.id)).toBeNull();
    expect(staleReason(ran(0), updateRun(draft, sgd.id, { name: 'Plain SGD' }), sgd.id)).toBeNull();
    const faster = updateRun(draft, sgd.id, { optimizer: { type: 'SGD', lr: 0.01 } });
    expect(staleReason(ran(0), faster, sgd.id)).toBe(
      'The run’s settings changed after this run ran: rerun it to see the new settings',
    );
    expect(staleReason(ran(1), faster, adam.id)).toBeNull();
    const longer = { ...faster, training: { steps: 200 } };
    expect(staleReason(ran(0), longer, sgd.id)).toMatch(
      /^The run’s settings and the training changed/,
    );
    // Keys in another order are the same settings.
    const reordered = updateRun(draft, sgd.id, { optimizer: { lr: 0.001, type: 'SGD' } });
    expect(staleReason(ran(0), reordered, sgd.id)).toBeNull();
    // Diagnostics turned on after the run ran: its charts need a rerun.
    const watched = updateRun(draft, adam.id, { diagnostics: { every: 10 } });
    expect(staleReason(ran(1), watched, adam.id)).toBe(
      'The run’s settings changed after this run ran: rerun it to see the new settings',
    );
    expect(staleReason(ran(0), watched, sgd.id)).toBeNull();
    // A result that does not say what it ran with is never called stale.
    expect(staleReason({ ...emptyResult(), status: 'done' }, faster, sgd.id)).toBeNull();
  });

  it('survive saving and reopening (the file keeps what each run ran with)', () => {
    const [sgd] = draft.runs;
    const { draft: reopened, results } = parseExperiment(
      serializeExperiment(draft, { [sgd.id]: ran(0) }),
    );
    const id = reopened.runs[0].id;
    expect(staleReason(results[id], reopened, id)).toBeNull();
    const edited = { ...reopened, training: { steps: 5 } };
    expect(staleReason(results[id], edited, id)).toMatch(/^The training changed/);
  });
});
