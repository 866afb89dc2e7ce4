import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMozpoolTestServer, withAndWithoutSlash } from '../../../support/mozpool-http.js';
import type { MozpoolTestServer } from '../../../support/mozpool-http.js';
import { aPxeConfig } from '../../../support/mozpool-views.js';

describe('BMM PXE configs, in both spellings', () => {
  let t: MozpoolTestServer;
  beforeEach(async () => {
    t = await startMozpoolTestServer();
    t.readModels.addPxeConfig(aPxeConfig({ name: 'panda-b2g', version: 3, description: 'B2G on pandas', contents: 'KERNEL vmlinuz\nAPPEND ip=%IPADDRESS%' }));
    t.readModels.addPxeConfig(aPxeConfig({ name: 'old-android', active: false }));
    t.readModels.addPxeConfig(aPxeConfig({ name: 'maintenance' }));
  });
  afterEach(() => t.close());

  for (const prefix of ['/api/pxe_configs', '/api/bmm/pxe_config']) {
    for (const path of withAndWithoutSlash(`${prefix}/list/`)) {
      it(`GET ${path} → 200 with every name, sorted`, async () => {
        const reply = await t.send('GET', path);
        assert.equal(reply.status, 200);
        assert.deepEqual(reply.body, { pxe_configs: ['maintenance', 'old-android', 'panda-b2g'] });
      });
    }

    it(`GET ${prefix}/list/?active_only=1 → 200 with the active ones`, async () => {
      const reply = await t.send('GET', `${prefix}/list/?active_only=1`);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, { pxe_configs: ['maintenance', 'panda-b2g'] });
    });

    for (const path of withAndWithoutSlash(`${prefix}/panda-b2g/details/`)) {
      it(`GET ${path} → 200 {details} with content and contents`, async () => {
        const reply = await t.send('GET', path);
        assert.equal(reply.status, 200);
        const contents = 'KERNEL vmlinuz\nAPPEND ip=%IPADDRESS%';
        assert.deepEqual(reply.body, {
          details: { name: 'panda-b2g', version: 3, description: 'B2G on pandas', content: contents, contents, active: true },
        });
      });
    }

    it(`GET ${prefix}/nope/details/ → 404`, async () => {
      const reply = await t.send('GET', `${prefix}/nope/details/`);
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.body, { error: 'PXE config nope not found' });
    });
  }
});
