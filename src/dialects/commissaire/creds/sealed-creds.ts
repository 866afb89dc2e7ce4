import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** A host's ssh credentials as Commissaire takes and gives them (`ssh_priv_key` is base64 as sent). */
export type HostCreds = { readonly ssh_priv_key: string; readonly remote_user: string };

/** The 32-byte AES-256-GCM key that seals host credentials. Never logged, never in an event. */
export interface CredsKey {
  readonly bytes: Buffer;
}

/** What {@link openCreds} made of a sealed string: never a throw, so a route can answer with it. */
export type OpenedCreds =
  | { readonly ok: true; readonly creds: HostCreds }
  /** `unsupported`: another format version; `unauthentic`: tampered with, truncated or sealed with another key. */
  | { readonly ok: false; readonly reason: 'unsupported' | 'unauthentic' };

/** The environment variable that holds the key (base64 of 32 bytes); it wins over the configured one. */
export const CREDS_KEY_ENV = 'LABPOOL_COMMISSAIRE_CREDS_KEY';

// A sealed string is `v1.` + base64url(iv ‖ tag ‖ ciphertext); base64url has no `.`, so the version
// is always readable. The version is also authenticated data: a v1 body cannot pass as another version.
const VERSION = 'v1';
const AAD = Buffer.from('labpool commissaire host creds v1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const FINGERPRINT_INFO = 'labpool commissaire key fingerprint v1';

/** Seals `creds` with a fresh random IV: sealing the same credentials twice gives two different strings. */
export function sealCreds(creds: HostCreds, key: CredsKey): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const plain = JSON.stringify({ ssh_priv_key: creds.ssh_priv_key, remote_user: creds.remote_user });
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

export function openCreds(sealed: string, key: CredsKey): OpenedCreds {
  const [version, payload, ...rest] = sealed.split('.');
  if (version !== VERSION || payload === undefined || rest.length > 0) return { ok: false, reason: 'unsupported' };
  const bytes = Buffer.from(payload, 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES) return { ok: false, reason: 'unauthentic' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(AAD);
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    return parseCreds(plain);
  } catch {
    // final() throws when the tag does not match: the only failure left once the lengths are right.
    return { ok: false, reason: 'unauthentic' };
  }
}

function parseCreds(plain: string): OpenedCreds {
  const value: unknown = JSON.parse(plain);
  if (typeof value !== 'object' || value === null) return { ok: false, reason: 'unauthentic' };
  const { ssh_priv_key, remote_user } = value as Record<string, unknown>;
  if (typeof ssh_priv_key !== 'string' || typeof remote_user !== 'string') return { ok: false, reason: 'unauthentic' };
  return { ok: true, creds: { ssh_priv_key, remote_user } };
}

/**
 * A keyed digest of an ssh key, stable across seals: the host decider compares re-registrations by it.
 * Keyed (HMAC under a key derived from the sealing key) so that events do not let anyone test guesses.
 */
export function keyFingerprint(sshPrivKey: string, key: CredsKey): string {
  const macKey = Buffer.from(hkdfSync('sha256', key.bytes, Buffer.alloc(0), FINGERPRINT_INFO, KEY_BYTES));
  return `${VERSION}.${createHmac('sha256', macKey).update(sshPrivKey, 'utf8').digest('base64url')}`;
}

/** A key from its base64 text; throws an Error naming `origin` unless it is exactly 32 bytes. */
export function parseCredsKey(base64: string, origin: string): CredsKey {
  const text = base64.trim();
  const bytes = Buffer.from(text, 'base64');
  // Buffer.from skips characters that are not base64: re-encoding catches text that is not a key.
  if (bytes.length !== KEY_BYTES || bytes.toString('base64') !== text) {
    throw new Error(`${origin}: the Commissaire credentials key must be the base64 of ${KEY_BYTES} bytes (44 characters), e.g. from \`openssl rand -base64 32\``);
  }
  return { bytes };
}

/** The key from env {@link CREDS_KEY_ENV}, else from the configuration; throws a clear Error when neither has a valid one. */
export function loadCredsKey(source: { readonly configured?: string | undefined; readonly env: Readonly<Record<string, string | undefined>> }): CredsKey {
  const fromEnv = source.env[CREDS_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return parseCredsKey(fromEnv, `env ${CREDS_KEY_ENV}`);
  if (source.configured !== undefined && source.configured !== '') return parseCredsKey(source.configured, 'configuration');
  throw new Error(`no Commissaire credentials key: set env ${CREDS_KEY_ENV} or configure one (the base64 of ${KEY_BYTES} random bytes)`);
}

/** A new random key as base64, for a lab that makes its own (the simulated lab). */
export function generateCredsKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}
