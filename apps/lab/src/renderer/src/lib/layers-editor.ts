/**
 * Form logic for a model's list of typed items (a cnn's `layers`): the item types and their fields
 * come from the models registry's metadata (`structuredOptions[].itemTypes`, CNN_LAYERS in
 * @optlab/models), never from a list kept here. A field's text becomes a value of the right shape
 * (a number, a [height, width] pair, "same" where allowed); whether it fits (bounds, the order of
 * layers, shapes through the network) is the spec check's word, as for the CLI, with the path
 * `task.model.layers[i].field`.
 */
import type { StructuredItemType } from '@optlab/experiment';
import { formatPath } from '@optlab/experiment';
import { defaultsOf } from './options.js';

export type ItemField = StructuredItemType['fields'][number];
export type Item = Record<string, unknown> & { type?: unknown };

export type ParsedField = { ok: true; value: unknown } | { ok: false; error: string };

/** A decimal number as a person types it (`5`, `-1.5`, `2e-3`). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The JSON path of an item's field, as the spec check names it: `task.model.layers[2].kernel`. */
export function fieldPath(option: string, index: number, field?: string): string {
  return formatPath(['task', 'model', option, index, ...(field === undefined ? [] : [field])]);
}

/** What a field takes, in words, for its hint and its parse error. */
export function fieldShape(field: ItemField): string {
  const one = field.kind === 'integer' ? 'an integer' : 'a number';
  if (!field.spatial) return one;
  return field.alsoSame ? `${one}, "height, width" or "same"` : `${one} or "height, width"`;
}

/**
 * The value a field's text stands for: empty is "not given" (undefined), a number, a pair for a
 * spatial field (`5, 3`), or "same" where allowed. Text of another shape is an error naming the
 * field's path; values of the right shape go to the spec, whose check says if they fit.
 */
export function parseField(field: ItemField, text: string, path: string): ParsedField {
  const raw = text.trim();
  if (raw === '') return { ok: true, value: undefined };
  if (field.alsoSame && raw === 'same') return { ok: true, value: 'same' };
  const tokens = raw.split(/[\s,;]+/).filter(Boolean);
  const shapeOk =
    tokens.every((t) => DECIMAL.test(t)) &&
    (tokens.length === 1 || (field.spatial && tokens.length === 2));
  if (!shapeOk)
    return {
      ok: false,
      error: `${path}: must be ${fieldShape(field)}, got ${JSON.stringify(raw)}`,
    };
  const numbers = tokens.map(Number);
  return { ok: true, value: numbers.length === 1 ? numbers[0] : numbers };
}

/** The text a field shows for a value (`5`, `5, 3`, `same`; empty when not given). */
export function formatField(value: unknown): string {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The item with `field` set to `value` (undefined removes it). */
export function withField(item: Item, field: string, value: unknown): Item {
  const next = { ...item };
  if (value === undefined) delete next[field];
  else next[field] = value;
  return next;
}

/**
 * The item as another type: the new type's defaults, keeping the values of fields both types
 * have (a max-pool's kernel stays when it becomes an average pool).
 */
export function retype(item: Item, type: StructuredItemType): Item {
  const next: Item = defaultsOf(type.type, type.fields);
  for (const field of type.fields) {
    if (Object.hasOwn(item, field.name)) next[field.name] = item[field.name];
  }
  return next;
}

/** A new item of `type` at its defaults (required fields left for the user, and the check, to fill). */
export function newItem(type: StructuredItemType): Item {
  return defaultsOf(type.type, type.fields);
}

/** The list with the item at `from` moved to `to` (clamped to the list). */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items];
  const target = Math.max(0, Math.min(items.length - 1, to));
  const [moved] = next.splice(from, 1);
  next.splice(target, 0, moved);
  return next;
}

/** The list without the item at `index`. */
export function removeItem<T>(items: readonly T[], index: number): T[] {
  return items.filter((_, i) => i !== index);
}
