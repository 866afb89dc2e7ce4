import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import type { CliInput } from '../../src/cli/cli-io.js';
import { runLabpool } from '../../src/cli/run-labpool.js';
import { verifyPassword } from '../../src/identity/password-hash.js';
import { loadUserDirectory } from '../../src/identity/user-directory.js';

const dir = mkdtempSync(join(tmpdir(), 'labpool-user-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `labpool user …` in this process, with `stdin` as its standard input. */
async function runUser(stdin: CliInput, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text), stop: new AbortController().signal, stdin };
  const code = await runLabpool(['user', ...args], io);
  return { code, stdout, stderr };
}

const piped = (text: string) => Readable.from([text]);
const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));

describe('labpool user add', () => {
  it('creates the users file (mode 0600) with a bcrypt hash of the first line of stdin', async () => {
    const file = join(dir, 'etc', 'users.json');
    const run = await runUser(piped('s3cret pass\nignored second line\n'), 'add', 'alice', '--role', 'admin', '--role', 'operator', '--file', file);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `user alice (admin, operator) written to ${file}\n`);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const content = readJson(file);
    assert.deepEqual(Object.keys(content), ['alice']);
    assert.deepEqual(content.alice.roles, ['admin', 'operator']);
    assert.match(content.alice.hash, /^\$2b\$12\$/);
    assert.equal(await verifyPassword('s3cret pass', content.alice.hash), true);
    assert.deepEqual(readdirSync(join(dir, 'etc')), ['users.json'], 'no temporary file left behind');
    const users = loadUserDirectory({ usersFile: file, tokenUseIntervalMs: 60_000 });
    assert.deepEqual(await users.authenticate('alice', 's3cret pass'), { name: 'alice', roles: ['admin', 'operator'] });
  });

  it('adds to an existing file, keeping its shape and users; refuses a taken name unless --force', async () => {
    const file = join(dir, 'commissaire.json');
    const a = { hash: '$2a$12$GlBCEIwz85QZUCkWYj11he6HaRHufzIvwQjlKeu7Rwmqi/mWOpRXK' };
    writeFileSync(file, JSON.stringify({ a }));
    assert.equal((await runUser(piped('pw-b\r\n'), 'add', 'b', '--scrypt', '--file', file)).code, 0);
    const added = readJson(file);
    assert.deepEqual(added.a, { hash: a.hash, roles: ['user'] });
    assert.match(added.b.hash, /^\$scrypt\$N=16384,r=8,p=1\$/);
    assert.equal(await verifyPassword('pw-b', added.b.hash), true, 'the \\r of a CRLF line is not part of the password');

    const refused = await runUser(piped('other\n'), 'add', 'b', '--file', file);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'labpool user: user "b" exists already (--force replaces it)\n');
    assert.deepEqual(readJson(file), added, 'the file is unchanged');

    assert.equal((await runUser(piped('other\n'), 'add', 'b', '--force', '--role', 'operator', '--scrypt', '--file', file)).code, 0);
    const replaced = readJson(file);
    assert.deepEqual(Object.keys(replaced), ['a', 'b']);
    assert.deepEqual(replaced.b.roles, ['operator']);
    assert.equal(await verifyPassword('other', replaced.b.hash), true);
  });

  it("keeps labpool's list shape", async () => {
    const file = join(dir, 'list.json');
    writeFileSync(file, JSON.stringify([{ name: 'x', hash: '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', roles: ['admin'] }]));
    assert.equal((await runUser(piped('pw\n'), 'add', 'y', '--scrypt', '--file', file)).code, 0);
    assert.deepEqual(
      readJson(file).map((user: any) => [user.name, user.roles]),
      [
        ['x', ['admin']],
        ['y', ['user']],
      ],
    );
  });

  it('writes to the configured auth.usersFile, and says so when there is none', async () => {
    const file = join(dir, 'configured.json');
    const config = join(dir, 'labpool.json');
    writeFileSync(config, JSON.stringify({ auth: { usersFile: file } }));
    assert.equal((await runUser(piped('pw\n'), 'add', 'carol', '--scrypt', '--config', config)).code, 0);
    assert.deepEqual(Object.keys(readJson(file)), ['carol']);
    const bare = join(dir, 'bare.json');
    writeFileSync(bare, '{}');
    const none = await runUser(piped('pw\n'), 'add', 'dave', '--config', bare);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no users file: give --file, or set auth\.usersFile/);
  });

  it('refuses an empty password, an unknown role, a bad name and a broken file', async () => {
    const file = join(dir, 'refusals.json');
    const cases: [string, string[], RegExp][] = [
      ['\n', ['add', 'eve', '--file', file], /no password on standard input/],
      ['', ['add', 'eve', '--file', file], /no password on standard input/],
      ['pw\n', ['add', 'eve', '--role', 'root', '--file', file], /unknown role root: roles are admin, operator, user/],
      ['pw\n', ['add', 'e:ve', '--file', file], /user name "e:ve" must be/],
      ['pw\n', ['add'], /usage: labpool user add NAME/],
    ];
    for (const [input, args, message] of cases) {
      const run = await runUser(piped(input), ...args);
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr, message);
    }
    assert.throws(() => statSync(file), /ENOENT/, 'nothing was written');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ x: { hash: 'plain' } }));
    assert.match((await runUser(piped('pw\n'), 'add', 'eve', '--file', broken)).stderr, /"x"\.hash is not a bcrypt/);
  });

  it('asks twice on a terminal, without echo', async () => {
    const file = join(dir, 'tty.json');
    const rawModes: boolean[] = [];
    const terminal = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (raw: boolean) => rawModes.push(raw) });
    const typing = setInterval(() => terminal.write('pw\x7fW\r'), 5);
    try {
      const run = await runUser(terminal, 'add', 'tty', '--scrypt', '--file', file);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, 'password for tty: \nagain: \n', 'the password is never echoed');
    } finally {
      clearInterval(typing);
    }
    assert.deepEqual(rawModes, [true, false, true, false]);
    assert.equal(await verifyPassword('pW', readJson(file).tty.hash), true);
  });
});
