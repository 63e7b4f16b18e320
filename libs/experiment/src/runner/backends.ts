import { cpu, type Backend } from '@optlab/tensor';
import type { BackendName } from '../spec/schema.js';

/** What a run asks for: a backend name, and a gpu.js mode for "gpu". */
export interface BackendRequest {
  readonly backend: BackendName;
  readonly gpuMode?: string;
}

export type BackendFactory = (request: BackendRequest) => Promise<Backend>;

/**
 * Creates the backend a run asks for. The GPU backend (and gpu.js with it) is imported only
 * when a run asks for it, so CPU-only use never loads gpu.js. `backend.device` names what
 * really runs: in Node gpu.js has no WebGL and runs its WebAssembly or CPU mode, and says so.
 */
export async function createBackend(request: BackendRequest): Promise<Backend> {
  switch (request.backend) {
    case 'cpu':
      return cpu({ dtype: 'float32' });
    case 'cpu64':
      return cpu({ dtype: 'float64' });
    case 'gpu': {
      const { gpu } = await import('@optlab/tensor-gpu');
      return gpu(request.gpuMode ? { mode: request.gpuMode as never } : {});
    }
  }
}

/**
 * One backend per distinct request for the length of an experiment: runs on "gpu" share one
 * gpu.js instance (one context, compiled kernels reused), and everything is disposed at the end.
 */
export class BackendPool {
  readonly #backends = new Map<string, Promise<Backend>>();

  constructor(private readonly factory: BackendFactory = createBackend) {}

  get(request: BackendRequest): Promise<Backend> {
    const key = `${request.backend}/${request.gpuMode ?? ''}`;
    let b = this.#backends.get(key);
    if (!b) {
      b = this.factory(request);
      this.#backends.set(key, b);
    }
    return b;
  }

  async dispose(): Promise<void> {
    const all = [...this.#backends.values()];
    this.#backends.clear();
    for (const p of all) {
      try {
        (await p).dispose();
      } catch {
        // A backend that failed to start has nothing to dispose.
      }
    }
  }
}
