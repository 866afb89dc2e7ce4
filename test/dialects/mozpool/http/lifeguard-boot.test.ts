import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMozpoolTestServer, withAndWithoutSlash } from '../../../support/mozpool-http.js';
import type { MozpoolTestServer } from '../../../support/mozpool-http.js';
import { aDevice, anImage } from '../../../support/mozpool-views.js';

describe('LifeGuard boot routes', () => {
  let t: MozpoolTestServer;
  beforeEach(async () => {
    t = await startMozpoolTestServer();
    t.readModels.addDevice(aDevice({ name: 'panda-0001', bootConfig: '{"b2gbase":"http://builds/"}' }));
    t.readModels.addDevice(aDevice({ name: 'panda-0002', bootConfig: '' }));
    t.readModels.addDevice(aDevice({ name: 'panda-0003', bootConfig: 'not json' }));
    t.readModels.addImage(anImage({ name: 'b2g', bootConfigKeys: ['b2gbase'] }));
  });
  afterEach(() => t.close());

  for (const path of withAndWithoutSlash('/api/device/panda-0001/boot/b2g/')) {
    it(`POST ${path} with a boot config → 204 and images the device`, async () => {
      const reply = await t.send('POST', path, { b2gbase: 'http://builds/' });
      assert.equal(reply.status, 204);
      assert.equal(reply.text, '');
      assert.deepEqual(t.lab.calls, [{ method: 'bootImage', args: ['panda-0001', 'b2g', '{"b2gbase":"http://builds/"}'] }]);
    });
  }

  it('POST boot without a body → 204 with an empty boot config', async () => {
    const reply = await t.send('POST', '/api/device/panda-0001/boot/b2g/');
    assert.equal(reply.status, 204);
    assert.equal(reply.text, '');
    assert.deepEqual(t.lab.calls, [{ method: 'bootImage', args: ['panda-0001', 'b2g', '{}'] }]);
  });

  it('POST boot with an array body → 400', async () => {
    const reply = await t.send('POST', '/api/device/panda-0001/boot/b2g/', [1]);
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body, { error: 'body must be object' });
    assert.deepEqual(t.lab.calls, []);
  });

  it('POST boot with an unknown image → 404; unknown device → 404', async () => {
    const image = await t.send('POST', '/api/device/panda-0001/boot/windows/');
    assert.equal(image.status, 404);
    assert.deepEqual(image.body, { error: 'image windows not found' });
    const device = await t.send('POST', '/api/device/nope/boot/b2g/');
    assert.equal(device.status, 404);
    assert.deepEqual(device.body, { error: 'device nope not found' });
    assert.deepEqual(t.lab.calls, []);
  });

  it('POST boot refused by the lab → 409', async () => {
    t.lab.refuse('bootImage', 409, 'panda-0001 is locked_out');
    const reply = await t.send('POST', '/api/device/panda-0001/boot/b2g/');
    assert.equal(reply.status, 409);
    assert.deepEqual(reply.body, { error: 'panda-0001 is locked_out' });
  });

  for (const path of withAndWithoutSlash('/api/device/panda-0001/bootcomplete/')) {
    it(`POST ${path} → 204 and clears the PXE boot`, async () => {
      const reply = await t.send('POST', path);
      assert.equal(reply.status, 204);
      assert.equal(reply.text, '');
      assert.deepEqual(t.lab.calls, [{ method: 'bootComplete', args: ['panda-0001'] }]);
    });
  }

  it('POST bootcomplete: unknown device → 404, refusal → its status', async () => {
    const unknown = await t.send('POST', '/api/device/nope/bootcomplete/');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { error: 'device nope not found' });
    t.lab.refuse('bootComplete', 409, 'panda-0001 is not booting');
    const refused = await t.send('POST', '/api/device/panda-0001/bootcomplete/');
    assert.equal(refused.status, 409);
    assert.deepEqual(refused.body, { error: 'panda-0001 is not booting' });
  });

  for (const path of withAndWithoutSlash('/api/device/panda-0001/config/')) {
    it(`GET ${path} → 200 {config} with the parsed boot config`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, { config: { b2gbase: 'http://builds/' } });
    });
  }

  it('GET config of a device without a boot config → {config: {}}; non-JSON text → the text', async () => {
    const empty = await t.send('GET', '/api/device/panda-0002/config/');
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body, { config: {} });
    const text = await t.send('GET', '/api/device/panda-0003/config/');
    assert.equal(text.status, 200);
    assert.deepEqual(text.body, { config: 'not json' });
  });

  it('GET config of an unknown device → 404', async () => {
    const reply = await t.send('GET', '/api/device/nope/config/');
    assert.equal(reply.status, 404);
    assert.deepEqual(reply.body, { error: 'device nope not found' });
  });
});
