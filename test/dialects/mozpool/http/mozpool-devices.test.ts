import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../../../../src/http/app.js';
import { listen } from '../../../../src/http/server.js';
import { startMozpoolTestServer, withAndWithoutSlash } from '../../../support/mozpool-http.js';
import type { MozpoolTestServer } from '../../../support/mozpool-http.js';
import { aDevice, anImage } from '../../../support/mozpool-views.js';

describe('MozPool device, image and environment lists', () => {
  let t: MozpoolTestServer;
  beforeEach(async () => {
    t = await startMozpoolTestServer();
    t.readModels.addDevice(aDevice({ id: 2, name: 'panda-0002', environment: 'staging', state: 'failed_power_cycling' }));
    t.readModels.addDevice(aDevice({ id: 1, name: 'panda-0001', image: 'android', bootConfig: '{"b2gbase":"x"}', requestId: 7 }));
    t.readModels.addImage(anImage({ id: 1, name: 'android', bootConfigKeys: ['b2gbase'], canReuse: true }));
    t.readModels.addImage(anImage({ id: 2, name: 'self-test', hidden: true }));
  });
  afterEach(() => t.close());

  for (const path of withAndWithoutSlash('/api/device/list/')) {
    it(`GET ${path} → 200 with the device names`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, { devices: ['panda-0001', 'panda-0002'] });
    });
  }

  for (const path of withAndWithoutSlash('/api/device/list/?details=1')) {
    it(`GET ${path} → 200 with device objects in MozPool's fields`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      const devices = (reply.body as { devices: Record<string, unknown>[] }).devices;
      assert.equal(devices.length, 2);
      assert.deepEqual(devices[0], {
        id: 1,
        name: 'panda-0001',
        fqdn: 'panda-0001.lab.example.com',
        inventory_id: 101,
        mac_address: '00:11:22:33:44:55',
        imaging_server: 'imaging1:8010',
        relay_info: 'pdu1.lab.example.com:161/3',
        state: 'ready',
        comments: '',
        image: 'android',
        boot_config: '{"b2gbase":"x"}',
        environment: 'prod',
        request_id: 7,
      });
      assert.equal(devices[1]?.['state'], 'failed_power_cycling');
    });
  }

  it('GET /api/device/list/?details=0 → 200 with names only', async () => {
    const reply = await t.send('GET', '/api/device/list/?details=0');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { devices: ['panda-0001', 'panda-0002'] });
  });

  it('GET /api/device/list/ with no devices → 200 with an empty list', async () => {
    t.readModels.deviceViews.clear();
    const reply = await t.send('GET', '/api/device/list/');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { devices: [] });
  });

  for (const path of withAndWithoutSlash('/api/image/list/')) {
    it(`GET ${path} → 200 with the images that are not hidden`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, {
        images: [{ id: 1, name: 'android', boot_config_keys: ['b2gbase'], can_reuse: true, hidden: false, has_sut_agent: false }],
      });
    });
  }

  for (const path of withAndWithoutSlash('/api/environment/list/')) {
    it(`GET ${path} → 200 with the environments`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, { environments: ['prod', 'staging'] });
    });
  }

  it('POST /api/device/list/ → 405 with an Allow header', async () => {
    const reply = await t.send('POST', '/api/device/list/', {});
    assert.equal(reply.status, 405);
    assert.deepEqual(reply.body, { error: 'Method Not Allowed' });
    assert.deepEqual(reply.headers.get('allow')?.split(', ').sort(), ['GET', 'HEAD']);
  });
});

describe('createApp without MozPool deps', () => {
  it('serves only the version under /api/', async () => {
    const server = await listen(createApp({ version: 'test', serverId: 'imaging1:8010' }), '127.0.0.1', 0);
    try {
      const list = await fetch(`${server.url}/api/device/list/`);
      assert.equal(list.status, 404);
      assert.deepEqual(await list.json(), { error: 'no route for GET /api/device/list/' });
      const version = await fetch(`${server.url}/api/version/`);
      assert.equal(version.status, 200);
      assert.deepEqual(await version.json(), { version: 'test' });
    } finally {
      await server.close();
    }
  });
});
