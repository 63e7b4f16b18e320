// Mutation testing of @optlab/optim: `npm run mutation -- optim` (docs/mutation-testing.md).
import { strykerConfig } from '../../tools/scripts/stryker-base.mjs';

export default strykerConfig('optim', [
  'src/schedules/cosine-annealing.ts',
  'src/schedules/one-cycle-lr.ts',
  'src/optimizers/adam.ts',
  'src/optimizers/nadam.ts',
]);
