import { filterableNode, imageFor } from '../domain/design-nodes.js';
import type { Design } from '../domain/design.js';
import type { TaskCommand, TaskMessageInput } from '../domain/task-events.js';
import type { DrydockContext } from './drydock-context.js';

/** A check of the site's services beyond the catalogue: PDUs answer, TFTP serves. */
export type SiteProbe = () => Promise<readonly TaskMessageInput[]>;

/**
 * `verify_site`: every node the design covers has a PXE config for its image and hardware type (or
 * imaging it could only fail), then the site probes (power, TFTP). Each finding is a message; any
 * error fails the task.
 */
export async function verifySite(ctx: DrydockContext, design: Design, send: (command: TaskCommand) => Promise<unknown>): Promise<void> {
  const findings = [...pxeFindings(ctx, design), ...(await probeSite(ctx))];
  if (findings.length > 0) await send({ type: 'AddMessages', messages: findings, nowMs: ctx.nowMs() });
  const errors = findings.filter((finding) => finding.error).length;
  if (errors > 0) await send({ type: 'Fail', message: `${errors} site check(s) failed`, nowMs: ctx.nowMs() });
  else await send({ type: 'Complete', message: 'site verified', nowMs: ctx.nowMs() });
}

function pxeFindings(ctx: DrydockContext, design: Design): TaskMessageInput[] {
  const missing = new Map<string, string[]>();
  const devices = ctx.readModels.devices.list().filter((device) => device.imagingServer === ctx.serverId);
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

async function probeSite(ctx: DrydockContext): Promise<readonly TaskMessageInput[]> {
  const results = await Promise.all(ctx.siteProbes.map((probe) => probe()));
  return results.flat();
}
