import { DEVICE_EVENT_TYPES } from '../../domain/device/device-event-types.js';
import type { DeviceEvent } from '../../domain/device/device-events.js';
import { describeHolder } from '../../domain/holders/holder.js';
import { toDomainEvent } from '../../domain/to-domain-event.js';
import type { RecordedEvent } from '../../store/port.js';
import { lineFrom, type LogLine } from '../logs/bounded-log.js';
import { describeTransition } from './describe-transition.js';
import { ignoreUnknownEvent } from './event-time.js';

// Lines are tagged templates: a line keeps the template and its values, and is formatted when read.
const bmm = lineFrom('bmm');
const lifeguard = lineFrom('lifeguard');
const inventory = lineFrom('inventory');
const user = lineFrom('user');
const device = lineFrom('device');

/** One human-readable line for each event of a device stream, with who said it. */
export function describeDeviceEvent(recorded: RecordedEvent): LogLine | undefined {
  const event = toDomainEvent(recorded, DEVICE_EVENT_TYPES);
  if (event === undefined) return undefined;
  switch (event.type) {
    case 'DeviceRegistered':
    case 'DeviceInventoryUpdated':
    case 'DeviceRetired':
      return describeInventoryEvent(event);
    case 'DeviceStateEntered':
      return describeTransition(event.data);
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
    case 'DeviceHolderAttached':
      return lifeguard`attached to ${describeHolder(event.data.holder)}`;
    case 'DeviceHolderDetached': {
      const { holder, reason } = event.data;
      return reason === '' ? lifeguard`detached from ${describeHolder(holder)}` : lifeguard`detached from ${describeHolder(holder)}: ${reason}`;
    }
    case 'DeviceHolderTransferred': {
      const { from, to, reason } = event.data;
      return lifeguard`handed from ${describeHolder(from)} to ${describeHolder(to)}${reason === '' ? '' : `: ${reason}`}`;
    }
    case 'DeviceEventReported': {
      const { event: name, state, ignored } = event.data;
      return device`event ${name} in state ${state}${ignored ? ' (ignored)' : ''}`;
    }
    case 'DeviceCommentsSet':
      return user`comments set to ${JSON.stringify(event.data.comments)}`;
    case 'DeviceEnvironmentSet':
      return user`environment set to ${event.data.environment}`;
    case 'DeviceLogged':
      return lineFrom(event.data.source)`${event.data.message}`;
    case 'DeviceFactsReported':
      return device`hardware facts reported (${event.data.generator}, ${event.data.format})`;
    case 'DeviceHandedOver':
      return inventory`handed over from server ${event.data.from} to server ${event.data.to}`;
    default:
      return ignoreUnknownEvent(event);
  }
}

type EventOf<Type extends DeviceEvent['type']> = Extract<DeviceEvent, { readonly type: Type }>;

type HardwareEvent = EventOf<'PowerCycleSucceeded' | 'PowerCycleFailed' | 'PowerOffRequested' | 'PowerCycleRequested' | 'PxeClearRequested' | 'DeviceBootConfigSet'>;

function describeInventoryEvent(event: EventOf<'DeviceRegistered' | 'DeviceInventoryUpdated' | 'DeviceRetired'>): LogLine {
  if (event.type === 'DeviceRetired') return inventory`retired`;
  const { fqdn, macAddress, hardwareType, relayInfo, imagingServer, environment } = event.data;
  const what = event.type === 'DeviceRegistered' ? 'registered' : 'inventory updated';
  return inventory`${what}: ${hardwareType} ${fqdn} (${macAddress}), power ${relayInfo}, server ${imagingServer}, environment ${environment}`;
}

function describeHardwareEvent(event: HardwareEvent): LogLine {
  switch (event.type) {
    case 'PowerCycleSucceeded':
      return bmm`power cycle succeeded`;
    case 'PowerCycleFailed':
      return bmm`power cycle failed: ${event.data.error}`;
    case 'PowerOffRequested':
      return bmm`power off requested`;
    case 'PowerCycleRequested': {
      const { pxeConfig } = event.data;
      return pxeConfig === null ? bmm`power cycle requested, PXE cleared` : bmm`power cycle requested with PXE config ${pxeConfig}`;
    }
    case 'PxeClearRequested': {
      const { reason } = event.data;
      return reason === '' ? bmm`PXE config cleared` : bmm`PXE config cleared: ${reason}`;
    }
    case 'DeviceBootConfigSet': {
      const { bootConfig } = event.data;
      return bmm`boot config set to ${bootConfig === '' ? '(none)' : bootConfig}`;
    }
    default:
      return event satisfies never;
  }
}

function describeImagingEvent(event: EventOf<'DeviceImagingRequested' | 'DeviceImageInstalled' | 'BootStarted' | 'BootEnded' | 'VerifyFailed'>): LogLine {
  switch (event.type) {
    case 'DeviceImagingRequested': {
      const { image, pxeConfig, bootConfig } = event.data;
      return bootConfig === '' ? lifeguard`imaging ${image} with PXE config ${pxeConfig}` : lifeguard`imaging ${image} with PXE config ${pxeConfig}, boot config ${bootConfig}`;
    }
    case 'DeviceImageInstalled': {
      const { image, bootConfig } = event.data;
      return bootConfig === '' ? lifeguard`image ${image} installed` : lifeguard`image ${image} installed, boot config ${bootConfig}`;
    }
    case 'BootStarted':
      return describeBootStart(event.data);
    case 'BootEnded':
      return lifeguard`boot ${event.data.bootId} ended: ${event.data.outcome} in state ${event.data.state}`;
    case 'VerifyFailed':
      return lifeguard`verify failed: ${event.data.error}`;
    default:
      return event satisfies never;
  }
}

/** `boot b-1 started: image (image android, PXE config panda-android)`, naming only the image and PXE config it has. */
function describeBootStart({ bootId, kind, image, pxeConfig }: EventOf<'BootStarted'>['data']): LogLine {
  if (image === null) return pxeConfig === null ? lifeguard`boot ${bootId} started: ${kind}` : lifeguard`boot ${bootId} started: ${kind} (PXE config ${pxeConfig})`;
  return pxeConfig === null ? lifeguard`boot ${bootId} started: ${kind} (image ${image})` : lifeguard`boot ${bootId} started: ${kind} (image ${image}, PXE config ${pxeConfig})`;
}
