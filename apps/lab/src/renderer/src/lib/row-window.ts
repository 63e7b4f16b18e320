/**
 * Windowing for long lists of rows of one height (a sweep's configurations, up to the spec's
 * 5,000 trainings): which rows to put in the DOM for a scroll position, and the blank space
 * above and below them that keeps the scrollbar true to the whole list. A few rows beyond each
 * edge (`overscan`) are kept so a scroll step shows rows already drawn.
 */
export interface RowWindow {
  /** First row drawn. */
  readonly start: number;
  /** One past the last row drawn. */
  readonly end: number;
  /** Height (px) of the rows above `start`. */
  readonly padTop: number;
  /** Height (px) of the rows from `end` on. */
  readonly padBottom: number;
}

export function rowWindow(
  count: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan = 8,
): RowWindow {
  if (count <= 0 || !(rowHeight > 0)) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.min(count - 1, Math.floor(top / rowHeight));
  const shown = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + shown + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (count - end) * rowHeight };
}
