import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpu } from '@optlab/tensor';
import type { Dataset, Model } from '@optlab/models';
import {
  classificationReport,
  runExperiment,
  type ClassificationReportEvent,
  type ExperimentEvent,
  type RunMetrics,
} from '../src/index.js';
import { defaultCatalog, validateDocument, type ExperimentSpec } from './helpers.js';

/** The committed MNIST-format fixtures: 6 training and 3 test images of 3×4 pixels, 3 classes. */
const FOLDER = new URL('../../models/test/fixtures/idx/plain/', import.meta.url).pathname;
const files = Object.fromEntries(
  readdirSync(FOLDER).map((f) => [f, new Uint8Array(readFileSync(join(FOLDER, f)))]),
);
/** The fixture's pixel (r, c) of image i (tools/fixtures/models/make-idx.py). */
const pixel = (i: number, r: number, c: number) => ((40 * i + 10 * r + c) % 256) / 255;

function spec(doc: Record<string, unknown>): ExperimentSpec {
  const r = validateDocument(
    {
      version: 1,
      name: 'report',
      training: { epochs: 2, batchSize: 2 },
      runs: [{ name: 'a', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64' }],
      ...doc,
    },
    defaultCatalog(),
  );
  if (!r.ok || r.value.kind !== 'experiment') throw new Error(JSON.stringify(r));
  return r.value.spec;
}

function withFiles(s: ExperimentSpec): ExperimentSpec {
  if (s.task.kind === 'function') throw new Error('a data task');
  return {
    ...s,
    task: { ...s.task, dataset: { ...s.task.dataset, files } as typeof s.task.dataset },
  };
}

async function events(s: ExperimentSpec, options = {}): Promise<ExperimentEvent[]> {
  const out: ExperimentEvent[] = [];
  for await (const e of runExperiment(s, { warmUp: false, ...options })) out.push(e);
  return out;
}

const reports = (es: ExperimentEvent[]) =>
  es.filter((e): e is ClassificationReportEvent => e.type === 'classification-report');
const endMetrics = (es: ExperimentEvent[]) =>
  es.flatMap((e) => (e.type === 'end' ? [e.metrics as RunMetrics] : []));

describe('classificationReport', () => {
  it('counts true × predicted classes and keeps the first misclassified rows with their confidence', async () => {
    const be = cpu({ dtype: 'float64' });
    // Logits chosen so the predictions are 0, 2, 2, 1 for the labels 0, 1, 2, 2.
    const logits = [2, 0, 0, 0, 0, 1, 0, 0, 3, 0, Math.log(3), 0];
    const model = { predict: () => be.tensor(logits, [4, 3]) } as unknown as Model;
    const data: Dataset = {
      name: 'd',
      task: 'classification',
      n: 4,
      features: 2,
      classes: 3,
      x: Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]),
      y: Float64Array.from([0, 1, 2, 2]),
      imageShape: [1, 2],
    };
    const r = await classificationReport(model, be.tensor([0], [1]), data, 'test', 1);
    expect(r.confusion).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 1]);
    expect([r.rows, r.classes, r.misclassifiedCount, r.split]).toEqual([4, 3, 2, 'test']);
    expect(r.classNames).toEqual(['0', '1', '2']);
    // Only the first of the two misclassified rows: row 1 (label 1, predicted 2, p = e/(e+2)).
    expect(r.misclassified).toEqual([
      {
        index: 1,
        label: 1,
        predicted: 2,
        confidence: Math.round((Math.E / (Math.E + 2)) * 1e4) / 1e4,
        pixels: [2, 3],
      },
    ]);
    expect(r.imageShape).toEqual([1, 2]);
    await expect(
      classificationReport(model, be.tensor([0], [1]), data, 'test', 257),
    ).rejects.toThrow('classificationReport.samples must be an integer in [0, 256], got 257');
  });
});

describe('runExperiment: classification-report events', () => {
  const idxSpec = () =>
    withFiles(
      spec({
        task: {
          kind: 'classification',
          dataset: { type: 'idx', folder: FOLDER },
          model: { type: 'mlp', hidden: [4] },
        },
      }),
    );

  it('come only when asked, before `end`, on the own test set, agreeing with the test accuracy', async () => {
    expect(reports(await events(idxSpec()))).toEqual([]);
    const es = await events(idxSpec(), { classificationReport: { samples: 2 } });
    const [event] = reports(es);
    const r = event.report;
    expect(es.indexOf(event)).toBe(es.findIndex((e) => e.type === 'end') - 1);
    expect([r.split, r.rows, r.classes, r.imageShape]).toEqual(['test', 3, 3, [1, 3, 4]]);
    // Each class has one test image (labels 0, 1, 2): every row of the matrix sums to 1.
    for (let c = 0; c < 3; c++)
      expect(r.confusion.slice(c * 3, c * 3 + 3).reduce((a, b) => a + b)).toBe(1);
    const correct = r.confusion[0] + r.confusion[4] + r.confusion[8];
    expect(correct / 3).toBe(endMetrics(es)[0].testAccuracy);
    expect(r.misclassifiedCount).toBe(3 - correct);
    expect(r.misclassified.length).toBe(Math.min(2, 3 - correct));
    for (const m of r.misclassified) {
      expect(m.label).toBe(m.index); // test labels are 0, 1, 2
      expect(m.predicted).not.toBe(m.label);
      // The pixels of test image 6 + index, as the model saw them (÷255).
      expect(m.pixels).toEqual(
        Array.from({ length: 12 }, (_, j) => pixel(6 + m.index, Math.floor(j / 4), j % 4)),
      );
    }
  });

  it('on the training rows without a test split; no pixels for rows that are not images', async () => {
    const s = spec({
      task: {
        kind: 'classification',
        dataset: { type: 'iris' },
        model: { type: 'mlp', hidden: [4] },
      },
      training: { epochs: 1, batchSize: 50 },
    });
    const [{ report }] = reports(await events(s, { classificationReport: {} }));
    expect([report.split, report.rows, report.imageShape]).toEqual(['train', 150, null]);
    expect(report.confusion.reduce((a, b) => a + b)).toBe(150);
    expect(report.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(report.misclassified.every((m) => m.pixels === undefined)).toBe(true);
    expect(report.misclassified.length).toBe(Math.min(24, report.misclassifiedCount));
  });

  it('not after a divergence', async () => {
    const s = spec({
      task: {
        kind: 'classification',
        dataset: { type: 'iris' },
        model: { type: 'mlp', hidden: [4] },
      },
      training: { epochs: 3, batchSize: 50 },
      runs: [{ name: 'a', optimizer: { type: 'SGD', lr: 1e30 }, backend: 'cpu64' }],
    });
    const es = await events(s, { classificationReport: {} });
    expect(es.some((e) => e.type === 'diverged')).toBe(true);
    expect(reports(es)).toEqual([]);
  });
});

describe('runExperiment: onProgress', () => {
  it('tells the updates done between events, in order, for the trained units only', async () => {
    const s = spec({
      task: {
        kind: 'classification',
        dataset: { type: 'iris' },
        model: { type: 'mlp', hidden: [4] },
      },
      training: { epochs: 3, batchSize: 10 },
    });
    const seen: { run: string; step: number; elapsedMs: number }[] = [];
    // yieldEveryMs 0: a yield (and a call) before every update; the warm-up's are not told.
    await events(s, {
      warmUp: true,
      yieldEveryMs: 0,
      onProgress: (p: { run: string; step: number; elapsedMs: number }) => seen.push(p),
    });
    expect(seen.map((p) => p.step)).toEqual(Array.from({ length: 45 }, (_, i) => i));
    expect(seen.every((p) => p.run === 'a')).toBe(true);
    for (let i = 1; i < seen.length; i++)
      expect(seen[i].elapsedMs).toBeGreaterThanOrEqual(seen[i - 1].elapsedMs);
  });
});
