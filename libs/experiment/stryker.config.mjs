// Mutation testing of @optlab/experiment: `npm run mutation -- experiment` (docs/mutation-testing.md).
import { strykerConfig } from '../../tools/scripts/stryker-base.mjs';

export default strykerConfig('experiment', [
  'src/spec/validate.ts',
  'src/metrics/*.ts',
  'src/runner/*.ts',
]);
