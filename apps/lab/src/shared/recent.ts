/** The recent-files list: workspace-relative paths, most recent first, without duplicates. */
export const MAX_RECENT = 10;

export function pushRecent(list: readonly string[], path: string, limit = MAX_RECENT): string[] {
  return [path, ...list.filter((p) => p !== path)].slice(0, limit);
}

/** Reads a stored list defensively: anything that is not an array of strings becomes []. */
export function parseRecent(text: string | null): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}
