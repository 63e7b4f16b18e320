/**
 * Which toolbar entries fit on one row: the others go to the overflow menu. Entries are kept by
 * priority (highest first; among equals, the earlier one) while their widths fit, and shown in
 * their own order. Adaptive by construction: a view another part of the lab adds is one more
 * entry, measured like the rest, never a fixed list of what to hide.
 */
export interface ToolbarEntry {
  readonly id: string;
  /** Measured width in CSS pixels, gaps included. */
  readonly width: number;
  /** Higher stays longer on the row. */
  readonly priority: number;
}

/**
 * The ids that stay on the row, given the width left for entries (`available`) and the width
 * the overflow button takes when some entry overflows.
 */
export function fitToolbar(
  entries: readonly ToolbarEntry[],
  available: number,
  moreWidth: number,
): Set<string> {
  const total = entries.reduce((sum, e) => sum + e.width, 0);
  if (total <= available) return new Set(entries.map((e) => e.id));
  const budget = available - moreWidth;
  const byPriority = entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => b.entry.priority - a.entry.priority || a.index - b.index);
  const kept = new Set<string>();
  let used = 0;
  for (const { entry } of byPriority) {
    if (used + entry.width > budget) continue;
    kept.add(entry.id);
    used += entry.width;
  }
  return kept;
}
