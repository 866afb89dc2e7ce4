import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { verifyPassword } from '../../src/identity/password-hash.js';
import { createUserDirectory, DEMO_USER, loadUserDirectory } from '../../src/identity/user-directory.js';

/** OpenBSD's vector: "U*U". */
const U_STAR_U = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
/** Commissaire's documented example users file: user `a`, password `a`, bcrypt cost 12. */
const COMMISSAIRE_USERS = { a: { hash: '$2a$12$GlBCEIwz85QZUCkWYj11he6HaRHufzIvwQjlKeu7Rwmqi/mWOpRXK' } };

const dir = mkdtempSync(join(tmpdir(), 'labpool-users-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function usersFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const auth = (fields: object) => ({ usersFile: null, tokenUseIntervalMs: 60_000, ...fields });

function configProblems(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  return assert.fail('expected a ConfigError');
}

describe('user directory', () => {
  it('carries a Commissaire users file over as it is: roles default to user', async () => {
    const users = loadUserDirectory(auth({ usersFile: usersFile('commissaire.json', COMMISSAIRE_USERS) }));
    assert.deepEqual(users.list(), [{ name: 'a', roles: ['user'] }]);
    assert.deepEqual(await users.authenticate('a', 'a'), { name: 'a', roles: ['user'] });
    assert.equal(await users.authenticate('a', 'b'), undefined);
  });

  it("reads labpool's list shape, with roles, and inline users beside a file", async () => {
    const file = usersFile('list.json', [{ name: 'ops', hash: U_STAR_U, roles: ['operator', 'admin'] }]);
    const users = loadUserDirectory(auth({ users: [{ name: 'inline', hash: U_STAR_U }], usersFile: file }));
    assert.deepEqual(users.list(), [
      { name: 'inline', roles: ['user'] },
      { name: 'ops', roles: ['operator', 'admin'] },
    ]);
    assert.deepEqual(await users.authenticate('ops', 'U*U'), { name: 'ops', roles: ['operator', 'admin'] });
    assert.deepEqual(users.get('inline'), { name: 'inline', roles: ['user'] });
    assert.equal(users.get('nobody'), undefined);
  });

  it('costs one hash verification for an unknown user too', async () => {
    const checked: string[] = [];
    const counting = (password: string, hash: string) => (checked.push(hash), verifyPassword(password, hash));
    const users = createUserDirectory([{ name: 'ops', hash: U_STAR_U, roles: ['operator'] }], counting);
    assert.equal(await users.authenticate('nobody', 'U*U'), undefined, 'the dummy verification matching proves nothing');
    assert.equal(checked.length, 1);
    assert.equal(await users.authenticate('ops', 'wrong'), undefined);
    assert.equal(checked.length, 2);
    const empty = createUserDirectory([], counting);
    assert.equal(await empty.authenticate('nobody', 'x'), undefined);
    assert.equal(checked.length, 3);
  });

  it('has the demo user only for the simulated lab with no user configured', async () => {
    assert.deepEqual(loadUserDirectory(auth({}), { demoUser: true }).list(), [{ name: 'demo', roles: ['operator'] }]);
    assert.deepEqual(await loadUserDirectory(undefined, { demoUser: true }).authenticate('demo', 'demo'), { name: 'demo', roles: ['operator'] });
    assert.deepEqual(loadUserDirectory(auth({})).list(), []);
    assert.deepEqual(loadUserDirectory(auth({ users: [{ name: 'ops', hash: U_STAR_U }] }), { demoUser: true }).list(), [{ name: 'ops', roles: ['user'] }]);
    assert.equal(DEMO_USER.roles.join(), 'operator');
  });

  it('refuses a missing, unreadable or malformed users file, naming auth.usersFile and the file', () => {
    const missing = join(dir, 'missing.json');
    assert.match(configProblems(() => loadUserDirectory(auth({ usersFile: missing })))[0] ?? '', new RegExp(`^auth\\.usersFile ${missing} cannot be read: .*ENOENT`));
    const notJson = usersFile('broken.json', '{"a": ');
    assert.match(configProblems(() => loadUserDirectory(auth({ usersFile: notJson })))[0] ?? '', /^auth\.usersFile .*broken\.json cannot be read: .*JSON/);
    if (process.getuid?.() !== 0) {
      const unreadable = usersFile('unreadable.json', COMMISSAIRE_USERS);
      chmodSync(unreadable, 0o000);
      assert.match(configProblems(() => loadUserDirectory(auth({ usersFile: unreadable })))[0] ?? '', /EACCES/);
    }
    assert.deepEqual(
      configProblems(() => loadUserDirectory(auth({ usersFile: usersFile('string.json', '"users"') }))),
      [`auth.usersFile ${join(dir, 'string.json')} must hold a list of users or an object of users by name`],
    );
  });

  it('names every bad hash, role and name in a users file', () => {
    const file = usersFile('bad.json', { ok: { hash: U_STAR_U }, plain: { hash: 'secret' }, boss: { hash: U_STAR_U, roles: ['root'] }, 'a:b': { hash: U_STAR_U, extra: 1 } });
    assert.deepEqual(
      configProblems(() => loadUserDirectory(auth({ usersFile: file }))),
      [
        `auth.usersFile ${file} "plain".hash is not a bcrypt ($2a$, $2b$ or $2y$) or scrypt ($scrypt$N=…,r=…,p=…$<salt>$<key>) hash`,
        `auth.usersFile ${file} "boss".roles[0] "root" is not one of admin, operator, user`,
        `auth.usersFile ${file} "a:b".name must be 1-128 characters without ':', spaces or control characters`,
        `auth.usersFile ${file} "a:b".extra is not a known field`,
      ],
    );
    const list = usersFile('dup.json', [
      { name: 'x', hash: U_STAR_U },
      { name: 'x', hash: U_STAR_U },
    ]);
    assert.deepEqual(
      configProblems(() => loadUserDirectory(auth({ usersFile: list }))),
      [`auth.usersFile ${list}: user "x" appears twice`],
    );
    const both = usersFile('both.json', { inline: { hash: U_STAR_U } });
    assert.match(configProblems(() => loadUserDirectory(auth({ users: [{ name: 'inline', hash: U_STAR_U }], usersFile: both })))[0] ?? '', /user "inline" is in both auth\.users and auth\.usersFile/);
  });

  it('refuses bad inline users when the configuration is loaded, naming the field and where it came from', () => {
    const file = usersFile('labpool.json', {
      auth: {
        users: [
          { name: 'ok', hash: U_STAR_U },
          { name: 'x', hash: '$2a$05$short', roles: ['user', 'superuser'] },
        ],
      },
    });
    assert.deepEqual(
      configProblems(() => loadConfig({ file, env: {} })),
      [
        `auth.users.1.hash is not a bcrypt ($2a$, $2b$ or $2y$) or scrypt ($scrypt$N=…,r=…,p=…$<salt>$<key>) hash (from file ${file})`,
        `auth.users.1.roles.1 must be one of admin, operator, user (from file ${file})`,
      ],
    );
    assert.equal(loadConfig({ env: { LABPOOL_USERS_FILE: '/etc/labpool/users.json' } }).auth?.usersFile, '/etc/labpool/users.json');
    assert.deepEqual(loadConfig({ env: {} }).auth, { usersFile: null, tokenUseIntervalMs: 60_000 });
  });
});
