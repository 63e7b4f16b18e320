import { cpu, Parameter } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  AdafactorHF,
  Adam,
  Adagrad,
  createOptimizer,
  Lookahead,
  OPTIMIZERS,
  RMSprop,
  SGD,
} from '../../src/index.js';

const be = cpu({ dtype: 'float64' });
const param = () => new Parameter(be.tensor([1, 2], [2]));

describe('options are validated PyTorch-style, naming the option and the value', () => {
  it.each([
    [{ lr: -1 }, 'Adam: Invalid learning rate: -1'],
    [{ lr: Number.NaN }, 'Adam: Invalid learning rate: NaN'],
    [{ lr: '0.1' }, 'Adam: Invalid learning rate: "0.1"'],
    [{ betas: [1, 0.999] }, 'Adam: Invalid beta parameter at index 0: 1'],
    [{ betas: [0.9, -0.1] }, 'Adam: Invalid beta parameter at index 1: -0.1'],
    [{ betas: [0.9] }, 'Adam: option "betas" must be a pair of numbers, got [0.9]'],
    [{ eps: 0 }, 'Adam: Invalid epsilon value: 0'],
    [{ eps: -1e-8 }, 'Adam: Invalid epsilon value: -1e-8'],
    [{ weightDecay: -1 }, 'Adam: Invalid weightDecay value: -1'],
    [{ amsgrad: 1 }, 'Adam: option "amsgrad" must be true or false, got 1'],
    [
      { betas1: 0.9 },
      'Adam: unknown option "betas1"; known: lr, betas, eps, weightDecay, amsgrad, maximize',
    ],
  ])('Adam %j → %s', (options, message) => {
    expect(() => new Adam([param()], options as never)).toThrow(message);
  });

  it('SGD: momentum ≥ 0, and Nesterov needs momentum and zero dampening', () => {
    expect(() => new SGD([param()], { momentum: -0.5 })).toThrow(
      'SGD: Invalid momentum value: -0.5',
    );
    expect(() => new SGD([param()], { nesterov: true })).toThrow(
      'SGD: Nesterov momentum requires a momentum and zero dampening (momentum: 0, dampening: 0)',
    );
    expect(() => new SGD([param()], { nesterov: true, momentum: 0.9, dampening: 0.1 })).toThrow(
      'Nesterov momentum requires a momentum and zero dampening',
    );
  });

  it('other optimizers name their own options', () => {
    expect(() => new Adagrad([param()], { lrDecay: -1 })).toThrow(
      'Adagrad: Invalid lrDecay value: -1',
    );
    expect(() => new Adagrad([param()], { initialAccumulatorValue: -1 })).toThrow(
      'Adagrad: Invalid initialAccumulatorValue value: -1',
    );
    expect(() => new RMSprop([param()], { alpha: -0.1 })).toThrow(
      'RMSprop: Invalid alpha value: -0.1',
    );
    expect(() => createOptimizer('Adadelta', [param()], { rho: 1.5 })).toThrow(
      'Adadelta: Invalid rho value: 1.5',
    );
    expect(() => createOptimizer('NAdam', [param()], { momentumDecay: -1 })).toThrow(
      'NAdam: Invalid momentumDecay value: -1',
    );
  });

  it('AdafactorHF follows Hugging Face’s rules on lr and relativeStep', () => {
    expect(() => new AdafactorHF([param()], { lr: 0.01 })).toThrow(
      'AdafactorHF: Cannot combine manual lr (0.01) and relativeStep=true options',
    );
    expect(() => new AdafactorHF([param()], { relativeStep: false })).toThrow(
      'AdafactorHF: lr is required when relativeStep is false',
    );
    expect(
      () => new AdafactorHF([param()], { lr: 0.01, relativeStep: false, warmupInit: true }),
    ).toThrow('AdafactorHF: warmupInit=true requires relativeStep=true');
    expect(() => new AdafactorHF([param()], { eps: [0, 1e-3] })).toThrow(
      'AdafactorHF: Invalid epsilon value at index 0: 0',
    );
    expect(new AdafactorHF([param()]).paramGroups[0].lr).toBeNull();
  });

  it('checks parameter groups: their options, unknown keys, duplicates, emptiness', () => {
    const [a, b] = [param(), param()];
    expect(() => new Adam([{ params: [a] }, { params: [b], lr: -2 }])).toThrow(
      'Adam: Invalid learning rate: -2',
    );
    expect(() => new Adam([{ params: [a], momentum: 0.9 }])).toThrow(
      'Adam: unknown option in parameter group 0 "momentum"; known: lr, betas',
    );
    expect(() => new Adam([{ params: [a] }, { params: [b, a] }])).toThrow(
      'Adam: some parameters appear in more than one parameter group',
    );
    expect(() => new Adam([a, a])).toThrow('more than one parameter group');
    expect(() => new Adam([])).toThrow('Adam: optimizer got an empty parameter list');
    expect(() => new Adam([{ params: [] }])).toThrow('Adam: parameter group 0 has no parameters');
  });

  it('group options override the defaults given to the constructor', () => {
    const [a, b] = [param(), param()];
    const opt = new Adam([{ params: [a] }, { params: [b], lr: 0.5, betas: [0.5, 0.9] }], {
      lr: 0.01,
    });
    expect(opt.paramGroups[0]).toMatchObject({ lr: 0.01, betas: [0.9, 0.999], eps: 1e-8 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.5, betas: [0.5, 0.9], eps: 1e-8 });
  });

  it('gives every group its own copy of array options', () => {
    const given: [number, number] = [0.8, 0.9];
    const opt = new Adam([{ params: [param()] }, { params: [param()] }], { betas: given });
    (opt.paramGroups[0].betas as number[])[0] = 0.5;
    expect(opt.paramGroups[1].betas).toEqual([0.8, 0.9]);
    expect(given).toEqual([0.8, 0.9]);
    const plain = new Adam([{ params: [param()] }, { params: [param()] }]);
    (plain.paramGroups[0].betas as number[])[0] = 0.5;
    expect(plain.paramGroups[1].betas).toEqual([0.9, 0.999]);
    expect(OPTIMIZERS.Adam.options.find((o) => o.name === 'betas')!.default).toEqual([0.9, 0.999]);
  });

  it('Lookahead checks k and alpha', () => {
    const inner = () => new SGD([param()]);
    expect(() => new Lookahead(inner(), { k: 0 })).toThrow('Lookahead: Invalid k value: 0');
    expect(() => new Lookahead(inner(), { k: 2.5 })).toThrow('Lookahead: Invalid k value: 2.5');
    expect(() => new Lookahead(inner(), { alpha: 2 })).toThrow('Lookahead: Invalid alpha value: 2');
    expect(() => new Lookahead(inner(), { kk: 2 } as never)).toThrow(
      'Lookahead: unknown option "kk"; known: k, alpha',
    );
  });
});

describe('registry', () => {
  it('lists PyTorch class names and refuses unknown ones with the list', () => {
    expect(Object.keys(OPTIMIZERS)).toEqual([
      'SGD',
      'Adagrad',
      'RMSprop',
      'Adadelta',
      'Adam',
      'AdamW',
      'Adamax',
      'NAdam',
      'RAdam',
      'Lion',
      'ASGD',
      'Rprop',
      'LBFGS',
      'Adafactor',
      'AdafactorHF',
      'SAM',
      'Muon',
      'AdamWScheduleFree',
      'SGDScheduleFree',
      'Prodigy',
      'LAMB',
      'LARS',
      'AdaBelief',
      'Adan',
      'AdEMAMix',
    ]);
    expect(() => createOptimizer('adm', [param()])).toThrow(
      'unknown optimizer "adm"; known: SGD, Adagrad, RMSprop, Adadelta, Adam, AdamW, Adamax, NAdam, RAdam, Lion, ASGD, Rprop, LBFGS, Adafactor, AdafactorHF, SAM, Muon, AdamWScheduleFree, SGDScheduleFree, Prodigy, LAMB, LARS, AdaBelief, Adan, AdEMAMix',
    );
    expect(() => createOptimizer('toString', [param()])).toThrow('unknown optimizer "toString"');
  });

  // SAM needs its `base` (optimizers-torch.test.ts checks it with one).
  it.each(Object.entries(OPTIMIZERS).filter(([n]) => n !== 'SAM'))(
    '%s: described, and created with every default in its group',
    (name, info) => {
      expect(info.name).toBe(name);
      expect(info.summary.length).toBeGreaterThan(10);
      expect(info.paper).toMatch(/\d{4}/);
      expect(info.statePerParameter.length).toBeGreaterThan(0);
      const names = info.options.map((o) => o.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toContain('lr');
      // Muon takes matrices only.
      const opt = info.create([name === 'Muon' ? new Parameter(be.zeros([2, 2])) : param()]);
      expect(opt.name).toBe(name);
      for (const o of info.options) expect(opt.paramGroups[0][o.name]).toEqual(o.default);
    },
  );

  it('uses PyTorch’s defaults', () => {
    const d = (name: string) =>
      Object.fromEntries(OPTIMIZERS[name].options.map((o) => [o.name, o.default]));
    expect(d('SGD')).toEqual({
      lr: 1e-3,
      momentum: 0,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      maximize: false,
    });
    expect(d('Adam')).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
    expect(d('AdamW')).toMatchObject({ lr: 1e-3, weightDecay: 1e-2 });
    expect(d('Adagrad')).toMatchObject({ lr: 1e-2, eps: 1e-10 });
    expect(d('RMSprop')).toMatchObject({ lr: 1e-2, alpha: 0.99, eps: 1e-8 });
    expect(d('Adadelta')).toMatchObject({ lr: 1, rho: 0.9, eps: 1e-6 });
    expect(d('Adamax')).toMatchObject({ lr: 2e-3 });
    expect(d('NAdam')).toMatchObject({ lr: 2e-3, momentumDecay: 4e-3 });
    expect(d('AdafactorHF')).toEqual({
      lr: null,
      eps: [1e-30, 1e-3],
      clipThreshold: 1,
      decayRate: -0.8,
      beta1: null,
      weightDecay: 0,
      scaleParameter: true,
      relativeStep: true,
      warmupInit: false,
    });
    expect(d('Lion')).toMatchObject({ lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0 });
  });
});
