import cliProgress from 'cli-progress';
import type { ExperimentEvent } from '@optlab/experiment';
import type { CliIo } from '../io.js';
import { num } from './format.js';

/**
 * Shows an experiment's progress. In a terminal: one cli-progress bar per (run, seed), with the
 * latest loss and learning rate. Elsewhere: plain lines, one when a run starts, about every
 * 10 % of it, and when it ends, so CI logs stay readable.
 */
export interface ProgressView {
  update(event: ExperimentEvent): void;
  stop(): void;
}

export function progressView(io: CliIo): ProgressView {
  return io.isTTY && io.progressStream ? new BarProgress(io) : new LineProgress(io);
}

class BarProgress implements ProgressView {
  #bar: cliProgress.SingleBar | null = null;

  constructor(private readonly io: CliIo) {}

  update(e: ExperimentEvent): void {
    switch (e.type) {
      case 'start':
        this.stop();
        this.io.stderr(`${e.run} (seed ${e.seed}) on ${e.device}: ${e.model}\n`);
        if (e.paramGroups) this.io.stderr(`  parameters: ${e.paramGroups}\n`);
        this.#bar = new cliProgress.SingleBar(
          {
            stream: this.io.progressStream,
            format:
              '  {bar} {percentage}% | step {value}/{total} | loss {loss} | lr {lr} | {eta_formatted}',
            hideCursor: true,
            clearOnComplete: false,
          },
          cliProgress.Presets.shades_classic,
        );
        this.#bar.start(e.totalSteps, 0, { loss: num(e.initialLoss), lr: num(e.lr) });
        break;
      case 'step':
      case 'eval':
        this.#bar?.update(e.step, { loss: num(e.loss), lr: num(e.lr) });
        break;
      case 'diverged':
        this.stop();
        this.io.stderr(`  diverged at step ${e.step}: ${e.reason}\n`);
        break;
      case 'end':
        this.stop();
        break;
      case 'cancelled':
        this.stop();
        this.io.stderr(
          `cancelled${e.run ? ` during ${e.run} (seed ${e.seed}) at step ${e.step}` : ''}\n`,
        );
        break;
      default:
        break;
    }
  }

  stop(): void {
    this.#bar?.stop();
    this.#bar = null;
  }
}

class LineProgress implements ProgressView {
  #total = 0;
  #nextReport = 0;

  constructor(private readonly io: CliIo) {}

  update(e: ExperimentEvent): void {
    switch (e.type) {
      case 'experiment-start':
        this.io.stderr(`experiment ${e.experiment}: ${e.total} run(s)\n`);
        break;
      case 'start':
        this.#total = e.totalSteps;
        this.#nextReport = Math.max(1, Math.ceil(e.totalSteps / 10));
        this.io.stderr(
          `${e.run} (seed ${e.seed}) on ${e.device}: ${e.model}, ${e.totalSteps} steps, initial loss ${num(e.initialLoss)}\n`,
        );
        if (e.paramGroups) this.io.stderr(`  parameters: ${e.paramGroups}\n`);
        break;
      case 'step':
      case 'eval':
        if (e.step >= this.#nextReport || e.step === this.#total) {
          const epoch = e.epoch !== null && e.type === 'eval' ? ` epoch ${e.epoch}` : '';
          this.io.stderr(
            `  step ${e.step}/${this.#total}${epoch} loss ${num(e.loss)} lr ${num(e.lr)}\n`,
          );
          while (this.#nextReport <= e.step)
            this.#nextReport += Math.max(1, Math.ceil(this.#total / 10));
        }
        break;
      case 'diverged':
        this.io.stderr(`  diverged at step ${e.step}: ${e.reason}\n`);
        break;
      case 'end':
        this.io.stderr(
          `  ${e.metrics.status}: final loss ${num(e.metrics.finalLoss)} in ${Math.round(e.metrics.wallTimeMs)} ms${evaluationsNote(e.metrics)}\n`,
        );
        break;
      case 'cancelled':
        this.io.stderr(
          `cancelled${e.run ? ` during ${e.run} (seed ${e.seed}) at step ${e.step}` : ''}\n`,
        );
        break;
      default:
        break;
    }
  }

  stop(): void {}
}

/** `, 60 evaluations in 10 steps` where a closure optimizer evaluated more than once a step. */
function evaluationsNote(m: { steps: number; evaluations: number }): string {
  return m.evaluations !== m.steps ? `, ${m.evaluations} evaluations in ${m.steps} steps` : '';
}
