import { commissaireTime } from './commissaire-rules.js';
import type { OperationStatus } from './operation-events.js';
import type { StartedOperation } from './operation-state.js';

type Common = {
  /** The cluster's name. */
  readonly name: string;
  readonly status: OperationStatus;
  readonly started_at: string;
  /** '' while in process. */
  readonly finished_at: string;
  /** Host addresses, as strings (as the original listed them). */
  readonly in_process: readonly string[];
};

/** GET /cluster/{name}/deploy|upgrade|restart: each kind names its done list after itself. */
export type OperationView =
  (Common & { readonly deployed: readonly string[]; readonly version: string }) | (Common & { readonly upgraded: readonly string[] }) | (Common & { readonly restarted: readonly string[] });

export function operationView(operation: StartedOperation): OperationView {
  const common: Common = {
    name: operation.cluster,
    status: operation.status,
    started_at: commissaireTime(operation.startedAtMs),
    finished_at: operation.finishedAtMs === null ? '' : commissaireTime(operation.finishedAtMs),
    in_process: operation.inProcess === null ? [] : [operation.inProcess],
  };
  const done = operation.done;
  switch (operation.kind) {
    case 'deploy':
      return { ...common, deployed: done, version: operation.version ?? '' };
    case 'upgrade':
      return { ...common, upgraded: done };
    case 'restart':
      return { ...common, restarted: done };
    default: {
      const unknown: never = operation.kind;
      return unknown;
    }
  }
}
