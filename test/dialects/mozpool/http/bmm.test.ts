import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMozpoolTestServer, withAndWithoutSlash } from '../../../support/mozpool-http.js';
import type { MozpoolTestServer } from '../../../support/mozpool-http.js';
import { aDevice, aPxeConfig } from '../../../support/mozpool-views.js';

describe('BMM device operations', () => {
  let t: MozpoolTestServer;
  beforeEach(async () => {
    t = await startMozpoolTestServer();
    t.readModels.addDevice(aDevice({ name: 'panda-0001' }));
    t.readModels.addPxeConfig(aPxeConfig({ name: 'image1' }));
  });
  afterEach(() => t.close());

  for (const path of withAndWithoutSlash('/api/device/panda-0001/power-cycle/')) {
    it(`POST ${path} with pxe_config and boot_config → 200 {}`, async () => {
      const reply = await t.send('POST', path, { pxe_config: 'image1', boot_config: '{"a":1}' });
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, {});
      assert.deepEqual(t.lab.calls, [{ method: 'powerCycle', args: ['panda-0001', { pxeConfig: 'image1', bootConfig: '{"a":1}' }] }]);
    });
  }

  it('POST power-cycle without a body → 200 {} and boots from disk', async () => {
    const reply = await t.send('POST', '/api/device/panda-0001/power-cycle/');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, {});
    assert.deepEqual(t.lab.calls, [{ method: 'powerCycle', args: ['panda-0001', {}] }]);
  });

  it('POST power-cycle with a boot_config object stores its JSON text', async () => {
    const reply = await t.send('POST', '/api/device/panda-0001/power-cycle/', { pxe_config: 'image1', boot_config: { a: 1 } });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, {});
    assert.deepEqual(t.lab.calls, [{ method: 'powerCycle', args: ['panda-0001', { pxeConfig: 'image1', bootConfig: '{"a":1}' }] }]);
  });

  it('POST power-cycle with an unknown pxe_config → 404', async () => {
    const reply = await t.send('POST', '/api/device/panda-0001/power-cycle/', { pxe_config: 'nope' });
    assert.equal(reply.status, 404);
    assert.deepEqual(reply.body, { error: 'PXE config nope not found' });
    assert.deepEqual(t.lab.calls, []);
  });

  const badPowerCycles: readonly (readonly [string, object, string])[] = [
    ['a numeric pxe_config', { pxe_config: 5 }, 'pxe_config must be string'],
    ['a numeric boot_config', { boot_config: 5 }, 'boot_config must be a string, or an object (stored as its JSON text)'],
    ['an array body', ['image1'], 'body must be object'],
  ];
  for (const [what, body, error] of badPowerCycles) {
    it(`POST power-cycle with ${what} → 400`, async () => {
      const reply = await t.send('POST', '/api/device/panda-0001/power-cycle/', body);
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body, { error });
      assert.deepEqual(t.lab.calls, []);
    });
  }

  for (const method of ['GET', 'POST']) {
    for (const path of withAndWithoutSlash('/api/device/panda-0001/power-off/')) {
      it(`${method} ${path} → 200 {}`, async () => {
        const reply = await t.send(method, path);
        assert.equal(reply.status, 200);
        assert.deepEqual(reply.body, {});
        assert.deepEqual(t.lab.calls, [{ method: 'powerOff', args: ['panda-0001'] }]);
      });
    }
  }

  for (const path of withAndWithoutSlash('/api/device/panda-0001/ping/')) {
    it(`GET ${path} → 200 {success}`, async () => {
      const up = await t.send('GET', path);
      assert.equal(up.status, 200);
      assert.deepEqual(up.body, { success: true });
      t.lab.pingSuccess = false;
      const down = await t.send('GET', path);
      assert.equal(down.status, 200);
      assert.deepEqual(down.body, { success: false });
      assert.deepEqual(
        t.lab.calls.map((call) => call.method),
        ['ping', 'ping'],
      );
    });
  }

  for (const path of withAndWithoutSlash('/api/device/panda-0001/clear-pxe/')) {
    it(`POST ${path} → 200 {}`, async () => {
      const reply = await t.send('POST', path);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, {});
      assert.deepEqual(t.lab.calls, [{ method: 'clearPxe', args: ['panda-0001'] }]);
    });
  }

  for (const path of withAndWithoutSlash('/api/device/panda-0001/set-comments/')) {
    it(`POST ${path} {comments} → 200 {}`, async () => {
      const reply = await t.send('POST', path, { comments: 'flaky sdcard' });
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, {});
      assert.deepEqual(t.lab.calls, [{ method: 'setComments', args: ['panda-0001', 'flaky sdcard'] }]);
    });
  }

  it('POST set-comments accepts empty comments', async () => {
    const reply = await t.send('POST', '/api/device/panda-0001/set-comments/', { comments: '' });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, {});
    assert.deepEqual(t.lab.calls, [{ method: 'setComments', args: ['panda-0001', ''] }]);
  });

  for (const path of withAndWithoutSlash('/api/device/panda-0001/set-environment/')) {
    it(`POST ${path} {environment} → 200 {}`, async () => {
      const reply = await t.send('POST', path, { environment: 'staging' });
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, {});
      assert.deepEqual(t.lab.calls, [{ method: 'setEnvironment', args: ['panda-0001', 'staging'] }]);
    });
  }

  const badSettings: readonly (readonly [string, object, string])[] = [
    ['/set-comments/', {}, "body must have required property 'comments'"],
    ['/set-comments/', { comments: 42 }, 'comments must be string'],
    ['/set-environment/', {}, "body must have required property 'environment'"],
    ['/set-environment/', { environment: '' }, 'environment must NOT have fewer than 1 characters'],
  ];
  for (const [suffix, body, error] of badSettings) {
    it(`POST ${suffix} with ${JSON.stringify(body)} → 400`, async () => {
      const reply = await t.send('POST', `/api/device/panda-0001${suffix}`, body);
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body, { error });
      assert.deepEqual(t.lab.calls, []);
    });
  }

  const operations: readonly (readonly [string, string, string, object?])[] = [
    ['powerCycle', 'POST', '/power-cycle/'],
    ['powerOff', 'POST', '/power-off/'],
    ['powerOff', 'GET', '/power-off/'],
    ['ping', 'GET', '/ping/'],
    ['clearPxe', 'POST', '/clear-pxe/'],
    ['setComments', 'POST', '/set-comments/', { comments: 'x' }],
    ['setEnvironment', 'POST', '/set-environment/', { environment: 'x' }],
  ];
  for (const [method, verb, suffix, body] of operations) {
    it(`${verb} /api/device/nope${suffix} → 404`, async () => {
      const reply = await t.send(verb, `/api/device/nope${suffix}`, body);
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.body, { error: 'device nope not found' });
      assert.deepEqual(t.lab.calls, []);
    });

    it(`${verb} /api/device/panda-0001${suffix} refused by the lab → 409`, async () => {
      t.lab.refuse(method as 'ping', 409, 'panda-0001 has no power control');
      const reply = await t.send(verb, `/api/device/panda-0001${suffix}`, body);
      assert.equal(reply.status, 409);
      assert.deepEqual(reply.body, { error: 'panda-0001 has no power control' });
    });
  }

  it('POST /api/device/panda-0001/ping/ → 405 (ping is GET only)', async () => {
    const reply = await t.send('POST', '/api/device/panda-0001/ping/');
    assert.equal(reply.status, 405);
    assert.deepEqual(reply.body, { error: 'Method Not Allowed' });
  });
});
