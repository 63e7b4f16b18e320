import type { SuiteSpec } from '../spec/schema.js';
import { deepobsSuite } from './deepobs.js';
import { deepobsSmallSuite } from './deepobs-small.js';
import { tutorialSuite } from './tutorial.js';

export { tutorialSuite, tutorialBenchmarkExperiment, TUTORIAL_SIZES } from './tutorial.js';
export { deepobsSuite } from './deepobs.js';
export { deepobsSmallSuite } from './deepobs-small.js';

/** The built-in benchmark suites, by name (`optlab bench <name>`). */
export const SUITES: Readonly<Record<string, SuiteSpec>> = {
  tutorial: tutorialSuite,
  deepobs: deepobsSuite,
  'deepobs-small': deepobsSmallSuite,
};
