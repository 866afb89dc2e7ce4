import type { ClusterEvent } from '../../../src/dialects/commissaire/domain/cluster-decider.js';
import type { ConfigRecordEvent } from '../../../src/dialects/commissaire/domain/config-record-decider.js';
import type { HostEvent } from '../../../src/dialects/commissaire/domain/host-decider.js';
import type { OperationEvent, OperationKind } from '../../../src/dialects/commissaire/domain/operation-decider.js';
import { COMMISSAIRE_CATEGORIES } from '../../../src/dialects/commissaire/projections/commissaire-streams.js';
import { createCommissaireViews, type CommissaireViews } from '../../../src/dialects/commissaire/projections/commissaire-views.js';
import { createEventStore } from '../../../src/store/create-store.js';
import { LOG_START } from '../../../src/store/port.js';

/** What happened to one Commissaire stream, in order. */
export type StreamEvents =
  | readonly ['host', string, readonly HostEvent[]]
  | readonly ['cluster', string, readonly ClusterEvent[]]
  | readonly ['containermanager' | 'network', string, readonly ConfigRecordEvent[]]
  | readonly ['operation', `${OperationKind}-${string}`, readonly OperationEvent[]];

const CATEGORY = {
  host: COMMISSAIRE_CATEGORIES.host,
  cluster: COMMISSAIRE_CATEGORIES.cluster,
  network: COMMISSAIRE_CATEGORIES.network,
  containermanager: COMMISSAIRE_CATEGORIES.containerManager,
  operation: COMMISSAIRE_CATEGORIES.operation,
} as const;

/** A host's registration with its (here meaningless) sealed credentials. */
export function hostRegistered(address: string, device: string, cluster: string | null, atMs: number): HostEvent {
  return { type: 'HostRegistered', data: { address, device, cluster, credsSealed: 'sealed', keyFingerprint: 'fingerprint', atMs } };
}

/**
 * Commissaire's real views over `streams`: the events are appended to a real SQLite store (in memory)
 * and read back from its log, as the projection runner feeds them.
 */
export async function viewsOf(streams: readonly StreamEvents[]): Promise<CommissaireViews> {
  const store = createEventStore({ kind: 'sqlite', path: ':memory:', synchronous: 'NORMAL' });
  try {
    for (const [kind, id, events] of streams) {
      const toAppend = events.map((event) => ({ type: event.type, data: event.data }));
      if (toAppend.length > 0) await store.appendToStream(`${CATEGORY[kind]}-${id}`, toAppend, 'any');
    }
    const views = createCommissaireViews();
    for await (const recorded of store.readAll(LOG_START)) views.apply(recorded);
    return views;
  } finally {
    await store.close();
  }
}
