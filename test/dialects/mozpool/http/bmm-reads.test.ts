import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { START_MS, startMozpoolTestServer, withAndWithoutSlash } from '../../../support/mozpool-http.js';
import type { MozpoolTestServer } from '../../../support/mozpool-http.js';
import { aDevice, aLog } from '../../../support/mozpool-views.js';

describe('BMM device reads', () => {
  let t: MozpoolTestServer;
  beforeEach(async () => {
    t = await startMozpoolTestServer();
    t.readModels.addDevice(aDevice({ name: 'panda-0001', bootConfig: '{"b2gbase":"http://builds/"}' }), aLog(10, START_MS - 1000, 'bmm'));
    t.readModels.addDevice(aDevice({ name: 'panda-0002', bootConfig: '' }));
  });
  afterEach(() => t.close());

  const logIds = (body: unknown) => (body as { log: { id: number }[] }).log.map((entry) => entry.id);

  for (const path of withAndWithoutSlash('/api/device/panda-0001/log/')) {
    it(`GET ${path} → 200 with the whole log`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      assert.deepEqual(Object.keys(reply.body as object), ['log']);
      assert.deepEqual(logIds(reply.body), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.deepEqual((reply.body as { log: unknown[] }).log[9], {
        id: 10,
        timestamp: new Date(START_MS - 1000).toISOString(),
        source: 'bmm',
        message: 'line 10',
      });
    });
  }

  it('GET log?timeperiod=4 → the lines of the last 4 s (the newest is 1 s old)', async () => {
    const reply = await t.send('GET', '/api/device/panda-0001/log/?timeperiod=4');
    assert.equal(reply.status, 200);
    assert.deepEqual(logIds(reply.body), [7, 8, 9, 10]);
  });

  it('GET log?limit=2 → the 2 newest lines; with timeperiod both apply', async () => {
    const limited = await t.send('GET', '/api/device/panda-0001/log/?limit=2');
    assert.equal(limited.status, 200);
    assert.deepEqual(logIds(limited.body), [9, 10]);
    const both = await t.send('GET', '/api/device/panda-0001/log?timeperiod=3&limit=10');
    assert.equal(both.status, 200);
    assert.deepEqual(logIds(both.body), [8, 9, 10]);
  });

  for (const query of ['timeperiod=ten', 'limit=-1', 'limit=1.5', 'timeperiod=']) {
    it(`GET log?${query} → 400`, async () => {
      const reply = await t.send('GET', `/api/device/panda-0001/log/?${query}`);
      assert.equal(reply.status, 400);
      const [name = '', value = ''] = query.split('=');
      assert.deepEqual(reply.body, { error: `${name} must be a non-negative integer, not '${value}'` });
    });
  }

  for (const path of withAndWithoutSlash('/api/device/panda-0001/bootconfig/')) {
    it(`GET ${path} → 200 with the raw boot config text`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      assert.match(reply.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(reply.text, '{"b2gbase":"http://builds/"}');
    });
  }

  it('GET bootconfig of a device without one → 200 {}', async () => {
    const reply = await t.send('GET', '/api/device/panda-0002/bootconfig/');
    assert.equal(reply.status, 200);
    assert.equal(reply.text, '{}');
  });

  for (const suffix of ['/log/', '/bootconfig/']) {
    it(`GET /api/device/nope${suffix} → 404`, async () => {
      const reply = await t.send('GET', `/api/device/nope${suffix}`);
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.body, { error: 'device nope not found' });
    });
  }
});
