import { randomInt } from 'node:crypto';
import type { Router, RouterContext } from '@koa/router';
import { httpError } from '../../../http/errors.js';
import { pathParam } from '../../../http/route-params.js';
import { checkVmChange, diskSizeGbOf, isSnapshotId } from '../domain/vm-changes.js';
import type { VmCommand } from '../domain/vm-events.js';
import type { VmState } from '../domain/vm-decider.js';
import type { LogPosition } from '../../../store/port.js';
import { requiredToken } from './vm-auth.js';
import { findHost } from './vm-hosts.js';
import type { ApiVersion, VmpoolerDeps } from './vmpooler-deps.js';

/** Said in every disk and snapshot answer: a device has no hypervisor to attach disks or take snapshots. */
export const DISK_SIMULATED = 'recorded only: a bare-metal host gets no extra disk; the request is kept in its history and shown in GET /vm/<host>';
export const SNAPSHOT_SIMULATED = 'recorded only: a bare-metal host is not snapshotted; the image-capture request is kept in its history and shown in GET /vm/<host>';
export const REVERT_SIMULATED = 'recorded only: a bare-metal host is not reverted; the request is kept in its history';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new snapshot id: 32 characters of [a-z0-9], as vmpooler names them. */
export function newSnapshotId(): string {
  let id = '';
  for (let i = 0; i < 32; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/** The open VM on the host the client named (short or FQDN); 404 when there is none. */
function runningVm(deps: VmpoolerDeps, host: string): VmState & { readonly id: string } {
  const device = findHost(deps, host);
  const vm = device === undefined ? undefined : deps.lab.context.pools.vmOnDevice(device.name);
  if (vm?.id == null) throw httpError(404, `no running host ${host}`);
  return { ...vm, id: vm.id };
}

/** Sends `commands` to the VM in order and answers once the read models show them; 404 on a refusal. */
async function change(ctx: RouterContext, deps: VmpoolerDeps, vmId: string, commands: readonly VmCommand[]): Promise<void> {
  const metadata = { actor: 'vmpooler', correlationId: String(ctx.state.requestId ?? '') };
  let latest: LogPosition | undefined;
  for (const command of commands) {
    const outcome = await deps.lab.context.kinds.vms.ask(vmId, command, metadata);
    if (!outcome.ok) throw httpError(outcome.rejection.code === 'not_found' ? 404 : 400, outcome.rejection.message);
    if (outcome.position !== undefined) latest = outcome.position;
  }
  if (latest !== undefined) await deps.lab.context.waitFor(latest);
}

async function putVm(ctx: RouterContext, deps: VmpoolerDeps): Promise<void> {
  if ((await requiredToken(ctx, deps)) === undefined) return;
  const vm = runningVm(deps, pathParam(ctx, 'host'));
  const checked = checkVmChange(ctx.request.body, deps.lab.context.config.settings);
  if (!checked.ok) {
    ctx.status = 400;
    ctx.body = { ok: false, failure: checked.failure };
    return;
  }
  const nowMs = deps.nowMs();
  const { lifetimeH, tags } = checked.change;
  const commands: VmCommand[] = [];
  if (lifetimeH !== undefined) commands.push({ type: 'SetLifetime', lifetimeH, nowMs });
  if (tags !== undefined && Object.keys(tags).length > 0) commands.push({ type: 'Tag', tags, nowMs });
  await change(ctx, deps, vm.id, commands);
  ctx.body = { ok: true };
}

async function addDisk(ctx: RouterContext, deps: VmpoolerDeps): Promise<void> {
  if ((await requiredToken(ctx, deps)) === undefined) return;
  const host = pathParam(ctx, 'host');
  const vm = runningVm(deps, host);
  const sizeGb = diskSizeGbOf(pathParam(ctx, 'size'));
  if (sizeGb === undefined) throw httpError(404, 'a disk size is a whole number of gigabytes from 1 to 2048');
  await change(ctx, deps, vm.id, [{ type: 'AddDisk', sizeGb, nowMs: deps.nowMs() }]);
  ctx.status = 202;
  ctx.body = { ok: true, [host]: { disk: `+${sizeGb}gb` }, simulated: DISK_SIMULATED };
}

async function snapshot(ctx: RouterContext, deps: VmpoolerDeps): Promise<void> {
  if ((await requiredToken(ctx, deps)) === undefined) return;
  const host = pathParam(ctx, 'host');
  const vm = runningVm(deps, host);
  const id = newSnapshotId();
  await change(ctx, deps, vm.id, [{ type: 'Snapshot', snapshot: id, nowMs: deps.nowMs() }]);
  ctx.status = 202;
  ctx.body = { ok: true, [host]: { snapshot: id }, simulated: SNAPSHOT_SIMULATED };
}

async function revert(ctx: RouterContext, deps: VmpoolerDeps): Promise<void> {
  if ((await requiredToken(ctx, deps)) === undefined) return;
  const vm = runningVm(deps, pathParam(ctx, 'host'));
  const id = pathParam(ctx, 'snapshot');
  if (!isSnapshotId(id) || !vm.snapshots.includes(id)) throw httpError(404, `no snapshot ${id}`);
  await change(ctx, deps, vm.id, [{ type: 'Revert', snapshot: id, nowMs: deps.nowMs() }]);
  ctx.status = 202;
  ctx.body = { ok: true, simulated: REVERT_SIMULATED };
}

/** `PUT /vm/<host>` (lifetime, tags), its disks and its snapshots, under one API version. */
export function registerVmChangeRoutes(router: Router, deps: VmpoolerDeps, version: ApiVersion): void {
  const prefix = `/api/${version}`;
  router.put(`${prefix}/vm/:host{/}`, (ctx) => putVm(ctx, deps));
  router.post(`${prefix}/vm/:host/disk/:size{/}`, (ctx) => addDisk(ctx, deps));
  router.post(`${prefix}/vm/:host/snapshot{/}`, (ctx) => snapshot(ctx, deps));
  router.post(`${prefix}/vm/:host/snapshot/:snapshot{/}`, (ctx) => revert(ctx, deps));
}
