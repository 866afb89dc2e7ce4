import { connect } from 'node:net';
import type { HardwareResult, HardwareTarget, VerifyPort } from '../../lab/hardware-ports.js';

export type TcpVerifyOptions = {
  /** Bound on name resolution plus connection, in milliseconds. */
  readonly timeoutMs: number;
  /** The address to connect to; default the device's fqdn. */
  readonly host?: (target: HardwareTarget) => string;
};

/**
 * A device is up when its image's TCP port accepts a connection (the image names the port, e.g. ssh
 * or adb). Refusals, timeouts and unresolvable names are `{ ok: false }` with a readable reason; the
 * socket is always destroyed, so a check holds no connection open on the device.
 */
export function createTcpVerify(options: TcpVerifyOptions): VerifyPort {
  const hostOf = options.host ?? ((target: HardwareTarget) => target.fqdn);
  return {
    async check(target: HardwareTarget, tcpPort: number): Promise<HardwareResult> {
      try {
        const host = hostOf(target);
        if (!Number.isInteger(tcpPort) || tcpPort < 1 || tcpPort > 65_535) return { ok: false, error: `invalid TCP port ${tcpPort} for ${host}` };
        if (host === '') return { ok: false, error: `device ${target.device} has no address to verify` };
        return await tryConnect(host, tcpPort, options.timeoutMs);
      } catch (error) {
        // `connect` throws synchronously on arguments it cannot use; still a failed check, not a crash.
        return { ok: false, error: `verifying ${target.device}: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
  };
}

function tryConnect(host: string, port: number, timeoutMs: number): Promise<HardwareResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const settle = (result: HardwareResult): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    // A timer rather than socket.setTimeout: that one measures idleness and would not bound DNS.
    const timer = setTimeout(() => settle({ ok: false, error: `no answer from ${host}:${port} within ${timeoutMs} ms` }), timeoutMs);
    socket.once('connect', () => settle({ ok: true }));
    socket.once('error', (error: NodeJS.ErrnoException) => settle({ ok: false, error: describeFailure(host, port, error) }));
  });
}

function describeFailure(host: string, port: number, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `connection to ${host}:${port} refused (nothing listening)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${host}: ${error.code}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} is unreachable (${error.code})`;
    default:
      return `connecting to ${host}:${port}: ${error.message}`;
  }
}
