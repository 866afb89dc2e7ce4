import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LabpoolConfig } from '../../src/config/config.js';
import { startLabpool, type LabpoolOverrides, type RunningLabpool } from '../../src/labpool.js';
import { findFreeUdpPort } from './free-port.js';

/** A fast simulated lab on loopback (its default faults included), in a temporary folder. */
export interface SimLabpool {
  readonly labpool: RunningLabpool;
  /** Stops labpool and its simulated lab, and starts both again on the same store and ports. */
  restart(): Promise<RunningLabpool>;
  stop(): Promise<void>;
}

let labsStarted = 0;

/** `127.a.b.` for this process and lab (127.0.1. is `npm start`'s): pid and a counter, never 0.1. */
function uniqueLoopbackPrefix(): string {
  const slot = ((process.pid * 16 + labsStarted++) % 65_000) + 512;
  return `127.${Math.floor(slot / 256)}.${slot % 256}.`;
}

/**
 * `overrides` replace whole top-level sections; `adjust` edits the finished config (nested settings);
 * `parts` replace parts of labpool (a logger whose lines a test reads), at the start and every restart.
 */
export async function startSimLabpool(
  devices: number,
  overrides: Partial<LabpoolConfig> = {},
  adjust: (config: LabpoolConfig) => LabpoolConfig = (config) => config,
  parts: LabpoolOverrides = {},
): Promise<SimLabpool> {
  const dir = mkdtempSync(join(tmpdir(), 'labpool-ui-'));
  const defaults = loadConfig({ env: {} });
  const config = adjust({
    ...defaults,
    http: { host: '127.0.0.1', port: 0 },
    serverId: '127.0.0.1:0',
    store: { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' } as const,
    hardware: {
      ...defaults.hardware,
      tftp: { host: '127.0.0.1', port: await findFreeUdpPort(), root: join(dir, 'tftp') },
      power: { ...defaults.hardware.power, timeoutMs: 500, retries: 1, pauseBetweenMs: 5, offOnDelayMs: 50 },
      verify: { timeoutMs: 500, defaultTcpPort: 2222 },
    },
    // Test files run side by side: devices of two labs on one address would answer each other's verify.
    sim: { ...defaults.sim, devices, stepDelayMs: 30, pduPorts: [await findFreeUdpPort(), await findFreeUdpPort()], addressPrefix: uniqueLoopbackPrefix() },
    ...overrides,
  });
  let labpool = await startLabpool(config, parts).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    get labpool() {
      return labpool;
    },
    async restart() {
      await labpool.stop();
      // The same HTTP port: devices and PXE files name labpool's server id.
      labpool = await startLabpool({ ...config, http: { ...config.http, port: Number(new URL(labpool.url).port) }, serverId: labpool.serverId }, parts);
      return labpool;
    },
    async stop() {
      await labpool.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
