import { resumeStateWork } from './device-actor.js';
import { waitForAll, type Lab } from './lab.js';

/**
 * The devices a family's recovery is limited to: a handover runs it again for the devices it just
 * moved, while this server's own work is live (running all of it again would race that work).
 * Undefined at start: every device of this server.
 */
export type RecoveryScope = ReadonlySet<string> | undefined;

export function isInRecoveryScope(scope: RecoveryScope, device: string): boolean {
  return scope === undefined || scope.has(device);
}

/** What a handover did: the devices now owned here, and those it could not move (with why). */
export type HandoverReport = {
  readonly from: string;
  readonly to: string;
  readonly atMs: number;
  /** Sorted by name; includes devices a handover sent before had moved already. */
  readonly moved: readonly string[];
  /** The families' actors `from` ran that run here now (`request 42`). */
  readonly holders: readonly string[];
  readonly refused: readonly { readonly device: string; readonly message: string }[];
};

export type HandoverOptions = {
  /** The families' recovery (each `recover(devices)`), limited to the devices moved, run once they are here. */
  readonly recoverFamilies: (devices: ReadonlySet<string>) => Promise<void>;
  /** The families' own actors that `from` ran (a MozPool request), taken over before the recovery. */
  readonly takeOverFamilies: (from: string) => Promise<readonly string[]>;
  readonly correlationId?: string;
};

/**
 * Moves every device of server `from` to this server, one `DeviceHandedOver` per device stream, then
 * takes over their work: loading each actor for its handover arms its deadline (an overdue one fires at
 * once), the work of the state each was left in runs again, and the families recover what `from` left
 * between their holders and these devices.
 */
export async function handOverDevices(lab: Lab, from: string, options: HandoverOptions): Promise<HandoverReport> {
  const { context } = lab;
  const to = context.serverId;
  const atMs = context.nowMs();
  const names = context.readModels.devices
    .list()
    .filter((device) => device.imagingServer === from)
    .map((device) => device.name);
  // Here, not at the owner the read model names: that is `from`, presumed dead.
  const metadata = { actor: 'handover', ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }) };
  const outcomes = await Promise.all(names.map(async (name) => ({ name, outcome: await lab.localDevices.ask(name, { type: 'HandOver', from, to, nowMs: atMs }, metadata) })));
  await waitForAll(
    lab.waitFor,
    outcomes.map(({ outcome }) => (outcome.ok ? outcome.position : undefined)),
  );
  const moved = outcomes.filter(({ outcome }) => outcome.ok).map(({ name }) => name);
  await Promise.all(moved.map((name) => resumeStateWork(context, name)));
  const holders = await options.takeOverFamilies(from);
  await options.recoverFamilies(new Set(moved));
  const refused = outcomes.flatMap(({ name, outcome }) => (outcome.ok ? [] : [{ device: name, message: outcome.rejection.message }]));
  return { from, to, atMs, moved: moved.sort(), holders, refused };
}
