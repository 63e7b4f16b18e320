/**
 * The quadratic lab's rate heatmap off the page's thread: one SGD run per (lr, momentum) cell,
 * the measured rate of each, and the theory's beside it. Posts progress per momentum row.
 */
import {
  measuredSgdRate,
  predictedSgdRate,
  quadraticOf,
  rateGridAxes,
  type QuadraticSetup,
  type RateGrid,
} from '../lib/quadratic-lab.js';

export interface RateGridRequest {
  readonly id: number;
  readonly setup: QuadraticSetup;
}

export type RateGridReply =
  | {
      readonly id: number;
      readonly type: 'progress';
      readonly done: number;
      readonly total: number;
    }
  | { readonly id: number; readonly type: 'done'; readonly grid: RateGrid }
  | { readonly id: number; readonly type: 'error'; readonly message: string };

self.onmessage = (event: MessageEvent<RateGridRequest>) => {
  const { id, setup } = event.data;
  try {
    const fn = quadraticOf(setup);
    const axes = rateGridAxes(fn);
    const measured: number[][] = [];
    const predicted: number[][] = [];
    axes.momenta.forEach((momentum, j) => {
      measured.push(axes.lrs.map((lr) => measuredSgdRate(fn, lr, momentum)));
      predicted.push(axes.lrs.map((lr) => predictedSgdRate(fn, lr, momentum)));
      self.postMessage({
        id,
        type: 'progress',
        done: j + 1,
        total: axes.momenta.length,
      } satisfies RateGridReply);
    });
    self.postMessage({
      id,
      type: 'done',
      grid: { ...axes, measured, predicted },
    } satisfies RateGridReply);
  } catch (error) {
    self.postMessage({
      id,
      type: 'error',
      message: (error as Error).message,
    } satisfies RateGridReply);
  }
};
