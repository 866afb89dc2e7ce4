import { readFileSync } from 'node:fs';
import type { Role } from '../domain/identity/roles.js';
import { ConfigError, type AuthConfig } from '../config/config.js';
import { verifyPassword } from './password-hash.js';
import { checkUsersDocument, type UserRecord, type UsersDocument } from './user-records.js';

/** An authenticated user: what the API families authorise against. */
export type User = { readonly name: string; readonly roles: readonly Role[] };

/** The users labpool knows, from `auth.users` and `auth.usersFile`, read once at start. */
export interface UserDirectory {
  /**
   * The user, when `password` is theirs. An unknown name still costs one hash verification, so the
   * time taken does not tell which names exist.
   */
  authenticate(name: string, password: string): Promise<User | undefined>;
  /** The user's current name and roles; undefined for an unknown name. */
  get(name: string): User | undefined;
  /** Every user, in configuration order. */
  list(): readonly User[];
  /** True when the only user is the simulated lab's {@link DEMO_USER} (the start banner says so). */
  readonly isDemo: boolean;
}

export const DEMO_PASSWORD = 'demo';

/** The simulated lab's one user, so its token routes can be tried at once: `demo` / `demo`, operator. */
export const DEMO_USER: UserRecord = {
  name: 'demo',
  // bcrypt (cost 10) of "demo".
  hash: '$2b$10$YD0uFKUu2ZWStzVVyJF3ye8b7rDABZg0YRMxB7E9SLLWEUhelgAYu',
  roles: ['operator'],
};

/** Verified against for unknown names when no user is configured: bcrypt (cost 10) of a random string. */
const NO_USER_HASH = '$2b$10$M0JK8.gQVP4AyIPMOzN7y.VHvqAAviKgJGDUXaVEEcuSaDEAaJ84q';

/** `verify` is the hash check (tests count its calls). */
export function createUserDirectory(records: readonly UserRecord[], verify: typeof verifyPassword = verifyPassword): UserDirectory {
  const byName = new Map(records.map((record) => [record.name, record]));
  const users = records.map(({ name, roles }): User => ({ name, roles }));
  // A configured user's own hash: an unknown name then costs what a known one does (same algorithm and
  // cost); the result is thrown away.
  const dummyHash = records[0]?.hash ?? NO_USER_HASH;
  return {
    async authenticate(name, password) {
      const record = byName.get(name);
      const matches = await verify(password, record?.hash ?? dummyHash);
      return record !== undefined && matches ? { name: record.name, roles: record.roles } : undefined;
    },
    get(name) {
      const record = byName.get(name);
      return record === undefined ? undefined : { name: record.name, roles: record.roles };
    },
    list: () => users,
    isDemo: records.length === 1 && records[0] === DEMO_USER,
  };
}

/** Reads and checks a users file; a missing, unreadable or invalid one is a {@link ConfigError} naming it. */
export function readUsersFile(path: string): UsersDocument {
  const where = `auth.usersFile ${path}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`${where} cannot be read: ${(error as Error).message}`]);
  }
  const checked = checkUsersDocument(parsed, where);
  if (!checked.ok) throw new ConfigError(checked.problems);
  return checked.document;
}

/**
 * The users of `auth`: its inline `users`, then those of its `usersFile`. A name in both is refused.
 * The simulated lab passes `demoUser`: with no user configured, it has {@link DEMO_USER}.
 */
export function loadUserDirectory(auth: AuthConfig | undefined, options: { readonly demoUser?: boolean } = {}): UserDirectory {
  const inline = checkUsersDocument(auth?.users ?? [], 'auth.users');
  if (!inline.ok) throw new ConfigError(inline.problems);
  const fromFile = auth?.usersFile == null ? [] : readUsersFile(auth.usersFile).users;
  const records = [...inline.document.users, ...fromFile];
  const inBoth = fromFile.filter((user) => inline.document.users.some((other) => other.name === user.name));
  if (inBoth.length > 0) throw new ConfigError(inBoth.map((user) => `user ${JSON.stringify(user.name)} is in both auth.users and auth.usersFile ${auth?.usersFile}`));
  return createUserDirectory(records.length === 0 && options.demoUser === true ? [DEMO_USER] : records);
}
