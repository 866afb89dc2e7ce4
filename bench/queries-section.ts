/**
 * Section 4, queries at scale: `GET /api/device/list/?details=1` and `GET /api/request/list/` of a
 * labpool holding 10,000 devices (fake hardware, registered by an inventory sync; their self-tests
 * hang in pxe_power_cycling) and a few hundred open requests, each holding a device forced ready
 * (imaging then waits in pxe_booting for a second stage that never comes). One client (in another process, see
 * bench/http-load-client.ts) asks again and again: the latency of the query itself, p50 and p99, and
 * the response size; the device list also while devices change (every answer then rebuilt from the
 * unchanged devices' cached JSON). The reference is the bare list of names (`/api/device/list/`), the same walk of
 * the read model with almost nothing to serialise.
 */
import { createTestInventory, startTestLab } from '../test/support/lab-harness.js';
import { waitFor } from '../test/support/wait-for.js';
import type { BenchRow, BenchSection } from './bench-row.js';
import type { LoadResult } from './http-load-client.js';
import { startLoadProcess } from './load-process.js';
import { mozpoolDialect } from '../src/dialects/mozpool/mozpool-dialect.js';

const DEVICES = 10_000;
const REQUESTS = 300;

export const queriesSection: BenchSection = async ({ quick }) => {
  const ms = quick ? 1_200 : 5_000;
  const lab = await startTestLab(createTestInventory(DEVICES), { ready: false });
  const load = await startLoadProcess();
  try {
    const metadata = { actor: 'bench' };
    // As an operator would: the first REQUESTS devices forced ready (their self-test hangs), then leased.
    const deviceActors = lab.labpool.lab.context.kinds.devices;
    for (const { name } of createTestInventory(REQUESTS).devices) {
      await waitFor(async () => (await deviceActors.read(name)).state.state === 'pxe_power_cycling', 10_000);
      const forced = await lab.labpool.part(mozpoolDialect).lab.commands.forceState(name, 'pxe_power_cycling', 'ready', metadata);
      if (!forced.ok) throw new Error(`cannot force ${name} ready: ${forced.message}`);
      lab.fake.power.delete(name);
    }
    for (let i = 0; i < REQUESTS; i++) {
      const result = await lab.labpool
        .part(mozpoolDialect)
        .lab.commands.requestDevice({ device: 'any', assignee: `bench-${i}`, durationS: 3600, image: 'ubuntu', environment: 'any', bootConfig: {} }, metadata);
      if (!result.ok) throw new Error(`request ${i} refused: ${result.message}`);
    }
    const { hostname, port } = new URL(lab.url);
    const query = (path: string): Promise<LoadResult> =>
      load.run({ host: hostname, port: Number(port), paths: [path], connections: 1, durationMs: ms, warmupMs: Math.min(500, ms / 3) }).then((result) => {
        if (result.errors > 0) throw new Error(`${path}: ${result.errors} answers were not 200`);
        return result;
      });
    const names = await query('/api/device/list/');
    const details = await query('/api/device/list/?details=1');
    // A live lab: one device changes every 5 ms (comments set through its actor), so most answers are rebuilt.
    let churned = 0;
    const churn = setInterval(() => {
      churned += 1;
      void lab.labpool.part(mozpoolDialect).lab.commands.setComments(`panda-${String((churned % DEVICES) + 1).padStart(4, '0')}`, `bench ${churned}`, metadata);
    }, 5);
    const churnStarted = performance.now();
    let detailsUnderChurn: LoadResult;
    try {
      detailsUnderChurn = await query('/api/device/list/?details=1');
    } finally {
      clearInterval(churn);
    }
    const changesPerSecond = churned / ((performance.now() - churnStarted) / 1000);
    const requests = await query('/api/request/list/');
    const open = lab.labpool.part(mozpoolDialect).lab.readModels.requests.list(false).length;
    const devices = `${DEVICES.toLocaleString('en-US')} devices`;
    const reference = (value: number) => ({ label: 'names only', value });
    return [
      { section: 'queries', metric: `device list ?details=1, ${devices}: p50`, value: details.p50Ms, unit: 'ms', reference: reference(names.p50Ms) },
      { section: 'queries', metric: `device list ?details=1, ${devices}: p99`, value: details.p99Ms, unit: 'ms', reference: reference(names.p99Ms), target: '<= 20' },
      {
        section: 'queries',
        metric: `device list ?details=1, ${devices}, ${Math.round(changesPerSecond)} device changes/s: p50`,
        value: detailsUnderChurn.p50Ms,
        unit: 'ms',
        reference: reference(names.p50Ms),
      },
      {
        section: 'queries',
        metric: `device list ?details=1, ${devices}, ${Math.round(changesPerSecond)} device changes/s: p99`,
        value: detailsUnderChurn.p99Ms,
        unit: 'ms',
        reference: reference(names.p99Ms),
        target: '<= 20',
      },
      { section: 'queries', metric: `device list ?details=1, ${devices}: size`, value: details.bodyBytes / 1024, unit: 'KiB', reference: reference(names.bodyBytes / 1024) },
      { section: 'queries', metric: `request list, ${open} open requests: p50`, value: requests.p50Ms, unit: 'ms' },
      { section: 'queries', metric: `request list, ${open} open requests: p99`, value: requests.p99Ms, unit: 'ms' },
      { section: 'queries', metric: `request list, ${open} open requests: size`, value: requests.bodyBytes / 1024, unit: 'KiB' },
    ] satisfies BenchRow[];
  } finally {
    await load.close();
    await lab.labpool.stop();
  }
};
