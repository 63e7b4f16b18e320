/**
 * Decision boundaries of 2-feature classifiers, as the runner's `boundary` events report them:
 * the frames a run keeps (for the step slider), and the pixels that draw one. Pure functions;
 * the view (BoundaryView.svelte) puts the pixels on a canvas and the training points on top.
 */
import type { BoundaryGrid } from '@optlab/experiment';

/** One evaluation's predicted class and its probability per grid cell (row 0 at the top). */
export interface BoundaryFrame {
  readonly step: number;
  readonly classes: number;
  readonly grid: BoundaryGrid;
  readonly predicted: readonly number[];
  readonly confidence: readonly number[];
}

/** A run's frames, in step order, and the training points as the model sees them. */
export interface BoundaryTrack {
  frames: BoundaryFrame[];
  points?: { readonly x: readonly number[]; readonly labels: readonly number[] };
}

/** Frames a run keeps; past it, every other older frame is dropped (the newest always stays). */
export const MAX_FRAMES = 256;

/** Class colours (distinct from nothing else on the canvas; Okabe–Ito order, red and blue first). */
export const CLASS_COLORS = [
  '#d55e00',
  '#0072b2',
  '#009e73',
  '#e69f00',
  '#cc79a7',
  '#56b4e9',
  '#7f7f7f',
  '#b8a000',
  '#332288',
  '#882255',
];

export function classColor(index: number): string {
  return CLASS_COLORS[index % CLASS_COLORS.length];
}

/** Appends frames in place, thinning the older half when there are more than `max`. */
export function appendFrames(
  track: BoundaryTrack,
  frames: readonly BoundaryFrame[],
  max = MAX_FRAMES,
): void {
  for (const frame of frames) {
    track.frames.push(frame);
    if (track.frames.length > max) {
      const last = track.frames[track.frames.length - 1];
      track.frames = track.frames.slice(0, -1).filter((_, i) => i % 2 === 0);
      track.frames.push(last);
    }
  }
}

/** The last frame at or before `step` (the first frame when all are later); undefined when none. */
export function frameAt(frames: readonly BoundaryFrame[], step: number): BoundaryFrame | undefined {
  let found: BoundaryFrame | undefined = frames[0];
  for (const frame of frames) {
    if (frame.step > step) break;
    found = frame;
  }
  return found;
}

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/**
 * RGBA pixels of a frame, one per cell (size × size): the class colour blended with white by
 * how sure the model is, from white-ish at chance (1/classes) to 70 % colour at certainty, so
 * both the boundary and the model's confidence show. Unknown cells (NaN) are grey.
 */
export function boundaryPixels(frame: BoundaryFrame): Uint8ClampedArray {
  const { size } = frame.grid;
  const pixels = new Uint8ClampedArray(size * size * 4);
  const chance = 1 / Math.max(2, frame.classes);
  const colors = Array.from({ length: Math.max(2, frame.classes) }, (_, k) => rgb(classColor(k)));
  for (let i = 0; i < size * size; i++) {
    const p = frame.confidence[i];
    const color = colors[frame.predicted[i]];
    if (typeof p !== 'number' || !Number.isFinite(p) || !color) {
      pixels.set([200, 200, 200, 255], i * 4);
      continue;
    }
    const strength = 0.15 + 0.55 * Math.min(1, Math.max(0, (p - chance) / (1 - chance)));
    for (let c = 0; c < 3; c++) pixels[i * 4 + c] = 255 + (color[c] - 255) * strength;
    pixels[i * 4 + 3] = 255;
  }
  return pixels;
}

/** Canvas position of a point of the grid's domain, for a canvas of `width` × `height`. */
export function toCanvas(
  grid: BoundaryGrid,
  x: number,
  y: number,
  width: number,
  height: number,
): [number, number] {
  return [
    ((x - grid.x[0]) / (grid.x[1] - grid.x[0])) * width,
    ((grid.y[1] - y) / (grid.y[1] - grid.y[0])) * height,
  ];
}

/**
 * Why a task has no decision boundary to draw, or null when it may have one: classification on
 * exactly two features (a CSV's feature count is known only once loaded, so it may).
 */
export function boundaryUnavailable(
  task: Record<string, unknown>,
  datasetFeatures: (type: string) => number | null,
): string | null {
  if (task['kind'] !== 'classification') {
    return 'The decision boundary is drawn for classification on two features; this experiment is a regression.';
  }
  const dataset = task['dataset'] as Record<string, unknown> | undefined;
  const type = String(dataset?.['type'] ?? '');
  const features =
    typeof dataset?.['features'] === 'number' ? dataset['features'] : datasetFeatures(type);
  if (features !== null && features !== 2) {
    return `${type} has ${features} features; the decision boundary is drawn for 2.`;
  }
  return null;
}

/**
 * What became of the runs, for a view that has nothing to draw for them ("Both runs finished",
 * "2 of 3 runs finished"), so that it does not read as if they had not run; null when none has.
 */
export function runsFinishedNote(statuses: readonly (string | undefined)[]): string | null {
  const finished = statuses.filter(
    (s) => s === 'done' || s === 'diverged' || s === 'stopped',
  ).length;
  if (finished === 0) return null;
  const total = statuses.length;
  const which =
    finished < total
      ? `${finished} of ${total} runs`
      : total === 1
        ? 'The run'
        : total === 2
          ? 'Both runs'
          : `All ${total} runs`;
  return `${which} finished: Compare has their charts and results.`;
}
