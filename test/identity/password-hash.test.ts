import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, isPasswordHash, verifyPassword } from '../../src/identity/password-hash.js';

/** Published vectors from other implementations: OpenBSD's test suite ($2a$, and $2b$ gives the same digest) and PHP's manual ($2y$). */
const VECTORS = [
  { password: 'U*U', hash: '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW' },
  { password: 'U*U', hash: '$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW' },
  { password: 'rasmuslerdorf', hash: '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a' },
] as const;

/** scrypt N=1024, r=8, p=1 of "hunter2" with a fixed salt, in labpool's format (small N keeps the test fast). */
const SCRYPT_HUNTER2 = '$scrypt$N=1024,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA==$';

describe('password hashes', () => {
  for (const { password, hash } of VECTORS) {
    it(`verifies ${hash.slice(0, 4)} bcrypt hashes, and refuses a wrong password`, async () => {
      assert.equal(isPasswordHash(hash), true);
      assert.equal(await verifyPassword(password, hash), true);
      assert.equal(await verifyPassword(`${password}x`, hash), false);
    });
  }

  it('writes and verifies scrypt hashes in the $scrypt$N=…,r=…,p=…$salt$key format', async () => {
    const hash = await hashPassword('hunter2', 'scrypt');
    assert.match(hash, /^\$scrypt\$N=16384,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    assert.equal(isPasswordHash(hash), true);
    assert.equal(await verifyPassword('hunter2', hash), true);
    assert.equal(await verifyPassword('hunter3', hash), false);
  });

  it('verifies a scrypt hash made elsewhere with other parameters', async () => {
    const { scryptSync } = await import('node:crypto');
    const key = scryptSync('hunter2', Buffer.from('saltsaltsaltsalt'), 32, { N: 1024, r: 8, p: 1 }).toString('base64');
    assert.equal(await verifyPassword('hunter2', `${SCRYPT_HUNTER2}${key}`), true);
    assert.equal(await verifyPassword('hunter2', `${SCRYPT_HUNTER2}${key.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`), false);
  });

  it('writes bcrypt $2b$ cost 12 by default', async () => {
    const hash = await hashPassword('correct horse');
    assert.match(hash, /^\$2b\$12\$/);
    assert.equal(await verifyPassword('correct horse', hash), true);
  });

  it('recognises no malformed hash, and verifies nothing against one', async () => {
    const malformed = [
      '',
      'plain',
      '$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW',
      '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe',
      '$2a$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW',
      '$scrypt$N=1000,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA==$c2FsdHNhbHRzYWx0c2FsdA==',
      '$scrypt$N=1048576,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA==$c2FsdHNhbHRzYWx0c2FsdA==',
      '$scrypt$N=1024,r=8,p=1$c2FsdA==$c2FsdHNhbHRzYWx0c2FsdA==',
      '$scrypt$N=1024,r=8$c2FsdHNhbHRzYWx0c2FsdA==$c2FsdHNhbHRzYWx0c2FsdA==',
    ];
    for (const hash of malformed) {
      assert.equal(isPasswordHash(hash), false, hash);
      assert.equal(await verifyPassword('U*U', hash), false, hash);
    }
  });
});
