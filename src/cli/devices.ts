import { parseArgs } from 'node:util';
import type { CliIo } from './cli-io.js';
import { DEFAULT_SERVER_URL, describeFailure, serverUrl } from './server-url.js';

/** The fields of MozPool's `GET /api/device/list/?details=1` the listing shows. */
interface DeviceDetails {
  readonly name: string;
  readonly state: string;
  readonly request_id: number | null;
  /** Set when another API family holds the device (`vm 8x2k…`). */
  readonly held_by?: string;
  readonly image: string | null;
}

/** REQUEST: the MozPool request holding the device, or what other holder has it (`vm 8x2k…`). */
const COLUMNS = ['NAME', 'STATE', 'REQUEST', 'IMAGE'] as const;

function toRow(device: DeviceDetails): string[] {
  const holder = device.request_id !== null ? String(device.request_id) : (device.held_by ?? '-');
  return [device.name, device.state, holder, device.image || '-'];
}

/** Rows as left-aligned columns, each as wide as its widest cell. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths = rows.reduce<number[]>((max, row) => row.map((cell, i) => Math.max(cell.length, max[i] ?? 0)), []);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
}

/** `labpool devices [--server URL]`: every device with its state, request and image. */
export async function runDevices(args: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({ args, options: { server: { type: 'string' } }, strict: true });
  const url = serverUrl(values.server ?? DEFAULT_SERVER_URL, '/api/device/list/?details=1');
  const response = await fetch(url, { signal: io.stop });
  if (!response.ok) throw new Error(await describeFailure(url, response));
  const { devices } = (await response.json()) as { devices: DeviceDetails[] };
  const lines = formatTable([[...COLUMNS], ...devices.map(toRow)]);
  io.stdout(`${lines.join('\n')}\n`);
}
