import type { ActorKind } from '../../../actors/actor-system.js';
import type { LabContext, LabKinds } from '../../../lab/lab-context.js';
import type { RequestCommand } from '../domain/request-commands.js';
import type { RequestEvent } from '../domain/request-events.js';
import type { RequestIdsCommand, RequestIdsEvent, RequestIdsState } from '../domain/request-ids.js';
import type { RequestState } from '../domain/request-state.js';
import type { MozpoolReadModels } from '../projections/mozpool-read-models.js';

export type RequestKind = ActorKind<RequestCommand, RequestEvent, RequestState>;
export type RequestIdsKind = ActorKind<RequestIdsCommand, RequestIdsEvent, RequestIdsState>;

/** The core lab's actor kinds, with MozPool's requests and its request id allocator. */
export type MozpoolKinds = LabKinds & { readonly requests: RequestKind; readonly requestIds: RequestIdsKind };

/** What MozPool's actors and services share: the core lab's context, with MozPool's kinds and read models. */
export type MozpoolLabContext = Omit<LabContext, 'kinds' | 'readModels'> & { readonly kinds: MozpoolKinds; readonly readModels: MozpoolReadModels };
