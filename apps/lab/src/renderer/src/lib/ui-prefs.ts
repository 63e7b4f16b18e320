/**
 * Small remembered choices of the page (the guided start seen, charts shown full width): in
 * localStorage, read and written through this one place. Storage may be missing or refuse
 * (private windows, quotas); the lab then simply forgets.
 */
function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function readPref<T>(key: string, fallback: T): T {
  try {
    const text = storage()?.getItem(`optlab:${key}`);
    return text == null ? fallback : (JSON.parse(text) as T);
  } catch {
    return fallback;
  }
}

export function writePref(key: string, value: unknown): void {
  try {
    storage()?.setItem(`optlab:${key}`, JSON.stringify(value));
  } catch {
    // Storage refused: the choice lasts for this page only.
  }
}
