// Decision-boundary frames: keeping them, finding the one of a step, and their pixels.
import { describe, expect, it } from 'vitest';
import {
  appendFrames,
  boundaryPixels,
  boundaryUnavailable,
  CLASS_COLORS,
  frameAt,
  toCanvas,
  type BoundaryFrame,
  type BoundaryTrack,
} from '../src/renderer/src/lib/boundary.js';

const grid = { size: 2, x: [0, 4] as [number, number], y: [0, 2] as [number, number] };
const frame = (step: number, predicted = [0, 1, 0, 1], confidence = [1, 1, 0.5, 0.75]) =>
  ({ step, classes: 2, grid, predicted, confidence }) satisfies BoundaryFrame;

describe('boundary frames', () => {
  it('appends frames and thins the older ones past the limit, keeping the newest', () => {
    const track: BoundaryTrack = { frames: [] };
    appendFrames(
      track,
      [0, 1, 2, 3, 4].map((s) => frame(s)),
      4,
    );
    // The fifth frame overflows 4: frames 0 and 2 of the older ones stay, then the newest.
    expect(track.frames.map((f) => f.step)).toEqual([0, 2, 4]);
    appendFrames(track, [frame(5), frame(6)], 4);
    expect(track.frames.map((f) => f.step)).toEqual([0, 4, 6]);
  });

  it('finds the last frame at or before a step', () => {
    const frames = [frame(0), frame(10), frame(20)];
    expect(frameAt(frames, 15)?.step).toBe(10);
    expect(frameAt(frames, 20)?.step).toBe(20);
    expect(frameAt(frames, 1e9)?.step).toBe(20);
    expect(frameAt([frame(5)], 0)?.step).toBe(5);
    expect(frameAt([], 3)).toBeUndefined();
  });

  it('colours cells by class, white-ish at chance and 70 % colour when certain; NaN is grey', () => {
    const pixels = boundaryPixels(frame(0, [0, 1, 0, 1], [1, 1, 0.5, NaN]));
    // 255 + (colour − 255)·strength, rounded half to even as Uint8ClampedArray stores it.
    expect(CLASS_COLORS.slice(0, 2)).toEqual(['#d55e00', '#0072b2']);
    expect(Array.from(pixels.slice(0, 4))).toEqual([226, 142, 76, 255]);
    expect(Array.from(pixels.slice(4, 8))).toEqual([76, 156, 201, 255]);
    expect(Array.from(pixels.slice(8, 12))).toEqual([249, 231, 217, 255]);
    expect(Array.from(pixels.slice(12, 16))).toEqual([200, 200, 200, 255]);
  });

  it('maps the domain onto the canvas with y up', () => {
    expect(toCanvas(grid, 0, 2, 100, 50)).toEqual([0, 0]);
    expect(toCanvas(grid, 4, 0, 100, 50)).toEqual([100, 50]);
    expect(toCanvas(grid, 1, 1.5, 100, 50)).toEqual([25, 12.5]);
  });

  it('says why a task has no boundary to draw', () => {
    const features = (type: string) => ({ moons: 2, iris: 4 })[type] ?? null;
    const cls = (dataset: Record<string, unknown>) => ({ kind: 'classification', dataset });
    expect(boundaryUnavailable(cls({ type: 'moons' }), features)).toBeNull();
    expect(boundaryUnavailable(cls({ type: 'csv', path: 'a.csv' }), features)).toBeNull();
    expect(
      boundaryUnavailable(cls({ type: 'random-classification', features: 2 }), features),
    ).toBeNull();
    expect(boundaryUnavailable(cls({ type: 'iris' }), features)).toBe(
      'iris has 4 features; the decision boundary is drawn for 2.',
    );
    expect(
      boundaryUnavailable({ kind: 'regression', dataset: { type: 'linear' } }, features),
    ).toMatch(/this experiment is a regression/);
  });
});
