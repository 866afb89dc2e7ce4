import type { DeviceEvent } from '../../domain/device/device-events.js';
import type { RecordedEvent } from '../../store/port.js';
import { describeTransition } from './describe-transition.js';
import { ignoreUnknownEvent } from './event-time.js';
import type { LogLine } from './stream-logs.js';

const statemachine = (message: string): LogLine => ({ source: 'statemachine', message });
const bmm = (message: string): LogLine => ({ source: 'bmm', message });
const lifeguard = (message: string): LogLine => ({ source: 'lifeguard', message });
const inventory = (message: string): LogLine => ({ source: 'inventory', message });
const user = (message: string): LogLine => ({ source: 'user', message });

/** One human-readable line for each event of a device stream, with who said it. */
export function describeDeviceEvent(recorded: RecordedEvent): LogLine | undefined {
  const event = { type: recorded.type, data: recorded.data } as DeviceEvent;
  switch (event.type) {
    case 'DeviceRegistered':
    case 'DeviceInventoryUpdated':
    case 'DeviceRetired':
      return describeInventoryEvent(event);
    case 'DeviceStateEntered':
      return statemachine(describeTransition(event.data));
    case 'PowerCycleSucceeded':
    case 'PowerCycleFailed':
    case 'PowerOffRequested':
    case 'PowerCycleRequested':
    case 'PxeClearRequested':
    case 'DeviceBootConfigSet':
      return describeHardwareEvent(event);
    case 'DeviceImagingRequested':
    case 'DeviceImageInstalled':
    case 'BootStarted':
    case 'BootEnded':
    case 'VerifyFailed':
      return describeImagingEvent(event);
    case 'DeviceRequestAttached':
      return lifeguard(`attached to request ${event.data.requestId}`);
    case 'DeviceRequestDetached':
      return lifeguard(`detached from request ${event.data.requestId}${because(event.data.reason)}`);
    case 'DeviceEventReported':
      return describeReportedEvent(event.data);
    case 'DeviceCommentsSet':
      return user(`comments set to ${JSON.stringify(event.data.comments)}`);
    case 'DeviceEnvironmentSet':
      return user(`environment set to ${event.data.environment}`);
    case 'DeviceLogged':
      return { source: event.data.source, message: event.data.message };
    default:
      return ignoreUnknownEvent(event);
  }
}

type EventOf<Type extends DeviceEvent['type']> = Extract<DeviceEvent, { readonly type: Type }>;

type HardwareEvent = EventOf<'PowerCycleSucceeded' | 'PowerCycleFailed' | 'PowerOffRequested' | 'PowerCycleRequested' | 'PxeClearRequested' | 'DeviceBootConfigSet'>;

function describeInventoryEvent(event: EventOf<'DeviceRegistered' | 'DeviceInventoryUpdated' | 'DeviceRetired'>): LogLine {
  if (event.type === 'DeviceRetired') return inventory('retired');
  const { fqdn, macAddress, hardwareType, relayInfo, imagingServer, environment } = event.data;
  const facts = `${hardwareType} ${fqdn} (${macAddress}), power ${relayInfo}, server ${imagingServer}, environment ${environment}`;
  return inventory(event.type === 'DeviceRegistered' ? `registered: ${facts}` : `inventory updated: ${facts}`);
}

function describeHardwareEvent(event: HardwareEvent): LogLine {
  switch (event.type) {
    case 'PowerCycleSucceeded':
      return bmm('power cycle succeeded');
    case 'PowerCycleFailed':
      return bmm(`power cycle failed: ${event.data.error}`);
    case 'PowerOffRequested':
      return bmm('power off requested');
    case 'PowerCycleRequested': {
      const { pxeConfig } = event.data;
      return bmm(pxeConfig === null ? 'power cycle requested, PXE cleared' : `power cycle requested with PXE config ${pxeConfig}`);
    }
    case 'PxeClearRequested':
      return bmm(`PXE config cleared${because(event.data.reason)}`);
    case 'DeviceBootConfigSet':
      return bmm(`boot config set to ${event.data.bootConfig === '' ? '(none)' : event.data.bootConfig}`);
    default:
      return event satisfies never;
  }
}

function describeImagingEvent(event: EventOf<'DeviceImagingRequested' | 'DeviceImageInstalled' | 'BootStarted' | 'BootEnded' | 'VerifyFailed'>): LogLine {
  switch (event.type) {
    case 'DeviceImagingRequested':
      return lifeguard(`imaging ${event.data.image} with PXE config ${event.data.pxeConfig}${withBootConfig(event.data.bootConfig)}`);
    case 'DeviceImageInstalled':
      return lifeguard(`image ${event.data.image} installed${withBootConfig(event.data.bootConfig)}`);
    case 'BootStarted': {
      const { bootId, kind, image, pxeConfig } = event.data;
      const what = [image === null ? [] : [`image ${image}`], pxeConfig === null ? [] : [`PXE config ${pxeConfig}`]].flat();
      return lifeguard(`boot ${bootId} started: ${kind}${what.length === 0 ? '' : ` (${what.join(', ')})`}`);
    }
    case 'BootEnded':
      return lifeguard(`boot ${event.data.bootId} ended: ${event.data.outcome} in state ${event.data.state}`);
    case 'VerifyFailed':
      return lifeguard(`verify failed: ${event.data.error}`);
    default:
      return event satisfies never;
  }
}

function describeReportedEvent(data: EventOf<'DeviceEventReported'>['data']): LogLine {
  const outcome = data.ignored ? ' (ignored)' : '';
  return { source: 'device', message: `event ${data.event} in state ${data.state}${outcome}` };
}

function because(reason: string): string {
  return reason === '' ? '' : `: ${reason}`;
}

function withBootConfig(bootConfig: string): string {
  return bootConfig === '' ? '' : `, boot config ${bootConfig}`;
}
