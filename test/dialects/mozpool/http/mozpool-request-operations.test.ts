import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMozpoolTestServer, withAndWithoutSlash } from '../../../support/mozpool-http.js';
import type { MozpoolTestServer } from '../../../support/mozpool-http.js';
import { aRequest } from '../../../support/mozpool-views.js';

const DURATION_ERROR = 'duration must be whole seconds from 0 to 2147483647, as an integer or a string of digits';

describe('MozPool request operations', () => {
  let t: MozpoolTestServer;
  beforeEach(async () => {
    t = await startMozpoolTestServer();
    t.readModels.addRequest(aRequest({ id: 7 }));
  });
  afterEach(() => t.close());

  for (const path of withAndWithoutSlash('/api/request/7/renew/')) {
    it(`POST ${path} → 204 and renews for the new duration`, async () => {
      const reply = await t.send('POST', path, { duration: 3600 });
      assert.equal(reply.status, 204);
      assert.equal(reply.text, '');
      assert.deepEqual(t.lab.calls, [{ method: 'renewRequest', args: [7, 3600] }]);
    });
  }

  for (const [duration, durationS] of [
    ['60', 60],
    [0, 0],
  ] as const) {
    it(`POST /api/request/7/renew/ accepts a duration of ${JSON.stringify(duration)}`, async () => {
      const reply = await t.send('POST', '/api/request/7/renew/', { duration });
      assert.equal(reply.status, 204);
      assert.equal(reply.text, '');
      assert.deepEqual(t.lab.calls, [{ method: 'renewRequest', args: [7, durationS] }]);
    });
  }

  const badRenewals: readonly (readonly [string, object, string])[] = [
    ['no duration', {}, "body must have required property 'duration'"],
    ['a fractional duration', { duration: 2.5 }, DURATION_ERROR],
    ['a word', { duration: 'forever' }, DURATION_ERROR],
    ['null', { duration: null }, DURATION_ERROR],
    ['a negative duration', { duration: -1 }, DURATION_ERROR],
    ['a duration string beyond the range', { duration: '2147483648' }, DURATION_ERROR],
  ];
  for (const [what, body, error] of badRenewals) {
    it(`POST /api/request/7/renew/ with ${what} → 400`, async () => {
      const reply = await t.send('POST', '/api/request/7/renew/', body);
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body, { error });
      assert.deepEqual(t.lab.calls, []);
    });
  }

  for (const path of withAndWithoutSlash('/api/request/7/return/')) {
    it(`POST ${path} → 204 and returns the request`, async () => {
      const reply = await t.send('POST', path);
      assert.equal(reply.status, 204);
      assert.equal(reply.text, '');
      assert.deepEqual(t.lab.calls, [{ method: 'returnRequest', args: [7] }]);
    });
  }

  for (const method of ['GET', 'POST']) {
    for (const path of withAndWithoutSlash('/api/request/7/event/lifeguard_imaging_complete/')) {
      it(`${method} ${path} → 200 {} and delivers the event`, async () => {
        const reply = await t.send(method, path);
        assert.equal(reply.status, 200);
        assert.deepEqual(reply.body, {});
        assert.deepEqual(t.lab.calls, [{ method: 'requestEvent', args: [7, 'lifeguard_imaging_complete'] }]);
      });
    }
  }

  const operations: readonly (readonly [string, string, string, object?])[] = [
    ['renew', 'POST', '/renew/', { duration: 60 }],
    ['return', 'POST', '/return/'],
    ['requestEvent', 'POST', '/event/close/'],
  ];
  for (const [method, verb, suffix, body] of operations) {
    it(`${verb} /api/request/x${suffix} → 400; unknown id → 404`, async () => {
      const bad = await t.send(verb, `/api/request/x${suffix}`, body);
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body, { error: "request id must be an integer, not 'x'" });
      const unknown = await t.send(verb, `/api/request/99${suffix}`, body);
      assert.equal(unknown.status, 404);
      assert.deepEqual(unknown.body, { error: 'request 99 not found' });
      assert.deepEqual(t.lab.calls, []);
    });

    it(`${verb} /api/request/7${suffix} refused by the lab → its status and message`, async () => {
      const labMethod = method === 'renew' ? 'renewRequest' : method === 'return' ? 'returnRequest' : 'requestEvent';
      t.lab.refuse(labMethod, 409, 'request 7 is closed');
      const reply = await t.send(verb, `/api/request/7${suffix}`, body);
      assert.equal(reply.status, 409);
      assert.deepEqual(reply.body, { error: 'request 7 is closed' });
    });
  }

  it('GET /api/request/7/renew/ → 405', async () => {
    const reply = await t.send('GET', '/api/request/7/renew/');
    assert.equal(reply.status, 405);
    assert.deepEqual(reply.body, { error: 'Method Not Allowed' });
  });
});
