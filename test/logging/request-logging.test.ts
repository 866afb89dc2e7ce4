import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp, defaultRoutes, type RegisterRoutes } from '../../src/http/app.js';
import { listen, type ListeningServer } from '../../src/http/server.js';
import { logErrorsTo, logLevelFromEnv } from '../../src/logging/logger.js';
import { chooseRequestId } from '../../src/logging/request-logging.js';
import { createTestInventory, startTestLab, type TestLab } from '../support/lab-harness.js';
import { createMemoryLog, type LogLine } from '../support/memory-log.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const crash: RegisterRoutes = (router) => {
  router.get('/labpool/test/crash', () => {
    throw new Error('boom');
  });
};

const requestLines = (lines: readonly LogLine[], requestId: string) => lines.filter((line) => line['requestId'] === requestId && line['method'] !== undefined && line['status'] !== undefined);

describe('logLevelFromEnv and logErrorsTo', () => {
  it('reads LABPOOL_LOG_LEVEL, info by default, and refuses a misspelt level', () => {
    assert.equal(logLevelFromEnv({}), 'info');
    assert.equal(logLevelFromEnv({ LABPOOL_LOG_LEVEL: ' DEBUG ' }), 'debug');
    assert.equal(logLevelFromEnv({ LABPOOL_LOG_LEVEL: 'silent' }), 'silent');
    assert.throws(() => logLevelFromEnv({ LABPOOL_LOG_LEVEL: 'loud' }), /LABPOOL_LOG_LEVEL=loud is not one of/);
  });

  it('turns an onError callback into an error line naming the component and context', () => {
    const { logger, lines } = createMemoryLog();
    logErrorsTo(logger, 'actors')(new Error('store down'), 'device-panda-0001');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.['level'], 50);
    assert.equal(lines[0]?.['component'], 'actors');
    assert.equal(lines[0]?.['context'], 'device-panda-0001');
    assert.equal((lines[0]?.['err'] as { message: string }).message, 'store down');
  });

  it('accepts a sane X-Request-Id and replaces anything else with a UUID', () => {
    assert.equal(chooseRequestId('ci-run-42.step:7'), 'ci-run-42.step:7');
    assert.match(chooseRequestId(''), UUID);
    assert.match(chooseRequestId('two words'), UUID);
    assert.match(chooseRequestId('x'.repeat(200)), UUID);
  });
});

describe('request logging in createApp', () => {
  const { logger, lines } = createMemoryLog();
  let server: ListeningServer;
  before(async () => {
    server = await listen(createApp({ version: '1.2.3', serverId: '127.0.0.1:0', logger }, { routes: [...defaultRoutes, crash] }), '127.0.0.1', 0);
  });
  after(() => server.close());

  it('echoes the caller’s X-Request-Id and logs one line with it, the method, path, status and duration', async () => {
    const response = await fetch(`${server.url}/api/version/`, { headers: { 'X-Request-Id': 'trace-1' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-request-id'), 'trace-1');
    const [line, ...more] = requestLines(lines, 'trace-1');
    assert.equal(more.length, 0);
    assert.equal(line?.['method'], 'GET');
    assert.equal(line?.['path'], '/api/version/');
    assert.equal(line?.['status'], 200);
    assert.equal(typeof line?.['durationMs'], 'number');
    assert.equal(line?.['level'], 30);
    assert.match(String(line?.['time']), /^\d{4}-\d\d-\d\dT/);
  });

  it('gives a request without an id a UUID, and keeps the header on error answers', async () => {
    const response = await fetch(`${server.url}/api/no-such-thing`);
    assert.equal(response.status, 404);
    const requestId = response.headers.get('x-request-id') ?? '';
    assert.match(requestId, UUID);
    assert.equal(requestLines(lines, requestId)[0]?.['status'], 404);
  });

  it('logs a server error with the request id', async () => {
    const response = await fetch(`${server.url}/labpool/test/crash`, { headers: { 'X-Request-Id': 'crash-1' } });
    assert.equal(response.status, 500);
    assert.equal(response.headers.get('x-request-id'), 'crash-1');
    const failure = lines.find((line) => line['requestId'] === 'crash-1' && line['level'] === 50);
    assert.equal((failure?.['err'] as { message: string } | undefined)?.message, 'boom');
  });
});

describe('request ids as correlation ids, on a test lab', () => {
  const { logger, lines } = createMemoryLog();
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab(createTestInventory(2), { logger });
  });
  after(() => lab.labpool.stop());

  async function post(path: string, body: unknown, requestId?: string): Promise<{ readonly status: number; readonly requestId: string; readonly body: any }> {
    const headers = requestId === undefined ? undefined : { 'X-Request-Id': requestId };
    const response = await fetch(`${lab.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers });
    const text = await response.text();
    return { status: response.status, requestId: response.headers.get('x-request-id') ?? '', body: text === '' ? null : JSON.parse(text) };
  }

  it('stamps the events a request appended with its request id, the one its log line carries', async () => {
    const answer = await post('/api/device/panda-0001/set-comments/', { comments: 'flaky usb' }, 'comments-req-1');
    assert.equal(answer.status, 200);
    assert.equal(answer.requestId, 'comments-req-1');
    const events = await lab.labpool.store.readStream('device-panda-0001');
    const commented = events.filter((event) => event.type === 'DeviceCommentsSet');
    assert.equal(commented.length, 1);
    assert.equal(commented[0]?.metadata.correlationId, 'comments-req-1');
    assert.equal(requestLines(lines, 'comments-req-1')[0]?.['path'], '/api/device/panda-0001/set-comments/');
  });

  it('carries a generated id to the request’s own events and to those it caused on the device', async () => {
    const answer = await post('/api/device/panda-0002/request/', { assignee: 'me', duration: 600, image: 'ubuntu' });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.match(answer.requestId, UUID);
    const requestEvents = await lab.labpool.store.readStream(`request-${answer.body.request.id}`);
    assert.ok(requestEvents.length > 0);
    assert.ok(
      requestEvents.every((event) => event.metadata.correlationId === answer.requestId),
      'every event of the new request',
    );
    const deviceEvents = await lab.labpool.store.readStream('device-panda-0002');
    assert.ok(
      deviceEvents.some((event) => event.metadata.correlationId === answer.requestId),
      'the device attached under the same id',
    );
    assert.equal(requestLines(lines, answer.requestId).length, 1);
  });
});
