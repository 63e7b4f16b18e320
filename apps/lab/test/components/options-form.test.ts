// OptionsForm mounted in Chromium: fields generated from option descriptions, defaults as
// placeholders, messages for bad input, and only valid values reaching the owner.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import OptionsForm from '../../src/renderer/src/components/OptionsForm.svelte';
import type { OptionDescription } from '../../src/renderer/src/lib/options.js';

const options: OptionDescription[] = [
  { name: 'lr', kind: 'number', default: 0.001, min: 0, exclusiveMin: true, doc: 'Learning rate' },
  {
    name: 'betas',
    kind: 'pair',
    default: [0.9, 0.999],
    min: 0,
    max: 1,
    exclusiveMax: true,
    doc: 'EMAs',
  },
  { name: 'amsgrad', kind: 'boolean', default: false, doc: 'AMSGrad' },
  { name: 'mode', kind: 'choice', default: 'min', choices: ['min', 'max'], doc: 'Mode' },
  {
    name: 'stepSize',
    kind: 'integer',
    default: null,
    required: true,
    min: 1,
    unit: 'epochs',
    doc: 'Period',
  },
  { name: 'totalSteps', kind: 'integer', default: null, min: 1, doc: 'Optional, no default' },
  {
    name: 'lineSearchFn',
    kind: 'choice',
    default: null,
    choices: ['strong_wolfe'],
    doc: 'Line search',
  },
  { name: 'eps', kind: 'pair', default: [null, 1e-3] as unknown as number[], min: 0, doc: 'eps' },
  { name: 'maximize', kind: 'boolean', default: false, doc: 'Maximize' },
  { name: 'lastEpoch', kind: 'integer', default: -1, min: -1, doc: 'Resume' },
];

let component: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (component) unmount(component);
  document.body.innerHTML = '';
});

function render(config: Record<string, unknown>, hide: string[] = []) {
  const changes: Record<string, unknown>[] = [];
  const target = document.createElement('div');
  document.body.append(target);
  component = mount(OptionsForm, {
    target,
    props: {
      options,
      config,
      idPrefix: 'opt',
      hide,
      onchange: (c: Record<string, unknown>) => changes.push(c),
    },
  });
  flushSync();
  const field = (name: string) =>
    target.querySelector<HTMLInputElement & HTMLSelectElement>(`#opt-${name}`)!;
  const hint = (name: string) => target.querySelector(`#opt-${name}-hint`)!.textContent!.trim();
  const type = (name: string, text: string) => {
    const input = field(name);
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
  };
  return { target, changes, field, hint, type };
}

describe('OptionsForm', () => {
  it('generates one field per option with its kind, value, default and unit', () => {
    const { target, field, hint } = render({
      type: 'Adam',
      lr: 0.01,
      betas: [0.9, 0.999],
      amsgrad: true,
    });
    expect([...target.querySelectorAll(':scope > .form label')].map((l) => l.textContent)).toEqual([
      'lr',
      'betas',
      'amsgrad',
      'mode',
      'stepSize (epochs)*',
      'totalSteps',
      'lineSearchFn',
      'eps',
    ]);
    // Internal options sit in the closed "advanced" fold.
    const fold = target.querySelector<HTMLDetailsElement>('[data-testid=opt-advanced]')!;
    expect(fold.open).toBe(false);
    expect([...fold.querySelectorAll('label')].map((l) => l.textContent)).toEqual([
      'maximize',
      'lastEpoch',
    ]);
    expect(field('lr').value).toBe('0.01');
    expect(field('lr').placeholder).toBe('0.001');
    expect(field('betas').value).toBe('0.9, 0.999');
    expect(field('amsgrad').checked).toBe(true);
    expect(field('mode').value).toBe('min');
    expect(field('stepSize').placeholder).toBe('required');
    expect(field('stepSize').getAttribute('aria-required')).toBe('true');
    expect(field('totalSteps').placeholder).toBe('not set');
    expect(field('totalSteps').getAttribute('aria-required')).toBeNull();
    expect(field('eps').placeholder).toBe('null, 0.001');
    expect([...field('lineSearchFn').options].map((o) => o.textContent)).toEqual([
      'not set',
      'strong_wolfe',
    ]);
    expect(field('lineSearchFn').value).toBe('');
    expect(hint('lr')).toBe('default 0.001');
    expect(hint('stepSize')).toBe('required · epochs');
    expect(hint('totalSteps')).toBe('optional, no default');
  });

  it('shows a message naming the option for bad input and passes only valid values on', () => {
    const { changes, field, hint, type } = render({ type: 'Adam', lr: 0.01 });
    type('lr', '-1');
    expect(hint('lr')).toBe('lr must be > 0, got -1');
    expect(field('lr').getAttribute('aria-invalid')).toBe('true');
    expect(changes).toEqual([]);
    type('lr', '3e-4');
    expect(field('lr').getAttribute('aria-invalid')).toBe('false');
    expect(changes).toEqual([{ type: 'Adam', lr: 3e-4 }]);
    type('betas', '0.9');
    expect(hint('betas')).toBe('betas must be a pair of numbers, got [0.9]');
    type('stepSize', '2.5');
    expect(hint('stepSize')).toBe('stepSize must be an integer, got 2.5');
    expect(changes).toHaveLength(1);
  });

  it('leaves an emptied optional field unset and a null pair slot null', () => {
    const { changes, hint, type } = render({ type: 'X', totalSteps: 100 });
    type('totalSteps', '');
    expect(hint('totalSteps')).toBe('optional, no default');
    expect(changes).toEqual([{ type: 'X' }]);
    type('eps', 'null, 1e-4');
    expect(changes[1]).toEqual({ type: 'X', totalSteps: 100, eps: [null, 1e-4] });
    type('stepSize', '');
    expect(hint('stepSize')).toBe('stepSize is required');
    expect(changes).toHaveLength(2);
  });

  it('sends booleans and choices as they change, and leaves out hidden options', () => {
    const { target, changes, field } = render({ type: 'X' }, ['mode']);
    expect(target.querySelector('#opt-mode')).toBeNull();
    field('amsgrad').click();
    flushSync();
    expect(changes).toEqual([{ type: 'X', amsgrad: true }]);
  });
});
