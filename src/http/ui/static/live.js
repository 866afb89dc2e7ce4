// The live event feed: Server-Sent Events from /api/events/, or polling when the server has none.

/** The event tail names every message after its event type, so each type needs its own listener. */
export const EVENT_TYPES = [
  'DeviceRegistered',
  'DeviceInventoryUpdated',
  'DeviceRetired',
  'DeviceStateEntered',
  'DeviceHolderAttached',
  'DeviceHolderDetached',
  'DeviceHolderTransferred',
  'DeviceImagingRequested',
  'DeviceImageInstalled',
  'DeviceBootConfigSet',
  'DeviceCommentsSet',
  'DeviceEnvironmentSet',
  'DeviceEventReported',
  'DeviceLogged',
  'BootStarted',
  'BootEnded',
  'BootOpened',
  'BootStageEntered',
  'BootDeviceReported',
  'BootPowerCycleAttempted',
  'BootFinished',
  'PowerCycleSucceeded',
  'PowerCycleFailed',
  'PowerOffRequested',
  'PowerCycleRequested',
  'PxeClearRequested',
  'VerifyFailed',
  'RequestOpened',
  'RequestStateEntered',
  'RequestDeviceAssigned',
  'RequestDeviceReleased',
  'RequestImagingResultReceived',
  'LeaseRenewed',
  'RequestClosed',
  'RequestEventReported',
  'RequestLogged',
  'ImageDefined',
  'HardwareTypeDefined',
  'PxeConfigDefined',
  'TaskCreated',
  'TaskStarted',
  'TaskSubtasksAdded',
  'TaskMessagesAdded',
  'TaskNodeSucceeded',
  'TaskNodeFailed',
  'TaskBootactionsAwaited',
  'TaskBootactionReported',
  'TaskSubtaskEnded',
  'TaskTerminationRequested',
  'TaskCompleted',
  'HostRegistered',
  'HostInvestigated',
  'HostInvestigationFailed',
  'HostBootstrapped',
  'HostBootstrapFailed',
  'HostClusterAssigned',
  'HostDeleted',
  'ClusterCreated',
  'ClusterHostAdded',
  'ClusterHostRemoved',
  'ClusterHostsReplaced',
  'ClusterDeleted',
  'ClusterOperationStarted',
  'ClusterOperationHostStarted',
  'ClusterOperationHostDone',
  'ClusterOperationHostFailed',
  'ClusterOperationFinished',
  'CommissaireNetworkCreated',
  'CommissaireNetworkDeleted',
  'CommissaireContainerManagerCreated',
  'CommissaireContainerManagerDeleted',
];

/** Events after which the device and request lists are worth fetching again. */
export function changesLists(type) {
  return /^(Device|Request|Lease)/.test(type) && !type.endsWith('Logged');
}

/** Commissaire's events: hosts, clusters, their operations, networks and container managers. */
export function isCommissaireEvent(type) {
  return /^(Host|Cluster|CommissaireNetwork|CommissaireContainerManager)[A-Z]/.test(type);
}

/** Shows the feed's mode in the page header's `#live` badge. */
export function showMode(mode) {
  const badge = document.getElementById('live');
  if (badge === null) return;
  badge.dataset.mode = mode;
  badge.textContent = { live: 'live', polling: 'polling', connecting: 'connecting…', reconnecting: 'reconnecting…' }[mode] ?? mode;
  badge.title = mode === 'polling' ? 'this server has no /api/events/ feed: the lists are polled every few seconds' : 'Server-Sent Events from /api/events/';
}

function startPolling(onPoll, pollMs) {
  showMode('polling');
  onPoll();
  return setInterval(onPoll, pollMs);
}

/**
 * Calls `onEvent(event)` for each event of the feed, and `onResync()` whenever events may have been
 * missed (connected, reconnected). Without an event feed it polls: `onResync()` every `pollMs`.
 */
export function startLive({ onEvent, onResync, pollMs = 2000 }) {
  showMode('connecting');
  if (typeof EventSource === 'undefined') return startPolling(onResync, pollMs);
  const source = new EventSource('/api/events/');
  const handle = (message) => {
    try {
      onEvent(JSON.parse(message.data));
    } catch {
      // A keep-alive or a message that is not an event.
    }
  };
  source.onmessage = handle;
  for (const type of EVENT_TYPES) source.addEventListener(type, handle);
  source.onopen = () => {
    showMode('live');
    onResync();
  };
  source.onerror = () => {
    // A 404 (no feed on this server) closes the source for good; a dropped connection retries itself.
    if (source.readyState === EventSource.CLOSED) startPolling(onResync, pollMs);
    else showMode('reconnecting');
  };
  window.addEventListener('pagehide', () => source.close());
  return source;
}
