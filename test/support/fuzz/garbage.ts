import type { Prng } from './prng.js';

/**
 * Raw path segments (already as they go on the wire) that cannot name any entity: traversal, NUL,
 * broken percent-encoding, non-UTF-8 bytes, control characters, 5,000 characters, unicode.
 */
export function garbageSegment(prng: Prng): string {
  return prng.pick([
    () => '%2e%2e',
    () => '..',
    () => '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    () => `fuzz%00${prng.int(1000)}`,
    () => '%00',
    () => '%',
    () => '%ZZ',
    () => '%C3%28',
    () => '%FF%FE',
    // Latin-1 ü escaped: not UTF-8, so it cannot be decoded; raw, it is not HTTP, and node's parser refuses it.
    () => `%FC${prng.int(1000)}`,
    () => `\xfc${prng.int(1000)}`,
    () => '%0d%0aX-Injected:%201',
    () => '%E2%98%83'.repeat(1 + prng.int(50)),
    () => '%F0%9F%92%A9%E2%80%AE',
    () => 'x'.repeat(5_000),
    () => '%41'.repeat(2_000),
    () => `;fuzz=${prng.int(1000)}`,
    () => '%7Bid%7D',
    () => `-${1 + prng.int(1000)}`,
    () => '99999999999999999999999999',
    () => '%20%09',
  ])();
}

/** A value that looks like an id but names nothing in the lab. */
export function placeholderSegment(prng: Prng): string {
  return `fuzz-${prng.int(1_000_000)}`;
}

/** Query strings no route documents or expects: bad encoding, repeats, prototype keys, 5,000 characters. */
export function garbageQuery(prng: Prng, documented: readonly string[]): string {
  const name = documented.length > 0 && prng.chance(0.6) ? prng.pick(documented) : prng.pick(['__proto__', 'constructor[prototype][x]', 'a[]', '%00', 'x'.repeat(300)]);
  return prng.pick([
    () => `${name}=%ZZ`,
    () => `${name}=%00`,
    () => `${name}=-1&${name}=abc&${name}[]=1`,
    () => `${name}=${'9'.repeat(400)}`,
    () => `${name}[toString]=1&${name}[length]=x`,
    () => `${name}=${'%E2%98%83'.repeat(50)}`,
    () => '%',
    () => '&&&==&=',
    () => `q=${'y'.repeat(5_000)}`,
    () => `${name}=true&${name}=false&${name}=null`,
  ])();
}

/** Bodies that are not JSON (or not a JSON object or array, which the strict parser refuses). */
export function badJsonBody(prng: Prng): string {
  return prng.pick([
    () => '{',
    () => '{"a":',
    () => '[1,]',
    () => "{'single': 'quotes'}",
    () => 'NaN',
    () => '{"a":1}}',
    () => '"just a string"',
    () => '12345',
    () => 'null',
    () => 'true',
    () => '{"a":"\u0000\ud800"',
    () => '\ufeff{"bom": true',
    () => 'a=1&b=2',
    () => '<xml>nope</xml>',
    () => '{"a": undefined}',
    () => `{"deep": ${'['.repeat(5_000)}`,
    () => String.fromCharCode(...Array.from({ length: 64 }, () => prng.int(256))),
  ])();
}

/** Content types no family takes bodies in. */
export function wrongContentType(prng: Prng): string {
  return prng.pick([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=fuzz',
    'application/xml',
    'application/octet-stream',
    'image/png',
    '*/*',
    ';;;',
    'application/json; charset=utf-7',
  ]);
}

/** JSON nested `depth` deep: an object of objects or an array of arrays. */
export function deeplyNested(depth: number, asArray: boolean): string {
  return asArray ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
