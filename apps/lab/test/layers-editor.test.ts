// The layers editor's form logic (a cnn's `layers`): the layer types and fields come from the
// models registry through the catalog; a field's text becomes a value of its shape, and moves,
// removals and type changes give the list the spec then holds.
import { describe, expect, it } from 'vitest';
import { CNN_LAYER_TYPES } from '@optlab/models';
import { catalog } from '../src/renderer/src/lib/catalog.js';
import {
  fieldPath,
  formatField,
  moveItem,
  newItem,
  parseField,
  removeItem,
  retype,
} from '../src/renderer/src/lib/layers-editor.js';

const layers = catalog.models['cnn'].structuredOptions!.find((o) => o.name === 'layers')!;
const types = layers.itemTypes!;
const type = (name: string) => types.find((t) => t.type === name)!;
const field = (layer: string, name: string) => type(layer).fields.find((f) => f.name === name)!;

describe('cnn layers in the catalog', () => {
  it('has every layer type of the models registry, with its fields', () => {
    expect(types.map((t) => t.type)).toEqual([...CNN_LAYER_TYPES]);
    expect(type('conv2d').fields.map((f) => f.name)).toEqual([
      'out',
      'kernel',
      'stride',
      'padding',
    ]);
    expect(type('maxPool2d').fields.map((f) => f.name)).toEqual(['kernel', 'stride', 'padding']);
    expect(type('relu').fields).toEqual([]);
  });
});

describe('parsing a field', () => {
  const path = fieldPath('layers', 3, 'kernel');

  it('names the path as the spec check does', () => {
    expect(path).toBe('task.model.layers[3].kernel');
    expect(fieldPath('layers', 0)).toBe('task.model.layers[0]');
  });

  it('reads a number, a [height, width] pair or "same" where the field takes them', () => {
    const kernel = field('conv2d', 'kernel');
    const padding = field('conv2d', 'padding');
    expect(parseField(kernel, ' 5 ', path)).toEqual({ ok: true, value: 5 });
    expect(parseField(kernel, '5, 3', path)).toEqual({ ok: true, value: [5, 3] });
    expect(parseField(kernel, '', path)).toEqual({ ok: true, value: undefined });
    // Out of range is the spec check's to say (task.model.layers[3].kernel: must be ≥ 1).
    expect(parseField(kernel, '0', path)).toEqual({ ok: true, value: 0 });
    expect(parseField(padding, 'same', path)).toEqual({ ok: true, value: 'same' });
    expect(parseField(kernel, 'same', path)).toEqual({
      ok: false,
      error: 'task.model.layers[3].kernel: must be an integer or "height, width", got "same"',
    });
    expect(parseField(padding, '1 2 3', path)).toEqual({
      ok: false,
      error:
        'task.model.layers[3].kernel: must be an integer, "height, width" or "same", got "1 2 3"',
    });
    expect(parseField(field('dense', 'out'), '4, 4', path)).toEqual({
      ok: false,
      error: 'task.model.layers[3].kernel: must be an integer, got "4, 4"',
    });
    expect(parseField(field('dropout', 'p'), '.5', path)).toEqual({ ok: true, value: 0.5 });
  });

  it('shows a value as it is typed', () => {
    expect(formatField([5, 3])).toBe('5, 3');
    expect(formatField('same')).toBe('same');
    expect(formatField(undefined)).toBe('');
  });
});

describe('editing the list', () => {
  const list = [{ type: 'conv2d' }, { type: 'relu' }, { type: 'flatten' }, { type: 'dense' }];

  it('moves, clamped to the list, and removes', () => {
    expect(moveItem(list, 1, 0).map((l) => l.type)).toEqual(['relu', 'conv2d', 'flatten', 'dense']);
    expect(moveItem(list, 3, 9).map((l) => l.type)).toEqual(['conv2d', 'relu', 'flatten', 'dense']);
    expect(removeItem(list, 2).map((l) => l.type)).toEqual(['conv2d', 'relu', 'dense']);
    expect(list.map((l) => l.type)).toEqual(['conv2d', 'relu', 'flatten', 'dense']);
  });

  it("starts a new layer at the registry's defaults and keeps shared fields on a type change", () => {
    expect(newItem(type('conv2d'))).toEqual({ type: 'conv2d', stride: 1, padding: 0 });
    expect(newItem(type('dropout'))).toEqual({ type: 'dropout' });
    expect(retype({ type: 'maxPool2d', kernel: 3, stride: 2 }, type('avgPool2d'))).toEqual({
      type: 'avgPool2d',
      kernel: 3,
      stride: 2,
      padding: 0,
    });
    expect(retype({ type: 'conv2d', out: 8, kernel: 3 }, type('relu'))).toEqual({ type: 'relu' });
  });
});
