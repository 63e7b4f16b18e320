import * as z from 'zod';
import type { Catalog, CatalogEntry, OptionDescription } from './catalog.js';
import { experimentSpecSchema, suiteSpecSchema } from './schema.js';

type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema (draft 2020-12) of a spec document, for editors: zod's export of the
 * structure, with every `{ "type": ... }` config expanded into one alternative per registry
 * entry, each listing its options with their bounds, defaults and docs. Editors then complete
 * optimizer names and options as they are typed. Committed as schema/experiment.schema.json.
 */
export function experimentJsonSchema(catalog: Catalog): JsonSchema {
  const schema = z.toJSONSchema(z.union([experimentSpecSchema, suiteSpecSchema]), {
    io: 'input',
    target: 'draft-2020-12',
  }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
  const defs = schema.$defs ?? {};
  const expand = (id: string, entries: Readonly<Record<string, CatalogEntry>>) => {
    if (!defs[id]) return;
    const description = defs[id].description;
    defs[id] = {
      description,
      anyOf: Object.values(entries).map(configSchema),
    };
  };
  expand('OptimizerConfig', catalog.optimizers);
  expand('ScheduleConfig', catalog.schedules);
  expand('DatasetConfig', catalog.datasets);
  expand('FunctionConfig', catalog.functions);
  expand('ModelConfig', catalog.models);
  return {
    title: 'OptLab experiment spec or suite',
    ...schema,
  };
}

function configSchema(entry: CatalogEntry): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    type: { const: entry.name, description: entry.summary },
  };
  for (const o of entry.options) properties[o.name] = optionSchema(o);
  return {
    type: 'object',
    title: entry.name,
    description: entry.summary,
    properties,
    // Required options too, so that editors flag a StepLR without stepSize or a CSV without text.
    required: ['type', ...entry.options.filter((o) => o.required).map((o) => o.name)],
    ...(entry.requiresOneOf && {
      anyOf: entry.requiresOneOf.map((name) => ({ required: [name] })),
    }),
    additionalProperties: false,
  };
}

function numberSchema(o: OptionDescription, integer: boolean): JsonSchema {
  const s: JsonSchema = { type: integer ? 'integer' : 'number' };
  if (o.min !== undefined) s[o.exclusiveMin ? 'exclusiveMinimum' : 'minimum'] = o.min;
  if (o.max !== undefined) s[o.exclusiveMax ? 'exclusiveMaximum' : 'maximum'] = o.max;
  return s;
}

function optionSchema(o: OptionDescription): JsonSchema {
  let s: JsonSchema;
  switch (o.kind) {
    case 'boolean':
      s = { type: 'boolean' };
      break;
    case 'string':
      s = { type: 'string' };
      break;
    case 'column':
      s = { type: ['string', 'integer'] };
      break;
    case 'choice':
      s = { enum: [...(o.choices ?? [])] };
      break;
    case 'pair':
      s = { type: 'array', items: numberSchema(o, false), minItems: 2, maxItems: 2 };
      break;
    case 'numbers':
      s = { type: 'array', items: numberSchema(o, false) };
      if (o.minItems) s.minItems = o.minItems;
      break;
    default: {
      const one = numberSchema(o, o.kind === 'integer');
      // PyTorch's per-group form: one value per parameter group.
      s = o.perGroup ? { anyOf: [one, { type: 'array', items: one, minItems: 1 }] } : one;
    }
  }
  s.description = o.unit ? `${o.doc} (${o.unit})` : o.doc;
  if (o.default !== null) s.default = o.default;
  return s;
}
