import type { HardwareResult, HardwareTarget, LabHardware } from '../../src/lab/hardware-ports.js';
import type { PxeConfigView } from '../../src/projections/read-models.js';

export type HardwareCall = { readonly port: 'power' | 'pxe' | 'verify'; readonly operation: string; readonly device: string };

/** How a fake device answers: per device, each port can succeed, fail or never answer. */
export type FakeBehaviour = 'ok' | 'fail' | 'hang';

/**
 * In-process hardware for tests of the lab above the ports: records every call and answers as told.
 * The real SNMP/TFTP/TCP implementations have their own tests against the simulated lab.
 */
export function createFakeHardware() {
  const calls: HardwareCall[] = [];
  const power = new Map<string, FakeBehaviour>();
  const verify = new Map<string, FakeBehaviour>();
  const pxeFiles = new Map<string, string>();

  function answer(behaviour: FakeBehaviour | undefined, what: string): Promise<HardwareResult> {
    if (behaviour === 'hang') return new Promise<HardwareResult>(() => undefined);
    return Promise.resolve(behaviour === 'fail' ? { ok: false, error: `${what} failed (fake)` } : { ok: true });
  }

  const record = (port: HardwareCall['port'], operation: string, target: HardwareTarget) => calls.push({ port, operation, device: target.device });

  const hardware: LabHardware = {
    power: {
      cycle: (target) => (record('power', 'cycle', target), answer(power.get(target.device), 'power cycle')),
      off: (target) => (record('power', 'off', target), answer(power.get(target.device), 'power off')),
    },
    pxe: {
      async write(target, config: PxeConfigView) {
        record('pxe', `write ${config.name}`, target);
        pxeFiles.set(target.macAddress, config.name);
        return { ok: true };
      },
      async clear(target) {
        record('pxe', 'clear', target);
        pxeFiles.delete(target.macAddress);
        return { ok: true };
      },
    },
    verify: {
      check: (target, tcpPort) => (record('verify', `check ${tcpPort}`, target), answer(verify.get(target.device), 'verify')),
    },
  };
  return { hardware, calls, power, verify, pxeFiles, callsFor: (device: string) => calls.filter((call) => call.device === device) };
}

export type FakeHardware = ReturnType<typeof createFakeHardware>;
