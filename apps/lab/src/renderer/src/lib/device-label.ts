/**
 * The backend a run used, as the results table shows it: a short label, the full device string
 * for its tooltip, and whether the "GPU" was software (SwiftShader, llvmpipe) or gpu.js ran on the
 * CPU — slower than the CPU backend, which the user should be told (issue 15: 540 steps/s on
 * SwiftShader's webgl2 against 6,959 on the CPU).
 */

/** Renderers that draw on the CPU while calling themselves a GPU. */
const SOFTWARE_RENDERER =
  /swiftshader|llvmpipe|softpipe|software rasterizer|microsoft basic render/i;

/** gpu.js modes that run on the CPU. */
const CPU_MODE = /^gpu\.js (cpu|webasm)\b/;

export function isSoftwareGpu(backend: string, device: string): boolean {
  return backend.startsWith('gpu') && (SOFTWARE_RENDERER.test(device) || CPU_MODE.test(device));
}

export const SOFTWARE_GPU_WARNING = 'software GPU — slower than CPU';
