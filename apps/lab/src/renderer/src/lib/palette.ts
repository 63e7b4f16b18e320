/** Run colours: distinguishable, colour-blind-aware (Okabe–Ito plus two), stable per run position. */
export const RUN_COLORS = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#d55e00',
  '#56b4e9',
  '#7f7f7f',
  '#b8a000',
  '#332288',
  '#882255',
];

export function runColor(index: number): string {
  return RUN_COLORS[index % RUN_COLORS.length];
}
