import { randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes as 64 lowercase hex characters: one node's key for one deploy. */
export function newBootactionKey(): string {
  return randomBytes(32).toString('hex');
}

const HEX_KEY = /^[0-9a-fA-F]{64}$/;

/**
 * Whether `given` (from a request header) is `expected`, compared in constant time over the 32 key
 * bytes. Anything that is not 64 hex characters is simply a wrong key: false, never a throw.
 */
export function sameBootactionKey(given: string, expected: string): boolean {
  if (!HEX_KEY.test(given) || !HEX_KEY.test(expected)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
}
