/**
 * Coalesces redraw requests into at most one per animation frame: workers report many points per
 * second, but a chart redraws once a frame, however many points arrived. Also counts how long the
 * redraws take, so the lab can report its own update cost.
 */
export class FrameBatcher {
  private pending = new Set<() => void>();
  private scheduled = false;
  /** Milliseconds spent in each flushed frame's callbacks (the last 600 frames). */
  readonly costs: number[] = [];
  flushes = 0;

  constructor(
    private readonly request: (callback: () => void) => unknown = (cb) => requestAnimationFrame(cb),
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Runs `job` once on the next frame, however many times it is scheduled before then. */
  schedule(job: () => void): void {
    this.pending.add(job);
    if (this.scheduled) return;
    this.scheduled = true;
    this.request(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const jobs = [...this.pending];
    this.pending.clear();
    const start = this.now();
    for (const job of jobs) job();
    this.flushes += 1;
    this.costs.push(this.now() - start);
    if (this.costs.length > 600) this.costs.shift();
  }
}

export const frameBatcher = new FrameBatcher();
