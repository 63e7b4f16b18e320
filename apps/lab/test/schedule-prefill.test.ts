import { checkOption } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import { catalog } from '../src/renderer/src/lib/catalog.js';
import { defaultsOf } from '../src/renderer/src/lib/options.js';
import { prefillSchedule } from '../src/renderer/src/lib/schedule-prefill.js';

/** The config the run card starts a schedule with, for a run at `lr` over `length` schedule steps. */
function picked(type: string, lr: number, length: number): Record<string, unknown> {
  const options = catalog.schedules[type].options;
  return prefillSchedule(
    defaultsOf(type, options) as { type: string },
    options.map((o) => o.name),
    { lr, length },
  );
}

describe('prefillSchedule: schedules start from the run’s lr and length', () => {
  it('OneCycleLR: maxLr = the lr, totalSteps = the training length; the rest its defaults', () => {
    const config = picked('OneCycleLR', 0.01, 2000);
    expect(config).toMatchObject({
      type: 'OneCycleLR',
      maxLr: 0.01,
      totalSteps: 2000,
      pctStart: 0.3,
    });
  });

  it('cosine: TMax = the length; warm restarts: T0 = a quarter of it', () => {
    expect(picked('CosineAnnealingLR', 0.1, 100)).toMatchObject({ TMax: 100, etaMin: 0 });
    expect(picked('CosineAnnealingWarmRestarts', 0.1, 100)).toMatchObject({ T0: 25, TMult: 1 });
    expect(picked('CosineDecay', 0.1, 60)).toMatchObject({ totalEpochs: 60 });
  });

  it('step decays: StepLR every third, MultiStepLR at half and three quarters, ExponentialLR to 1 %', () => {
    expect(picked('StepLR', 0.1, 90)).toMatchObject({ stepSize: 30, gamma: 0.1 });
    expect(picked('MultiStepLR', 0.1, 100)).toMatchObject({ milestones: [50, 75] });
    const gamma = picked('ExponentialLR', 0.1, 100)['gamma'] as number;
    expect(gamma).toBe(0.955);
    expect(gamma ** 100).toBeCloseTo(0.01, 3);
  });

  it('CyclicLR cycles between a tenth of the lr and the lr; WSD splits the length 10/70/20', () => {
    expect(picked('CyclicLR', 0.02, 400)).toMatchObject({
      baseLr: 0.002,
      maxLr: 0.02,
      stepSizeUp: 100,
    });
    expect(picked('WSD', 0.1, 1000)).toMatchObject({
      warmupSteps: 100,
      stableSteps: 700,
      decaySteps: 200,
    });
  });

  it('every pre-filled schedule passes the registry’s own checks', () => {
    for (const type of [
      'StepLR',
      'MultiStepLR',
      'ExponentialLR',
      'PolynomialLR',
      'CosineAnnealingLR',
      'CosineAnnealingWarmRestarts',
      'CyclicLR',
      'OneCycleLR',
      'SWALR',
      'CosineDecay',
      'CosineDecayRestarts',
      'LinearWarmup',
      'WSD',
    ]) {
      const config = picked(type, 0.05, 3);
      for (const option of catalog.schedules[type].options) {
        expect(checkOption(option, config[option.name]), `${type}.${option.name}`).toBeUndefined();
      }
    }
  });

  it('a short run never gets a zero length; no usable lr or length leaves the defaults alone', () => {
    expect(picked('StepLR', 0.1, 1)).toMatchObject({ stepSize: 1 });
    const defaults = (type: string) => defaultsOf(type, catalog.schedules[type].options);
    expect(picked('OneCycleLR', Number.NaN, 100)).toEqual(defaults('OneCycleLR'));
    expect(picked('CosineAnnealingLR', 0.1, 0)).toEqual(defaults('CosineAnnealingLR'));
  });
});
