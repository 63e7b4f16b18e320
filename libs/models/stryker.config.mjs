// Mutation testing of @optlab/models: `npm run mutation -- models` (docs/mutation-testing.md).
import { strykerConfig } from '../../tools/scripts/stryker-base.mjs';

export default strykerConfig('models', ['src/datasets/csv.ts', 'src/datasets/csv-scanner.ts'], {
  csv: {
    mutate: ['src/datasets/csv.ts', 'src/datasets/csv-scanner.ts'],
    testFiles: ['test/csv.test.ts', 'test/csv-edges.test.ts'],
  },
});
