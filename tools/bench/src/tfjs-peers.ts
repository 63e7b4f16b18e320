import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
// The union package registers the cpu backend already; importing the package named in the issue
// makes the dependency explicit and is a no-op at runtime (one copy of tfjs-core).
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Contender } from './harness.js';

export { tf };

/** The TensorFlow.js backends OptLab is compared with. */
export type PeerBackend = 'cpu' | 'wasm';
export const PEER_BACKENDS: readonly PeerBackend[] = ['cpu', 'wasm'];

export interface PeerInfo {
  id: `tfjs-${PeerBackend}`;
  backend: PeerBackend;
  label: string;
  /** One line for the report: what actually ran. */
  device: string;
}

let initialised: PeerInfo[] | undefined;

/**
 * Registers and initialises tfjs-backend-cpu and tfjs-backend-wasm. The wasm backend loads its
 * .wasm from the package's own dist/ folder (`setWasmPaths`), so nothing is downloaded. In Node
 * tfjs never picks the multi-threaded binary (its WASM_HAS_MULTITHREAD_SUPPORT flag is false under
 * Node), so the SIMD binary runs when V8 validates SIMD, else the plain one; the device line
 * says which.
 */
export async function initPeers(): Promise<PeerInfo[]> {
  if (initialised) return initialised;
  const require = createRequire(import.meta.url);
  const wasmFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
  setWasmPaths(path.dirname(wasmFile) + path.sep);
  const version = tf.version.tfjs;
  const infos: PeerInfo[] = [];
  // tfjs-backend-cpu logs a one-time hint to install tfjs-node on its first tensor; the
  // comparison is deliberately with the pure-JS backend, so keep the hint out of the report.
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    for (const name of PEER_BACKENDS) {
      if (!(await tf.setBackend(name))) throw new Error(`bench: tfjs backend "${name}" failed`);
      await tf.ready();
      tf.tensor1d([1]).dispose();
    }
  } finally {
    console.warn = warn;
  }
  infos.push({
    id: 'tfjs-cpu',
    backend: 'cpu',
    label: 'tfjs cpu',
    device: `tfjs ${version} backend "cpu" (@tensorflow/tfjs-backend-cpu, plain JavaScript)`,
  });
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const binary = threads && simd ? 'threaded-simd' : simd ? 'simd' : 'plain';
  infos.push({
    id: 'tfjs-wasm',
    backend: 'wasm',
    label: 'tfjs wasm',
    device:
      `tfjs ${version} backend "wasm" (${binary} binary tfjs-backend-wasm${binary === 'plain' ? '' : '-' + binary}.wasm` +
      ` from ${path.relative(process.cwd(), path.dirname(wasmFile)) || '.'}; SIMD ${simd ? 'yes' : 'no'}, threads ${threads ? 'yes' : 'no'}, ` +
      `XNNPACK threads ${getThreadsCount()})`,
  });
  initialised = infos;
  return infos;
}

/** Switches tfjs to a backend; cheap once the backend is initialised. */
export async function useBackend(name: PeerBackend): Promise<void> {
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) {
    throw new Error(`bench: cannot switch tfjs to backend "${name}"`);
  }
}

/**
 * A tfjs contender: `setup` runs once with the backend active and returns the timed operation
 * and its cleanup; every sample switches tfjs back to this backend first.
 */
export async function tfjsContender(
  peer: PeerInfo,
  setup: () => { run: () => void; dispose: () => void },
): Promise<Contender> {
  const backend = peer.backend;
  await useBackend(backend);
  const { run, dispose } = setup();
  return {
    id: peer.id,
    label: peer.label,
    activate: () => useBackend(backend),
    run,
    dispose,
  };
}
