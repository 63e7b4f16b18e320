/**
 * Calls `onWidth` with the element's width (whole pixels) whenever it changes by more than 2 px:
 * the charts rebuild at their box's width, and sub-pixel jitter must not rebuild them. Returns
 * the cleanup, to be returned from the `$effect` that calls it.
 */
export function observeWidth(
  element: Element,
  current: () => number,
  onWidth: (width: number) => void,
): () => void {
  const observer = new ResizeObserver((entries) => {
    const next = Math.floor(entries[0].contentRect.width);
    if (next > 0 && Math.abs(next - current()) > 2) onWidth(next);
  });
  observer.observe(element);
  return () => observer.disconnect();
}
