import { closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { checkUsersDocument, usersFileJson, type UserRecord, type UsersDocument } from './user-records.js';

/** The users file at `path` (either shape), or an empty keyed one when there is none yet. Throws naming each problem. */
export function readUsersFileForEdit(path: string): UsersDocument {
  if (!existsSync(path)) return { shape: 'keyed', users: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`users file ${path} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const checked = checkUsersDocument(parsed, `users file ${path}`);
  if (!checked.ok) throw new Error(checked.problems.join('; '));
  return checked.document;
}

/** Refuses a name the document has already, unless it is to be replaced. */
export function checkNameFree(document: UsersDocument, name: string, replace: boolean): void {
  if (!replace && document.users.some((other) => other.name === name)) throw new Error(`user ${JSON.stringify(name)} exists already (--force replaces it)`);
}

/** `document` with `user` added, or replacing the user of that name when `replace`; refuses a taken name otherwise. */
export function withUser(document: UsersDocument, user: UserRecord, replace: boolean): UsersDocument {
  checkNameFree(document, user.name, replace);
  const existing = document.users.findIndex((other) => other.name === user.name);
  const users = existing >= 0 ? document.users.map((other, i) => (i === existing ? user : other)) : [...document.users, user];
  return { ...document, users };
}

/**
 * Writes the users file atomically: a temporary file beside it (mode 0600: it holds password hashes),
 * flushed, then renamed over it. A reader sees the old file or the new one, never half of one.
 */
export function writeUsersFile(path: string, document: UsersDocument): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  let closed = false;
  try {
    // The mode given to open is reduced by the umask; the file must end up 0600 whatever it is.
    fchmodSync(fd, 0o600);
    writeSync(fd, `${JSON.stringify(usersFileJson(document), null, 2)}\n`);
    fsyncSync(fd);
    closeSync(fd);
    closed = true;
    renameSync(temporary, path);
  } catch (error) {
    if (!closed) closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
}
