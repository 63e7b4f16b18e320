/**
 * A milliseconds clock that stands still while paused. The runner measures wall time with the
 * clock it is given (`RunnerOptions.now`); a consumer that pauses a run by not pulling its next
 * event passes `() => clock.now()` and calls `pause()`/`resume()`, so `elapsedMs`, `wallTimeMs`
 * and steps per second count training time only, not the time the run sat paused.
 */
export class PausableClock {
  readonly #base: () => number;
  /** Paused time accumulated by completed pauses. */
  #pausedMs = 0;
  /** Base time at which the current pause began, or null while running. */
  #pausedAt: number | null = null;

  constructor(base: () => number = () => performance.now()) {
    this.#base = base;
  }

  get paused(): boolean {
    return this.#pausedAt !== null;
  }

  /** Base time minus every paused stretch; constant while paused. */
  now(): number {
    const t = this.#pausedAt ?? this.#base();
    return t - this.#pausedMs;
  }

  /** Stops the clock; pausing a paused clock does nothing. */
  pause(): void {
    if (this.#pausedAt === null) this.#pausedAt = this.#base();
  }

  /** Restarts the clock where it stopped; resuming a running clock does nothing. */
  resume(): void {
    if (this.#pausedAt === null) return;
    this.#pausedMs += this.#base() - this.#pausedAt;
    this.#pausedAt = null;
  }
}
