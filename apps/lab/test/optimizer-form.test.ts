import { describe, expect, it } from 'vitest';
import { catalog } from '../src/renderer/src/lib/catalog.js';
import {
  passedBaseOptions,
  requiresClosure,
  switchBase,
  switchOptimizer,
} from '../src/renderer/src/lib/optimizer-form.js';

const names = Object.keys(catalog.optimizers);

describe('optimizer forms', () => {
  it('labels exactly the closure optimizers', () => {
    expect(names.filter(requiresClosure)).toEqual(['LBFGS', 'SAM']);
    expect(requiresClosure('constructor')).toBe(false);
  });

  it('gives every registered optimizer a config the spec validation accepts', () => {
    expect(names.length).toBeGreaterThanOrEqual(25);
    for (const type of names) {
      const config = switchOptimizer(catalog, { type: 'Adam', lr: 0.02 }, type);
      const { type: _t, ...options } = config;
      expect(catalog.checkOptions('optimizer', type, options), type).toEqual([]);
    }
  });

  it('carries the learning rate over to an optimizer that takes one on the same scale', () => {
    expect(switchOptimizer(catalog, { type: 'Adam', lr: 0.02 }, 'Muon')['lr']).toBe(0.02);
    expect(switchOptimizer(catalog, { type: 'SGD', lr: 0.02 }, 'AdamW')['lr']).toBe(0.02);
    // Prodigy's lr is a multiplier of its estimated step (default 1): an Adam lr means nothing there.
    expect(switchOptimizer(catalog, { type: 'Adam', lr: 0.02 }, 'Prodigy')['lr']).toBe(1);
    expect(switchOptimizer(catalog, { type: 'Adam', lr: 0.02 }, 'AdafactorHF')).not.toHaveProperty(
      'lr',
    );
  });

  it('starts SAM with a base and its own options only; the base’s defaults apply', () => {
    expect(switchOptimizer(catalog, { type: 'Adam', lr: 0.02 }, 'SAM')).toEqual({
      type: 'SAM',
      base: 'SGD',
      rho: 0.05,
      adaptive: false,
    });
  });

  it('switching SAM’s base keeps rho and adaptive and drops the old base’s options', () => {
    const sgd = { type: 'SAM', base: 'SGD', rho: 0.1, adaptive: true, momentum: 0.9 };
    expect(switchBase(catalog, sgd, 'Adam')).toEqual({
      type: 'SAM',
      base: 'Adam',
      rho: 0.1,
      adaptive: true,
    });
    for (const base of catalog.optimizers['SAM'].options.find((o) => o.name === 'base')!.choices!) {
      const { type: _t, ...options } = switchBase(catalog, sgd, base);
      expect(catalog.checkOptions('optimizer', 'SAM', options), base).toEqual([]);
    }
  });

  it('shows the base’s options but those SAM owns (Adadelta’s rho)', () => {
    const sam = catalog.optimizers['SAM'];
    const { shown, shadowed } = passedBaseOptions(sam, catalog.optimizers['Adadelta']);
    expect(shadowed).toEqual(['rho']);
    expect(shown.map((o) => o.name)).toEqual(['lr', 'eps', 'weightDecay', 'maximize']);
    expect(passedBaseOptions(sam, catalog.optimizers['Adam']).shadowed).toEqual([]);
  });
});
