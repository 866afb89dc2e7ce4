/**
 * Request bodies nested deeper than this are refused with 400. No family's body comes near it (a
 * boot config or a pool's tags are a few levels), and code that walks JSON recursively, such as
 * `JSON.stringify` storing a boot config, overflows the stack on a few thousand levels.
 */
export const MAX_JSON_BODY_DEPTH = 64;

/** Whether `value` has more than `maxDepth` levels of objects and arrays; level by level, never recursive. */
export function isNestedDeeperThan(value: unknown, maxDepth: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > maxDepth) return true;
    level = level.flatMap((item) => (typeof item === 'object' && item !== null ? (Object.values(item) as unknown[]) : []));
  }
  return false;
}
