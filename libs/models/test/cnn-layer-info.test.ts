// The layer types' field metadata (CNN_LAYERS: what the lab's layers editor and `optlab list`
// show) agrees with the layer list's checks: every type and field it names is accepted, and each
// field's stated bounds are the ones checkCnnLayers enforces, at the field's JSON path.
import { describe, expect, it } from 'vitest';
import { CNN_LAYERS, CNN_LAYER_TYPES, checkCnnLayers } from '../src/index.js';

/** A layer of `type` with each required field at its minimum (kernel 1: "same" stays valid). */
function minimal(type: string): Record<string, unknown> {
  const info = CNN_LAYERS.find((l) => l.type === type)!;
  return Object.fromEntries([
    ['type', type],
    ...info.fields.filter((f) => f.required).map((f) => [f.name, f.min ?? 0]),
  ]);
}

/** Problems of one layer alone at [layers, 0, field] (the last layer must be dense: ignored). */
function problemsAt(layer: Record<string, unknown>, field: string): string[] {
  return checkCnnLayers([layer])
    .filter((p) => p.path.join('.') === `layers.0.${field}`)
    .map((p) => p.message);
}

describe('cnn layer metadata', () => {
  it('lists every layer type once, in CNN_LAYER_TYPES order', () => {
    expect(CNN_LAYERS.map((l) => l.type)).toEqual([...CNN_LAYER_TYPES]);
  });

  it('names exactly the fields the checks accept: a field it does not name is refused', () => {
    for (const info of CNN_LAYERS) {
      const layer = minimal(info.type);
      for (const f of info.fields) {
        expect(
          problemsAt({ ...layer, [f.name]: f.min ?? 0 }, f.name),
          `${info.type}.${f.name}`,
        ).toEqual([]);
      }
      expect(problemsAt({ ...layer, bogus: 1 }, 'bogus')[0]).toMatch(
        new RegExp(`^unknown field "bogus" for a ${info.type} layer; known: `),
      );
      // A required field left out.
      for (const f of info.fields.filter((g) => g.required)) {
        const { [f.name]: _gone, ...rest } = layer;
        expect(problemsAt(rest, f.name), `${info.type}.${f.name} required`).toEqual([
          'is required',
        ]);
      }
    }
  });

  it("enforces each field's stated bounds, also per side of a [height, width] pair", () => {
    for (const info of CNN_LAYERS) {
      for (const f of info.fields) {
        const layer = minimal(info.type);
        const at = (v: unknown) => problemsAt({ ...layer, [f.name]: v }, f.name);
        if (f.max !== undefined) {
          const over = f.kind === 'integer' ? f.max + 1 : f.max;
          expect(at(over).length, `${info.type}.${f.name} = ${over}`).toBe(1);
        }
        if (f.min !== undefined) {
          const under = f.kind === 'integer' ? f.min - 1 : f.min - 0.01;
          expect(at(under).length, `${info.type}.${f.name} = ${under}`).toBe(1);
        }
        if (f.kind === 'integer') expect(at(1.5).length, `${info.type}.${f.name} = 1.5`).toBe(1);
        if (f.spatial) {
          expect(at([f.min ?? 0, f.min ?? 0])).toEqual([]);
          expect(
            checkCnnLayers([{ ...layer, [f.name]: [f.min ?? 0, (f.max ?? 0) + 1] }]).filter(
              (p) => p.path.join('.') === `layers.0.${f.name}.1`,
            ),
          ).toHaveLength(1);
        }
        if (f.alsoSame) expect(at('same')).toEqual([]);
        else if (f.spatial) expect(at('same').length).toBe(1);
      }
    }
  });
});
