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
  { name: 'stepSize', kind: 'integer', default: null, min: 1, unit: 'epochs', doc: 'Period' },
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
    expect([...target.querySelectorAll('label')].map((l) => l.textContent)).toEqual([
      'lr',
      'betas',
      'amsgrad',
      'mode',
      'stepSize (epochs)',
    ]);
    expect(field('lr').value).toBe('0.01');
    expect(field('lr').placeholder).toBe('0.001');
    expect(field('betas').value).toBe('0.9, 0.999');
    expect(field('amsgrad').checked).toBe(true);
    expect(field('mode').value).toBe('min');
    expect(field('stepSize').placeholder).toBe('required');
    expect(hint('lr')).toBe('default 0.001');
    expect(hint('stepSize')).toBe('epochs');
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
    expect(hint('betas')).toBe('betas must be two numbers');
    type('stepSize', '2.5');
    expect(hint('stepSize')).toBe('stepSize must be an integer, got 2.5');
    expect(changes).toHaveLength(1);
  });

  it('sends booleans and choices as they change, and leaves out hidden options', () => {
    const { target, changes, field } = render({ type: 'X' }, ['mode']);
    expect(target.querySelector('#opt-mode')).toBeNull();
    field('amsgrad').click();
    flushSync();
    expect(changes).toEqual([{ type: 'X', amsgrad: true }]);
  });
});
