import { readFileSync } from 'node:fs';

/**
 * PyTorch references written by tools/fixtures/models/make-references.py (python3-torch 1.13,
 * float64). Tests only read the committed JSON.
 */
export interface References {
  gelu_tanh: { x: number[]; y: number[]; dydx: number[] };
  mse: { shape: number[]; prediction: number[]; target: number[]; loss: number; grad: number[] };
  bce_with_logits: {
    shape: number[];
    logits: number[];
    targets: number[];
    loss: number;
    grad: number[];
  };
  cross_entropy: {
    shape: number[];
    logits: number[];
    labels: number[];
    loss: number;
    grad: number[];
  };
  mlp_3_4_2: {
    W1: number[];
    b1: number[];
    W2: number[];
    b2: number[];
    x: number[];
    labels: number[];
    runs: Record<
      string,
      { logits: number[]; loss: number; grads: Record<'W1' | 'b1' | 'W2' | 'b2', number[]> }
    >;
  };
}

export const refs: References = JSON.parse(
  readFileSync(new URL('../../../tools/fixtures/models/references.json', import.meta.url), 'utf8'),
);
