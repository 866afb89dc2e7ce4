import { after, before, describe, it } from 'node:test';
import { once } from 'node:events';
import { connect } from 'node:net';
import assert from 'node:assert/strict';
import { createApp, defaultRoutes } from '../../src/http/app.js';
import type { RegisterRoutes } from '../../src/http/app.js';
import { formatMozpoolError } from '../../src/dialects/mozpool/http/mozpool-errors.js';
import { formatProblem, httpError, selectErrorFormatter } from '../../src/http/errors.js';
import { listen } from '../../src/http/server.js';
import { StoreUnavailableError } from '../../src/store/port.js';
import type { ListeningServer } from '../../src/http/server.js';

const echoBody: RegisterRoutes = (router) => {
  for (const path of ['/api/test/echo', '/labpool/test/echo']) {
    router.post(path, (ctx) => {
      ctx.body = { received: ctx.request.body };
    });
  }
};

const failOnPurpose: RegisterRoutes = (router) => {
  router.get('/api/test/conflict', (ctx) => {
    ctx.set('X-Half-Done', 'yes');
    throw httpError(409, 'device panda-0001 is busy');
  });
  router.get('/labpool/test/crash', () => {
    throw new Error('secret database password in this message');
  });
};

/** Registered first: vmpooler's catch-all answers any /api/v1/ route registered after it. */
const failInTheStore: RegisterRoutes = (router) => {
  router.post('/api/test/store-full', () => {
    throw new StoreUnavailableError('full');
  });
  router.post('/api/v1/test/store-locked', () => {
    // As a command API passes it on: wrapped, with the store's error as its cause.
    throw new Error('cannot attach device', { cause: new StoreUnavailableError('locked') });
  });
  router.post('/labpool/test/store-read-only', () => {
    throw new StoreUnavailableError('read_only');
  });
};

interface Reply {
  readonly status: number;
  readonly contentType: string | null;
  readonly headers: Headers;
  readonly body: unknown;
}

describe('createApp', () => {
  const loggedErrors: unknown[] = [];
  let server: ListeningServer;

  before(async () => {
    const app = createApp({ version: '0.1.0-test', serverId: '127.0.0.1:0' }, { routes: [failInTheStore, ...defaultRoutes, echoBody, failOnPurpose] });
    app.on('error', (error: unknown) => loggedErrors.push(error));
    server = await listen(app, '127.0.0.1', 0);
  });
  after(() => server.close());

  async function send(method: string, path: string, init: RequestInit = {}): Promise<Reply> {
    const response = await fetch(`${server.url}${path}`, { ...init, method });
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    return { status: response.status, contentType, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
  }

  function postRaw(path: string, body: string, contentType?: string): Promise<Reply> {
    return send('POST', path, { body, headers: contentType === undefined ? {} : { 'Content-Type': contentType } });
  }

  it('answers GET /api/version/ with the version', async () => {
    const reply = await send('GET', '/api/version/');
    assert.equal(reply.status, 200);
    assert.match(reply.contentType ?? '', /^application\/json/);
    assert.deepEqual(reply.body, { version: '0.1.0-test' });
  });

  it('answers GET /api/version without the trailing slash too', async () => {
    const reply = await send('GET', '/api/version');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { version: '0.1.0-test' });
  });

  it('answers an unknown route under /api/ with 404 in MozPool shape', async () => {
    const reply = await send('GET', '/api/no-such-thing/');
    assert.equal(reply.status, 404);
    assert.match(reply.contentType ?? '', /^application\/json/);
    assert.deepEqual(reply.body, { error: 'no route for GET /api/no-such-thing/' });
  });

  it('answers an unknown route elsewhere with 404 problem+json', async () => {
    const reply = await send('GET', '/no-such-thing');
    assert.equal(reply.status, 404);
    assert.match(reply.contentType ?? '', /^application\/problem\+json/);
    assert.deepEqual(reply.body, {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no route for GET /no-such-thing',
    });
  });

  it('answers a method the route lacks with 405, an Allow header and a MozPool body', async () => {
    const reply = await send('DELETE', '/api/version/');
    assert.equal(reply.status, 405);
    assert.deepEqual(reply.body, { error: 'Method Not Allowed' });
    assert.deepEqual(reply.headers.get('allow')?.split(', ').sort(), ['GET', 'HEAD']);
  });

  it('answers invalid JSON under /api/ with 400 in MozPool shape', async () => {
    const reply = await postRaw('/api/test/echo', '{"device": ', 'application/json');
    assert.equal(reply.status, 400);
    assert.match(reply.contentType ?? '', /^application\/json/);
    const body = reply.body as { error: string };
    assert.deepEqual(Object.keys(body), ['error']);
    assert.match(body.error, /^request body is not valid JSON: /);
  });

  it('answers invalid JSON on labpool endpoints with 400 problem+json', async () => {
    const reply = await postRaw('/labpool/test/echo', 'not json', 'application/json');
    assert.equal(reply.status, 400);
    assert.match(reply.contentType ?? '', /^application\/problem\+json/);
    const body = reply.body as { type: string; title: string; status: number; detail: string };
    assert.deepEqual(
      { type: body.type, title: body.title, status: body.status },
      {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
      },
    );
    assert.match(body.detail, /^request body is not valid JSON: /);
  });

  it('reads a JSON body posted without a Content-Type, as MozPool clients send it', async () => {
    const reply = await postRaw('/api/test/echo', '{"image": "android"}');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { received: { image: 'android' } });
  });

  it('reads a POST without a body as an empty object, whether it has no length or a length of 0', async () => {
    for (const reply of [await postRaw('/api/test/echo', ''), await send('POST', '/api/test/echo', {})]) {
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, { received: {} });
    }
  });

  it('answers 404, not 400, for invalid JSON posted to an unknown route', async () => {
    const reply = await postRaw('/api/no-such-thing/', '{', 'application/json');
    assert.equal(reply.status, 404);
    assert.deepEqual(reply.body, { error: 'no route for POST /api/no-such-thing/' });
  });

  it('answers a body over the size limit with 413 in the family shape', async () => {
    const reply = await postRaw('/api/test/echo', JSON.stringify({ pad: 'x'.repeat(1_100_000) }), 'application/json');
    assert.equal(reply.status, 413);
    assert.deepEqual(reply.body, { error: 'request entity too large' });
  });

  it('holds each family to its own body limit: 64 KiB for MozPool, 1 MiB for labpool', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(70_000) });
    const mozpool = await postRaw('/api/test/echo', body, 'application/json');
    assert.equal(mozpool.status, 413);
    assert.deepEqual(mozpool.body, { error: 'request entity too large' });
    const under = await postRaw('/api/test/echo', JSON.stringify({ pad: 'x'.repeat(60_000) }), 'application/json');
    assert.equal(under.status, 200);
    const labpool = await postRaw('/labpool/test/echo', body, 'application/json');
    assert.equal(labpool.status, 200);
    const over = await postRaw('/labpool/test/echo', JSON.stringify({ pad: 'x'.repeat(1_100_000) }), 'application/json');
    assert.equal(over.status, 413);
    assert.match(over.contentType ?? '', /^application\/problem\+json/);
  });

  it('refuses a chunked body (no length said) once it passes the limit', async () => {
    // A raw socket: the server answers while the body is still coming, which fetch reports as a failure.
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    let answer = '';
    socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
    socket.on('error', () => undefined);
    socket.write('POST /api/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = `{"pad": "${'x'.repeat(16_384)}`;
    for (let i = 0; i < 8 && !answer.includes('\r\n\r\n'); i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    // The server ends the connection itself: a socket left paused mid-body would hold it open for good.
    await once(socket, 'close');
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /\r\nConnection: close\r\n/i);
    assert.match(answer, /\{"error":"request entity too large"\}/);
  });

  it('answers a gzip or deflate body that does not inflate with 400 in the family shape, not 500', async () => {
    for (const encoding of ['gzip', 'deflate']) {
      const reply = await send('POST', '/api/test/echo', { body: '{"image": "android"}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding } });
      assert.equal(reply.status, 400);
      assert.match(String((reply.body as { error: string }).error), /^request body cannot be read: /);
    }
    const problem = await send('POST', '/labpool/test/echo', { body: 'not gzip', headers: { 'Content-Encoding': 'gzip' } });
    assert.equal(problem.status, 400);
    assert.match(problem.contentType ?? '', /^application\/problem\+json/);
  });

  it('refuses a body nested deeper than 64 levels with 400 in the family shape, and takes one 64 deep', async () => {
    const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    for (const body of [nested(65), `{"boot_config": ${'['.repeat(30_000)}${']'.repeat(30_000)}}`]) {
      const reply = await postRaw('/api/test/echo', body, 'application/json');
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body, { error: 'request body is nested deeper than 64 levels' });
    }
    assert.equal((await postRaw('/api/test/echo', nested(64), 'application/json')).status, 200);
  });

  it('answers a thrown HttpError with its status and detail, dropping headers set before it', async () => {
    const reply = await send('GET', '/api/test/conflict');
    assert.equal(reply.status, 409);
    assert.deepEqual(reply.body, { error: 'device panda-0001 is busy' });
    assert.equal(reply.headers.get('x-half-done'), null);
  });

  it('answers a store that cannot write with 503, Retry-After and why, in each family’s shape, without an error event', async () => {
    const mozpool = await send('POST', '/api/test/store-full');
    assert.deepEqual([mozpool.status, mozpool.headers.get('retry-after'), mozpool.body], [503, '5', { error: 'the event store cannot write: its disk is full' }]);
    const vmpooler = await send('POST', '/api/v1/test/store-locked');
    assert.deepEqual([vmpooler.status, vmpooler.headers.get('retry-after'), vmpooler.body], [503, '5', { ok: false, error: 'the event store cannot write: it is locked by another process' }]);
    const labpool = await send('POST', '/labpool/test/store-read-only');
    assert.equal(labpool.contentType, 'application/problem+json');
    assert.deepEqual(
      [labpool.status, labpool.headers.get('retry-after'), labpool.body],
      [503, '5', { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'the event store cannot write: its file or filesystem is read-only' }],
    );
    assert.equal(
      loggedErrors.some((error) => error instanceof StoreUnavailableError || (error as Error).cause instanceof StoreUnavailableError),
      false,
      'logged once per episode by the store metrics, not per request',
    );
  });

  it('answers an unexpected error with a bare 500 and logs the original error', async () => {
    const reply = await send('GET', '/labpool/test/crash');
    assert.equal(reply.status, 500);
    assert.deepEqual(reply.body, {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Internal Server Error',
    });
    assert.equal(loggedErrors.length, 1);
    assert.match((loggedErrors[0] as Error).message, /secret database password/);
  });
});

describe('selectErrorFormatter', () => {
  const formatVmpoolerError = formatProblem;
  const formattersByPrefix = new Map([
    ['/api/', formatMozpoolError],
    ['/api/v1/', formatVmpoolerError],
  ]);

  it('picks the longest matching prefix, so nested families win over /api/', () => {
    assert.equal(selectErrorFormatter('/api/v1/vm', formattersByPrefix, formatProblem), formatVmpoolerError);
    assert.equal(selectErrorFormatter('/api/device/list/', formattersByPrefix, formatMozpoolError), formatMozpoolError);
  });

  it('falls back when no prefix matches', () => {
    const fallback = formatProblem;
    assert.equal(selectErrorFormatter('/openapi.json', formattersByPrefix, fallback), fallback);
  });
});
