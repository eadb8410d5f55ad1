/**
 * Helpers for the plain data the engine puts in its immer snapshots (numbers, strings, booleans,
 * undefined, arrays and plain objects). A per-tick sample that rebuilds an unchanged entry makes immer
 * walk and freeze it again; comparing first and keeping the old (frozen) object is much cheaper, and a
 * value frozen before it enters a draft is one immer skips.
 */

/** Structural equality of plain data. Keys present on one side only make the two differ. */
export function samePlainData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !samePlainData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra);
  if (keys.length !== Object.keys(rb).length) return false;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const x = ra[k];
    const y = rb[k];
    if (x !== y ? y === undefined || !samePlainData(x, y) : y === undefined && !Object.hasOwn(rb, k)) return false;
  }
  return true;
}

/** Freezes plain data all the way down and returns it (immer then leaves it alone when it is put in a draft). */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k]);
  return Object.freeze(value);
}
