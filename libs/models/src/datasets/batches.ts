import { Rng } from '@optlab/tensor';
import { ModelsError } from '../options.js';

export interface BatchOptions {
  batchSize: number;
  /** Draw a new order every epoch (default true); false walks the rows in order, like the tutorial. */
  shuffle?: boolean;
  /** Seed of the shuffles; runs with the same seed see the same data order. Default 0. */
  seed?: number;
  /** Drop a last batch smaller than batchSize. Default false (the tutorial keeps it). */
  dropLast?: boolean;
}

/**
 * Minibatch row indices, epoch after epoch, for `backend.gather(x, indices)`. The shuffles come
 * from one seeded generator, so the k-th epoch's order depends only on the seed and k.
 */
export class BatchSampler {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly #rng: Rng;

  constructor(
    readonly n: number,
    options: BatchOptions,
  ) {
    const { batchSize, shuffle = true, seed = 0, dropLast = false } = options;
    if (!Number.isInteger(n) || n < 1) {
      throw new ModelsError(`BatchSampler: n must be a positive integer, got ${n}`);
    }
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ModelsError(`BatchSampler: batchSize must be a positive integer, got ${batchSize}`);
    }
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.#rng = new Rng(seed);
  }

  /** Batches per epoch. */
  get batchesPerEpoch(): number {
    return this.dropLast ? Math.floor(this.n / this.batchSize) : Math.ceil(this.n / this.batchSize);
  }

  /** The next epoch's batches: consecutive slices of a fresh permutation (or of 0…n−1). */
  nextEpoch(): Int32Array[] {
    let order: Int32Array;
    if (this.shuffle) order = this.#rng.permutation(this.n);
    else {
      order = new Int32Array(this.n);
      for (let i = 0; i < this.n; i++) order[i] = i;
    }
    const out: Int32Array[] = [];
    for (let i = 0; i < this.n; i += this.batchSize) {
      const batch = order.subarray(i, Math.min(i + this.batchSize, this.n));
      if (this.dropLast && batch.length < this.batchSize) break;
      out.push(batch);
    }
    return out;
  }
}
