import type { Parameter, Tensor } from '@optlab/tensor';
import type { Layer } from './layer.js';

/**
 * Layers run in order. `forward` chains their forwards; `backward` walks them in reverse,
 * passing ∂L/∂(each output) down, so that every layer writes its parameters' gradients.
 */
export class Sequential implements Layer {
  readonly name: string;
  readonly layers: readonly Layer[];

  constructor(layers: readonly Layer[]) {
    if (layers.length === 0) throw new Error('Sequential: needs at least one layer');
    this.layers = [...layers];
    this.name = `Sequential(${this.layers.map((l) => l.name).join(', ')})`;
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h);
    return h;
  }

  backward(gradOut: Tensor): Tensor {
    let g = gradOut;
    for (let i = this.layers.length - 1; i >= 0; i--) g = this.layers[i].backward(g);
    return g;
  }

  /** As `backward`, but the first layer skips its input gradient when it can. */
  backwardParameters(gradOut: Tensor): void {
    let g = gradOut;
    for (let i = this.layers.length - 1; i > 0; i--) g = this.layers[i].backward(g);
    const first = this.layers[0];
    if (first.backwardParameters) first.backwardParameters(g);
    else first.backward(g);
  }

  /** Passes the mode to every layer that has one. */
  setTraining(training: boolean): void {
    for (const layer of this.layers) layer.setTraining?.(training);
  }

  parameters(): Parameter[] {
    return this.layers.flatMap((l) => l.parameters());
  }
}
