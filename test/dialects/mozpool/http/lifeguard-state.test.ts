import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { START_MS, startMozpoolTestServer, withAndWithoutSlash } from '../../../support/mozpool-http.js';
import type { MozpoolTestServer } from '../../../support/mozpool-http.js';
import { LIFEGUARD_FIXED_STATES } from '../../../../src/domain/device/lifeguard-states.js';
import { aDevice, aLog, anImage } from '../../../support/mozpool-views.js';

describe('LifeGuard device state routes', () => {
  let t: MozpoolTestServer;
  beforeEach(async () => {
    t = await startMozpoolTestServer();
    t.readModels.addDevice(aDevice({ name: 'panda-0001', state: 'ready' }), aLog(120, START_MS));
    t.readModels.addDevice(aDevice({ name: 'panda-0002', state: 'pxe_booting' }));
  });
  afterEach(() => t.close());

  for (const path of withAndWithoutSlash('/api/device/panda-0001/status/')) {
    it(`GET ${path} → 200 with state, status and the last 100 log lines`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      const body = reply.body as { state: string; status: string; log: { id: number }[] };
      assert.deepEqual(Object.keys(body).sort(), ['log', 'state', 'status']);
      assert.equal(body.state, 'ready');
      assert.equal(body.status, 'ready');
      assert.deepEqual(
        body.log.map((entry) => entry.id),
        Array.from({ length: 100 }, (_, index) => index + 21),
      );
    });
  }

  for (const path of withAndWithoutSlash('/api/device/panda-0002/state/')) {
    it(`GET ${path} → 200 {state} without caching`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, { state: 'pxe_booting' });
      assert.equal(reply.headers.get('cache-control'), null);
      assert.equal(t.readModels.stateMapReads, 0);
    });
  }

  for (const path of withAndWithoutSlash('/api/device/panda-0002/state/?cache=1')) {
    it(`GET ${path} → 200 {state, states} from the lab-wide map, max-age=5`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, { state: 'pxe_booting', states: { 'panda-0001': 'ready', 'panda-0002': 'pxe_booting' } });
      assert.equal(reply.headers.get('cache-control'), 'public, max-age=5');
    });
  }

  it('serves the same lab-wide map for 5 s, then rebuilds it', async () => {
    await t.send('GET', '/api/device/panda-0001/state/?cache=1');
    t.readModels.addDevice(aDevice({ name: 'panda-0001', state: 'pc_power_cycling' }));
    t.clock.nowMs = START_MS + 3_500;
    const cached = await t.send('GET', '/api/device/panda-0002/state/?cache=1');
    assert.equal(cached.status, 200);
    assert.deepEqual(cached.body, { state: 'pxe_booting', states: { 'panda-0001': 'ready', 'panda-0002': 'pxe_booting' } });
    assert.equal(cached.headers.get('cache-control'), 'public, max-age=2');
    t.clock.nowMs = START_MS + 5_000;
    const fresh = await t.send('GET', '/api/device/panda-0001/state/?cache=1');
    assert.deepEqual(fresh.body, { state: 'pc_power_cycling', states: { 'panda-0001': 'pc_power_cycling', 'panda-0002': 'pxe_booting' } });
    assert.equal(fresh.headers.get('cache-control'), 'public, max-age=5');
    assert.equal(t.readModels.stateMapReads, 2);
  });

  it('answers a device registered since the cached snapshot from the read model', async () => {
    await t.send('GET', '/api/device/panda-0001/state/?cache=1');
    t.readModels.addDevice(aDevice({ name: 'panda-0003', state: 'new' }));
    const reply = await t.send('GET', '/api/device/panda-0003/state/?cache=1');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { state: 'new', states: { 'panda-0001': 'ready', 'panda-0002': 'pxe_booting' } });
  });

  for (const path of ['/api/device/nope/status/', '/api/device/nope/state/', '/api/device/nope/state/?cache=1']) {
    it(`GET ${path} → 404`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.body, { error: 'device nope not found' });
    });
  }

  for (const method of ['GET', 'POST']) {
    for (const path of withAndWithoutSlash('/api/device/panda-0002/event/mobile_init_started/')) {
      it(`${method} ${path} → 200 {} and delivers the event`, async () => {
        const reply = await t.send(method, path);
        assert.equal(reply.status, 200);
        assert.deepEqual(reply.body, {});
        assert.deepEqual(t.lab.calls, [{ method: 'deviceEvent', args: ['panda-0002', 'mobile_init_started', {}] }]);
      });
    }
  }

  it('POST an event with a JSON body → 200 {}, the body passed on as the event arguments', async () => {
    const reply = await t.send('POST', '/api/device/panda-0002/event/android_downloading/', { progress: 10 });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, {});
    assert.deepEqual(t.lab.calls, [{ method: 'deviceEvent', args: ['panda-0002', 'android_downloading', { progress: 10 }] }]);
  });

  for (const path of withAndWithoutSlash('/api/device/panda-0001/state-change/ready/to/maintenance_mode/')) {
    it(`POST ${path} → 200 {} and forces the state`, async () => {
      const reply = await t.send('POST', path);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, {});
      assert.deepEqual(t.lab.calls, [{ method: 'forceState', args: ['panda-0001', 'ready', 'maintenance_mode'] }]);
    });
  }

  it('POST state-change refused because the state moved on → 409', async () => {
    t.lab.refuse('forceState', 409, 'panda-0001 is in pxe_booting, not free');
    const reply = await t.send('POST', '/api/device/panda-0001/state-change/free/to/ready/');
    assert.equal(reply.status, 409);
    assert.deepEqual(reply.body, { error: 'panda-0001 is in pxe_booting, not free' });
  });

  for (const path of withAndWithoutSlash('/api/device/panda-0001/setstate/')) {
    it(`POST ${path} {old_state, new_state} → 204 and forces the state`, async () => {
      const reply = await t.send('POST', path, { old_state: 'ready', new_state: 'maintenance_mode' });
      assert.equal(reply.status, 204);
      assert.equal(reply.text, '');
      assert.deepEqual(t.lab.calls, [{ method: 'forceState', args: ['panda-0001', 'ready', 'maintenance_mode'] }]);
    });
  }

  it('POST setstate refused → 409', async () => {
    t.lab.refuse('forceState', 409, 'panda-0001 is in ready, not free');
    const reply = await t.send('POST', '/api/device/panda-0001/setstate/', { old_state: 'free', new_state: 'ready' });
    assert.equal(reply.status, 409);
    assert.deepEqual(reply.body, { error: 'panda-0001 is in ready, not free' });
  });

  describe('forcing a state the LifeGuard machine does not have', () => {
    const chain = (image: string) => [`${image}_downloading`, `${image}_extracting`, `${image}_rebooting`, `failed_${image}_downloading`, `failed_${image}_extracting`];
    const validStates = [...LIFEGUARD_FIXED_STATES, ...chain('android'), ...chain('self-test')].join(', ');
    beforeEach(() => {
      t.readModels.addImage(anImage({ name: 'android' }));
      t.readModels.addImage(anImage({ name: 'self-test', hidden: true }));
    });

    const refusals: readonly (readonly [string, string, object | undefined, string])[] = [
      ['state-change', '/api/device/panda-0001/state-change/ready/to/bogus_state/', undefined, 'bogus_state'],
      ['state-change', '/api/device/panda-0001/state-change/ready/to/nowhere_downloading/', undefined, 'nowhere_downloading'],
      ['state-change', '/api/device/panda-0001/state-change/ready/to/failed_android_rebooting/', undefined, 'failed_android_rebooting'],
      ['setstate', '/api/device/panda-0001/setstate/', { old_state: 'ready', new_state: 'bogus_state' }, 'bogus_state'],
      ['setstate', '/api/device/panda-0001/setstate/', { old_state: 'ready', new_state: 'free' }, 'free'],
    ];
    for (const [route, path, body, to] of refusals) {
      it(`POST ${route} to ${to} → 400 listing the valid states, and asks nothing of the lab`, async () => {
        const reply = await t.send('POST', path, body);
        assert.equal(reply.status, 400);
        assert.deepEqual(reply.body, { error: `${to} is not a LifeGuard state; valid states: ${validStates}` });
        assert.deepEqual(t.lab.calls, []);
      });
    }

    const accepted = ['android_extracting', 'self-test_downloading', 'failed_android_downloading', 'failed_self_test_verify', 'locked_out', 'new'];
    for (const to of accepted) {
      it(`POST state-change to ${to} (a state of the machine for a known image) → 200`, async () => {
        const reply = await t.send('POST', `/api/device/panda-0001/state-change/ready/to/${to}/`);
        assert.equal(reply.status, 200);
        assert.deepEqual(t.lab.calls, [{ method: 'forceState', args: ['panda-0001', 'ready', to] }]);
      });
    }

    it('POST setstate from a state outside the machine (a device stranded there) back to ready → 204', async () => {
      const reply = await t.send('POST', '/api/device/panda-0001/setstate/', { old_state: 'bogus_state', new_state: 'ready' });
      assert.equal(reply.status, 204);
      assert.deepEqual(t.lab.calls, [{ method: 'forceState', args: ['panda-0001', 'bogus_state', 'ready'] }]);
    });

    it('POST state-change to a bogus state for an unknown device → 404 first', async () => {
      const reply = await t.send('POST', '/api/device/nope/state-change/ready/to/bogus_state/');
      assert.equal(reply.status, 404);
    });
  });

  const badSetStates: readonly (readonly [string, object, string])[] = [
    ['no new_state', { old_state: 'ready' }, "body must have required property 'new_state'"],
    ['a numeric old_state', { old_state: 1, new_state: 'ready' }, 'old_state must be string'],
    ['an empty body', {}, "body must have required property 'old_state'"],
  ];
  for (const [what, body, error] of badSetStates) {
    it(`POST setstate with ${what} → 400`, async () => {
      const reply = await t.send('POST', '/api/device/panda-0001/setstate/', body);
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body, { error });
      assert.deepEqual(t.lab.calls, []);
    });
  }

  const operations: readonly (readonly [string, string])[] = [
    ['POST', '/event/x/'],
    ['GET', '/event/x/'],
    ['POST', '/state-change/a/to/b/'],
    ['POST', '/setstate/'],
  ];
  for (const [verb, suffix] of operations) {
    it(`${verb} /api/device/nope${suffix} → 404`, async () => {
      const reply = await t.send(verb, `/api/device/nope${suffix}`, verb === 'POST' ? { old_state: 'a', new_state: 'b' } : undefined);
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.body, { error: 'device nope not found' });
      assert.deepEqual(t.lab.calls, []);
    });
  }

  it('GET state-change → 405', async () => {
    const reply = await t.send('GET', '/api/device/panda-0001/state-change/a/to/b/');
    assert.equal(reply.status, 405);
    assert.deepEqual(reply.body, { error: 'Method Not Allowed' });
  });
});
