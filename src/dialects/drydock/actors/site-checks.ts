import { filterableNode, imageFor } from '../domain/design-nodes.js';
import type { Design } from '../domain/design.js';
import type { TaskCommand, TaskMessageInput } from '../domain/task-events.js';
import type { DrydockContext } from './drydock-context.js';
import type { LabDevice } from '../../../projections/read-models.js';
import type { HardwareResult, PduProbeResult } from '../../../lab/hardware-ports.js';

/**
 * `verify_site`: every node of this server has a PXE config for the image the design gives it and its
 * hardware type (or imaging it could only fail); every PDU powering them answers a state read (no
 * outlet switched); the TFTP server serves a file it was just given. Each finding is a message; any
 * error fails the task.
 */
export async function verifySite(ctx: DrydockContext, design: Design, send: (command: TaskCommand) => Promise<unknown>): Promise<void> {
  const devices = ctx.readModels.devices.list().filter((device) => device.imagingServer === ctx.serverId);
  const findings = [...pxeFindings(ctx, design, devices), ...(await probeSite(ctx, devices))];
  if (findings.length > 0) await send({ type: 'AddMessages', messages: findings, nowMs: ctx.nowMs() });
  const errors = findings.filter((finding) => finding.error).length;
  if (errors > 0) await send({ type: 'Fail', message: `${errors} site check(s) failed`, nowMs: ctx.nowMs() });
  else await send({ type: 'Complete', message: 'site verified', nowMs: ctx.nowMs() });
}

function pxeFindings(ctx: DrydockContext, design: Design, devices: readonly LabDevice[]): TaskMessageInput[] {
  const missing = new Map<string, string[]>();
  for (const device of devices) {
    const image = imageFor(design, filterableNode(device), device.image);
    if (image === '' || ctx.readModels.images.pxeConfigFor(image, device.hardwareType) !== undefined) continue;
    const key = `${image} on ${device.hardwareType}`;
    missing.set(key, [...(missing.get(key) ?? []), device.name]);
  }
  const findings: TaskMessageInput[] = [...missing].map(([key, nodes]) => ({
    message: `no active PXE config for ${key} (${nodes.length} node(s): ${nodes.slice(0, 5).join(', ')})`,
    error: true,
    context_type: 'site',
    context: 'pxe',
  }));
  if (findings.length === 0) findings.push({ message: `PXE configs present for the images of ${devices.length} node(s)`, error: false, context_type: 'site', context: 'pxe' });
  return findings;
}

async function probeSite(ctx: DrydockContext, devices: readonly LabDevice[]): Promise<readonly TaskMessageInput[]> {
  const probe = ctx.hardware.probe;
  if (probe === undefined) return [{ message: "this server's hardware cannot be probed: PDUs and TFTP not checked", error: false, context_type: 'site', context: 'hardware' }];
  const targets = devices.map(({ name, fqdn, macAddress, relayInfo }) => ({ device: name, fqdn, macAddress, relayInfo }));
  const [pdus, tftp] = await Promise.all([probe.pdus(targets), probe.tftp()]);
  return [...pdus.map(pduFinding), tftpFinding(tftp)];
}

function pduFinding(probe: PduProbeResult): TaskMessageInput {
  const powers = `${probe.devices.length} node(s): ${probe.devices.slice(0, 5).join(', ')}`;
  const message = probe.result.ok ? `PDU ${probe.pdu} answers (${powers})` : `PDU ${probe.pdu} (${powers}): ${probe.result.error}`;
  return { message, error: !probe.result.ok, context_type: 'site', context: 'power' };
}

function tftpFinding(result: HardwareResult): TaskMessageInput {
  return { message: result.ok ? 'TFTP serves files from its root' : result.error, error: !result.ok, context_type: 'site', context: 'tftp' };
}
