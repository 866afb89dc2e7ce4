import { requestHolder } from '../../src/dialects/mozpool/domain/request-holder.js';
import type { DeviceView, ImageView, LogEntry, PxeConfigView, RequestView } from '../../src/projections/read-models.js';

/** Builders of read-model views with plausible defaults; tests override what they assert on. */

export function aDevice(overrides: Partial<DeviceView> & { readonly name: string }): DeviceView {
  return {
    id: 1,
    fqdn: `${overrides.name}.lab.example.com`,
    inventory_id: 101,
    mac_address: '00:11:22:33:44:55',
    imaging_server: 'imaging1:8010',
    relay_info: 'pdu1.lab.example.com:161/3',
    hardware_type: 'panda',
    state: 'ready',
    comments: '',
    image: '',
    boot_config: '',
    environment: 'prod',
    request_id: null,
    // A device a test says a request holds is held by that request.
    holder: overrides.request_id === undefined || overrides.request_id === null ? null : requestHolder(overrides.request_id),
    stateEnteredAtMs: 0,
    ...overrides,
  };
}

export function aRequest(overrides: Partial<RequestView> & { readonly id: number }): RequestView {
  return {
    imaging_server: 'imaging1:8010',
    assignee: 'ci@example.com',
    boot_config: '{}',
    state: 'ready',
    expires: '2030-01-01T00:10:00.000Z',
    requested_device: 'any',
    environment: 'any',
    image: 'android',
    assigned_device: '',
    device_state: '',
    closed: false,
    ...overrides,
  };
}

export function anImage(overrides: Partial<ImageView> & { readonly name: string }): ImageView {
  return {
    id: 1,
    boot_config_keys: [],
    can_reuse: false,
    hidden: false,
    has_sut_agent: false,
    verifyTcpPort: 22,
    pxeConfigs: {},
    ...overrides,
  };
}

export function aPxeConfig(overrides: Partial<PxeConfigView> & { readonly name: string }): PxeConfigView {
  return { version: 1, description: `${overrides.name} boot`, contents: 'DEFAULT linux', active: true, ...overrides };
}

/** `count` log lines one second apart, the last at `lastAtMs`. */
export function aLog(count: number, lastAtMs: number, source = 'statemachine'): LogEntry[] {
  return Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    timestamp: new Date(lastAtMs - (count - 1 - index) * 1000).toISOString(),
    source,
    message: `line ${index + 1}`,
  }));
}
