import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { isRole, ROLES, type Role } from '../domain/identity/roles.js';
import { hashPassword, isTooLongForBcrypt } from '../identity/password-hash.js';
import { isUserName } from '../identity/user-records.js';
import { checkNameFree, readUsersFileForEdit, withUser, writeUsersFile } from '../identity/users-file.js';
import type { CliIo } from './cli-io.js';
import { readNewPassword } from './password-input.js';

const usage = `usage: labpool user add NAME [--role admin|operator|user]... [--file <users.json>] [--config <labpool.json>] [--force] [--scrypt]
  The password is read twice at a prompt, or from the first line of standard input when it is not a terminal.`;

const options = {
  role: { type: 'string', multiple: true },
  file: { type: 'string' },
  config: { type: 'string' },
  force: { type: 'boolean', default: false },
  scrypt: { type: 'boolean', default: false },
} as const;

/** `--file`, else the configured `auth.usersFile` (config file from `--config` or LABPOOL_CONFIG, and the environment). */
function usersFileOf(file: string | undefined, configFile: string | undefined): string {
  if (file !== undefined) return file;
  const configured = loadConfig({ file: configFile }).auth?.usersFile;
  if (configured == null) throw new Error('no users file: give --file, or set auth.usersFile (LABPOOL_USERS_FILE) in the configuration');
  return configured;
}

function rolesOf(given: readonly string[] | undefined): readonly Role[] {
  const roles = given ?? ['user'];
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new Error(`unknown role ${unknown.join(', ')}: roles are ${ROLES.join(', ')}`);
  return [...new Set(roles as Role[])];
}

/** `labpool user add NAME`: adds a user with a new password hash to the users file, creating it if need be. */
async function addUser(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0) throw new Error(usage);
  if (!isUserName(name)) throw new Error(`user name ${JSON.stringify(name)} must be 1-128 characters without ':', spaces or control characters`);
  const roles = rolesOf(values.role);
  const file = usersFileOf(values.file, values.config);
  // Read before asking for the password: a taken name or a broken file fails at once.
  const document = readUsersFileForEdit(file);
  checkNameFree(document, name, values.force);
  const password = await readNewPassword(io, name);
  if (!values.scrypt && isTooLongForBcrypt(password)) throw new Error('bcrypt uses only the first 72 bytes of a password: use a shorter one, or --scrypt');
  const hash = await hashPassword(password, values.scrypt ? 'scrypt' : 'bcrypt');
  writeUsersFile(file, withUser(document, { name, hash, roles }, values.force));
  io.stdout(`user ${name} (${roles.join(', ')}) written to ${file}\n`);
}

/** `labpool user <subcommand>`. */
export async function runUser(args: string[], io: CliIo): Promise<void> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'add') throw new Error(usage);
  await addUser(rest, io);
}
