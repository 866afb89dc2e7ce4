import type { VmpoolerSettings } from './pool-config.js';

/** Tag names as vmpooler accepts them. */
const TAG_NAME = /^[A-Za-z0-9_.-]{1,50}$/;
export const MAX_TAG_VALUE_CHARS = 255;

/** Extra disks: whole gigabytes in this range (`POST /vm/<host>/disk/<gb>`). */
export const MIN_DISK_GB = 1;
export const MAX_DISK_GB = 2048;

/** What `PUT /vm/<host>` asks for, once valid: a new lifetime, tags to merge, or both. */
export type VmChange = { readonly lifetimeH?: number; readonly tags?: Readonly<Record<string, string>> };

/** A valid change, or every reason it is not (vmpooler's `failure` list). */
export type VmChangeResult = { readonly ok: true; readonly change: VmChange } | { readonly ok: false; readonly failure: readonly string[] };

type LimitSettings = Pick<VmpoolerSettings, 'maxLifetimeUpperLimitH' | 'allowedTags' | 'tagFilter'>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whole hours as an integer or a string of digits (vmpooler's clients send both); undefined otherwise. */
export function wholeNumberOf(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
  if (typeof raw !== 'string' || !/^\s*\d{1,15}\s*$/.test(raw)) return undefined;
  return Number(raw.trim());
}

/** A lifetime in hours: above 0 and, when the settings cap it, below the cap. */
export function checkLifetime(raw: unknown, maxLifetimeUpperLimitH: number): { readonly lifetimeH: number } | { readonly failure: string } {
  const lifetimeH = wholeNumberOf(raw);
  if (lifetimeH === undefined || lifetimeH <= 0) return { failure: `lifetime ${JSON.stringify(raw)} must be a whole number of hours above 0` };
  if (maxLifetimeUpperLimitH > 0 && lifetimeH >= maxLifetimeUpperLimitH) return { failure: `lifetime ${lifetimeH} must be below the maximum of ${maxLifetimeUpperLimitH} hours` };
  return { lifetimeH };
}

/** The value a tag filter keeps: the captures of its first match, joined; the value itself when it does not match. */
function filterValue(value: string, pattern: string | undefined): string {
  if (pattern === undefined) return value;
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch {
    return value;
  }
  const match = regex.exec(value);
  if (match === null || match.length < 2) return value;
  return match.slice(1).join('');
}

/**
 * Tags to merge into a VM's: an object of names to strings. Empty values are skipped (vmpooler never
 * stores them); `allowedTags` limits the names; `tagFilter` keeps only what its regex captures.
 */
export function checkTags(raw: unknown, settings: Pick<LimitSettings, 'allowedTags' | 'tagFilter'>): { readonly tags: Readonly<Record<string, string>> } | { readonly failures: readonly string[] } {
  if (!isPlainObject(raw)) return { failures: [`tags must be an object of names to strings, not ${Array.isArray(raw) ? 'an array' : JSON.stringify(raw)}`] };
  const failures: string[] = [];
  const tags: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!TAG_NAME.test(name)) failures.push(`tag name ${JSON.stringify(name)} must be 1 to 50 characters of A-Z, a-z, 0-9, _, . and -`);
    else if (settings.allowedTags !== null && !settings.allowedTags.includes(name)) failures.push(`tag ${name} is not one of the allowed tags (${settings.allowedTags.join(', ')})`);
    else if (typeof value !== 'string') failures.push(`tag ${name} must have a string value`);
    else if (value.length > MAX_TAG_VALUE_CHARS) failures.push(`tag ${name} must be at most ${MAX_TAG_VALUE_CHARS} characters`);
    else if (value !== '') {
      const kept = filterValue(value, settings.tagFilter[name]);
      if (kept !== '') tags[name] = kept;
    }
  }
  return failures.length > 0 ? { failures } : { tags };
}

/** `PUT /vm/<host>`'s body: `{lifetime?, tags?}`; anything else is a failure too. */
export function checkVmChange(body: unknown, settings: LimitSettings): VmChangeResult {
  if (!isPlainObject(body)) return { ok: false, failure: ['the body must be a JSON object with lifetime and/or tags'] };
  const failure: string[] = [];
  let change: VmChange = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'lifetime') {
      const lifetime = checkLifetime(value, settings.maxLifetimeUpperLimitH);
      if ('failure' in lifetime) failure.push(lifetime.failure);
      else change = { ...change, lifetimeH: lifetime.lifetimeH };
    } else if (key === 'tags') {
      const tags = checkTags(value, settings);
      if ('failures' in tags) failure.push(...tags.failures);
      else change = { ...change, tags: tags.tags };
    } else {
      failure.push(`unknown parameter ${JSON.stringify(key)}: only lifetime and tags can be changed`);
    }
  }
  return failure.length > 0 ? { ok: false, failure } : { ok: true, change };
}

/** A disk size in whole gigabytes from the path, within range; undefined otherwise (vmpooler: 404). */
export function diskSizeGbOf(raw: string): number | undefined {
  if (!/^\d{1,4}$/.test(raw)) return undefined;
  const sizeGb = Number(raw);
  return sizeGb >= MIN_DISK_GB && sizeGb <= MAX_DISK_GB ? sizeGb : undefined;
}

/** Snapshot ids are 32 characters of [a-z0-9]. */
export function isSnapshotId(raw: string): boolean {
  return /^[a-z0-9]{32}$/.test(raw);
}
