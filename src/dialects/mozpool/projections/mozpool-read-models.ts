/**
 * MozPool's own read models (its requests, in the API's field names so list routes serialise them as
 * they are), beside the lab's. Built by folding the global log; never written by HTTP.
 */
import type { Projection } from '../../../projections/projection-runner.js';
import type { DeviceReadModel, LabReadModels, LogEntry } from '../../../projections/read-models.js';
import { createRequestLogs } from './request-logs.js';
import { createRequestViews } from './request-views.js';

export type RequestView = {
  readonly id: number;
  readonly imaging_server: string;
  readonly assignee: string;
  /** JSON text. */
  readonly boot_config: string;
  readonly state: string;
  /** ISO 8601 UTC. */
  readonly expires: string;
  readonly requested_device: string;
  readonly environment: string;
  readonly image: string;
  /** '' while none is assigned. */
  readonly assigned_device: string;
  /** The assigned device's state ('' when none). */
  readonly device_state: string;
  readonly closed: boolean;
};

export interface RequestReadModel {
  list(includeClosed: boolean): readonly RequestView[];
  get(id: number): RequestView | undefined;
  log(id: number, options?: { readonly limit?: number }): readonly LogEntry[];
  /** Highest request id seen (0 when none): new ids start above it. */
  maxId(): number;
}

/** The lab's read models with MozPool's requests. */
export interface MozpoolReadModels extends LabReadModels {
  readonly requests: RequestReadModel;
}

/** MozPool's request read model and the projections that fold the global log into it. */
export function createRequestReadModel(devices: Pick<DeviceReadModel, 'get'>): { readonly requests: RequestReadModel; readonly projections: readonly Projection[] } {
  const requestViews = createRequestViews(devices);
  const requestLogs = createRequestLogs();
  const requests: RequestReadModel = {
    list: requestViews.list,
    get: requestViews.get,
    maxId: requestViews.maxId,
    log: (id, options) => requestLogs.read(String(id), options),
  };
  return { requests, projections: [requestViews, requestLogs] };
}
