import { DEFAULT_ROLES, isRole, ROLES, type Role } from '../domain/identity/roles.js';
import { isPasswordHash } from './password-hash.js';

/** One configured user: a name, a password hash and roles. */
export type UserRecord = { readonly name: string; readonly hash: string; readonly roles: readonly Role[] };

/**
 * The two shapes of a users file: labpool's list (the same entries as `auth.users`), and
 * Commissaire's object keyed by name, `{"<name>": {"hash": "$2a$…"}}`, to which labpool adds `roles`.
 */
export type UsersFileShape = 'list' | 'keyed';

export type UsersDocument = { readonly shape: UsersFileShape; readonly users: readonly UserRecord[] };

/** Names travel in HTTP Basic (`name:password`) and log lines: no colon, no whitespace or control characters. */
const USER_NAME = /^[^\s:\p{Cc}]{1,128}$/u;

export const HASH_FORMATS = 'a bcrypt ($2a$, $2b$ or $2y$) or scrypt ($scrypt$N=…,r=…,p=…$<salt>$<key>) hash';

export function isUserName(name: string): boolean {
  return USER_NAME.test(name);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems of one entry's fields, each naming the field under `at`. */
function entryProblems(at: string, name: unknown, entry: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof name !== 'string' || !isUserName(name)) problems.push(`${at}.name must be 1-128 characters without ':', spaces or control characters`);
  if (typeof entry.hash !== 'string' || !isPasswordHash(entry.hash)) problems.push(`${at}.hash is not ${HASH_FORMATS}`);
  const { roles } = entry;
  if (roles !== undefined && !Array.isArray(roles)) problems.push(`${at}.roles must be a list of roles`);
  if (Array.isArray(roles)) {
    roles.forEach((role, i) => isRole(role) || problems.push(`${at}.roles[${i}] ${JSON.stringify(role)} is not one of ${ROLES.join(', ')}`));
  }
  for (const key of Object.keys(entry)) if (!['name', 'hash', 'roles'].includes(key)) problems.push(`${at}.${key} is not a known field`);
  return problems;
}

function toRecord(name: string, entry: Record<string, unknown>): UserRecord {
  const roles = Array.isArray(entry.roles) && entry.roles.length > 0 ? (entry.roles as Role[]) : DEFAULT_ROLES;
  return { name, hash: entry.hash as string, roles: [...new Set(roles)] };
}

function duplicateProblems(users: readonly UserRecord[], where: string): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const user of users) {
    if (seen.has(user.name)) problems.push(`${where}: user ${JSON.stringify(user.name)} appears twice`);
    seen.add(user.name);
  }
  return problems;
}

export type UsersCheck = { readonly ok: true; readonly document: UsersDocument } | { readonly ok: false; readonly problems: readonly string[] };

/** Checks a parsed users file (either shape) or `auth.users`; `where` prefixes each problem (`auth.usersFile x.json`). */
export function checkUsersDocument(parsed: unknown, where: string): UsersCheck {
  if (Array.isArray(parsed)) {
    const problems = parsed.flatMap((entry, i) => (isPlainObject(entry) ? entryProblems(`${where}[${i}]`, entry.name, entry) : [`${where}[${i}] must be an object`]));
    if (problems.length > 0) return { ok: false, problems };
    const users = (parsed as Record<string, unknown>[]).map((entry) => toRecord(entry.name as string, entry));
    const duplicates = duplicateProblems(users, where);
    return duplicates.length > 0 ? { ok: false, problems: duplicates } : { ok: true, document: { shape: 'list', users } };
  }
  if (!isPlainObject(parsed)) return { ok: false, problems: [`${where} must hold a list of users or an object of users by name`] };
  const problems = Object.entries(parsed).flatMap(([name, entry]) =>
    isPlainObject(entry) ? entryProblems(`${where} ${JSON.stringify(name)}`, name, { ...entry, name }) : [`${where} ${JSON.stringify(name)} must be an object`],
  );
  if (problems.length > 0) return { ok: false, problems };
  const users = Object.entries(parsed).map(([name, entry]) => toRecord(name, entry as Record<string, unknown>));
  return { ok: true, document: { shape: 'keyed', users } };
}

/** The JSON a users file of `shape` holds for `users` (roles always written, so the file says what it grants). */
export function usersFileJson(document: UsersDocument): unknown {
  if (document.shape === 'list') return document.users.map(({ name, hash, roles }) => ({ name, hash, roles }));
  return Object.fromEntries(document.users.map(({ name, hash, roles }) => [name, { hash, roles }]));
}
