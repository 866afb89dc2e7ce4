import { accept, type Decider, type Decision } from '../../../domain/decider.js';
import type { Json } from '../../../domain/json.js';
import { eventTypes, type KnownEventTypes } from '../../../domain/to-domain-event.js';
import { canonicalJson, NAME_PATTERN, refuse } from './commissaire-rules.js';

/** Options of a network or container manager: a JSON object, kept as the client sent it. */
export type ConfigOptions = Readonly<Record<string, Json>>;

type Created<Type extends string> = {
  readonly type: Type;
  /** `recordType`: the record's `type` field (`flannel_etcd`, `openshift`…). */
  readonly data: { readonly name: string; readonly recordType: string; readonly options: ConfigOptions; readonly atMs: number };
};
type Deleted<Type extends string> = { readonly type: Type; readonly data: { readonly atMs: number } };

/** Facts of one network (stream per name). */
export type NetworkEvent = Created<'CommissaireNetworkCreated'> | Deleted<'CommissaireNetworkDeleted'>;
/** Facts of one container manager configuration (stream per name). */
export type ContainerManagerEvent = Created<'CommissaireContainerManagerCreated'> | Deleted<'CommissaireContainerManagerDeleted'>;
export type ConfigRecordEvent = NetworkEvent | ContainerManagerEvent;

/** What the routes ask of a network or container manager. `type` and `options` as the body sent them. */
export type ConfigRecordCommand =
  { readonly type: 'Create'; readonly name: string; readonly recordType: string; readonly options: Json; readonly nowMs: number } | { readonly type: 'Delete'; readonly nowMs: number };

/** A record as its stream tells it: `absent` before creation and after deletion. */
export type ConfigRecordState =
  { readonly status: 'absent' } | { readonly status: 'present'; readonly name: string; readonly recordType: string; readonly options: ConfigOptions; readonly createdAtMs: number };

/** Per kind: the types a record may have and the names of its events. */
type KindSpec<Event extends ConfigRecordEvent> = {
  readonly label: string;
  readonly recordTypes: readonly string[];
  readonly created: Extract<Event, { data: { name: string } }>['type'];
  readonly deleted: Exclude<Event['type'], Extract<Event, { data: { name: string } }>['type']>;
  readonly known: KnownEventTypes<Event>;
};

export const NETWORK_TYPES = ['flannel_etcd', 'flannel_server'] as const;
export const CONTAINER_MANAGER_TYPES = ['openshift', 'trivial'] as const;

const NETWORK: KindSpec<NetworkEvent> = {
  label: 'network',
  recordTypes: NETWORK_TYPES,
  created: 'CommissaireNetworkCreated',
  deleted: 'CommissaireNetworkDeleted',
  known: eventTypes<NetworkEvent>({ CommissaireNetworkCreated: true, CommissaireNetworkDeleted: true }),
};

const CONTAINER_MANAGER: KindSpec<ContainerManagerEvent> = {
  label: 'container manager',
  recordTypes: CONTAINER_MANAGER_TYPES,
  created: 'CommissaireContainerManagerCreated',
  deleted: 'CommissaireContainerManagerDeleted',
  known: eventTypes<ContainerManagerEvent>({ CommissaireContainerManagerCreated: true, CommissaireContainerManagerDeleted: true }),
};

export const initialConfigRecordState: ConfigRecordState = { status: 'absent' };

function isOptions(options: Json): options is ConfigOptions {
  return typeof options === 'object' && options !== null && !Array.isArray(options);
}

function invalidCreation<Event extends ConfigRecordEvent>(spec: KindSpec<Event>, command: Extract<ConfigRecordCommand, { type: 'Create' }>): string | undefined {
  if (!NAME_PATTERN.test(command.name)) return `bad ${spec.label} name ${JSON.stringify(command.name)}`;
  if (!spec.recordTypes.includes(command.recordType)) return `a ${spec.label} type is one of ${spec.recordTypes.join(', ')}`;
  if (!isOptions(command.options)) return `${spec.label} options are an object`;
  return undefined;
}

/** An identical re-creation (options compared whatever their key order) changes nothing: 201 again. */
function decideCreate<Event extends ConfigRecordEvent>(spec: KindSpec<Event>, command: Extract<ConfigRecordCommand, { type: 'Create' }>, state: ConfigRecordState): Decision<Event> {
  const invalid = invalidCreation(spec, command);
  if (invalid !== undefined) return refuse('invalid', invalid);
  const { name, recordType, options, nowMs } = command;
  if (state.status === 'present') {
    const same = state.recordType === recordType && canonicalJson(state.options) === canonicalJson(options);
    return same ? accept() : refuse('conflict', `${spec.label} ${name} exists with another type or options`);
  }
  return accept({ type: spec.created, data: { name, recordType, options, atMs: nowMs } } as Event);
}

function createConfigRecordDecider<Event extends ConfigRecordEvent>(spec: KindSpec<Event>): Decider<ConfigRecordCommand, Event, ConfigRecordState> {
  const decide = (command: ConfigRecordCommand, state: ConfigRecordState): Decision<Event> => {
    if (command.type === 'Create') return decideCreate(spec, command, state);
    if (state.status === 'absent') return refuse('not_found', `no such ${spec.label}`);
    return accept({ type: spec.deleted, data: { atMs: command.nowMs } } as Event);
  };
  const evolve = (state: ConfigRecordState, event: Event): ConfigRecordState => {
    if (event.type === spec.deleted) return initialConfigRecordState;
    // Only the created event has a name: the check narrows the union for TypeScript.
    if (!('name' in event.data)) return state;
    const { name, recordType, options, atMs } = event.data;
    return { status: 'present', name, recordType, options, createdAtMs: atMs };
  };
  return { initialState: initialConfigRecordState, knownEventTypes: spec.known, decide, evolve };
}

/** One Commissaire network (stream per name): `flannel_etcd` or `flannel_server`. */
export const networkDecider = createConfigRecordDecider(NETWORK);
/** One Commissaire container manager configuration (stream per name): `openshift` or `trivial`. */
export const containerManagerDecider = createConfigRecordDecider(CONTAINER_MANAGER);

/** GET /network/{name} and /containermanager/{name}. */
export type ConfigRecordView = { readonly name: string; readonly type: string; readonly options: ConfigOptions };

export function configRecordView(record: Extract<ConfigRecordState, { status: 'present' }>): ConfigRecordView {
  return { name: record.name, type: record.recordType, options: record.options };
}
