import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { defaultCatalog, experimentJsonSchema, OPTIMIZER_NAMES_FOR_TEST } from './helpers.js';

const file = new URL('../schema/experiment.schema.json', import.meta.url);
const generated = JSON.stringify(experimentJsonSchema(defaultCatalog()), null, 2) + '\n';

describe('schema/experiment.schema.json', () => {
  it('is up to date with the zod schema and the registries (npm run schema -w @optlab/experiment)', async () => {
    if (process.env.UPDATE_SCHEMA) {
      mkdirSync(new URL('../schema/', import.meta.url), { recursive: true });
      const options = await prettier.resolveConfig(fileURLToPath(file));
      writeFileSync(file, await prettier.format(generated, { ...options, parser: 'json' }));
    }
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(generated));
  });

  it('offers every optimizer with its options, bounds and defaults to editors', () => {
    const schema = JSON.parse(generated) as {
      $defs: Record<
        string,
        { anyOf?: { title: string; properties: Record<string, Record<string, unknown>> }[] }
      >;
    };
    const optimizers = schema.$defs.OptimizerConfig.anyOf!;
    expect(optimizers.map((o) => o.title)).toEqual(OPTIMIZER_NAMES_FOR_TEST);
    const adam = optimizers.find((o) => o.title === 'Adam')!;
    expect(adam.properties.type).toMatchObject({ const: 'Adam' });
    expect(adam.properties.lr).toMatchObject({ type: 'number', minimum: 0, default: 0.001 });
    expect(adam.properties.betas).toMatchObject({ type: 'array', minItems: 2, maxItems: 2 });
    expect(schema.$defs.ExperimentSpec).toBeDefined();
    expect(schema.$defs.SuiteSpec).toBeDefined();
  });

  it('marks required options so that editors flag them (StepLR stepSize; a CSV needs text or path)', () => {
    type Entry = { title: string; required?: string[]; anyOf?: { required: string[] }[] };
    const schema = JSON.parse(generated) as { $defs: Record<string, { anyOf?: Entry[] }> };
    const stepLR = schema.$defs.ScheduleConfig.anyOf!.find((s) => s.title === 'StepLR')!;
    expect(stepLR.required).toEqual(['type', 'stepSize']);
    const csv = schema.$defs.DatasetConfig.anyOf!.find((d) => d.title === 'csv')!;
    expect(csv.required).toEqual(['type']);
    expect(csv.anyOf).toEqual([{ required: ['text'] }, { required: ['path'] }]);
  });
});
