import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Router } from '@koa/router';
import { createApp, defaultRoutes, type AppDeps, type RegisterRoutes } from '../../../src/http/app.js';
import { bodySchemasByRoute, routeDocs } from '../../../src/http/openapi/openapi-routes.js';
import { listRegisteredRoutes, toOpenApiPath, type RegisteredRoute } from '../../../src/http/openapi/router-routes.js';
import { listen, type ListeningServer } from '../../../src/http/server.js';
import { createMetrics } from '../../../src/metrics/create-metrics.js';
import { createEventStore } from '../../../src/store/create-store.js';
import { registerCommissaireRoutes } from '../../../src/dialects/commissaire/http/commissaire-routes.js';
import { createCommissaireAccess } from '../../../src/dialects/commissaire/http/commissaire-auth.js';
import { registerLabpoolClustersRoutes } from '../../../src/dialects/commissaire/http/labpool-clusters-routes.js';
import { FakeLabCommands } from '../../support/fake-lab-commands.js';
import { InMemoryMozpoolReadModels } from '../../support/in-memory-mozpool-read-models.js';
import { START_MS, THIS_SERVER } from '../../support/mozpool-http.js';
import { mozpoolLabRoutes } from '../../../src/dialects/mozpool/http/mozpool-routes.js';
import { vmpoolerLabRoutes } from '../../../src/dialects/vmpooler/http/vmpooler-routes.js';
import { createRouteListingVmpoolerDeps } from '../../support/vmpooler-route-deps.js';
import { deviceFactsRoutes } from '../../../src/http/labpool/device-facts-routes.js';
import { peerRoutes } from '../../../src/http/labpool/peer-routes.js';
import { createPeerNetwork } from '../../../src/lab/peers/peer-network.js';
import { serverRoutes } from '../../../src/http/labpool/server-routes.js';
import { registerDrydockLabRoutes } from '../../../src/dialects/drydock/drydock-dialect.js';
import { createDrydockAccess } from '../../../src/dialects/drydock/http/drydock-auth.js';

type Operation = {
  readonly operationId: string;
  readonly parameters: readonly { readonly name: string; readonly in: string; readonly required: boolean }[];
  readonly requestBody?: { readonly content: Readonly<Record<string, { readonly schema: unknown }>> };
  readonly responses: Readonly<Record<string, { readonly description: string; readonly content?: Readonly<Record<string, { readonly schema?: { readonly $ref?: string } }>> }>>;
};
type OpenApiDocument = {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string };
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components: { readonly schemas: Readonly<Record<string, unknown>> };
};

/** Every dependency present, so every family registers every route. */
function createFullDeps(): AppDeps {
  const readModels = new InMemoryMozpoolReadModels();
  return {
    version: '9.9.9-test',
    serverId: THIS_SERVER,
    labRoutes: [
      mozpoolLabRoutes({ serverId: THIS_SERVER, lab: new FakeLabCommands(), readModels, nowMs: () => START_MS }),
      // Only listed here, never called: the lab's read models are not needed.
      vmpoolerLabRoutes(createRouteListingVmpoolerDeps(readModels, () => START_MS)),
      deviceFactsRoutes({
        serverId: THIS_SERVER,
        devices: { ask: () => Promise.reject(new Error('not called')) },
        readModels,
        waitFor: async () => undefined,
        nowMs: () => START_MS,
        deviceSources: null,
      }),
      peerRoutes(createPeerNetwork({ serverId: THIS_SERVER })),
      serverRoutes({
        serverId: THIS_SERVER,
        devices: readModels.devices,
        servers: { get: () => undefined, ids: () => [] },
        heartbeatMs: 30_000,
        nowMs: () => START_MS,
        adminAccess: (_ctx, next) => next(),
        handOver: () => Promise.reject(new Error('not called')),
      }),
      // Listed only: no handler runs.
      (router) =>
        registerDrydockLabRoutes(router, { lab: {} as never, designs: {} as never, access: createDrydockAccess({ verify: () => Promise.resolve(undefined) }), waitFor: async () => undefined }),
      (router) => {
        registerCommissaireRoutes(router, { lab: {} as never, access: createCommissaireAccess({ authenticate: () => Promise.resolve(undefined) }) });
        registerLabpoolClustersRoutes(router, () => ({}) as never);
      },
    ],
    inventory: { file: undefined, sync: () => Promise.reject(new Error('no inventory file')) },
    store: createEventStore({ kind: 'sqlite', path: ':memory:', synchronous: 'NORMAL' }),
    metrics: createMetrics({ readModels }).registry,
  };
}

/** The routes the production families register, read off a router of their own. */
function routesOf(deps: AppDeps, routes: readonly RegisterRoutes[] = defaultRoutes): RegisteredRoute[] {
  const router = new Router();
  for (const register of routes) register(router, deps);
  return listRegisteredRoutes(router);
}

async function fetchDocument(server: ListeningServer): Promise<OpenApiDocument> {
  const response = await fetch(`${server.url}/api/openapi.json`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  return (await response.json()) as OpenApiDocument;
}

const operationOf = (document: OpenApiDocument, route: Pick<RegisteredRoute, 'method' | 'path'>) => document.paths[route.path]?.[route.method.toLowerCase()];

describe('toOpenApiPath', () => {
  it('writes router patterns in OpenAPI syntax, the optional trailing slash present', () => {
    assert.equal(toOpenApiPath('/api/device/:id/status{/}'), '/api/device/{id}/status/');
    assert.equal(toOpenApiPath('/api/device/:id/state-change/:from/to/:to{/}'), '/api/device/{id}/state-change/{from}/to/{to}/');
    assert.equal(toOpenApiPath('/ui/:file'), '/ui/{file}');
    assert.equal(toOpenApiPath('/files{/*path}'), '/files/{path}');
    assert.equal(toOpenApiPath('/metrics'), '/metrics');
  });
});

describe('GET /api/openapi.json', () => {
  const deps = createFullDeps();
  let server: ListeningServer;
  let document: OpenApiDocument;
  before(async () => {
    server = await listen(createApp(deps), '127.0.0.1', 0);
    document = await fetchDocument(server);
  });
  after(async () => {
    await server.close();
    await deps.store?.close();
  });

  it('is an OpenAPI 3 document with labpool as its title and version', () => {
    assert.match(document.openapi, /^3\.\d+\.\d+$/);
    assert.deepEqual(document.info, { title: 'labpool', version: '9.9.9-test' });
    assert.ok(Object.keys(document.paths).length > 30);
  });

  it('has an operation for every route the router has registered', () => {
    const routes = routesOf(deps);
    assert.ok(routes.length > 30, `only ${routes.length} routes registered`);
    const missing = routes.filter((route) => operationOf(document, route) === undefined).map((route) => `${route.method} ${route.path}`);
    assert.deepEqual(missing, [], 'routes missing from the OpenAPI document');
    assert.ok(operationOf(document, { method: 'GET', path: '/api/openapi.json' }), 'the document documents itself');
  });

  it('describes every registered route in the docs table (a new route falls back to a generic entry until then)', () => {
    const undocumented = routesOf(deps)
      .map((route) => `${route.method} ${route.path}`)
      .filter((key) => routeDocs[key] === undefined);
    assert.deepEqual(undocumented, [], 'add these to src/http/openapi/*-route-docs.ts');
  });

  it('takes request bodies from the very schemas the routes validate with', () => {
    const registered = new Set(routesOf(deps).map((route) => `${route.method} ${route.path}`));
    for (const [key, schema] of Object.entries(bodySchemasByRoute)) {
      assert.ok(registered.has(key), `${key} has a body schema but no route`);
      const [method = '', path = ''] = key.split(' ');
      const operation = operationOf(document, { method, path });
      assert.deepEqual(operation?.requestBody?.content['application/json']?.schema, JSON.parse(JSON.stringify(schema)), key);
    }
    const required = (operationOf(document, { method: 'POST', path: '/api/device/{id}/request/' })?.requestBody as { required?: boolean } | undefined)?.required;
    assert.equal(required, true);
  });

  it('declares every path parameter of every operation, and a description for every response', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      for (const [method, operation] of Object.entries(item)) {
        const declared = operation.parameters.filter((parameter) => parameter.in === 'path' && parameter.required).map((parameter) => parameter.name);
        assert.deepEqual(declared, names, `${method} ${path}`);
        assert.ok(Object.keys(operation.responses).length > 0, `${method} ${path} has responses`);
        for (const response of Object.values(operation.responses)) assert.equal(typeof response.description, 'string');
      }
    }
    const ids = Object.values(document.paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId));
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  });

  it('gives every command a 503 with Retry-After for a store that cannot write, in the family shape; reads none', () => {
    const setComments = operationOf(document, { method: 'POST', path: '/api/device/{id}/set-comments/' });
    assert.match(setComments?.responses['503']?.description ?? '', /event store cannot write/);
    assert.equal(setComments?.responses['503']?.content?.['application/json']?.schema?.$ref, '#/components/schemas/MozpoolError');
    assert.ok((setComments?.responses['503'] as { headers?: Record<string, unknown> } | undefined)?.headers?.['Retry-After']);
    const sync = operationOf(document, { method: 'POST', path: '/labpool/inventory/sync/' });
    assert.equal(sync?.responses['503']?.content?.['application/problem+json']?.schema?.$ref, '#/components/schemas/Problem');
    assert.equal(operationOf(document, { method: 'GET', path: '/api/device/{id}/status/' })?.responses['503'], undefined);
  });

  it('gives 4xx answers the error shape of the route family: MozPool under /api/, problem+json elsewhere', () => {
    const status = operationOf(document, { method: 'GET', path: '/api/device/{id}/status/' });
    assert.equal(status?.responses['404']?.content?.['application/json']?.schema?.$ref, '#/components/schemas/MozpoolError');
    assert.deepEqual(document.components.schemas['MozpoolError'], { type: 'object', required: ['error'], properties: { error: { type: 'string' } } });
    const sync = operationOf(document, { method: 'POST', path: '/labpool/inventory/sync/' });
    assert.equal(sync?.responses['409']?.content?.['application/problem+json']?.schema?.$ref, '#/components/schemas/Problem');
    assert.deepEqual((document.components.schemas['Problem'] as { required: string[] }).required, ['type', 'title', 'status', 'detail']);
    // vmpooler's `ok` is the boolean false, not a string.
    assert.deepEqual(document.components.schemas['VmpoolerError'], { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } });
  });

  it('covers vmpooler’s routes under /api/v1 and /api/v3, with their body schemas', () => {
    const vmpooler = routesOf(deps).filter((route) => /^\/api\/v[13]\//.test(route.path));
    assert.ok(vmpooler.length >= 38, `only ${vmpooler.length} vmpooler routes listed`);
    for (const version of ['v1', 'v3']) {
      const put = operationOf(document, { method: 'PUT', path: `/api/${version}/vm/{host}/` });
      assert.ok(put?.requestBody, `PUT /api/${version}/vm/{host}/ has its body schema`);
      assert.ok(put?.responses['400'] && put.responses['401'] && put.responses['404']);
      assert.ok(operationOf(document, { method: 'POST', path: `/api/${version}/config/poolsize/` })?.responses['405']);
      assert.ok(operationOf(document, { method: 'GET', path: `/api/${version}/token/{token}/` }));
    }
  });

  it('lists /metrics with its text format', () => {
    const metrics = operationOf(document, { method: 'GET', path: '/metrics' });
    assert.ok(metrics?.responses['200']?.content?.['text/plain; version=0.0.4; charset=utf-8']);
  });
});

describe('GET /api/openapi.json with a route nobody documented', () => {
  it('still lists it, with path parameters and a generic entry', async () => {
    const extra: RegisterRoutes = (router) => {
      router.put('/labpool/test/widgets/:widget{/}', (ctx) => void (ctx.body = {}));
    };
    const server = await listen(createApp({ version: 't', serverId: THIS_SERVER }, { routes: [...defaultRoutes, extra] }), '127.0.0.1', 0);
    try {
      const operation = operationOf(await fetchDocument(server), { method: 'PUT', path: '/labpool/test/widgets/{widget}/' });
      assert.ok(operation, 'the new route is in the document');
      assert.match((operation as unknown as { summary: string }).summary, /undocumented/);
      assert.deepEqual(
        operation.parameters.map((parameter) => parameter.name),
        ['widget'],
      );
      assert.ok(operation.responses['4XX']);
    } finally {
      await server.close();
    }
  });
});
