/// <reference types="vite/client" />
/**
 * Presets: the repository's `examples/*.json` specs (the tutorial's examples, the same files the
 * CLI runs), bundled into the page at build time, each with a human title and a one-line summary
 * for the menus (the spec's own description is the long, precise one). Benchmark suites
 * (`"kind": "suite"`) are listed apart for the benchmark view. The guided start's cards are
 * presets too, so every word a learner sees about an example lives here.
 */
import { isRecord } from './draft.js';

export interface Preset {
  readonly file: string;
  /** The spec's `name` (the experiment's name once loaded). */
  readonly name: string;
  /** What a person reads in menus and on cards. */
  readonly title: string;
  /** One line: what the example shows. */
  readonly summary: string;
  /** The spec's full description. */
  readonly description: string;
  readonly spec: Record<string, unknown>;
}

/** Titles and summaries by spec name; a preset missing here falls back to its name and first sentence. */
const TEXT: Record<string, { title: string; summary: string }> = {
  'adam-step-decay': {
    title: 'Adam with step decay',
    summary:
      'Adam whose learning rate halves every 10 updates, beside plain Adam, on a linear fit.',
  },
  'adam-vs-nadam': {
    title: 'Adam vs NAdam on x²',
    summary: 'Ten steps of Adam and NAdam on f(x) = x², step by step.',
  },
  'deepobs-fmnist-logreg': {
    title: 'Fashion-MNIST: logistic regression (DeepOBS)',
    summary: 'DeepOBS’s fmnist_logreg test problem: 784 → 10 softmax trained by Adam.',
  },
  'deepobs-fmnist-mlp': {
    title: 'Fashion-MNIST: deep MLP (DeepOBS)',
    summary: 'DeepOBS’s fmnist_mlp test problem: a 4-layer ReLU network trained by Adam.',
  },
  'edge-of-stability': {
    title: 'The edge of stability (sharpness vs 2/η)',
    summary:
      'Full-batch gradient descent on the moons network, its sharpness measured against 2/η.',
  },
  'fmnist-2c2d': {
    title: 'Fashion-MNIST: a small convolutional net (DeepOBS)',
    summary: 'DeepOBS’s fmnist_2c2d: two 5×5 convolutions and two dense layers, trained by Adam.',
  },
  'fmnist-mlp': {
    title: 'Fashion-MNIST: one epoch of an MLP',
    summary: 'A 784 → 256 → 10 network on the 60,000 clothing images, tested on 10,000.',
  },
  'lbfgs-rosenbrock': {
    title: 'Paths on the Rosenbrock valley',
    summary: 'LBFGS (with and without line search) and Adam find their way down a curved valley.',
  },
  'linear-regression': {
    title: 'Linear regression: SGD, Momentum, Adam',
    summary: 'Fit y = 4 + 3x to 100 noisy points and watch which optimizer gets there first.',
  },
  'lr-schedules': {
    title: 'Learning-rate schedules',
    summary: 'Step, exponential and cosine decay of SGD’s learning rate on the same linear fit.',
  },
  'modern-optimizers': {
    title: 'Modern optimizers on handwritten digits',
    summary: 'Muon, schedule-free AdamW, Prodigy, Lion and AdamW on the 8×8 digits.',
  },
  'moons-boundary': {
    title: 'Decision boundary on the moons',
    summary:
      'A small network learns to separate two interleaving half circles, drawn as it trains.',
  },
  'simple-nn': {
    title: 'A small network on random labels',
    summary: 'SGD, Adam and NAdam on labels unrelated to the inputs: memorising, not learning.',
  },
  'quadratic-deep': {
    title: 'A noisy 100-D quadratic (DeepOBS)',
    summary:
      'DeepOBS’s quadratic_deep: SGD, Momentum and Adam on a noisy, badly conditioned quadratic.',
  },
  'single-step': {
    title: 'One update of each rule',
    summary:
      'Three steps of GD, SGD, Momentum, AdaGrad, RMSprop, Adam and AdaFactor on one quadratic.',
  },
  'tuned-comparison': {
    title: 'A fair, tuned comparison (breast cancer)',
    summary:
      'Five optimizers, each tuned over the same learning-rate grid, judged on held-out data.',
  },
  // The benchmark suite (examples/benchmark.json).
  tutorial: {
    title: 'The tutorial’s optimizer benchmark',
    summary: 'SGD, Momentum, Adam, NAdam and AdaFactor on problems of size 10, 50 and 100.',
  },
  'warmup-cosine-restarts': {
    title: 'Warmup and cosine restarts',
    summary:
      'Linear warmup, cosine decay with warm restarts, and the two joined, over 20,000 steps.',
  },
};

const modules = import.meta.glob<Record<string, unknown>>('../../../../../../examples/**/*.json', {
  eager: true,
  import: 'default',
});

/** Longest summary a menu or card shows. */
export const SUMMARY_CHARS = 110;

/**
 * The first sentence of a description (up to the first ". "), cut at a word to `SUMMARY_CHARS`
 * with an ellipsis: the summary of a preset that has none of its own.
 */
export function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  const sentence = (end < 0 ? text : text.slice(0, end + 1)).trim();
  if (sentence.length <= SUMMARY_CHARS) return sentence;
  const cut = sentence.slice(0, SUMMARY_CHARS - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1)).replace(/[\s,;:]+$/, '')}…`;
}

function toPresets(filter: (spec: Record<string, unknown>) => boolean): Preset[] {
  return Object.entries(modules)
    .filter(([, spec]) => isRecord(spec) && filter(spec))
    .map(([path, spec]) => {
      const name = String(spec['name'] ?? path);
      const description = typeof spec['description'] === 'string' ? spec['description'] : '';
      const text = TEXT[name];
      return {
        file: path.replace(/^.*examples\//, 'examples/'),
        name,
        title: text?.title ?? name,
        summary: text?.summary ?? firstSentence(description),
        description,
        spec,
      };
    })
    .sort((a, b) => a.title.localeCompare(b.title));
}

export const presets: Preset[] = toPresets(
  (spec) => spec['kind'] !== 'suite' && Array.isArray(spec['runs']),
);
export const suites: Preset[] = toPresets((spec) => spec['kind'] === 'suite');

/** A card of the guided start: a preset, and the view its results are best seen in. */
export interface StartCard {
  readonly preset: Preset;
  readonly view: 'paths' | 'compare' | 'boundary';
  /** What to look at once it runs. */
  readonly look: string;
}

const START: readonly { name: string; view: StartCard['view']; look: string }[] = [
  {
    name: 'lbfgs-rosenbrock',
    view: 'paths',
    look: 'See each optimizer’s path on the contour map.',
  },
  { name: 'linear-regression', view: 'compare', look: 'See the loss curves side by side.' },
  { name: 'moons-boundary', view: 'boundary', look: 'See the decision boundary take shape.' },
];

export const startCards: StartCard[] = START.flatMap(({ name, view, look }) => {
  const preset = presets.find((p) => p.name === name);
  return preset ? [{ preset, view, look }] : [];
});
