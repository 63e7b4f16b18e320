// Mutation testing of @optlab/tensor: `npm run mutation -- tensor` (docs/mutation-testing.md).
import { strykerConfig } from '../../tools/scripts/stryker-base.mjs';

// The one option checker (OptionInfo and checkOption) that optim, models and the spec share.
export default strykerConfig('tensor', ['src/options.ts'], {
  options: {
    mutate: ['src/options.ts'],
    testFiles: ['test/options.test.ts', 'test/options-edges.test.ts'],
  },
});
