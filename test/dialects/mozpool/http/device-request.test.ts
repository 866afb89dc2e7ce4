import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMozpoolTestServer, withAndWithoutSlash } from '../../../support/mozpool-http.js';
import type { MozpoolTestServer } from '../../../support/mozpool-http.js';
import { aDevice, anImage, aRequest } from '../../../support/mozpool-views.js';

const validBody = { assignee: 'ci@example.com', duration: 600, image: 'b2g', b2gbase: 'http://builds/b2g/' };

const DURATION_ERROR = 'duration must be whole seconds from 1 to 2147483647, as an integer or a string of digits';

describe('POST /api/device/{name|any}/request/', () => {
  let t: MozpoolTestServer;
  beforeEach(async () => {
    t = await startMozpoolTestServer();
    t.readModels.addDevice(aDevice({ name: 'panda-0001' }));
    t.readModels.addImage(anImage({ name: 'b2g', bootConfigKeys: ['b2gbase'] }));
    t.readModels.addImage(anImage({ name: 'android' }));
    t.readModels.addImage(anImage({ name: 'self-test', hidden: true }));
    // As the real lab does: the request is in the read model before requestDevice resolves.
    t.lab.onRequestDevice = (input, id) =>
      t.readModels.addRequest(
        aRequest({
          id,
          assignee: input.assignee,
          requested_device: input.device,
          environment: input.environment,
          image: input.image,
          boot_config: JSON.stringify(input.bootConfig),
          expires: '2030-01-01T00:10:00.000Z',
          state: 'finding_device',
        }),
      );
  });
  afterEach(() => t.close());

  const expectedRequest = (requestedDevice: string) => ({
    request: {
      id: 1,
      requested_device: requestedDevice,
      assignee: 'ci@example.com',
      expires: '2030-01-01T00:10:00.000Z',
      environment: 'any',
      image: 'b2g',
      boot_config: '{"b2gbase":"http://builds/b2g/"}',
      assigned_device: '',
      url: 'http://imaging1:8010/api/request/1/',
    },
  });

  for (const device of ['panda-0001', 'any']) {
    for (const path of withAndWithoutSlash(`/api/device/${device}/request/`)) {
      it(`POST ${path} → 200 with the request object`, async () => {
        const reply = await t.send('POST', path, validBody);
        assert.equal(reply.status, 200);
        assert.deepEqual(reply.body, expectedRequest(device));
        assert.deepEqual(t.lab.calls, [
          {
            method: 'requestDevice',
            args: [{ device, assignee: 'ci@example.com', durationS: 600, image: 'b2g', environment: 'any', bootConfig: { b2gbase: 'http://builds/b2g/' } }],
          },
        ]);
      });
    }
  }

  it('accepts the spec document’s `requester`, a numeric-string duration and an environment', async () => {
    t.readModels.addDevice(aDevice({ name: 'panda-0002', environment: 'staging' }));
    const body = { requester: 'ci@example.com', duration: ' 600 ', image: 'android', environment: 'staging', extra: 'ignored' };
    const reply = await t.send('POST', '/api/device/any/request/', body);
    assert.equal(reply.status, 200);
    assert.equal((reply.body as { request: { environment: string } }).request.environment, 'staging');
    assert.deepEqual(t.lab.calls[0]?.args[0], {
      device: 'any',
      assignee: 'ci@example.com',
      durationS: 600,
      image: 'android',
      environment: 'staging',
      bootConfig: {},
    });
  });

  it('prefers `assignee` when both names are given and stamps the assignee on the events', async () => {
    const reply = await t.send('POST', '/api/device/any/request/', { ...validBody, requester: 'someone@else' });
    assert.equal(reply.status, 200);
    assert.equal((t.lab.calls[0]?.args[0] as { assignee: string }).assignee, 'ci@example.com');
    assert.equal(t.lab.metadata[0]?.actor, 'ci@example.com');
    assert.equal(t.lab.metadata[0]?.server, 'imaging1:8010');
    assert.match(String(t.lab.metadata[0]?.correlationId), /^[0-9a-f-]{36}$/);
  });

  it('reads a body posted with an application/json Content-Type too', async () => {
    const reply = await t.send('POST', '/api/device/any/request/', JSON.stringify(validBody));
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, expectedRequest('any'));
  });

  const badBodies: readonly (readonly [string, object | string, string])[] = [
    ['no assignee', { duration: 600, image: 'android' }, "body must have required property 'assignee'"],
    ['no image', { assignee: 'a', duration: 600 }, "body must have required property 'image'"],
    ['no duration', { assignee: 'a', image: 'android' }, "body must have required property 'duration'"],
    ['a fractional duration', { assignee: 'a', image: 'android', duration: 1.5 }, DURATION_ERROR],
    ['a non-numeric duration', { assignee: 'a', image: 'android', duration: 'ten' }, DURATION_ERROR],
    ['a negative duration', { assignee: 'a', image: 'android', duration: -5 }, DURATION_ERROR],
    ['a huge duration', { assignee: 'a', image: 'android', duration: 1e12 }, DURATION_ERROR],
    ['a huge duration string', { assignee: 'a', image: 'android', duration: '9999999999' }, DURATION_ERROR],
    ['a zero duration', { assignee: 'a', image: 'android', duration: 0 }, DURATION_ERROR],
    ['a zero duration string', { assignee: 'a', image: 'android', duration: '0' }, DURATION_ERROR],
    ['a negative duration string', { assignee: 'a', image: 'android', duration: '-5' }, DURATION_ERROR],
    ['an exponent duration string', { assignee: 'a', image: 'android', duration: '1e3' }, DURATION_ERROR],
    ['a number as assignee', { assignee: 5, image: 'android', duration: 600 }, 'assignee must be string'],
    ['an empty image name', { assignee: 'a', image: '', duration: 600 }, 'image must NOT have fewer than 1 characters'],
    ['an array body', [validBody], 'body must be object'],
    ['an empty body', '', "body must have required property 'assignee'"],
    ['a missing boot config key', { assignee: 'a', image: 'b2g', duration: 600 }, "body must have required property 'b2gbase' (a boot config key of image b2g)"],
  ];
  for (const [what, body, error] of badBodies) {
    it(`answers 400 for ${what} and asks nothing of the lab`, async () => {
      const reply = await t.send('POST', '/api/device/any/request/', body);
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body, { error });
      assert.deepEqual(t.lab.calls, []);
    });
  }

  it('answers 400 for a body that is not JSON', async () => {
    const reply = await t.send('POST', '/api/device/any/request/', '{"assignee": ');
    assert.equal(reply.status, 400);
    assert.match((reply.body as { error: string }).error, /^request body is not valid JSON: /);
  });

  for (const image of ['windows', 'self-test']) {
    it(`answers 404 for an unknown or hidden image (${image})`, async () => {
      const reply = await t.send('POST', '/api/device/any/request/', { ...validBody, image });
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.body, { error: `image ${image} not found` });
      assert.deepEqual(t.lab.calls, []);
    });
  }

  for (const path of withAndWithoutSlash('/api/device/panda-9999/request/')) {
    it(`POST ${path} for an unknown device → 404`, async () => {
      const reply = await t.send('POST', path, validBody);
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.body, { error: 'device panda-9999 not found' });
      assert.deepEqual(t.lab.calls, []);
    });
  }

  it('answers 409 with the lab’s message when the device is not free', async () => {
    t.lab.refuse('requestDevice', 409, 'device panda-0001 is not free');
    const reply = await t.send('POST', '/api/device/panda-0001/request/', validBody);
    assert.equal(reply.status, 409);
    assert.deepEqual(reply.body, { error: 'device panda-0001 is not free' });
  });

  it('answers the lab’s 404 and 400 refusals with their status', async () => {
    t.lab.refuse('requestDevice', 404, 'image b2g not found');
    const notFound = await t.send('POST', '/api/device/any/request/', { ...validBody, environment: 'prod' });
    assert.equal(notFound.status, 404);
    assert.deepEqual(notFound.body, { error: 'image b2g not found' });
    t.lab.refuse('requestDevice', 400, 'image b2g cannot be requested');
    const bad = await t.send('POST', '/api/device/any/request/', validBody);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, { error: 'image b2g cannot be requested' });
  });

  for (const device of ['any', 'panda-0001']) {
    it(`POST /api/device/${device}/request/ in an environment no device has → 404, and asks nothing of the lab`, async () => {
      const reply = await t.send('POST', `/api/device/${device}/request/`, { ...validBody, environment: 'nowhere' });
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.body, { error: 'environment nowhere not found' });
      assert.deepEqual(t.lab.calls, []);
    });
  }

  it('passes a known environment, and the wildcard `any`, on to the lab', async () => {
    for (const environment of ['prod', 'any']) {
      const reply = await t.send('POST', '/api/device/any/request/', { ...validBody, environment });
      assert.equal(reply.status, 200);
    }
    assert.deepEqual(
      t.lab.calls.map((call) => (call.args[0] as { environment: string }).environment),
      ['prod', 'any'],
    );
  });

  it('answers 409 with the lab’s message when the environment has no free device', async () => {
    t.lab.refuse('requestDevice', 409, 'no free device in environment prod');
    const reply = await t.send('POST', '/api/device/any/request/', { ...validBody, environment: 'prod' });
    assert.equal(reply.status, 409);
    assert.deepEqual(reply.body, { error: 'no free device in environment prod' });
  });

  it('creates the request locally even when the device belongs to another server', async () => {
    t.readModels.addDevice(aDevice({ name: 'panda-0042', imagingServer: 'imaging2:8010' }));
    const reply = await t.send('POST', '/api/device/panda-0042/request/', validBody);
    assert.equal(reply.status, 200);
    assert.equal((reply.body as { request: { url: string } }).request.url, 'http://imaging1:8010/api/request/1/');
  });

  it('GET on the request route → 405', async () => {
    const reply = await t.send('GET', '/api/device/any/request/');
    assert.equal(reply.status, 405);
    assert.deepEqual(reply.body, { error: 'Method Not Allowed' });
  });
});
