import type { DeviceView, ImageView, PxeConfigView, RequestView } from '../../../projections/read-models.js';

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

/** One entry of `/api/device/list/?details=1`. */
export function toDeviceDetails(device: DeviceView) {
  return {
    id: device.id,
    name: device.name,
    fqdn: device.fqdn,
    inventory_id: device.inventory_id,
    mac_address: device.mac_address,
    imaging_server: device.imaging_server,
    relay_info: device.relay_info,
    state: device.state,
    comments: device.comments,
    image: device.image,
    boot_config: device.boot_config,
    environment: device.environment,
    request_id: device.request_id,
  };
}

/** One entry of `/api/image/list/`. */
export function toImageListItem(image: ImageView) {
  return {
    id: image.id,
    name: image.name,
    boot_config_keys: image.boot_config_keys,
    can_reuse: image.can_reuse,
    hidden: image.hidden,
    has_sut_agent: image.has_sut_agent,
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
