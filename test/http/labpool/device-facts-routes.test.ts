import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isProblem } from '../../../src/http/errors.js';
import { MAX_FACTS_BODY_BYTES } from '../../../src/http/labpool/device-facts-routes.js';
import { syncInventory } from '../../../src/lab/inventory-sync.js';
import { createTestInventory, startTestLab, type TestLab } from '../../support/lab-harness.js';

const DEVICE = 'panda-0001';
const FACTS = { id: DEVICE, class: 'system', children: [{ id: 'cpu', class: 'processor', configuration: { cores: '4' } }] };

async function post(url: string, path: string, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  const response = await fetch(`${url}${path}`, { method: 'POST', body, headers, redirect: 'manual' });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, unknown> };
}

function assertProblem(answer: Awaited<ReturnType<typeof post>>, status: number, detail: RegExp): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.match(answer.contentType, /^application\/problem\+json/);
  assert.ok(isProblem(answer.body, status), JSON.stringify(answer.body));
  assert.match(String(answer.body['detail']), detail);
}

describe('POST /labpool/devices/{name}/facts', () => {
  let dir: string;
  let lab: TestLab;
  const factsPath = (name: string) => `/labpool/devices/${name}/facts`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-facts-'));
    lab = await startTestLab(createTestInventory(3), { config: { store: { kind: 'sqlite', path: join(dir, 'labpool.sqlite'), synchronous: 'NORMAL' } } });
  });
  after(async () => {
    await lab?.labpool.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the report on the device stream, and the read models show it when it answers', async () => {
    const answer = await post(lab.url, factsPath(DEVICE), JSON.stringify({ facts: FACTS }));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual({ ...answer.body, reportedAt: typeof answer.body['reportedAt'] }, { device: DEVICE, generator: 'lshw', format: 'application/json', reportedAt: 'string', reports: 1 });
    const reports = lab.labpool.lab.context.readModels.facts.of(DEVICE);
    assert.deepEqual(
      reports.map(({ generator, format, facts, holder }) => ({ generator, format, facts, holder })),
      [{ generator: 'lshw', format: 'application/json', facts: FACTS, holder: null }],
    );
    assert.equal(lab.labpool.lab.context.readModels.facts.summary(DEVICE)?.cpus, 4);
    const stored = (await lab.labpool.store.readStream(`device-${DEVICE}`)).filter((event) => event.type === 'DeviceFactsReported');
    assert.deepEqual(
      stored.map(({ data, metadata }) => [(data as { generator: string }).generator, metadata.actor]),
      [['lshw', 'device']],
    );
  });

  it('takes a generator of the device’s own, and the trailing slash', async () => {
    const answer = await post(lab.url, `${factsPath('panda-0002')}/`, JSON.stringify({ generator: 'dmidecode-json', facts: { bios: 'x' } }));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(lab.labpool.lab.context.readModels.facts.latest('panda-0002')?.generator, 'dmidecode-json');
  });

  it('answers 400 in problem+json to a body that is not a report', async () => {
    const cases: [string, RegExp][] = [
      [JSON.stringify({}), /body must have required property 'facts'/],
      [JSON.stringify({ facts: [1, 2] }), /facts must be object/],
      [JSON.stringify({ facts: 'lshw output' }), /facts must be object/],
      [JSON.stringify({ facts: {}, generator: 7 }), /generator must be string/],
      [JSON.stringify({ facts: {}, generator: '' }), /generator must NOT have fewer than 1 characters/],
      [JSON.stringify({ facts: {}, colour: 'red' }), /body\.colour is not a known field/],
      [JSON.stringify([FACTS]), /body must be object/],
      ['{"facts": {', /request body is not valid JSON/],
    ];
    for (const [body, detail] of cases) assertProblem(await post(lab.url, factsPath(DEVICE), body), 400, detail);
    assert.equal(lab.labpool.lab.context.readModels.facts.of(DEVICE).length, 1, 'nothing more recorded');
  });

  it('answers 404 for an unknown device, and for one the inventory retired', async () => {
    assertProblem(await post(lab.url, factsPath('panda-9999'), JSON.stringify({ facts: FACTS })), 404, /device panda-9999 not found/);
    await syncInventory(lab.labpool.lab, createTestInventory(2), { force: false });
    assertProblem(await post(lab.url, factsPath('panda-0003'), JSON.stringify({ facts: FACTS })), 404, /device panda-0003 not found/);
  });

  it('answers 413 to a body over 256 KiB, before reading it', async () => {
    const big = JSON.stringify({ facts: { blob: 'x'.repeat(MAX_FACTS_BODY_BYTES) } });
    assertProblem(await post(lab.url, factsPath(DEVICE), big), 413, /too large/);
    const justUnder = JSON.stringify({ facts: { blob: 'x'.repeat(MAX_FACTS_BODY_BYTES - 100) } });
    assert.equal((await post(lab.url, factsPath(DEVICE), justUnder)).status, 200);
  });
});

describe('POST /labpool/devices/{name}/facts behind security.deviceSources', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab(createTestInventory(1), { config: { security: { mozpoolWritesNeedToken: false, deviceSources: ['192.0.2.0/24'] } } });
  });
  after(() => lab?.labpool.stop());

  it('answers 403 to a caller outside the blocks, and records nothing', async () => {
    assertProblem(
      await post(lab.url, `/labpool/devices/${DEVICE}/facts`, JSON.stringify({ facts: FACTS })),
      403,
      /this route answers devices only: 127\.0\.0\.1 is not within security\.deviceSources/,
    );
    assert.deepEqual(lab.labpool.lab.context.readModels.facts.of(DEVICE), []);
  });
});
