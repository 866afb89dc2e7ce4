import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Koa, { type Middleware } from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { createErrorHandler, httpError } from '../../../../src/http/errors.js';
import { formatDrydockError, isDrydockError } from '../../../../src/dialects/drydock/http/drydock-errors.js';
import { designBodySchemas, designRouteDocs, registerDesignRoutes } from '../../../../src/dialects/drydock/http/design-routes.js';
import { listRegisteredRoutes } from '../../../../src/http/openapi/router-routes.js';
import { createDesignLoader } from '../../../../src/dialects/drydock/design/design-loader.js';
import type { FilterableNode } from '../../../../src/dialects/drydock/domain/design.js';

const folder = mkdtempSync(join(tmpdir(), 'labpool-design-routes-'));
writeFileSync(join(folder, 'good.yaml'), 'schema: labpool/Design/v1\ndefault_image: ubuntu\n');
writeFileSync(join(folder, 'bad.yaml'), 'schema: labpool/Design/v1\ndefault_image: windows\nbootactions:\n  - name: a\n    assets: []\n');

const NODES: readonly FilterableNode[] = [
  { name: 'sim-02', tags: ['ssd'], labels: {}, rack: 'rack-2', rackLabels: {} },
  { name: 'sim-01', tags: [], labels: {}, rack: 'rack-1', rackLabels: {} },
];
const NOW_MS = Date.UTC(2026, 0, 2, 3, 4, 5);

/** A read check that refuses requests with `X-Deny`: proves the routes run it. */
const read: Middleware = async (ctx, next) => {
  if (ctx.get('X-Deny') !== '') throw httpError(401, 'no valid X-Auth-Token');
  await next();
};

function startServer(): Server {
  const router = new Router();
  router.use(bodyParser({ enableTypes: ['json'], detectJSON: () => true }));
  const loader = createDesignLoader({ designFolder: folder, nodes: () => NODES, knownImages: () => new Set(['ubuntu']) });
  registerDesignRoutes(router, { loader, nodes: () => NODES, read, nowMs: () => NOW_MS });
  const app = new Koa();
  app.silent = true;
  app.use(createErrorHandler(new Map([['/api/v1.0/', formatDrydockError]])));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app.listen(0, '127.0.0.1');
}

let server: Server;
let base: string;
before(async () => {
  server = startServer();
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
  rmSync(folder, { recursive: true, force: true });
});

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const response = await fetch(base + path, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });
  return { status: response.status, json: await response.json() };
}

type Status = { kind: string; apiVersion: string; status: string; code: number; reason: string; message: string; details: { errorCount: number; messageList: Record<string, unknown>[] } };

describe('POST /api/v1.0/validatedesign', () => {
  it('answers 200 and a Success Status for a valid design, in both body forms', async () => {
    for (const body of [{ href: 'file://good.yaml' }, { rel: 'design', href: 'file://good.yaml', type: 'application/x-yaml' }]) {
      const { status, json } = await post('/api/v1.0/validatedesign', JSON.stringify(body));
      assert.equal(status, 200);
      const result = json as Status;
      assert.deepEqual([result.kind, result.status, result.code, result.reason, result.details.errorCount], ['Status', 'Success', 200, 'Validation', 0]);
      assert.ok(result.details.messageList.length > 0);
      assert.deepEqual(result.details.messageList[0], {
        kind: 'ValidationMessage',
        message: 'Design schema: Validation successful.',
        error: false,
        level: 'Info',
        name: 'DesignSchema',
        documents: [{ schema: 'labpool/Design/v1', name: 'good.yaml' }],
        diagnostic: '',
        ts: '2026-01-02T03:04:05.000Z',
      });
    }
  });

  it('answers 400 and a Failure Status naming each error', async () => {
    const { status, json } = await post('/api/v1.0/validatedesign/', JSON.stringify({ href: 'file://bad.yaml' }));
    assert.equal(status, 400);
    const result = json as Status;
    assert.deepEqual([result.kind, result.apiVersion, result.status, result.code, result.message, result.details.errorCount], ['Status', 'v1.0', 'Failure', 400, 'Site design failed validation.', 1]);
    const errors = result.details.messageList.filter((message) => message['error'] === true);
    assert.deepEqual(
      errors.map((message) => [message['message'], message['diagnostic']]),
      [['Design schema: bootactions[0].assets must not be empty', 'bad.yaml, line 5, column 13, bootactions[0].assets: see docs/drydock-designs.md for the design format']],
    );
  });

  it('answers a Failure Status for references it will not read', async () => {
    for (const [href, pattern] of [
      ['https://example.com/site.yaml', /fetches no remote designs/],
      ['file://../x.yaml', /climbs out/],
      ['file://none.yaml', /no design file "none\.yaml"/],
    ] as const) {
      const { status, json } = await post('/api/v1.0/validatedesign', JSON.stringify({ href }));
      assert.equal(status, 400, href);
      assert.match(String((json as Status).details.messageList[0]!['message']), pattern);
    }
  });

  it('refuses a body that is no JSON object with href, in Drydock’s error shape', async () => {
    const cases: [string, RegExp][] = [
      ['{"href": ', /not valid JSON/],
      ['', /The "href" key must be provided in the request body\./],
      ['{"rel": "design"}', /The "href" key must be provided/],
      ['["file://good.yaml"]', /must be a JSON object with "href"/],
      ['{"href": 7}', /"href" must be a string/],
    ];
    for (const [body, pattern] of cases) {
      const { status, json } = await post('/api/v1.0/validatedesign', body);
      assert.equal(status, 400, body);
      assert.ok(isDrydockError(json, status), JSON.stringify(json));
      assert.match((json as { message: string }).message, pattern);
    }
  });

  it('runs the read check before the handler', async () => {
    const { status, json } = await post('/api/v1.0/validatedesign', '{"href": "file://good.yaml"}', { 'X-Deny': '1' });
    assert.deepEqual([status, json], [401, { type: 'error', message: 'no valid X-Auth-Token', retry: false }]);
  });
});

describe('POST /api/v1.0/nodefilter', () => {
  it('lists every node, sorted, without a filter or with a null one', async () => {
    for (const body of [{ design_ref: 'labpool:inventory' }, { design_ref: 'file://good.yaml', node_filter: null }]) {
      // The read check guards this route too.
      assert.equal((await post('/api/v1.0/nodefilter', JSON.stringify(body), { 'X-Deny': '1' })).status, 401);
      assert.deepEqual(await post('/api/v1.0/nodefilter', JSON.stringify(body)), { status: 200, json: ['sim-01', 'sim-02'] });
    }
  });

  it('lists the nodes a filter selects', async () => {
    const node_filter = {
      filter_set_type: 'union',
      filter_set: [
        { filter_type: 'intersection', rack_names: ['rack-2'], node_tags: ['ssd'] },
        { filter_type: 'union', node_names: ['nobody'] },
      ],
    };
    assert.deepEqual(await post('/api/v1.0/nodefilter/', JSON.stringify({ design_ref: 'labpool:inventory', node_filter })), { status: 200, json: ['sim-02'] });
  });

  it('refuses a missing design_ref, a bad filter and a design that does not load', async () => {
    const cases: [unknown, RegExp][] = [
      [{ node_filter: null }, /^Missing input required value: design_ref$/],
      [
        { design_ref: 'labpool:inventory', node_filter: { filter_set_type: 'union', filter_set: [{ filter_type: 'any' }] } },
        /^node_filter\.filter_set\[0\]\.filter_type must be one of "union", "intersection"$/,
      ],
      [{ design_ref: 'file://bad.yaml' }, /^design_ref file:\/\/bad\.yaml cannot be used: Design schema: bootactions\[0\]\.assets must not be empty$/],
      [{ design_ref: 'http://elsewhere/design' }, /labpool fetches no remote designs/],
    ];
    for (const [body, pattern] of cases) {
      const { status, json } = await post('/api/v1.0/nodefilter', JSON.stringify(body));
      assert.equal(status, 400, JSON.stringify(body));
      assert.ok(isDrydockError(json, status));
      assert.match((json as { message: string }).message, pattern);
    }
  });
});

describe('design route docs', () => {
  it('describe every route and its body, by the OpenAPI key the generator uses', () => {
    const router = new Router();
    const loader = createDesignLoader({ designFolder: folder, nodes: () => NODES, knownImages: () => new Set() });
    registerDesignRoutes(router, { loader, nodes: () => NODES, read });
    const keys = listRegisteredRoutes(router).map((route) => `${route.method} ${route.path}`);
    assert.deepEqual(keys, ['POST /api/v1.0/validatedesign/', 'POST /api/v1.0/nodefilter/']);
    assert.deepEqual(Object.keys(designRouteDocs).sort(), [...keys].sort());
    assert.deepEqual(Object.keys(designBodySchemas).sort(), [...keys].sort());
  });
});
