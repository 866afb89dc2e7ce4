// How the dashboard groups LifeGuard states and describes labpool's events.

/** The device classes, in display order; `counted` ones get a counter card. */
export const DEVICE_CLASSES = [
  { id: 'free', label: 'free', counted: true },
  { id: 'inuse', label: 'in use', counted: true },
  { id: 'imaging', label: 'imaging', counted: true },
  { id: 'failed', label: 'failed', counted: true },
  { id: 'maintenance', label: 'maintenance / locked', short: 'maintenance', counted: false },
];

const MAINTENANCE = new Set(['locked_out', 'maintenance_mode', 'start_maintenance']);

/**
 * Who holds the device, as the device list names it: `request 12` for a MozPool request, else the
 * list's `held_by` (`vm 8x2k…`, `pool ubuntu`, `deployment …`) for the other API families; null when free.
 */
export function deviceHolder(device) {
  if (device.request_id !== null && device.request_id !== undefined) return `request ${device.request_id}`;
  return typeof device.held_by === 'string' && device.held_by !== '' ? device.held_by : null;
}

/**
 * failed_* → failed; locked out or in maintenance → maintenance; ready and held (by any API family)
 * → in use; ready → free; every other state is on the way somewhere (imaging, self-test, power cycle).
 */
export function deviceClass(device) {
  const state = device.state ?? '';
  if (state.startsWith('failed_')) return 'failed';
  if (MAINTENANCE.has(state)) return 'maintenance';
  if (state === 'ready') return deviceHolder(device) === null ? 'free' : 'inuse';
  return 'imaging';
}

/** A request's state as a colour class. */
export function requestClass(request) {
  const state = request.state ?? '';
  if (state.startsWith('failed')) return 'failed';
  if (state === 'ready') return 'inuse';
  if (state === 'closed' || state === 'expired') return 'closed';
  return 'imaging';
}

/** States an operator forces most, for the force-state form's suggestions. */
export const FORCEABLE_STATES = ['ready', 'locked_out', 'start_self_test', 'start_maintenance', 'maintenance_mode', 'troubleshooting'];

/**
 * `device-sim-0001` → { kind: 'device', name: 'sim-0001' }; `request-3` → { kind: 'request', name: '3' };
 * `clusterop-deploy-alpha` → { kind: 'clusterop', name: 'deploy-alpha' }.
 */
export function streamSubject(stream = '') {
  const dash = stream.indexOf('-');
  if (dash < 0) return { kind: stream, name: stream };
  return { kind: stream.slice(0, dash), name: stream.slice(dash + 1) };
}

/** `request 12`, `pool centos-7`: a holder as the feed names it. */
function holderName(holder) {
  const noun = { mozpool_request: 'request', vmpooler_pool: 'pool', vmpooler_vm: 'vm', drydock_deployment: 'deployment', commissaire_cluster: 'Commissaire host', lbaas_loadbalancer: 'load balancer' }[
    holder?.kind
  ];
  return `${noun ?? holder?.kind} ${holder?.id}`;
}

const SUMMARIES = {
  DeviceStateEntered: (d) => `${d.from} → ${d.to}${d.trigger ? ` (${d.trigger})` : ''}`,
  RequestStateEntered: (d) => `${d.from} → ${d.to}`,
  RequestOpened: (d) => `opened by ${d.assignee} for ${d.requestedDevice}, image ${d.image}`,
  RequestDeviceAssigned: (d) => `assigned ${d.device}`,
  RequestDeviceReleased: (d) => `released ${d.device}${d.reason ? ` (${d.reason})` : ''}`,
  RequestClosed: (d) => `closed (${d.reason})`,
  LeaseRenewed: (d) => `renewed until ${new Date(d.expiresAtMs).toLocaleTimeString()}`,
  DeviceHolderAttached: (d) => `attached to ${holderName(d.holder)}`,
  DeviceHolderDetached: (d) => `detached from ${holderName(d.holder)}`,
  DeviceHolderTransferred: (d) => `handed from ${holderName(d.from)} to ${holderName(d.to)}`,
  DeviceImagingRequested: (d) => `imaging ${d.image}`,
  DeviceImageInstalled: (d) => `image ${d.image} installed`,
  DeviceCommentsSet: (d) => `comments: ${d.comments}`,
  DeviceEnvironmentSet: (d) => `environment: ${d.environment}`,
  PowerCycleFailed: (d) => `power cycle failed: ${d.error}`,
  PowerCycleSucceeded: () => 'power cycle ok',
  BootStarted: (d) => `boot ${d.kind}${d.image ? ` ${d.image}` : ''}`,
  BootEnded: (d) => `boot ${d.outcome} in ${d.state}`,
  TaskCreated: (d) => `${d.action} of ${d.designRef}${d.node ? ` on ${d.node}` : ''} by ${d.createdBy}`,
  TaskSubtasksAdded: (d) => `${d.subtasks.length} node task${d.subtasks.length === 1 ? '' : 's'}: ${d.subtasks.map((s) => s.node).join(', ')}`,
  TaskMessagesAdded: (d) => d.messages.map((m) => m.message).join('; '),
  TaskNodeFailed: (d) => d.message,
  TaskBootactionsAwaited: (d) => `waiting for ${d.actions.map((a) => a.name).join(', ')}`,
  TaskBootactionReported: (d) => `${d.actionName}: ${d.status ?? 'details'}`,
  TaskSubtaskEnded: (d) => `${d.node}: ${d.status}`,
  TaskTerminationRequested: (d) => `termination asked by ${d.by}`,
  TaskCompleted: (d) => `${d.status}: ${d.result}${d.message ? ` (${d.message})` : ''}`,
  // Commissaire. A host's registration carries its sealed credentials: the feed names only its device.
  HostRegistered: (d) => `registered as ${d.device}${d.cluster ? ` in cluster ${d.cluster}` : ''}`,
  HostInvestigated: (d) => `facts: ${d.facts.os || 'unknown os'}, ${d.facts.cpus} cpus, ${d.facts.memoryKb} kB memory, ${d.facts.spaceKb} kB disk`,
  HostInvestigationFailed: (d) => `investigation failed: ${d.reason}`,
  HostBootstrapped: (d) => `bootstrapped: ${d.to}`,
  HostBootstrapFailed: (d) => `bootstrap failed: ${d.reason}`,
  HostClusterAssigned: (d) => (d.cluster ? `in cluster ${d.cluster}` : 'in no cluster'),
  ClusterCreated: (d) => `network ${d.network}, container manager ${d.containerManager ?? 'none'}`,
  ClusterHostAdded: (d) => `added ${d.address}`,
  ClusterHostRemoved: (d) => `removed ${d.address}`,
  ClusterHostsReplaced: (d) => `hosts: ${d.hosts.join(', ') || 'none'}`,
  ClusterOperationStarted: (d) => `${d.kind}${d.version ? ` ${d.version}` : ''} of ${d.hosts.length} host${d.hosts.length === 1 ? '' : 's'}`,
  ClusterOperationHostStarted: (d) => `${d.host} in process`,
  ClusterOperationHostDone: (d) => `${d.host} done`,
  ClusterOperationHostFailed: (d) => `${d.host} failed: ${d.reason}`,
  CommissaireNetworkCreated: (d) => `type ${d.recordType}`,
  CommissaireContainerManagerCreated: (d) => `type ${d.recordType}`,
};

/** One line describing an event's data, or '' when its type says it all. */
export function summarize(type, data) {
  const describe = SUMMARIES[type];
  if (describe !== undefined && data !== null && typeof data === 'object') {
    try {
      return describe(data);
    } catch {
      return '';
    }
  }
  if (data !== null && typeof data === 'object' && typeof data.message === 'string') return data.message;
  return '';
}

/** The colour class of an event in the feed and the timeline. */
export function eventClass(type, data) {
  if (type === 'DeviceStateEntered' && data?.to !== undefined) return deviceClass({ state: data.to, request_id: null });
  if (type.includes('Failed') || (type === 'RequestStateEntered' && String(data?.to).startsWith('failed'))) return 'failed';
  if (type === 'TaskCompleted') return data?.result === 'failure' ? 'failed' : data?.result === 'success' ? 'free' : 'imaging';
  if (type === 'TaskSubtaskEnded' && data?.status === 'failure') return 'failed';
  if (type.startsWith('Request') || type === 'LeaseRenewed') return 'inuse';
  if ((type === 'HostBootstrapped' && data?.to === 'active') || type === 'ClusterOperationFinished') return 'free';
  return 'neutral';
}
