import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AttachedCommissaireLab } from '../../../../src/dialects/commissaire/actors/commissaire-lab-attach.js';
import { commissaireDialect } from '../../../../src/dialects/commissaire/commissaire-dialect.js';
import type { OperationKind } from '../../../../src/dialects/commissaire/domain/operation-decider.js';
import { createMemoryLog } from '../../../support/memory-log.js';
import { startSimLabpool, type SimLabpool } from '../../../support/sim-labpool.js';
import { waitFor } from '../../../support/wait-for.js';
import { assertOneHostAtATime, hostSteps, latestRun } from './operation-order.js';

const PATIENCE_MS = 90_000;
const KEY = Buffer.from('a test key, not a secret').toString('base64');
const CLUSTER_DEVICES = ['sim-0001', 'sim-0002', 'sim-0005'];

/** What a restart of labpool cuts short, carried on by Commissaire's recovery at the next start. */
describe('Commissaire across a restart of labpool', () => {
  let sim: SimLabpool;
  const log = createMemoryLog('warn');
  const lab = (): AttachedCommissaireLab => sim.labpool.part(commissaireDialect).lab;
  const device = (name: string) => sim.labpool.lab.context.readModels.devices.get(name);
  const fqdn = (name: string) => device(name)!.fqdn;
  const hosts = () => CLUSTER_DEVICES.map(fqdn);

  before(async () => {
    sim = await startSimLabpool(
      6,
      {
        // Short enough to keep the test quick, long enough that a power cycle is under way for a while.
        lifeguardLimits: {
          pc_rebooting: { timeoutMs: 500, maxCount: null },
          // The simulated lab restarts with labpool: a device it was PXE booting boots no more, and
          // times out of `pxe_booting` to try again (three minutes by default).
          pxe_booting: { timeoutMs: 2_000, maxCount: null },
        },
        // Investigation always runs a self-test: a host is still `investigating` when labpool stops.
        commissaire: { factsMaxAgeMs: 0 },
      },
      undefined,
      { logger: log.logger },
    );
    for (const name of [...CLUSTER_DEVICES, 'sim-0003', 'sim-0006']) await waitFor(() => device(name)?.state === 'ready', PATIENCE_MS);
    assert.equal((await lab().createConfigRecord('containermanager', { name: 'cm', recordType: 'trivial', options: {}, by: 'demo' })).ok, true);
    assert.equal((await lab().createCluster({ name: 'web', network: null, containerManager: 'cm', by: 'demo' })).ok, true);
    for (const address of hosts()) {
      const outcome = await lab().registerHost({ address, sshPrivKey: KEY, remoteUser: null, cluster: 'web', by: 'demo' });
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
    }
    await waitFor(() => hosts().every((address) => lab().views.host(address)?.status === 'active'), PATIENCE_MS);
  });
  after(() => sim?.stop());

  /** The recoveries logged since the start: what each start carried on. */
  const recoveries = () => log.lines.filter((line) => line['msg'] === 'Commissaire carried on the work a stop cut short');

  /**
   * Starts `kind` over the cluster, restarts labpool once `host` is in process (and `when` holds, if
   * given), and waits for the end; the recovery at the new start carried the operation on.
   */
  async function acrossRestart(kind: OperationKind, version: string | null, host: string, when: () => boolean = () => true): Promise<void> {
    const started = await lab().startOperation('web', kind, version, 'demo');
    assert.equal(started.ok, true, JSON.stringify(started));
    await waitFor(() => lab().views.operation('web', kind)?.inProcess === fqdn(host) && when(), PATIENCE_MS);
    const before = recoveries().length;
    await sim.restart();
    assert.equal(recoveries().slice(before)[0]?.['operations'], 1, JSON.stringify(recoveries()));
    await waitFor(() => lab().views.operation('web', kind)?.status !== 'in_process', PATIENCE_MS);
    const operation = lab().views.operation('web', kind)!;
    assert.equal(operation.status, 'finished', JSON.stringify(operation));
    assert.deepEqual(operation.done, hosts());
  }

  it('a rolling restart cut short on its second host finishes, each host done once, in order', async () => {
    await acrossRestart('restart', null, 'sim-0002');
    const run = await latestRun(sim.labpool.store, 'restart', 'web');
    assertOneHostAtATime(run, hosts());
    assert.deepEqual(
      hostSteps(run),
      hosts().flatMap((address) => [`started ${address}`, `done ${address}`]),
    );
  });

  it('a deploy cut short on its first host finishes, each host done once, in order, all imaged', async () => {
    await acrossRestart('deploy', 'android', 'sim-0001');
    const run = await latestRun(sim.labpool.store, 'deploy', 'web');
    assertOneHostAtATime(run, hosts());
    assert.deepEqual(
      hostSteps(run),
      hosts().flatMap((address) => [`started ${address}`, `done ${address}`]),
    );
    for (const name of CLUSTER_DEVICES) assert.equal(device(name)?.image, 'android', name);
  });

  it('an upgrade cut short while its second host is mid-imaging finishes, each host done once, in order', async () => {
    const midImaging = () => !['ready', 'start_pxe_boot', 'pxe_power_cycling'].includes(device('sim-0002')?.state ?? 'ready');
    await acrossRestart('upgrade', null, 'sim-0002', midImaging);
    const run = await latestRun(sim.labpool.store, 'upgrade', 'web');
    assertOneHostAtATime(run, hosts());
    assert.deepEqual(
      hostSteps(run),
      hosts().flatMap((address) => [`started ${address}`, `done ${address}`]),
    );
  });

  it('a host registered just before a restart, still investigating, ends active after it', async () => {
    const address = fqdn('sim-0003');
    const outcome = await lab().registerHost({ address, sshPrivKey: KEY, remoteUser: null, cluster: 'web', by: 'demo' });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.equal(lab().views.host(address)?.status, 'investigating');
    await sim.restart();
    await waitFor(() => lab().views.host(address)?.status !== 'investigating', PATIENCE_MS);
    await waitFor(() => lab().views.host(address)?.status !== 'bootstrapping', PATIENCE_MS);
    const host = lab().views.host(address)!;
    assert.equal(host.status, 'active', JSON.stringify(host));
    assert.ok(host.facts !== null && host.facts.cpus > 0, JSON.stringify(host.facts));
    assert.deepEqual(lab().views.cluster('web')?.hosts, [...hosts(), address]);
  });

  it('gives back at start a device held for a host that has no record', async () => {
    const holder = { kind: 'commissaire_cluster', id: fqdn('sim-0006') } as const;
    const attached = await sim.labpool.lab.context.kinds.devices.ask('sim-0006', { type: 'AttachHolder', holder, anyState: true, nowMs: Date.now() }, { actor: 'test' });
    assert.equal(attached.ok, true);
    await waitFor(() => device('sim-0006')?.holder?.id === holder.id);
    assert.equal(lab().views.host(holder.id), undefined);
    await sim.restart();
    await waitFor(() => device('sim-0006')?.holder === null, PATIENCE_MS);
    // The hosts that have their records keep their devices.
    for (const name of CLUSTER_DEVICES) assert.deepEqual(device(name)?.holder, { kind: 'commissaire_cluster', id: fqdn(name) });
  });
});
