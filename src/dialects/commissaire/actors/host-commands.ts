import type { CommandOutcome } from '../../../actors/persistent-actor.js';
import { describeHolder, sameHolder } from '../../../domain/holders/holder.js';
import { openCreds, keyFingerprint, sealCreds } from '../creds/sealed-creds.js';
import { commissaireHttpStatus, ADDRESS_PATTERN, NAME_PATTERN } from '../domain/commissaire-rules.js';
import { DEFAULT_REMOTE_USER } from '../domain/host-events.js';
import type { RegisteredHost } from '../domain/host-decider.js';
import type { CommissaireOutcome, HostRegistration } from './commissaire-lab.js';
import { operationDeviceFailed, operationOfHost } from './operation-work.js';
import { commissaireMetadata, hostHolder, type CommissaireContext } from './commissaire-context.js';

type Refusal = Extract<CommissaireOutcome<never>, { ok: false }>;

export const refused = (status: Refusal['status'], message: string): Refusal => ({ ok: false, status, message });

/** An actor's refusal as Commissaire answers it; an unknown code is a conflict. */
export function refusalOf(outcome: Extract<CommandOutcome<unknown, unknown>, { ok: false }>): Refusal {
  const status = commissaireHttpStatus(outcome.rejection.code);
  return refused(status === 400 || status === 404 || status === 405 ? status : 409, outcome.rejection.message);
}

/** The labpool device a host address names: by fqdn, else by name. */
export function deviceOfAddress(ctx: CommissaireContext, address: string): string | undefined {
  const devices = ctx.readModels.devices;
  return (devices.list().find((device) => device.fqdn === address) ?? devices.get(address))?.name;
}

/** Why `registration` cannot even be tried, or the device it names. */
function deviceFor(ctx: CommissaireContext, registration: HostRegistration): Refusal | { readonly ok: true; readonly device: string } {
  const { address, cluster } = registration;
  if (!ADDRESS_PATTERN.test(address) || (cluster !== null && !NAME_PATTERN.test(cluster))) return refused(400, 'bad host address or cluster name');
  if (registration.sshPrivKey === '') return refused(400, 'a host needs an ssh_priv_key');
  const device = deviceOfAddress(ctx, address);
  if (device === undefined) return refused(400, `no labpool device has the address or name ${address}`);
  const owner = ctx.readModels.devices.get(device)?.imagingServer;
  if (owner !== ctx.serverId) return refused(409, `device ${device} belongs to server ${owner ?? 'unknown'}: register it there`);
  return { ok: true, device };
}

/** Holds the device for the host; whether it was taken now (to give back if the registration is refused). */
async function holdDevice(ctx: CommissaireContext, device: string, address: string, by: string): Promise<Refusal | { readonly ok: true; readonly takenNow: boolean }> {
  const holder = hostHolder(address);
  const current = await ctx.kinds.devices.read(device);
  if (sameHolder(current.state.holder, holder)) return { ok: true, takenNow: false };
  const outcome = await ctx.kinds.devices.ask(device, { type: 'AttachHolder', holder, anyState: true, nowMs: ctx.nowMs() }, commissaireMetadata(by));
  if (outcome.ok) return { ok: true, takenNow: true };
  const who = outcome.state.holder === null ? outcome.rejection.message : `it is held by ${describeHolder(outcome.state.holder)}`;
  return refused(409, `device ${device} cannot be registered: ${who}`);
}

/**
 * Registers a host: holds its device, then records the host with its credentials sealed, then adds it
 * to the cluster it names. A refused registration gives back a device it took.
 */
export async function registerHost(ctx: CommissaireContext, registration: HostRegistration): Promise<CommissaireOutcome<RegisteredHost>> {
  const found = deviceFor(ctx, registration);
  if (!found.ok) return found;
  const { address, cluster, by } = registration;
  if (cluster !== null && ctx.views.cluster(cluster) === undefined) return refused(409, `no cluster ${cluster}`);
  const held = await holdDevice(ctx, found.device, address, by);
  if (!held.ok) return held;
  const creds = { ssh_priv_key: registration.sshPrivKey, remote_user: registration.remoteUser ?? DEFAULT_REMOTE_USER };
  const command = {
    type: 'Register',
    address,
    device: found.device,
    cluster,
    clusterExists: true,
    credsSealed: sealCreds(creds, ctx.settings.credsKey),
    keyFingerprint: keyFingerprint(creds.ssh_priv_key, ctx.settings.credsKey),
    nowMs: ctx.nowMs(),
  } as const;
  const outcome = await ctx.kinds.hosts.ask(address, command, commissaireMetadata(by));
  if (!outcome.ok) {
    if (held.takenNow) await releaseDevice(ctx, found.device, address, 'registration refused');
    return refusalOf(outcome);
  }
  if (outcome.state.status === 'unregistered') return refused(409, `host ${address} was deleted meanwhile`);
  if (cluster !== null) await ctx.kinds.clusters.ask(cluster, { type: 'AddHost', address, nowMs: ctx.nowMs() }, commissaireMetadata(by));
  if (outcome.position !== undefined) await ctx.waitFor(outcome.position);
  return { ok: true, value: outcome.state };
}

export async function releaseDevice(ctx: CommissaireContext, device: string, address: string, reason: string): Promise<void> {
  await ctx.kinds.devices.ask(device, { type: 'DetachHolder', holder: hostHolder(address), reason, nowMs: ctx.nowMs() }, { actor: 'commissaire' });
}

/** Deletes the record, takes the host out of its cluster and gives its device back. */
export async function deleteHost(ctx: CommissaireContext, address: string, by: string): Promise<CommissaireOutcome<null>> {
  const { state } = await ctx.kinds.hosts.read(address);
  const outcome = await ctx.kinds.hosts.ask(address, { type: 'Delete', nowMs: ctx.nowMs() }, commissaireMetadata(by));
  if (!outcome.ok || state.status === 'unregistered') return outcome.ok ? refused(404, 'no such host') : refusalOf(outcome);
  const cluster = state.cluster === null ? undefined : ctx.views.cluster(state.cluster);
  if (cluster?.hosts.includes(address) === true) await ctx.kinds.clusters.ask(cluster.name, { type: 'RemoveHost', address, nowMs: ctx.nowMs() }, commissaireMetadata(by));
  await releaseDevice(ctx, state.device, address, 'host deleted through Commissaire');
  // Its device no longer tells it anything: an operation waiting on it would wait for ever.
  const operation = operationOfHost(ctx, address);
  if (operation !== undefined) await operationDeviceFailed(ctx, operation, address, `host ${address} was deleted`, commissaireMetadata(by));
  if (outcome.position !== undefined) await ctx.waitFor(outcome.position);
  return { ok: true, value: null };
}

/** The host's credentials, opened with this server's key. */
export function hostCreds(ctx: CommissaireContext, address: string): CommissaireOutcome<{ readonly ssh_priv_key: string; readonly remote_user: string }> {
  const host = ctx.views.host(address);
  if (host === undefined) return refused(404, 'no such host');
  const opened = openCreds(host.credsSealed, ctx.settings.credsKey);
  if (!opened.ok) return refused(409, `the credentials of host ${address} cannot be opened with this server's key (${opened.reason})`);
  return { ok: true, value: opened.creds };
}
