import assert from 'node:assert/strict';
import { once } from 'node:events';
import { STATUS_CODES, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Koa from 'koa';
import { Router } from '@koa/router';
import { createErrorHandler, httpError, type ErrorFormatter } from '../../src/http/errors.js';

/** A family whose errors are the bare reason phrase in plain text (as Commissaire's were). */
const formatReasonPhrase: ErrorFormatter = (error) => ({ contentType: 'text/plain', body: STATUS_CODES[error.status] ?? 'Error' });

describe('the error path with a plain-text family', () => {
  let server: Server;
  let base: string;
  before(async () => {
    const router = new Router();
    router.put('/text/thing', () => {
      throw httpError(409, 'the thing exists with another body');
    });
    router.get('/json/thing', () => {
      throw httpError(409, 'as JSON');
    });
    const app = new Koa();
    app.silent = true;
    app.use(createErrorHandler(new Map([['/text/', formatReasonPhrase]])));
    app.use(router.routes());
    app.use(router.allowedMethods());
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = async (method: string, path: string) => {
    const response = await fetch(base + path, { method });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text(), allow: response.headers.get('allow') };
  };

  it('answers a thrown error, a missing route and a wrong method with the reason phrase as text', async () => {
    assert.deepEqual(await call('PUT', '/text/thing'), { status: 409, type: 'text/plain; charset=utf-8', text: 'Conflict', allow: null });
    assert.deepEqual(await call('GET', '/text/nothing'), { status: 404, type: 'text/plain; charset=utf-8', text: 'Not Found', allow: null });
    assert.deepEqual(await call('DELETE', '/text/thing'), { status: 405, type: 'text/plain; charset=utf-8', text: 'Method Not Allowed', allow: 'PUT' });
  });

  it('leaves other paths to the JSON problem documents', async () => {
    const reply = await call('GET', '/json/thing');
    assert.equal(reply.status, 409);
    assert.equal(reply.type, 'application/problem+json');
    assert.equal((JSON.parse(reply.text) as { detail: string }).detail, 'as JSON');
  });
});
