/**
 * Grayscale images on a canvas: the IDX sample grid and the misclassified test samples. Pixels
 * come as bytes (0…255, an IDX file) or as the numbers a model saw (÷255, or standardised), so
 * numbers are stretched from their own range to 0…255 (`grayLevels`), one image at a time.
 */

/** Gray levels 0…255 of `values`: bytes unchanged, other numbers stretched min→0, max→255. */
export function grayLevels(values: ArrayLike<number>): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length);
  if (values instanceof Uint8Array) {
    out.set(values);
    return out;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = !Number.isFinite(v) || !(span > 0) ? 0 : Math.round(((v - lo) / span) * 255);
  }
  return out;
}

/**
 * The drawn plane [rows, columns] of an image shape: the last two sizes of [H, W] (an IDX file's
 * dims) or [C, H, W] (a dataset's `imageShape`; one-channel images here); a flat shape is one row.
 */
export function imagePlane(shape: readonly number[], pixels: number): [number, number] {
  return shape.length >= 2 ? [shape[shape.length - 2], shape[shape.length - 1]] : [1, pixels];
}

/**
 * Draws one image of `shape` (see `imagePlane`) at (x, y), each pixel a `scale` × `scale` square:
 * white ink on black, as MNIST is usually shown.
 */
export function drawGray(
  ctx: CanvasRenderingContext2D,
  values: ArrayLike<number>,
  shape: readonly number[],
  x: number,
  y: number,
  scale: number,
): void {
  const [h, w] = imagePlane(shape, values.length);
  const levels = grayLevels(values);
  const image = ctx.createImageData(w * scale, h * scale);
  for (let r = 0; r < h * scale; r++) {
    for (let c = 0; c < w * scale; c++) {
      const g = levels[Math.floor(r / scale) * w + Math.floor(c / scale)] ?? 0;
      const at = (r * w * scale + c) * 4;
      image.data[at] = g;
      image.data[at + 1] = g;
      image.data[at + 2] = g;
      image.data[at + 3] = 255;
    }
  }
  ctx.putImageData(image, x, y);
}

/** Pixels per image pixel so that an image is drawn about `target` pixels on its longer side. */
export function scaleFor(shape: readonly number[], target = 40): number {
  const side = Math.max(1, ...imagePlane(shape, 1));
  return Math.max(1, Math.round(target / side));
}
