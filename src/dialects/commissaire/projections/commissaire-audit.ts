import type { KnownEventTypes } from '../../../domain/to-domain-event.js';
import type { Json, RecordedEvent } from '../../../store/port.js';
import { createAuditFold, type AuditKind } from '../../../projections/audit/audit-kinds.js';
import { clusterDecider, type ClusterEvent } from '../domain/cluster-decider.js';
import { ADDRESS_PATTERN, NAME_PATTERN } from '../domain/commissaire-rules.js';
import { hostDecider, type HostEvent, type HostState } from '../domain/host-decider.js';
import { OPERATION_KINDS } from '../domain/operation-events.js';
import { operationDecider, type OperationEvent } from '../domain/operation-decider.js';
import { COMMISSAIRE_CATEGORIES } from './commissaire-streams.js';

/** A state with the word an audit lists it by; host credentials never appear, even sealed. */
type Audited<State> = State & { readonly state: string };

function auditKind<Event extends HostEvent | ClusterEvent | OperationEvent, State extends { readonly status: string }>(
  category: string,
  pattern: RegExp,
  what: string,
  decider: { readonly initialState: State; readonly evolve: (state: State, event: Event) => State; readonly knownEventTypes: KnownEventTypes<Event> },
  shown: (state: State) => State = (state) => state,
): AuditKind {
  const audited = (state: State): Audited<State> => ({ ...shown(state), state: state.status });
  return {
    category,
    parseId: (raw) => (pattern.test(raw) ? raw : undefined),
    streamOf: (id) => `${category}-${id}`,
    describeBadId: (raw) => `${what}, not '${raw}'`,
    fold: createAuditFold<Event, Audited<State>>({ initialState: audited(decider.initialState), evolve: (state, event) => audited(decider.evolve(state, event)), knownTypes: decider.knownEventTypes }),
  };
}

const withoutCreds = (host: HostState): HostState => (host.status === 'unregistered' ? host : { ...host, credsSealed: '(sealed)', keyFingerprint: '(sealed)' });

/** A registration's data as a history lists it: the sealed credentials and the key's fingerprint left out. */
function registrationWithoutCreds(event: RecordedEvent): Json {
  const { data } = event;
  if (event.type !== 'HostRegistered' || typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  return { ...data, credsSealed: '(sealed)', keyFingerprint: '(sealed)' };
}

/** Commissaire hosts by address (`commhost-<address>`). */
export const hostAudit: AuditKind = {
  ...auditKind(COMMISSAIRE_CATEGORIES.host, ADDRESS_PATTERN, 'a host address is [A-Za-z0-9_.-]+', hostDecider, withoutCreds),
  shownData: registrationWithoutCreds,
};

/** Commissaire clusters by name (`commcluster-<name>`). */
export const clusterAudit = auditKind(COMMISSAIRE_CATEGORIES.cluster, NAME_PATTERN, 'a cluster name is [A-Za-z0-9_-]+', clusterDecider);

const OPERATION_ID = new RegExp(`^(${OPERATION_KINDS.join('|')})-[A-Za-z0-9_-]+$`);

/** Cluster operations by `<kind>-<cluster>` (`clusterop-deploy-web`). */
export const operationAudit = auditKind(COMMISSAIRE_CATEGORIES.operation, OPERATION_ID, 'an operation id is <deploy|upgrade|restart>-<cluster name>', operationDecider);
