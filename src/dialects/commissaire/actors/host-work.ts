import type { HardwareSummary } from '../../../domain/device/hardware-facts.js';
import type { DeviceState } from '../../../domain/device/device-state.js';
import type { HolderReactions } from '../../../lab/holder-reactions.js';
import { deviceWorkNews, type DeviceWorkNews } from '../../../domain/device/device-work-news.js';
import { summarizeHardwareFacts } from '../../../domain/device/hardware-facts.js';
import type { DeviceEvent } from '../../../domain/device/device-events.js';
import type { EventMetadata } from '../../../store/port.js';
import type { HostFacts, RegisteredHost } from '../domain/host-decider.js';
import type { CommissaireContext, ReportedFacts } from './commissaire-context.js';
import { isDeviceIdle, operationDeviceDone, operationDeviceFailed, operationOfHost } from './operation-work.js';

export { isDeviceIdle } from './operation-work.js';

/** The image a self-test boots: its reports name it as their OS, which is not the host's. */
const SELF_TEST_IMAGE = 'self-test';

/** Commissaire's host facts from a hardware report's summary; numbers the report does not tell are 0. */
export function hostFactsOf(summary: HardwareSummary, atMs: number, image: string | null): HostFacts {
  const os = summary.os === null || summary.os === SELF_TEST_IMAGE ? (image ?? '') : summary.os;
  return { os, cpus: summary.cpus ?? 0, memoryKb: summary.memoryKb ?? 0, spaceKb: summary.diskBytes === null ? 0 : Math.floor(summary.diskBytes / 1024), lastCheckMs: atMs };
}

/** The newest report of `device` since `sinceMs`: the one this process heard, else the read model's. */
function reportSince(ctx: CommissaireContext, device: string, sinceMs: number): ReportedFacts | undefined {
  const heard = ctx.reports.get(device);
  if (heard !== undefined && heard.atMs >= sinceMs) return heard;
  const latest = ctx.readModels.facts.latest(device);
  const summary = ctx.readModels.facts.summary(device);
  return latest !== undefined && summary !== undefined && latest.atMs >= sinceMs ? { summary, atMs: latest.atMs } : undefined;
}

async function succeed(ctx: CommissaireContext, host: RegisteredHost, report: ReportedFacts, cause: EventMetadata): Promise<void> {
  const image = ctx.readModels.devices.get(host.device)?.image ?? null;
  await ctx.kinds.hosts.ask(host.address, { type: 'InvestigationSucceeded', facts: hostFactsOf(report.summary, report.atMs, image), nowMs: ctx.nowMs() }, cause);
}

async function fail(ctx: CommissaireContext, host: RegisteredHost, reason: string, cause: EventMetadata): Promise<void> {
  await ctx.kinds.hosts.ask(host.address, { type: 'InvestigationFailed', reason, nowMs: ctx.nowMs() }, cause);
}

/**
 * Investigation: a hardware report younger than `factsMaxAgeMs` is used at once; else the device runs a
 * self-test, whose end (or failure) comes back through the holder reactions. A device busy with other
 * work (a self-test a restart cut short) is waited for. Idempotent: recovery runs it again.
 */
export async function investigateHost(ctx: CommissaireContext, address: string, cause: EventMetadata): Promise<void> {
  const host = await registeredHost(ctx, address);
  if (host?.status !== 'investigating') return;
  const device = ctx.readModels.devices.get(host.device);
  if (device === undefined) return fail(ctx, host, `device ${host.device} is not in the lab's inventory`, cause);
  const recent = reportSince(ctx, host.device, ctx.nowMs() - ctx.settings.factsMaxAgeMs);
  if (recent !== undefined && !device.state.startsWith('failed_')) return succeed(ctx, host, recent, cause);
  if (!isDeviceIdle(device.state)) return;
  const outcome = await ctx.kinds.devices.ask(host.device, { type: 'PleaseSelfTest', nowMs: ctx.nowMs() }, cause);
  if (!outcome.ok) await fail(ctx, host, `device ${host.device} refused a self-test: ${outcome.rejection.message}`, cause);
}

async function registeredHost(ctx: CommissaireContext, address: string): Promise<RegisteredHost | undefined> {
  const { state } = await ctx.kinds.hosts.read(address);
  return state.status === 'unregistered' ? undefined : state;
}

/** Bootstrap: the host is ready for its cluster, `active` when the cluster has a container manager. */
export async function bootstrapHost(ctx: CommissaireContext, host: RegisteredHost, cause: EventMetadata): Promise<void> {
  const cluster = host.cluster === null ? undefined : ctx.views.cluster(host.cluster);
  await ctx.kinds.hosts.ask(host.address, { type: 'Bootstrapped', hasContainerManager: cluster?.containerManager != null, nowMs: ctx.nowMs() }, cause);
}

/** What a held device tells its host: a report it posted, or the end of the work asked of it. */
export type HostDeviceNews = DeviceWorkNews | { readonly type: 'DeviceReported'; readonly node: string; readonly report: ReportedFacts };

/** Pure: the device's news for the host that holds it. */
export function reactToHostDevice(event: DeviceEvent, device: DeviceState): readonly HostDeviceNews[] {
  if (event.type === 'DeviceFactsReported' && device.name !== null) {
    return [{ type: 'DeviceReported', node: device.name, report: { summary: summarizeHardwareFacts(event.data.facts), atMs: event.data.atMs } }];
  }
  return deviceWorkNews(event, device);
}

/**
 * The device news reach the operation working on the host, else the host's investigation. A report is
 * kept before anything is awaited, so that it is known when the self-test's end is delivered.
 */
export function createHostDeviceReactions(ctx: CommissaireContext): HolderReactions<HostDeviceNews> {
  return {
    kind: 'commissaire_cluster',
    react: reactToHostDevice,
    async deliver(address, news, cause) {
      if (news.type === 'DeviceReported') {
        ctx.reports.set(news.node, news.report);
        return;
      }
      const operation = operationOfHost(ctx, address);
      if (operation !== undefined) {
        if (news.type === 'DeviceWorkDone') await operationDeviceDone(ctx, operation, address, cause);
        else await operationDeviceFailed(ctx, operation, address, `device ${news.node} entered ${news.state}`, cause);
        return;
      }
      const host = await registeredHost(ctx, address);
      if (host?.status !== 'investigating') return;
      if (news.type === 'DeviceFailed') return fail(ctx, host, `device ${news.node} entered ${news.state}`, cause);
      const report = reportSince(ctx, host.device, host.registeredAtMs);
      if (report === undefined) return fail(ctx, host, `device ${news.node} ended its self-test without a hardware report`, cause);
      await succeed(ctx, host, report, cause);
    },
  };
}
