import assert from 'node:assert/strict';
import type { OperationKind } from '../../../../src/dialects/commissaire/domain/operation-decider.js';
import type { EventStore, LogPosition, RecordedEvent } from '../../../../src/store/port.js';

/** The events of the latest run of a cluster's operation of `kind`, read from its stream `clusterop-<kind>-<cluster>`. */
export async function latestRun(store: EventStore, kind: OperationKind, cluster: string): Promise<readonly RecordedEvent[]> {
  const events = await store.readStream(`clusterop-${kind}-${cluster}`);
  const start = events.map((event) => event.type).lastIndexOf('ClusterOperationStarted');
  assert.notEqual(start, -1, `no ${kind} of cluster ${cluster} was started`);
  return events.slice(start);
}

const hostOf = (event: RecordedEvent): string => String((event.data as { host?: unknown }).host);

/** `HostStarted h` and `HostDone h` of a run, in stream order, as `started h` / `done h`. */
export function hostSteps(run: readonly RecordedEvent[]): string[] {
  const words: Readonly<Record<string, string>> = { ClusterOperationHostStarted: 'started', ClusterOperationHostDone: 'done' };
  return run.filter((event) => words[event.type] !== undefined).map((event) => `${words[event.type]} ${hostOf(event)}`);
}

/**
 * Checks that a finished run worked its hosts one at a time, in order: each host was started only
 * after the host before it was done, no host was done twice, and every host was done.
 */
export function assertOneHostAtATime(run: readonly RecordedEvent[], hosts: readonly string[]): void {
  assert.equal(run.at(-1)?.type, 'ClusterOperationFinished', `the run did not finish: ${run.map((event) => event.type).join(', ')}`);
  const done: string[] = [];
  let inProcess: string | null = null;
  for (const event of run) {
    if (event.type === 'ClusterOperationHostStarted') {
      // Started again while in process would be a redo; started while another is in process, an overlap.
      assert.ok(inProcess === null || inProcess === hostOf(event), `${hostOf(event)} started while ${inProcess} was in process`);
      assert.equal(hostOf(event), hosts[done.length], `${hostOf(event)} started out of order (done: ${done.join(', ')})`);
      inProcess = hostOf(event);
    }
    if (event.type === 'ClusterOperationHostDone') {
      assert.equal(hostOf(event), inProcess, `${hostOf(event)} done but not in process`);
      assert.ok(!done.includes(hostOf(event)), `${hostOf(event)} done twice`);
      done.push(hostOf(event));
      inProcess = null;
    }
  }
  assert.deepEqual(done, hosts);
}

/**
 * The most devices among `devices` that were out of `ready` at once between two log positions (both
 * inclusive), stepping through their `DeviceStateEntered` events in log order; all start in `ready`.
 * Also which devices left `ready` at all, so that a run that did nothing cannot pass.
 */
export async function mostOutOfReady(store: EventStore, devices: readonly string[], from: LogPosition, to: LogPosition): Promise<{ readonly most: number; readonly left: readonly string[] }> {
  const states = new Map(devices.map((device) => [device, 'ready']));
  const left = new Set<string>();
  let most = 0;
  for await (const event of store.readAll(from - 1n, { streamPrefixes: devices.map((device) => `device-${device}`), eventTypes: ['DeviceStateEntered'] })) {
    if (event.position > to) break;
    const device = event.stream.slice('device-'.length);
    if (!states.has(device)) continue;
    const state = String((event.data as { to?: unknown }).to);
    states.set(device, state);
    if (state !== 'ready') left.add(device);
    most = Math.max(most, [...states.values()].filter((current) => current !== 'ready').length);
  }
  return { most, left: [...left] };
}
