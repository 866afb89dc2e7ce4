import { DateTime } from 'luxon';
import type { Projection } from '../../../projections/projection-runner.js';
import { streamId } from '../../../projections/lab/event-time.js';
import type { Holder } from '../../../domain/holders/holder.js';
import { nodeTaskOf } from '../domain/deployment-holder.js';

/** One build data record, as Drydock's routes answer it. */
export type BuildDataRecord = {
  readonly node_name: string;
  readonly generator: string;
  /** ISO 8601 UTC. */
  readonly collected_date: string;
  /** The node task that held the node when it reported; null when Drydock did not hold it. */
  readonly task_id: string | null;
  readonly data_format: string;
  /** The report as text (JSON for `application/json`). */
  readonly data_element: string;
};

export interface BuildDataReadModel {
  /** Oldest first; `latest`: only the newest record of each generator. */
  forNode(node: string, latest: boolean): readonly BuildDataRecord[];
  /** Records collected for any of these tasks, oldest first. */
  forTasks(taskIds: ReadonlySet<string>): readonly BuildDataRecord[];
}

export type BuildDataViews = Projection & BuildDataReadModel;

/** Reports kept per node: a few deploys' worth; older ones leave memory (the log keeps them). */
const RECORDS_PER_NODE = 50;

type FactsData = { readonly generator: string; readonly format: string; readonly facts: unknown; readonly atMs: number };

/**
 * Build data from the devices' own hardware reports (`DeviceFactsReported`), tagged with the node task
 * holding the device at that moment, as Drydock tags build data with the task that collected it.
 */
export function createBuildDataViews(): BuildDataViews {
  const holders = new Map<string, Holder | null>();
  const records = new Map<string, BuildDataRecord[]>();

  function holderAfter(type: string, data: { readonly holder?: Holder; readonly to?: Holder }): Holder | null | undefined {
    if (type === 'DeviceHolderAttached') return data.holder ?? null;
    if (type === 'DeviceHolderTransferred') return data.to ?? null;
    if (type === 'DeviceHolderDetached' || type === 'DeviceRetired') return null;
    return undefined;
  }

  function record(node: string, data: FactsData): void {
    const entry: BuildDataRecord = {
      node_name: node,
      generator: data.generator,
      collected_date: DateTime.fromMillis(data.atMs, { zone: 'utc' }).toISO() ?? '',
      task_id: nodeTaskOf(holders.get(node) ?? null),
      data_format: data.format,
      data_element: typeof data.facts === 'string' ? data.facts : JSON.stringify(data.facts),
    };
    const list = records.get(node) ?? [];
    list.push(entry);
    if (list.length > RECORDS_PER_NODE) list.shift();
    records.set(node, list);
  }

  return {
    name: 'drydock-build-data',
    filter: { streamPrefixes: ['device-'] },
    apply(recorded) {
      const node = streamId(recorded.stream, 'device');
      const data = recorded.data as Record<string, unknown>;
      if (recorded.type === 'DeviceFactsReported') return record(node, data as unknown as FactsData);
      const next = holderAfter(recorded.type, data);
      if (next !== undefined) holders.set(node, next);
    },
    forNode(node, latest) {
      const list = records.get(node) ?? [];
      if (!latest) return list;
      const newest = new Map<string, BuildDataRecord>();
      for (const entry of list) newest.set(entry.generator, entry);
      return list.filter((entry) => newest.get(entry.generator) === entry);
    },
    forTasks(taskIds) {
      const found = [...records.values()].flat().filter((entry) => entry.task_id !== null && taskIds.has(entry.task_id));
      return found.sort((a, b) => a.collected_date.localeCompare(b.collected_date));
    },
  };
}
