import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { LabpoolConfig } from '../../../../src/config/config.js';
import type { AttachedCommissaireLab } from '../../../../src/dialects/commissaire/actors/commissaire-lab-attach.js';
import { commissaireDialect } from '../../../../src/dialects/commissaire/commissaire-dialect.js';
import type { WireEvent } from '../../../../src/http/events/event-wire.js';
import type { RecordedEvent } from '../../../../src/store/port.js';
import { createMemoryLog } from '../../../support/memory-log.js';
import { startSimLabpool, type SimLabpool } from '../../../support/sim-labpool.js';
import { openSse } from '../../../support/sse-client.js';
import { waitFor } from '../../../support/wait-for.js';

const PATIENCE_MS = 90_000;
/** A key no other text in labpool contains, in clear and as the client sends it (base64). */
const CLEAR_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nzq-cm-core-recognisable-4711-ssh-secret\n-----END OPENSSH PRIVATE KEY-----\n';
const MARKER = 'zq-cm-core-recognisable-4711';
const KEY = Buffer.from(CLEAR_KEY).toString('base64');
const OTHER_KEY = Buffer.from(`${CLEAR_KEY}other`).toString('base64');

/** Host credentials on the simulated lab: what the audit, the store and the log show of them. */
describe('Commissaire host credentials stay sealed', () => {
  let sim: SimLabpool;
  let lab: AttachedCommissaireLab;
  let storePath = '';
  const log = createMemoryLog('trace');
  const fqdn = (device: string) => sim.labpool.lab.context.readModels.devices.get(device)!.fqdn;
  const get = async (path: string) => {
    const response = await fetch(`${sim.labpool.url}${path}`);
    return { status: response.status, text: await response.text() };
  };

  before(async () => {
    const keep = (config: LabpoolConfig) => {
      if (config.store.kind === 'sqlite') storePath = config.store.path;
      return config;
    };
    sim = await startSimLabpool(2, {}, keep, { logger: log.logger });
    lab = sim.labpool.part(commissaireDialect).lab;
    const address = fqdn('sim-0001');
    const outcome = await lab.registerHost({ address, sshPrivKey: KEY, remoteUser: 'core', cluster: null, by: 'demo' });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    // Refused registrations carry a key too: another key for the same host, an address that is no device.
    assert.equal((await lab.registerHost({ address, sshPrivKey: OTHER_KEY, remoteUser: null, cluster: null, by: 'demo' })).ok, false);
    assert.equal((await lab.registerHost({ address: 'nowhere.example', sshPrivKey: KEY, remoteUser: null, cluster: null, by: 'demo' })).ok, false);
    await waitFor(() => ['disassociated', 'failed'].includes(lab.views.host(address)?.status ?? ''), PATIENCE_MS);
  });
  after(() => sim?.stop());

  it('lists the host’s events in its history, without the sealed credentials or the key’s fingerprint', async () => {
    const host = lab.views.host(fqdn('sim-0001'))!;
    assert.ok(host.credsSealed.length > 20 && host.keyFingerprint.length > 20);
    const { status, text } = await get(`/api/commhost/${host.address}/history/`);
    assert.equal(status, 200, text);
    const history = (JSON.parse(text) as { history: { type: string; actor: string | null; data: Record<string, unknown> }[] }).history;
    assert.deepEqual(history.map((entry) => entry.type).slice(0, 3), ['HostRegistered', 'HostInvestigated', 'HostBootstrapped']);
    assert.deepEqual([history[0]?.actor, history[0]?.data['device'], history[0]?.data['address']], ['demo', 'sim-0001', host.address]);
    for (const secret of [host.credsSealed, host.keyFingerprint, KEY, MARKER]) assert.equal(text.includes(secret), false, `the history shows ${secret.slice(0, 12)}…`);
    const at = await get(`/api/commhost/${host.address}/history/?at=${new Date(host.updatedAtMs).toISOString()}`);
    assert.equal(at.status, 200, at.text);
    assert.equal((JSON.parse(at.text) as { state: { state: string } }).state.state, host.status);
    for (const secret of [host.credsSealed, host.keyFingerprint, KEY, MARKER]) assert.equal(at.text.includes(secret), false, `the replay shows ${secret.slice(0, 12)}…`);
  });

  it('shows the host’s registration on the live event stream without the sealed credentials or the key’s fingerprint', async () => {
    const host = lab.views.host(fqdn('sim-0001'))!;
    const sse = await openSse(`${sim.labpool.url}/api/events/?from=0&category=commhost`);
    try {
      const messages = await sse.takeMessages(3, PATIENCE_MS);
      const registered = messages.map((message) => JSON.parse(message.data) as WireEvent).find((event) => event.type === 'HostRegistered');
      assert.deepEqual(registered?.data, { ...(registered?.data as object), address: host.address, credsSealed: '(sealed)', keyFingerprint: '(sealed)' });
      const sent = JSON.stringify(messages);
      for (const secret of [host.credsSealed, host.keyFingerprint, KEY, MARKER]) assert.equal(sent.includes(secret), false, `the stream shows ${secret.slice(0, 12)}…`);
    } finally {
      sse.close();
    }
  });

  it('opens the credentials with the server’s key, as they were sent', () => {
    assert.deepEqual(lab.hostCreds(fqdn('sim-0001')), { ok: true, value: { ssh_priv_key: KEY, remote_user: 'core' } });
  });

  it('answers 400 to ids that are no host, cluster or operation, and 404 to unknown ones', async () => {
    for (const path of ['/api/commhost/a%20b/history/', '/api/commcluster/a.b/history/', '/api/clusterop/reboot-web/history/', '/api/clusterop/restart-a.b/history/']) {
      const { status, text } = await get(path);
      assert.equal(status, 400, `${path}: ${text}`);
    }
    for (const path of ['/api/commhost/nobody.example/history/', '/api/commcluster/nocluster/history/', '/api/clusterop/deploy-nocluster/history/']) {
      assert.equal((await get(path)).status, 404, path);
    }
  });

  it('stores the ssh key in no event and logs it nowhere', async () => {
    const events: RecordedEvent[] = [];
    for await (const event of sim.labpool.store.readAll()) events.push(event);
    assert.ok(events.some((event) => event.type === 'HostRegistered'));
    for (const event of events) {
      const text = JSON.stringify({ data: event.data, metadata: event.metadata });
      for (const secret of [KEY, OTHER_KEY, MARKER]) assert.equal(text.includes(secret), false, `${event.stream} ${event.type}`);
    }
    assert.ok(log.lines.length > 0, 'labpool logged nothing: the log is not the one read here');
    const logged = JSON.stringify(log.lines);
    for (const secret of [KEY, OTHER_KEY, MARKER]) assert.equal(logged.includes(secret), false);
  });

  it('leaves no trace of the key in the store’s files either (snapshots, WAL)', () => {
    assert.notEqual(storePath, '');
    for (const file of [storePath, `${storePath}-wal`].filter((path) => existsSync(path))) {
      const bytes = readFileSync(file).toString('latin1');
      for (const secret of [KEY, MARKER]) assert.equal(bytes.includes(secret), false, file);
    }
  });
});
