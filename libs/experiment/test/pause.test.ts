import { describe, expect, it } from 'vitest';
import { PausableClock, assertSpec, defaultCatalog, runExperiment } from './helpers.js';

describe('PausableClock', () => {
  it('stands still while paused and resumes where it stopped', () => {
    let t = 100;
    const clock = new PausableClock(() => t);
    expect(clock.now()).toBe(100);
    t = 150;
    clock.pause();
    expect(clock.paused).toBe(true);
    t = 1150;
    expect(clock.now()).toBe(150);
    clock.pause(); // a second pause changes nothing
    t = 2150;
    clock.resume();
    expect(clock.paused).toBe(false);
    expect(clock.now()).toBe(150);
    t = 2160;
    expect(clock.now()).toBe(160);
    clock.resume(); // resuming a running clock changes nothing
    expect(clock.now()).toBe(160);
  });
});

describe('pausing a run by not pulling its events', () => {
  it('does not count the paused time in elapsedMs, wall time or steps per second', async () => {
    const spec = assertSpec(
      {
        version: 1,
        name: 'x2',
        task: { kind: 'function', function: { type: 'x-squared' }, start: [2] },
        training: { steps: 6 },
        runs: [{ name: 'gd', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64' }],
      },
      defaultCatalog(),
    );
    // A fake base clock that advances 1 ms per reading, and 10 s while the run is paused.
    let t = 0;
    const clock = new PausableClock(() => (t += 1));
    const elapsed: number[] = [];
    let wall = 0;
    let stepsPerSecond = 0;
    for await (const event of runExperiment(spec, { now: () => clock.now() })) {
      if (event.type === 'step') {
        elapsed.push(event.elapsedMs);
        if (event.step === 3) {
          clock.pause();
          t += 10_000;
          clock.resume();
        }
      }
      if (event.type === 'end') {
        wall = event.metrics.wallTimeMs;
        stepsPerSecond = event.metrics.stepsPerSecond;
      }
    }
    expect(elapsed).toHaveLength(6);
    const gaps = elapsed.slice(1).map((v, i) => v - elapsed[i]);
    // Every gap is a few clock readings, the pause included: 10 s never shows.
    for (const gap of gaps) expect(gap).toBeLessThan(20);
    expect(wall).toBeLessThan(200);
    expect(stepsPerSecond).toBeCloseTo((6 / wall) * 1000, 6);

    // The same run without the pausable clock sees the 10 s.
    t = 0;
    const plain: number[] = [];
    for await (const event of runExperiment(spec, { now: () => (t += 1) })) {
      if (event.type === 'step') {
        plain.push(event.elapsedMs);
        if (event.step === 3) t += 10_000;
      }
    }
    expect(plain[3] - plain[2]).toBeGreaterThan(10_000);
  });
});
