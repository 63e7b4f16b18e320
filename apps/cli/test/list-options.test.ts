import { describe, expect, it } from 'vitest';
import { optlab } from './capture.js';

/** Issue 9: one option model, read by `optlab list` and `optlab schedule`. */
describe('optlab list: required, optional without default, default', () => {
  it('tells the three apart', async () => {
    const optimizers = (await optlab(['list', 'optimizers'])).stdout;
    expect(optimizers).toContain('      lr: number, optional, no default (≥ 0)'); // Adafactor
    expect(optimizers).toContain('      lr: number, default 0.001 (≥ 0)'); // Adam
    const schedules = (await optlab(['list', 'schedules'])).stdout;
    expect(schedules).toContain('      stepSize: integer, required (≥ 1) [steps]');
    expect(schedules).toContain('      totalSteps: integer, optional, no default (≥ 1) [steps]');
    expect(schedules).toContain(
      "      initialLr: number, optional, no default (≥ 0)  Learning rate at step 0 (default: the optimizer's lr).",
    );
    expect(schedules).not.toContain('default required');
    const datasets = (await optlab(['list', 'datasets'])).stdout;
    expect(datasets).toContain(
      '      text: string, optional, no default  The CSV contents; give this or "path"',
    );
  });
});

describe('optlab list averaging (issue 11)', () => {
  it('lists ema and swa with their options', async () => {
    const r = await optlab(['list', 'averaging']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^averaging:\n  ema /);
    expect(r.stdout).toContain('      decay: number, default 0.9999 (≥ 0, ≤ 1)');
    expect(r.stdout).toContain('      start: integer, required (≥ 0) [steps]');
    expect(r.stdout).toContain('      swaLr: number, optional, no default (≥ 0)');
  });
});

describe('optlab schedule with a type name that is an object property', () => {
  it.each(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'])(
    '%s is an unknown schedule (exit 2, no stack trace)',
    async (name) => {
      const r = await optlab(['schedule', name, '--steps', '5']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`^error: schedule\\.type: unknown schedule "${name}"; known: StepLR, `),
      );
      expect(r.stderr).not.toMatch(/ at /);
    },
  );
});

describe('optlab list models: a cnn and its list of layers (issue 13)', () => {
  it('shows the layers option with an example, and the DeepOBS quadratic', async () => {
    const r = await optlab(['list', 'models']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '      layers: list, required  The layers in order: {"type": "conv2d"',
    );
    expect(r.stdout).toContain(
      '        e.g. [{"type":"conv2d","out":32,"kernel":5,"padding":2},{"type":"relu"},{"type":"maxPool2d","kernel":2},{"type":"flatten"},{"type":"dense","out":10}]',
    );
    expect(r.stdout).toContain("  quadratic-deep [regression]  —  DeepOBS's quadratic_deep");
    // Each layer type with its fields, from the models registry's metadata (CNN_LAYERS).
    expect(r.stdout).toContain(
      '          padding: integer or [h, w] or "same", default 0 (≥ 0, ≤ 64)  Zeros on each side',
    );
    expect(r.stdout).toContain(
      '          p: number, required (≥ 0, < 1)  Probability of zeroing a value, in [0, 1)',
    );
    expect(r.stdout).toContain('        flatten  —  Images [N, C, H, W] → vectors');
  });
});
