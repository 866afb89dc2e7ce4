import type { MozpoolReadModels, RequestReadModel, RequestView } from '../../src/dialects/mozpool/projections/mozpool-read-models.js';
import type { DeviceFactsReadModel, DeviceReadModel, ImageReadModel, LabDevice, LabImage, LogEntry, PxeConfigReadModel, PxeConfigView } from '../../src/projections/read-models.js';

/** The newest `limit` entries of `log` (all when no limit). */
function newest(log: readonly LogEntry[], limit: number | undefined): readonly LogEntry[] {
  return limit === undefined ? log : log.slice(Math.max(0, log.length - limit));
}

function byName<View extends { readonly name: string }>(views: Iterable<View>): View[] {
  return [...views].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** MozPool read models over plain maps that a test fills by hand. */
export class InMemoryMozpoolReadModels implements MozpoolReadModels {
  readonly deviceViews = new Map<string, LabDevice>();
  readonly deviceLogs = new Map<string, LogEntry[]>();
  readonly requestViews = new Map<number, RequestView>();
  readonly requestLogs = new Map<number, LogEntry[]>();
  readonly imageViews = new Map<string, LabImage>();
  readonly pxeConfigViews = new Map<string, PxeConfigView>();
  /** How often the lab-wide state map was built (the `?cache=1` tests count them). */
  stateMapReads = 0;

  addDevice(device: LabDevice, log: LogEntry[] = []): void {
    this.deviceViews.set(device.name, device);
    this.deviceLogs.set(device.name, log);
  }
  addRequest(request: RequestView, log: LogEntry[] = []): void {
    this.requestViews.set(request.id, request);
    this.requestLogs.set(request.id, log);
  }
  addImage(image: LabImage): void {
    this.imageViews.set(image.name, image);
  }
  addPxeConfig(pxeConfig: PxeConfigView): void {
    this.pxeConfigViews.set(pxeConfig.name, pxeConfig);
  }

  readonly devices: DeviceReadModel = {
    list: () => byName(this.deviceViews.values()),
    get: (name) => this.deviceViews.get(name),
    log: (name, options = {}) => {
      const log = this.deviceLogs.get(name) ?? [];
      const since = options.sinceMs;
      const recent = since === undefined ? log : log.filter((entry) => Date.parse(entry.timestamp) >= since);
      return newest(recent, options.limit);
    },
    stateMap: () => {
      this.stateMapReads += 1;
      return Object.fromEntries([...this.deviceViews.values()].map((device) => [device.name, device.state]));
    },
    free: (environment = 'any') => this.devices.list().filter((d) => d.state === 'ready' && d.holder === null && (environment === 'any' || d.environment === environment)),
    environments: () => [...new Set([...this.deviceViews.values()].map((device) => device.environment))].sort(),
    // Tests change these maps by hand, with no revisions: answers must never be cached by one.
    revision: () => undefined,
  };

  readonly requests: RequestReadModel = {
    list: (includeClosed) => [...this.requestViews.values()].filter((request) => includeClosed || !request.closed),
    get: (id) => this.requestViews.get(id),
    log: (id, options = {}) => newest(this.requestLogs.get(id) ?? [], options.limit),
    maxId: () => Math.max(0, ...this.requestViews.keys()),
  };

  readonly images: ImageReadModel = {
    list: (includeHidden) => byName(this.imageViews.values()).filter((image) => includeHidden || !image.hidden),
    get: (name) => this.imageViews.get(name),
    pxeConfigFor: (image, hardwareType) => {
      const name = this.imageViews.get(image)?.pxeConfigs[hardwareType];
      const pxeConfig = name === undefined ? undefined : this.pxeConfigViews.get(name);
      return pxeConfig?.active === true ? pxeConfig : undefined;
    },
  };

  readonly pxeConfigs: PxeConfigReadModel = {
    list: (activeOnly) => [...this.pxeConfigViews.values()].filter((pxeConfig) => !activeOnly || pxeConfig.active),
    get: (name) => this.pxeConfigViews.get(name),
  };

  /** No device here reports hardware facts. */
  readonly facts: DeviceFactsReadModel = {
    of: () => [],
    latest: () => undefined,
    summary: () => undefined,
  };
}
