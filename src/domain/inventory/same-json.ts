import type { Json } from '../json.js';

/**
 * Structural equality of JSON values. Object key order is ignored (a definition read back from the
 * store may list its keys in another order); array order is not.
 */
export function isSameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && (a as readonly Json[]).every((item, i) => isSameJson(item, b[i] as Json));
  }
  const objectA = a as Readonly<Record<string, Json>>;
  const objectB = b as Readonly<Record<string, Json>>;
  const keys = Object.keys(objectA);
  if (keys.length !== Object.keys(objectB).length) return false;
  return keys.every((key) => Object.hasOwn(objectB, key) && isSameJson(objectA[key] as Json, objectB[key] as Json));
}
