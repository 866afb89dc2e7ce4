import type { LabDevice, LabImage, PowerTrouble, PxeConfigView } from '../../../projections/read-models.js';
import type { RequestView } from '../projections/mozpool-read-models.js';
import { requestIdOf } from '../domain/request-holder.js';
import { describeHolder, type Holder } from '../../../domain/holders/holder.js';

/** The partial URL clients use for every later call on a request. */
export function requestUrl(serverId: string, id: number): string {
  return `http://${serverId}/api/request/${id}/`;
}

/**
 * MozPool's request object (`get_info` plus `url`). The URL names the request's owner, where its
 * operations run; `serverId` stands in while the read model does not know the owner yet.
 */
export function toRequestInfo(request: RequestView, serverId: string) {
  return {
    id: request.id,
    requested_device: request.requested_device,
    assignee: request.assignee,
    expires: request.expires,
    environment: request.environment,
    image: request.image,
    boot_config: request.boot_config,
    assigned_device: request.assigned_device,
    url: requestUrl(request.imaging_server === '' ? serverId : request.imaging_server, request.id),
  };
}

/**
 * Request details: MozPool returned the object bare, the spec document wraps it in `request` and
 * names the device `device_id` and the state `status`; every form is served so either client works.
 */
export function toRequestDetails(request: RequestView, serverId: string) {
  const details = { ...toRequestInfo(request, serverId), device_id: request.assigned_device, status: request.state };
  return { ...details, request: details };
}

/** One entry of `/api/request/list/`, with the spec document's `device_id` and `status` alongside. */
export function toRequestListItem(request: RequestView) {
  return {
    id: request.id,
    imaging_server: request.imaging_server,
    assignee: request.assignee,
    boot_config: request.boot_config,
    state: request.state,
    expires: request.expires,
    requested_device: request.requested_device,
    environment: request.environment,
    assigned_device: request.assigned_device,
    device_state: request.device_state,
    device_id: request.assigned_device,
    status: request.state,
  };
}

/**
 * labpool's `held_by` (`vm 8x2k…`, `pool ubuntu`) for a device another API family holds, which
 * MozPool's `request_id` cannot name; absent otherwise, so MozPool's own shapes stay as they were.
 */
export function heldByField(holder: Holder | null): { readonly held_by?: string } {
  return holder === null || holder.kind === 'mozpool_request' ? {} : { held_by: describeHolder(holder) };
}

/**
 * One entry of `/api/device/list/?details=1`, in MozPool's field names. `request_id` names the
 * device's holder only when that is a MozPool request (null when free or held by another family,
 * which `held_by` then names).
 */
export function toDeviceDetails(device: LabDevice) {
  return {
    id: device.id,
    name: device.name,
    fqdn: device.fqdn,
    inventory_id: device.inventoryId,
    mac_address: device.macAddress,
    imaging_server: device.imagingServer,
    relay_info: device.relayInfo,
    state: device.state,
    comments: device.comments,
    image: device.image,
    boot_config: device.bootConfig,
    environment: device.environment,
    request_id: requestIdOf(device.holder),
    ...heldByField(device.holder),
  };
}

/** labpool's `power_trouble` beside MozPool's fields, in their style. */
export function toPowerTroubleField(trouble: PowerTrouble) {
  return { failed_cycles: trouble.failedCycles, last_error: trouble.lastError, since: trouble.since };
}

/** One entry of `/api/image/list/`. */
export function toImageListItem(image: LabImage) {
  return {
    id: image.id,
    name: image.name,
    boot_config_keys: image.bootConfigKeys,
    can_reuse: image.canReuse,
    hidden: image.hidden,
    has_sut_agent: image.hasSutAgent,
  };
}

/** PXE config details: MozPool said `contents`, the spec document `content`; both are sent. */
export function toPxeConfigDetails(pxeConfig: PxeConfigView) {
  return {
    name: pxeConfig.name,
    version: pxeConfig.version,
    description: pxeConfig.description,
    content: pxeConfig.contents,
    contents: pxeConfig.contents,
    active: pxeConfig.active,
  };
}

/** A device's boot config as `/config/` serves it: the parsed object, `{}` when none, the text when not JSON. */
export function parseBootConfig(bootConfig: string): unknown {
  if (bootConfig === '') return {};
  try {
    return JSON.parse(bootConfig) as unknown;
  } catch {
    return bootConfig;
  }
}
