/**
 * What this origin kept under `key`, parsed but unchecked (`unknown`: the caller validates it), or
 * null where there is no storage, nothing was kept, or it does not parse.
 */
export function readStoredJson(key: string): unknown {
  if (typeof localStorage === 'undefined') return null;
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

/** Keeps `value` under `key`; where storage is full or disabled the value simply does not persist. */
export function writeStoredJson(key: string, value: unknown): void {
  if (typeof localStorage === 'undefined') return;
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Nothing to do: persistence is a convenience.
  }
}
