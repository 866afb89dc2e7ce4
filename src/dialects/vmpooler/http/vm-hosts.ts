import type { LabDevice } from '../../../projections/read-models.js';
import { isoUtc } from '../../../projections/lab/event-time.js';
import type { PoolConfig } from '../domain/pool-config.js';
import type { VmState } from '../domain/vm-decider.js';
import { vmExpiresAtMs } from '../domain/vm-decider.js';
import type { ApiVersion, VmpoolerDeps } from './vmpooler-deps.js';

/** A device as vmpooler names it: its short host name, its FQDN and its domain. */
export type HostName = { readonly hostname: string; readonly fqdn: string; readonly domain: string };

const HOUR_MS = 3_600_000;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The pool's domain when it has one, else the device's own FQDN (none when the inventory gives an address). */
export function hostNameOf(device: LabDevice, pool: PoolConfig | undefined): HostName {
  if (pool?.domain != null) return { hostname: device.name, fqdn: `${device.name}.${pool.domain}`, domain: pool.domain };
  if (IPV4.test(device.fqdn) || device.fqdn.includes(':')) return { hostname: device.name, fqdn: device.name, domain: '' };
  const dot = device.fqdn.indexOf('.');
  return { hostname: device.name, fqdn: device.fqdn, domain: dot < 0 ? '' : device.fqdn.slice(dot + 1) };
}

/** The host as a client names it: the short name in v1, the FQDN in v3. */
export function clientHostName(name: HostName, version: ApiVersion): string {
  return version === 'v1' ? name.hostname : name.fqdn;
}

/** The device a host name (short or FQDN) stands for. */
export function findHost(deps: VmpoolerDeps, host: string): LabDevice | undefined {
  const direct = deps.readModels.devices.get(host);
  if (direct !== undefined) return direct;
  const dot = host.indexOf('.');
  if (dot <= 0) return undefined;
  const device = deps.readModels.devices.get(host.slice(0, dot));
  if (device === undefined) return undefined;
  const pool = effectivePoolOf(deps, device.name);
  return hostNameOf(device, pool).fqdn === host || device.fqdn === host ? device : undefined;
}

/** The pool (with its overrides) holding `device`, if one does. */
export function effectivePoolOf(deps: VmpoolerDeps, device: string): PoolConfig | undefined {
  const name = deps.lab.context.pools.poolOf(device);
  return name === undefined ? undefined : deps.lab.manager.effective(name);
}

/** Hours with two decimals, as vmpooler shows `running` and `remaining`. */
function hours(ms: number): number {
  return Math.round((ms / HOUR_MS) * 100) / 100;
}

/** `GET /vm/<host>`'s object for a checked-out host. */
export function runningVmInfo(deps: VmpoolerDeps, device: LabDevice, vm: VmState, version: ApiVersion) {
  const name = hostNameOf(device, deps.lab.manager.effective(vm.pool));
  const nowMs = deps.nowMs();
  const endMs = vmExpiresAtMs(vm);
  return {
    template: vm.pool,
    lifetime: vm.lifetimeH,
    running: hours(nowMs - vm.checkedOutAtMs),
    remaining: Math.max(0, hours(endMs - nowMs)),
    start_time: isoUtc(vm.checkedOutAtMs),
    end_time: isoUtc(endMs),
    state: 'running',
    tags: vm.user === null ? vm.tags : { ...vm.tags, user: vm.tags.user ?? vm.user },
    ...(vm.snapshots.length > 0 ? { snapshots: vm.snapshots } : {}),
    ...(vm.disks.length > 0 ? { disk: vm.disks } : {}),
    ip: '',
    ...(version === 'v1' ? { domain: name.domain } : { fqdn: name.fqdn }),
    host: device.imagingServer,
    migrated: 'false',
  };
}

/** `GET /vm/<host>`'s object for a host its pool has not handed out: ready, pending or completed. */
export function poolHostInfo(device: LabDevice, pool: PoolConfig, state: string, version: ApiVersion) {
  const name = hostNameOf(device, pool);
  return { template: pool.name, lifetime: 0, running: 0, state, tags: {}, ip: '', ...(version === 'v1' ? { domain: name.domain } : { fqdn: name.fqdn }), host: device.imagingServer };
}
