/**
 * Independent float64 references for the example tests: the update rules written out from their
 * definitions (PyTorch's documentation for SGD, Adagrad, RMSprop, Adam and NAdam; Hugging Face's
 * Adafactor; TensorFlow's CosineDecayRestarts), the tutorial's SimpleNN forward/backward, and
 * the least-squares solution by the normal equations. They share no code with the libraries.
 */
export type Grad = (x: Float64Array) => Float64Array;

export interface Stepper {
  /** Updates x in place given its gradient and the lr of this step. */
  step(x: Float64Array, g: Float64Array, lr: number): void;
}

export function sgd(momentum = 0): Stepper {
  let buf: Float64Array | null = null;
  return {
    step(x, g, lr) {
      if (momentum === 0) {
        for (let i = 0; i < x.length; i++) x[i] -= lr * g[i];
        return;
      }
      if (!buf) buf = Float64Array.from(g);
      else for (let i = 0; i < x.length; i++) buf[i] = momentum * buf[i] + g[i];
      for (let i = 0; i < x.length; i++) x[i] -= lr * buf[i];
    },
  };
}

export function adagrad(eps: number): Stepper {
  let sum: Float64Array | null = null;
  return {
    step(x, g, lr) {
      sum ??= new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) {
        sum[i] += g[i] * g[i];
        x[i] -= (lr * g[i]) / (Math.sqrt(sum[i]) + eps);
      }
    },
  };
}

export function rmsprop(alpha: number, eps: number): Stepper {
  let v: Float64Array | null = null;
  return {
    step(x, g, lr) {
      v ??= new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) {
        v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
        x[i] -= (lr * g[i]) / (Math.sqrt(v[i]) + eps);
      }
    },
  };
}

export function adam(beta1 = 0.9, beta2 = 0.999, eps = 1e-8): Stepper {
  let m: Float64Array | null = null;
  let v: Float64Array | null = null;
  let t = 0;
  return {
    step(x, g, lr) {
      m ??= new Float64Array(x.length);
      v ??= new Float64Array(x.length);
      t++;
      for (let i = 0; i < x.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        const mHat = m[i] / (1 - beta1 ** t);
        const vHat = v[i] / (1 - beta2 ** t);
        x[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
      }
    },
  };
}

/** PyTorch's NAdam (Dozat 2016) with momentum decay ψ = 0.004. */
export function nadam(beta1 = 0.9, beta2 = 0.999, eps = 1e-8, psi = 0.004): Stepper {
  let m: Float64Array | null = null;
  let v: Float64Array | null = null;
  let t = 0;
  let muProduct = 1;
  return {
    step(x, g, lr) {
      m ??= new Float64Array(x.length);
      v ??= new Float64Array(x.length);
      t++;
      const mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi));
      const muNext = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
      muProduct *= mu;
      for (let i = 0; i < x.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        const denom = Math.sqrt(v[i] / (1 - beta2 ** t)) + eps;
        x[i] -= (lr * (1 - mu) * g[i]) / (1 - muProduct) / denom;
        x[i] -= (lr * muNext * m[i]) / (1 - muProduct * muNext) / denom;
      }
    },
  };
}

/**
 * Hugging Face's Adafactor with a fixed lr (relativeStep and scaleParameter off), for one
 * rows × cols matrix: factored second moments, update clipping at d, no first moment.
 */
export function adafactorMatrix(
  rows: number,
  cols: number,
  { eps1 = 1e-30, d = 1, decayRate = -0.8 } = {},
): Stepper {
  const r = new Float64Array(rows);
  const c = new Float64Array(cols);
  let t = 0;
  return {
    step(x, g, lr) {
      t++;
      const beta = 1 - t ** decayRate;
      const g2 = g.map((v) => v * v + eps1);
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += g2[i * cols + j];
        r[i] = beta * r[i] + (1 - beta) * (s / cols);
      }
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let i = 0; i < rows; i++) s += g2[i * cols + j];
        c[j] = beta * c[j] + (1 - beta) * (s / rows);
      }
      const meanR = r.reduce((a, b) => a + b, 0) / rows;
      const u = new Float64Array(x.length);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++)
          u[i * cols + j] = g[i * cols + j] / Math.sqrt((r[i] * c[j]) / meanR);
      }
      const rms = Math.sqrt(u.reduce((a, b) => a + b * b, 0) / u.length);
      const scale = lr / Math.max(1, rms / d);
      for (let i = 0; i < x.length; i++) x[i] -= scale * u[i];
    },
  };
}

/** argmin ‖[1, x]·w − y‖² for one feature, by the 2×2 normal equations: [b, w]. */
export function leastSquares1d(x: ArrayLike<number>, y: ArrayLike<number>): [number, number] {
  const n = x.length;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
    sxx += x[i] * x[i];
    sxy += x[i] * y[i];
  }
  const w = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return [(sy - w * sx) / n, w];
}

/** The tutorial's LinearRegression, full batch: loss after each update, final weights [b, w]. */
export function linearRegressionGD(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  init: readonly number[],
  epochs: number,
  opt: Stepper,
  lrAt: (t: number) => number,
): { losses: number[]; weights: number[] } {
  const n = x.length;
  const w = Float64Array.from(init);
  const loss = () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (w[0] + w[1] * x[i] - y[i]) ** 2;
    return s / n;
  };
  const losses: number[] = [];
  for (let t = 0; t < epochs; t++) {
    const g = new Float64Array(2);
    for (let i = 0; i < n; i++) {
      const e = w[0] + w[1] * x[i] - y[i];
      g[0] += (2 / n) * e;
      g[1] += (2 / n) * e * x[i];
    }
    opt.step(w, g, lrAt(t));
    losses.push(loss());
  }
  return { losses, weights: Array.from(w) };
}

/**
 * The tutorial's SimpleNN (tanh hidden layer, softmax cross-entropy) trained on minibatches in
 * order; `params` are [W1 (in×h), b1 (h), W2 (h×out), b2 (out)], each updated by its own
 * optimizer state. Returns the full-data loss after each epoch (without the tutorial's +1e-8).
 */
export function simpleNN(
  x: Float64Array,
  labels: Float64Array,
  sizes: [number, number, number],
  params: Float64Array[],
  makeOpt: () => Stepper,
  lr: number,
  epochs: number,
  batchSize: number,
): number[] {
  const [nIn, nH, nOut] = sizes;
  const n = labels.length;
  const [w1, b1, w2, b2] = params;
  const opts = params.map(() => makeOpt());
  const forward = (from: number, to: number) => {
    const m = to - from;
    const a1 = new Float64Array(m * nH);
    const p = new Float64Array(m * nOut);
    for (let r = 0; r < m; r++) {
      const xr = (from + r) * nIn;
      for (let j = 0; j < nH; j++) {
        let s = b1[j];
        for (let k = 0; k < nIn; k++) s += x[xr + k] * w1[k * nH + j];
        a1[r * nH + j] = Math.tanh(s);
      }
      let max = -Infinity;
      for (let j = 0; j < nOut; j++) {
        let s = b2[j];
        for (let k = 0; k < nH; k++) s += a1[r * nH + k] * w2[k * nOut + j];
        p[r * nOut + j] = s;
        if (s > max) max = s;
      }
      let z = 0;
      for (let j = 0; j < nOut; j++) z += p[r * nOut + j] = Math.exp(p[r * nOut + j] - max);
      for (let j = 0; j < nOut; j++) p[r * nOut + j] /= z;
    }
    return { a1, p };
  };
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let from = 0; from < n; from += batchSize) {
      const to = Math.min(from + batchSize, n);
      const m = to - from;
      const { a1, p } = forward(from, to);
      const dz2 = Float64Array.from(p);
      for (let r = 0; r < m; r++) dz2[r * nOut + labels[from + r]] -= 1;
      const gW2 = new Float64Array(nH * nOut);
      const gb2 = new Float64Array(nOut);
      const dz1 = new Float64Array(m * nH);
      for (let r = 0; r < m; r++) {
        for (let j = 0; j < nOut; j++) {
          const d = dz2[r * nOut + j] / m;
          gb2[j] += d;
          for (let k = 0; k < nH; k++) gW2[k * nOut + j] += a1[r * nH + k] * d;
        }
        for (let k = 0; k < nH; k++) {
          let s = 0;
          for (let j = 0; j < nOut; j++) s += dz2[r * nOut + j] * w2[k * nOut + j];
          dz1[r * nH + k] = s * (1 - a1[r * nH + k] ** 2);
        }
      }
      const gW1 = new Float64Array(nIn * nH);
      const gb1 = new Float64Array(nH);
      for (let r = 0; r < m; r++) {
        const xr = (from + r) * nIn;
        for (let k = 0; k < nH; k++) {
          const d = dz1[r * nH + k] / m;
          gb1[k] += d;
          for (let i = 0; i < nIn; i++) gW1[i * nH + k] += x[xr + i] * d;
        }
      }
      [gW1, gb1, gW2, gb2].forEach((g, i) => opts[i].step(params[i], g, lr));
    }
    const { p } = forward(0, n);
    let l = 0;
    for (let r = 0; r < n; r++) l -= Math.log(p[r * nOut + labels[r]]);
    losses.push(l / n);
  }
  return losses;
}

/** TensorFlow's CosineDecayRestarts for tMul = 2 (restart i spans firstDecaySteps·2^i steps). */
export function cosineDecayRestarts(
  t: number,
  initialLr: number,
  firstDecaySteps: number,
  mMul: number,
  alpha: number,
): number {
  const f = t / firstDecaySteps;
  let i = Math.floor(Math.log2(1 + f));
  // Guard the logarithm at exact restarts: S_i = 2^i − 1 ≤ f < 2^(i+1) − 1.
  while (2 ** (i + 1) - 1 <= f) i++;
  while (i > 0 && 2 ** i - 1 > f) i--;
  const p = (f - (2 ** i - 1)) / 2 ** i;
  return initialLr * ((1 - alpha) * mMul ** i * 0.5 * (1 + Math.cos(Math.PI * p)) + alpha);
}
