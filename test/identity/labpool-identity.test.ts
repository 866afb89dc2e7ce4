import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/config.js';
import { startLabpool } from '../../src/labpool.js';
import { createFakeHardware } from '../support/fake-hardware.js';
import { createTestConfig, createTestInventory, startTestLab } from '../support/lab-harness.js';
import { startSimLabpool } from '../support/sim-labpool.js';

describe('identity in a running labpool', () => {
  it('the simulated lab has one user, demo / demo, operator, and its tokens work', async () => {
    const sim = await startSimLabpool(2);
    try {
      const { identity } = sim.labpool;
      assert.deepEqual(identity.users.list(), [{ name: 'demo', roles: ['operator'] }]);
      assert.equal(identity.users.isDemo, true);
      const demo = await identity.users.authenticate('demo', 'demo');
      assert.deepEqual(demo, { name: 'demo', roles: ['operator'] });
      const token = await identity.tokens.create(demo);
      assert.equal((await identity.tokens.verify(token))?.user, 'demo');
    } finally {
      await sim.stop();
    }
  });

  it('a real configuration has no default user; its users come from auth', async () => {
    const lab = await startTestLab(createTestInventory(1), { ready: false });
    try {
      assert.deepEqual(lab.labpool.identity.users.list(), []);
      assert.equal(lab.labpool.identity.users.isDemo, false);
      assert.equal(await lab.labpool.identity.users.authenticate('demo', 'demo'), undefined);
    } finally {
      await lab.labpool.stop();
    }
    const dir = mkdtempSync(join(tmpdir(), 'labpool-auth-'));
    try {
      const usersFile = join(dir, 'users.json');
      writeFileSync(usersFile, JSON.stringify({ ops: { hash: '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', roles: ['operator'] } }));
      const labpool = await startLabpool(createTestConfig({ auth: { usersFile, tokenUseIntervalMs: 60_000 } }), { hardware: createFakeHardware().hardware });
      try {
        assert.deepEqual(await labpool.identity.users.authenticate('ops', 'U*U'), { name: 'ops', roles: ['operator'] });
      } finally {
        await labpool.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start on an unreadable users file, naming auth.usersFile', async () => {
    const usersFile = join(tmpdir(), 'labpool-no-such-dir', 'users.json');
    await assert.rejects(
      startLabpool(createTestConfig({ auth: { usersFile, tokenUseIntervalMs: 60_000 } }), { hardware: createFakeHardware().hardware }),
      (error: unknown) => error instanceof ConfigError && error.message.includes(`auth.usersFile ${usersFile} cannot be read`),
    );
  });
});
