/**
 * Runs an asynchronous check once per burst of requests: each request restarts a quiet-time
 * timer, and only the last input of the burst is checked. A result is delivered only when no
 * later input has been sent for checking since, so a slow check never overwrites a newer one.
 */

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class DebouncedCheck<I, R> {
  private timer: unknown = null;
  private sent = 0;
  private disposed = false;

  constructor(
    private readonly check: (input: I) => Promise<R>,
    private readonly onResult: (result: R) => void,
    readonly delayMs = 300,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Checks `input` after `delayMs` without a newer request. */
  request(input: I): void {
    if (this.disposed) return;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.timer = null;
      void this.send(input);
    }, this.delayMs);
  }

  private async send(input: I): Promise<void> {
    const id = ++this.sent;
    const result = await this.check(input);
    if (id === this.sent && !this.disposed) this.onResult(result);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }
}
