import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { loadConfig, type LabpoolConfig } from '../config/config.js';
import { simLabConfigOf } from '../sim/sim-config.js';
import { startSimLab } from '../sim/sim-lab.js';
import type { CliIo } from './cli-io.js';
import { serverUrl } from './server-url.js';

/**
 * What each simulated disk holds: the image the server last installed on the device, as its device
 * list says; nothing (every disk `ubuntu`) when the server does not answer yet.
 */
async function installedImages(server: string, stop: AbortSignal): Promise<Record<string, string>> {
  try {
    const response = await fetch(serverUrl(server, '/api/device/list/?details=1'), { signal: stop });
    if (!response.ok) return {};
    const { devices } = (await response.json()) as { devices: { name: string; image: string | null }[] };
    return Object.fromEntries(devices.flatMap((device) => (device.image ? [[device.name, device.image]] : [])));
  } catch {
    return {};
  }
}

/** The server of this configuration, as its devices reach it. */
function defaultServerUrl(config: LabpoolConfig): string {
  return `http://${config.serverId}`;
}

/**
 * `labpool sim [--config F] [--server URL]`: the simulated lab alone (PDUs on UDP, devices on
 * loopback), for a server started with `sim.external` on the same configuration. The devices PXE
 * boot from the server's TFTP port and post their second stage to the URL their PXE file names;
 * they go on booting while the server is down, and post again until it answers. Runs until ^C.
 */
export async function runSim(args: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, server: { type: 'string' } }, strict: true });
  const config = loadConfig({ file: values.config, env: process.env });
  const server = values.server ?? defaultServerUrl(config);
  const images = await installedImages(server, io.stop);
  const lab = await startSimLab({ ...simLabConfigOf(config, config.hardware.tftp, images), log: (message) => io.stdout(`${message}\n`) });
  try {
    const pdus = lab.pdus.map((pdu) => `${pdu.model} on udp/${pdu.port}`).join(', ');
    io.stdout(`labpool sim: ${lab.devices.length} devices on ${pdus}; PXE from tftp ${config.hardware.tftp.host}:${config.hardware.tftp.port}; server ${server}\n`);
    if (!io.stop.aborted) await once(io.stop, 'abort');
  } finally {
    await lab.stop();
  }
}
