import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** bcrypt as every implementation writes it: `$2a$`, `$2b$` or `$2y$`, cost 04-31, 22 salt + 31 hash characters. */
const BCRYPT = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

/**
 * labpool's scrypt format, self-describing so parameters can change without breaking old hashes:
 * `$scrypt$N=<cost>,r=<block size>,p=<parallelism>$<salt>$<derived key>`, salt and key in standard
 * base64 (padding optional).
 */
const SCRYPT = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

/** Node's scrypt refuses more memory than `maxmem`; this bounds what a users file may ask for (128·N·r bytes). */
const SCRYPT_MAX_MEMORY_BYTES = 256 * 1024 * 1024;

/** What `labpool user add` writes: bcrypt cost 12, or scrypt with these parameters. */
export const BCRYPT_COST = 12;
export const SCRYPT_DEFAULTS = { N: 16_384, r: 8, p: 1, saltBytes: 16, keyBytes: 32 } as const;

type ScryptHash = { readonly N: number; readonly r: number; readonly p: number; readonly salt: Buffer; readonly key: Buffer };

function parseScrypt(hash: string): ScryptHash | undefined {
  const match = SCRYPT.exec(hash);
  if (!match) return undefined;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const salt = Buffer.from(match[4] ?? '', 'base64');
  const key = Buffer.from(match[5] ?? '', 'base64');
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || r < 1 || p < 1 || p > 16 || 128 * N * r > SCRYPT_MAX_MEMORY_BYTES) return undefined;
  if (salt.length < 8 || key.length < 16 || key.length > 64) return undefined;
  return { N, r, p, salt, key };
}

/** True for a bcrypt (`$2a$`/`$2b$`/`$2y$`) or labpool scrypt (`$scrypt$…`) hash this module can verify. */
export function isPasswordHash(hash: string): boolean {
  return BCRYPT.test(hash) || parseScrypt(hash) !== undefined;
}

function deriveScrypt(password: string, salt: Buffer, keyBytes: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key))));
}

function scryptOptions(N: number, r: number, p: number): ScryptOptions {
  return { N, r, p, maxmem: 128 * N * r + 1024 * 1024 };
}

/**
 * Whether `password` matches `hash`; false for a hash in no known format. bcrypt compares in
 * constant time itself (bcryptjs); scrypt keys are compared with `timingSafeEqual`.
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (BCRYPT.test(hash)) return bcrypt.compare(password, hash);
  const parsed = parseScrypt(hash);
  if (parsed === undefined) return false;
  const key = await deriveScrypt(password, parsed.salt, parsed.key.length, scryptOptions(parsed.N, parsed.r, parsed.p));
  return timingSafeEqual(key, parsed.key);
}

export type HashAlgorithm = 'bcrypt' | 'scrypt';

/** A new hash of `password`: bcrypt cost {@link BCRYPT_COST} (`$2b$`), or scrypt with {@link SCRYPT_DEFAULTS}. */
export async function hashPassword(password: string, algorithm: HashAlgorithm = 'bcrypt'): Promise<string> {
  if (algorithm === 'bcrypt') return bcrypt.hash(password, BCRYPT_COST);
  const { N, r, p, saltBytes, keyBytes } = SCRYPT_DEFAULTS;
  const salt = randomBytes(saltBytes);
  const key = await deriveScrypt(password, salt, keyBytes, scryptOptions(N, r, p));
  return `$scrypt$N=${N},r=${r},p=${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** bcrypt uses only the first 72 bytes of a password: longer ones are refused rather than silently cut. */
export function isTooLongForBcrypt(password: string): boolean {
  return bcrypt.truncates(password);
}
