/**
 * A contour image of a 2-D test function: f sampled on a grid over the view box, mapped through
 * log(1 + f − min) into banded colours, so valleys as flat as Rosenbrock's still show their
 * shape. Pure functions; the view draws the result on a canvas.
 */

export interface ViewBox {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
}

/** The function's own domain, widened to contain every given point (with a 5 % margin). */
export function viewBoxFor(
  domain: readonly (readonly [number, number])[],
  points: Iterable<readonly [number, number]>,
): ViewBox {
  let [x0, x1] = domain[0];
  let [y0, y1] = domain[1];
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  const mx = (x1 - x0) * 0.05;
  const my = (y1 - y0) * 0.05;
  return { x: [x0 - mx, x1 + mx], y: [y0 - my, y1 + my] };
}

/** f on a width×height grid, row 0 at the top (largest y). */
export function sampleGrid(
  f: (p: [number, number]) => number,
  box: ViewBox,
  width: number,
  height: number,
): Float64Array {
  const values = new Float64Array(width * height);
  for (let row = 0; row < height; row++) {
    const y = box.y[1] - ((row + 0.5) / height) * (box.y[1] - box.y[0]);
    for (let col = 0; col < width; col++) {
      const x = box.x[0] + ((col + 0.5) / width) * (box.x[1] - box.x[0]);
      values[row * width + col] = f([x, y]);
    }
  }
  return values;
}

/** Band index per cell: log(1 + f − min) cut into `levels` equal bands between its min and max. */
export function contourBands(values: Float64Array, levels: number): Uint8Array {
  let min = Infinity;
  for (const v of values) if (Number.isFinite(v) && v < min) min = v;
  const logs = new Float64Array(values.length);
  let top = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    logs[i] = Number.isFinite(v) ? Math.log1p(v - min) : NaN;
    if (logs[i] > top) top = logs[i];
  }
  const bands = new Uint8Array(values.length);
  for (let i = 0; i < logs.length; i++) {
    bands[i] =
      Number.isFinite(logs[i]) && top > 0
        ? Math.min(levels - 1, Math.floor((logs[i] / top) * levels))
        : levels - 1;
  }
  return bands;
}

/** RGBA pixels: a light-to-dark blue ramp per band, with a darker line where the band changes. */
export function contourPixels(
  bands: Uint8Array,
  width: number,
  height: number,
  levels: number,
): Uint8ClampedArray {
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      const band = bands[i];
      const t = band / Math.max(1, levels - 1);
      const edge =
        (col + 1 < width && bands[i + 1] !== band) ||
        (row + 1 < height && bands[i + width] !== band);
      const shade = edge ? 0.75 : 1;
      pixels[i * 4] = (35 + 200 * t) * shade;
      pixels[i * 4 + 1] = (70 + 165 * t) * shade;
      pixels[i * 4 + 2] = (140 + 105 * t) * shade;
      pixels[i * 4 + 3] = 255;
    }
  }
  return pixels;
}
