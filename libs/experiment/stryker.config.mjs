// Mutation testing of @optlab/experiment: `npm run mutation -- experiment` (docs/mutation-testing.md).
import { strykerConfig } from '../../tools/scripts/stryker-base.mjs';

/** The runner's modules the issue lists: the loop, both tasks and the rules they share. */
const RUNNER = [
  'src/runner/train-loop.ts',
  'src/runner/divergence.ts',
  'src/runner/data-task.ts',
  'src/runner/function-task.ts',
  'src/runner/learning-rate.ts',
  'src/runner/trajectory.ts',
];

export default strykerConfig(
  'experiment',
  ['src/spec/validate.ts', 'src/metrics/*.ts', 'src/runner/*.ts'],
  {
    validate: {
      mutate: ['src/spec/validate.ts'],
      testFiles: [
        'test/validate.test.ts',
        'test/validate-bounds.test.ts',
        'test/validate-edges.test.ts',
      ],
    },
    runner: {
      mutate: RUNNER,
      testFiles: [
        'test/runner-loop.test.ts',
        'test/runner-rules.test.ts',
        'test/runner-tasks.test.ts',
        'test/runner.test.ts',
        'test/runner-output.test.ts',
        'test/pause.test.ts',
        'test/boundary.test.ts',
      ],
    },
  },
);
