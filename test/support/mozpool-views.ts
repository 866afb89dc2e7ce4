import { requestHolder } from '../../src/dialects/mozpool/domain/request-holder.js';
import type { RequestView } from '../../src/dialects/mozpool/projections/mozpool-read-models.js';
import type { LabDevice, LabImage, LogEntry, PxeConfigView } from '../../src/projections/read-models.js';

/** Builders of read-model views with plausible defaults; tests override what they assert on. */

/** `requestId`: the MozPool request holding the device (its holder), or null. */
export function aDevice({ requestId = null, ...overrides }: Partial<LabDevice> & { readonly name: string; readonly requestId?: number | null }): LabDevice {
  return {
    id: 1,
    fqdn: `${overrides.name}.lab.example.com`,
    inventoryId: 101,
    macAddress: '00:11:22:33:44:55',
    imagingServer: 'imaging1:8010',
    relayInfo: 'pdu1.lab.example.com:161/3',
    hardwareType: 'panda',
    state: 'ready',
    comments: '',
    image: '',
    bootConfig: '',
    environment: 'prod',
    tags: [],
    labels: {},
    rack: null,
    rackLabels: {},
    holder: requestId === null ? null : requestHolder(requestId),
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

export function anImage(overrides: Partial<LabImage> & { readonly name: string }): LabImage {
  return {
    id: 1,
    bootConfigKeys: [],
    canReuse: false,
    hidden: false,
    hasSutAgent: false,
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
