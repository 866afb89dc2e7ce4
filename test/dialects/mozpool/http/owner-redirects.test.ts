import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OTHER_SERVER, START_MS, startMozpoolTestServer, withAndWithoutSlash } from '../../../support/mozpool-http.js';
import type { MozpoolTestServer } from '../../../support/mozpool-http.js';
import { aDevice, aLog, anImage, aPxeConfig, aRequest } from '../../../support/mozpool-views.js';

/** Every device operation that only the device's own server runs, with a body it would accept. */
const deviceOperations: readonly (readonly [string, string, object?])[] = [
  ['POST', '/event/mobile_init_started/'],
  ['GET', '/event/mobile_init_started/'],
  ['POST', '/state-change/ready/to/maintenance_mode/'],
  ['POST', '/setstate/', { old_state: 'ready', new_state: 'maintenance_mode' }],
  ['POST', '/power-cycle/', { pxe_config: 'image1' }],
  ['POST', '/power-off/'],
  ['GET', '/power-off/'],
  ['GET', '/ping/'],
  ['POST', '/clear-pxe/'],
  ['POST', '/set-comments/', { comments: 'x' }],
  ['POST', '/set-environment/', { environment: 'staging' }],
  ['POST', '/boot/android/', { a: 1 }],
  ['POST', '/bootcomplete/'],
];

const requestOperations: readonly (readonly [string, string, object?])[] = [
  ['POST', '/renew/', { duration: 60 }],
  ['POST', '/return/'],
  ['POST', '/event/lifeguard_imaging_complete/'],
  ['GET', '/event/lifeguard_imaging_complete/'],
];

describe('several servers: owner redirects', () => {
  let t: MozpoolTestServer;
  beforeEach(async () => {
    t = await startMozpoolTestServer();
    t.readModels.addDevice(aDevice({ name: 'remote-0001', imagingServer: OTHER_SERVER, bootConfig: '{"a":1}' }), aLog(3, START_MS));
    t.readModels.addDevice(aDevice({ name: 'local-0001' }));
    t.readModels.addRequest(aRequest({ id: 9, imaging_server: OTHER_SERVER }), aLog(2, START_MS));
    t.readModels.addRequest(aRequest({ id: 4 }));
    t.readModels.addImage(anImage({ name: 'android' }));
    t.readModels.addPxeConfig(aPxeConfig({ name: 'image1' }));
  });
  afterEach(() => t.close());

  for (const [verb, suffix, body] of deviceOperations) {
    for (const path of withAndWithoutSlash(`/api/device/remote-0001${suffix}`)) {
      it(`${verb} ${path} on a device of another server → 302 to the owner, query dropped`, async () => {
        const location = `http://${OTHER_SERVER}${path}`;
        const reply = await t.send(verb, `${path}?via=test`, body);
        assert.equal(reply.status, 302);
        assert.equal(reply.headers.get('location'), location);
        assert.deepEqual(reply.body, { location });
        assert.deepEqual(t.lab.calls, []);
      });
    }

    it(`${verb} /api/device/local-0001${suffix} on this server's device → runs here`, async () => {
      const reply = await t.send(verb, `/api/device/local-0001${suffix}`, body);
      assert.ok(reply.status === 200 || reply.status === 204, `status ${reply.status}`);
      assert.equal(reply.headers.get('location'), null);
      assert.equal(t.lab.calls.length, 1);
    });

    it(`${verb} /api/device/nope${suffix} → 404 before any redirect`, async () => {
      const reply = await t.send(verb, `/api/device/nope${suffix}`, body);
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.body, { error: 'device nope not found' });
    });
  }

  it('redirects before validating the body: the owner judges it', async () => {
    const reply = await t.send('POST', '/api/device/remote-0001/setstate/', { nonsense: true });
    assert.equal(reply.status, 302);
    assert.deepEqual(reply.body, { location: `http://${OTHER_SERVER}/api/device/remote-0001/setstate/` });
  });

  for (const [verb, suffix, body] of requestOperations) {
    for (const path of withAndWithoutSlash(`/api/request/9${suffix}`)) {
      it(`${verb} ${path} on a request of another server → 302 to the owner, query dropped`, async () => {
        const location = `http://${OTHER_SERVER}${path}`;
        const reply = await t.send(verb, `${path}?x=1`, body);
        assert.equal(reply.status, 302);
        assert.equal(reply.headers.get('location'), location);
        assert.deepEqual(reply.body, { location });
        assert.deepEqual(t.lab.calls, []);
      });
    }

    it(`${verb} /api/request/4${suffix} on this server's request → runs here`, async () => {
      const reply = await t.send(verb, `/api/request/4${suffix}`, body);
      assert.ok(reply.status === 200 || reply.status === 204, `status ${reply.status}`);
      assert.equal(t.lab.calls.length, 1);
    });

    it(`${verb} /api/request/99${suffix} → 404 before any redirect, /api/request/x${suffix} → 400`, async () => {
      const unknown = await t.send(verb, `/api/request/99${suffix}`, body);
      assert.equal(unknown.status, 404);
      assert.deepEqual(unknown.body, { error: 'request 99 not found' });
      const bad = await t.send(verb, `/api/request/x${suffix}`, body);
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body, { error: "request id must be an integer, not 'x'" });
    });
  }

  const deviceReads: readonly (readonly [string, unknown])[] = [
    ['/status/', { state: 'ready', status: 'ready', log: aLog(3, START_MS) }],
    ['/state/', { state: 'ready' }],
    ['/log/', { log: aLog(3, START_MS) }],
    ['/config/', { config: { a: 1 } }],
    ['/bootconfig/', { a: 1 }],
  ];
  for (const [suffix, expected] of deviceReads) {
    it(`GET /api/device/remote-0001${suffix} → 200, answered locally`, async () => {
      const reply = await t.send('GET', `/api/device/remote-0001${suffix}`);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, expected);
    });
  }

  const requestReads: readonly (readonly [string, (body: unknown) => void])[] = [
    ['/details/', (body) => assert.equal((body as { id: number }).id, 9)],
    ['/status/', (body) => assert.deepEqual(body, { state: 'ready', log: aLog(2, START_MS) })],
    ['/log/', (body) => assert.deepEqual(body, { log: aLog(2, START_MS) })],
  ];
  for (const [suffix, check] of requestReads) {
    it(`GET /api/request/9${suffix} → 200, answered locally`, async () => {
      const reply = await t.send('GET', `/api/request/9${suffix}`);
      assert.equal(reply.status, 200);
      check(reply.body);
    });
  }

  it('the details of a request owned elsewhere carry the owner’s URL for it', async () => {
    const reply = await t.send('GET', '/api/request/9/details/');
    assert.equal(reply.status, 200);
    assert.equal((reply.body as { url: string }).url, 'http://imaging2:8010/api/request/9/');
  });
});
