import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Router } from '@koa/router';
import { Ajv } from 'ajv';
import { commissaireBodySchemas, commissaireRouteDocs, registerCommissaireRoutes, type CommissaireRouteDeps } from '../../../../src/dialects/commissaire/http/commissaire-routes.js';
import { listRegisteredRoutes } from '../../../../src/http/openapi/router-routes.js';

const p = '/api/v0';

/** Every route of issue 15, in OpenAPI form (the trailing slash is optional on each). */
const EXPECTED_ROUTES = [
  `GET ${p}/clusters/`,
  ...['GET', 'PUT', 'DELETE'].map((method) => `${method} ${p}/cluster/{name}/`),
  `GET ${p}/cluster/{name}/hosts/`,
  `PUT ${p}/cluster/{name}/hosts/`,
  ...['GET', 'PUT', 'DELETE'].map((method) => `${method} ${p}/cluster/{name}/hosts/{address}/`),
  ...['deploy', 'upgrade', 'restart'].flatMap((kind) => [`PUT ${p}/cluster/{name}/${kind}/`, `GET ${p}/cluster/{name}/${kind}/`]),
  `GET ${p}/hosts/`,
  `PUT ${p}/host/`,
  ...['GET', 'PUT', 'DELETE'].map((method) => `${method} ${p}/host/{address}/`),
  `GET ${p}/host/{address}/creds/`,
  `GET ${p}/host/{address}/status/`,
  ...['network', 'containermanager'].flatMap((kind) => [`GET ${p}/${kind}s/`, ...['GET', 'PUT', 'DELETE'].map((method) => `${method} ${p}/${kind}/{name}/`)]),
].sort();

function registeredRouter(): Router {
  const router = new Router();
  // Only registered: no handler runs, so the lab is never asked.
  const deps: CommissaireRouteDeps = { lab: {} as never, access: { read: (_ctx, next) => next(), write: (_ctx, next) => next() } };
  registerCommissaireRoutes(router, deps);
  return router;
}

describe('Commissaire route table', () => {
  const router = registeredRouter();
  const routes = listRegisteredRoutes(router).map((route) => `${route.method} ${route.path}`);

  it('registers every route of the issue, and no other', () => {
    assert.deepEqual([...routes].sort(), EXPECTED_ROUTES);
  });

  it('takes every path with and without its trailing slash', () => {
    for (const route of EXPECTED_ROUTES) {
      const [method = '', path = ''] = route.split(' ');
      const concrete = path.replaceAll('{name}', 'c1').replaceAll('{address}', '10.0.0.1');
      for (const form of [concrete, concrete.slice(0, -1)]) {
        const matched = router.match(form, method);
        assert.ok(matched.route, `${method} ${form} matches no route`);
      }
    }
  });

  it('documents every route, with a 403 and never a 401', () => {
    assert.deepEqual(Object.keys(commissaireRouteDocs).sort(), EXPECTED_ROUTES);
    for (const [route, doc] of Object.entries(commissaireRouteDocs)) {
      assert.ok(doc.responses['403'] !== undefined, `${route} documents no 403`);
      assert.equal(doc.responses['401'], undefined, `${route} documents a 401`);
      assert.ok(
        Object.keys(doc.responses).some((status) => status.startsWith('2')),
        `${route} documents no success`,
      );
    }
  });

  it('has a compiling body schema for every PUT that reads a body, and only for registered routes', () => {
    const withBody = EXPECTED_ROUTES.filter((route) => route.startsWith('PUT ') && !route.endsWith('/hosts/{address}/'));
    assert.deepEqual(Object.keys(commissaireBodySchemas).sort(), withBody);
    const ajv = new Ajv({ allowUnionTypes: true });
    for (const schema of Object.values(commissaireBodySchemas)) assert.equal(typeof ajv.compile(schema), 'function');
  });

  it('documents 201 on creating PUTs and 200 on membership adds and DELETEs', () => {
    const status = (route: string) => Object.keys(commissaireRouteDocs[route]?.responses ?? {}).filter((code) => code.startsWith('2'));
    assert.deepEqual(status(`PUT ${p}/cluster/{name}/`), ['201']);
    assert.deepEqual(status(`PUT ${p}/host/`), ['201']);
    assert.deepEqual(status(`PUT ${p}/cluster/{name}/deploy/`), ['201']);
    assert.deepEqual(status(`PUT ${p}/cluster/{name}/hosts/{address}/`), ['200']);
    assert.deepEqual(status(`PUT ${p}/cluster/{name}/hosts/`), ['200']);
    for (const route of EXPECTED_ROUTES.filter((each) => each.startsWith('DELETE '))) assert.deepEqual(status(route), ['200'], route);
  });
});
