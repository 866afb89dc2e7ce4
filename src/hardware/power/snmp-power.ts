import { createRuntime, type Runtime } from '../../actors/runtime.js';
import type { HardwareResult, HardwareTarget, PowerPort, ProbePort } from '../../lab/hardware-ports.js';
import { startPduActor, type PduActor } from './pdu-actor.js';
import { resolvePduModels, type PduModelCatalogue } from './pdu-models.js';
import { parseRelayInfo, type PowerAddress } from './relay-info.js';
import { cycleOutlet, readOutletState, switchOutlet, type OutletOperation } from './switch-outlet.js';
import { probePdus } from './pdu-probe.js';

/** How labpool drives SNMP PDUs; the first six fields are the `hardware.power` config section. */
export type SnmpPowerOptions = {
  /** Community for relay_info that names none. */
  readonly defaultCommunity: string;
  /** Model of PDUs whose relay_info names none. */
  readonly defaultModel: string;
  /** PDU models described in config, added to the shipped ones (see pdu-models.ts). */
  readonly models?: Readonly<Record<string, unknown>>;
  /** Silence before a request is sent again (per try of one exchange). */
  readonly timeoutMs: number;
  /** Retransmissions of an unanswered request after the first try. */
  readonly retries: number;
  /** Quiet time between two exchanges on one PDU. */
  readonly pauseBetweenMs: number;
  /** Between off and on in a power cycle. */
  readonly offOnDelayMs: number;
  /** Reads of the outlet state after a switch before calling it a mismatch; default 1. */
  readonly readBackAttempts?: number;
  /** Bound on one whole operation, waiting behind other operations on its PDU included; default derived from the above. */
  readonly operationTimeoutMs?: number;
  /** Where PDU actors run; default a runtime of its own, stopped by `stop()`. */
  readonly runtime?: Runtime;
};

/** SNMP power control: one actor per PDU. `cycle` and `off` never throw and always settle within `operationTimeoutMs`. */
export type SnmpPower = PowerPort & {
  /** Reads one outlet's state per PDU, switching nothing (see `probePdus`). */
  readonly probe: ProbePort['pdus'];
  /** Stops every PDU actor and closes their sessions; operations still running resolve with an error. */
  stop(): Promise<void>;
};

type Operation = 'cycle' | 'off';

let instances = 0;

/**
 * Power control over SNMP PDUs. Invalid config (a bad model, an unknown default model, a timeout
 * below 1 ms) throws here, at startup, rather than failing every power cycle later.
 */
export function createSnmpPower(options: SnmpPowerOptions): SnmpPower {
  const models = checkedModels(options);
  const runtime = options.runtime ?? createRuntime();
  const actors = createActorRegistry(runtime, options);
  const waits = createWaits();
  const readBackAttempts = options.readBackAttempts ?? 1;
  const deadlineMs = options.operationTimeoutMs ?? defaultDeadlineMs(options, readBackAttempts);
  let stopped = false;
  const locate = (target: HardwareTarget) => parseRelayInfo(target.relayInfo, { community: options.defaultCommunity, model: options.defaultModel, models });

  const run = async (target: HardwareTarget, operation: Operation): Promise<HardwareResult> => {
    const label = `power ${operation} of ${target.device}`;
    if (stopped) return { ok: false, error: `${label}: power control stopped` };
    const parsed = locate(target);
    if (!parsed.ok) return { ok: false, error: `${label}: ${parsed.error}` };
    const { address } = parsed;
    let abandoned = false;
    const outlet: OutletOperation = { address, actor: actors.actorFor(address), readBackAttempts, offOnDelayMs: options.offOnDelayMs, isAbandoned: () => abandoned, wait: waits.wait };
    const result = await withDeadline(operation === 'cycle' ? cycleOutlet(outlet) : switchOutlet(outlet, false), deadlineMs, () => (abandoned = true));
    return result.ok ? result : { ok: false, error: `${label}: PDU ${address.host}:${address.port} outlet ${address.outlet} (${address.model.name}): ${result.error}` };
  };
  const readState = (address: PowerAddress): Promise<HardwareResult> => {
    if (stopped) return Promise.resolve({ ok: false, error: 'power control stopped' });
    let abandoned = false;
    const read = readOutletState(address, actors.actorFor(address), () => abandoned);
    return withDeadline(read, deadlineMs, () => (abandoned = true));
  };
  const guarded = (operation: Operation) => (target: HardwareTarget) =>
    run(target, operation).catch((error: unknown): HardwareResult => ({ ok: false, error: `power ${operation} of ${target.device} failed unexpectedly: ${String(error)}` }));

  return {
    cycle: guarded('cycle'),
    off: guarded('off'),
    probe: (targets) => probePdus(targets, { locate, readState }),
    async stop() {
      if (stopped) return;
      stopped = true;
      actors.stopAll();
      waits.endAll();
      if (!options.runtime) runtime.stop();
    },
  };
}

/** One actor per PDU (`host:port`), started on first use. */
function createActorRegistry(runtime: Runtime, options: SnmpPowerOptions) {
  const instance = (instances += 1);
  const actors = new Map<string, PduActor>();
  return {
    actorFor(address: PowerAddress): PduActor {
      const key = `${address.host}:${address.port}`;
      const existing = actors.get(key);
      if (existing) return existing;
      // Actor names are unique per runtime, and nact allows no ':' in them.
      const name = `pdu-${instance}-${address.host}-${address.port}`.replace(/[^A-Za-z0-9._-]/g, '_');
      const actor = startPduActor(runtime, name, { host: address.host, port: address.port, timeoutMs: options.timeoutMs, retries: options.retries, pauseBetweenMs: options.pauseBetweenMs });
      actors.set(key, actor);
      return actor;
    },
    stopAll() {
      for (const actor of actors.values()) actor.stop();
      actors.clear();
    },
  };
}

/** Waits (between off and on) that `endAll` cuts short, so stopping never waits out a cycle. */
function createWaits() {
  const ends = new Set<() => void>();
  return {
    wait: (ms: number) =>
      new Promise<void>((resolve) => {
        const end = () => (ends.delete(end), clearTimeout(timer), resolve());
        const timer = setTimeout(end, ms);
        ends.add(end);
      }),
    endAll() {
      for (const end of [...ends]) end();
    },
  };
}

function checkedModels(options: SnmpPowerOptions): PduModelCatalogue {
  const resolved = resolvePduModels(options.models ?? {});
  if (!resolved.ok) throw new Error(`power config: ${resolved.error}`);
  if (!resolved.models.has(options.defaultModel)) {
    throw new Error(`power config: unknown default PDU model '${options.defaultModel}' (known: ${[...resolved.models.keys()].join(', ')})`);
  }
  // snmp-native treats a timeout of 0 as "no try left" and fails at once.
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs < 1) throw new Error('power config: timeoutMs must be a whole number of ms ≥ 1');
  if (!Number.isInteger(options.retries) || options.retries < 0) throw new Error('power config: retries must be a whole number ≥ 0');
  return resolved.models;
}

/**
 * Twice the slowest a cycle can be on its own (every exchange using all its tries, then the pause),
 * so an operation queued behind another on a dead PDU still gets its own chance before giving up.
 */
function defaultDeadlineMs(options: SnmpPowerOptions, readBackAttempts: number): number {
  const slowestExchangeMs = options.timeoutMs * (options.retries + 1) + options.pauseBetweenMs;
  const exchangesPerCycle = 2 * (1 + readBackAttempts);
  return options.offOnDelayMs + 2 * exchangesPerCycle * slowestExchangeMs;
}

function withDeadline(work: Promise<HardwareResult>, deadlineMs: number, onExpired: () => void): Promise<HardwareResult> {
  return new Promise<HardwareResult>((resolve) => {
    const timer = setTimeout(() => {
      onExpired();
      resolve({ ok: false, error: `no result within ${deadlineMs} ms (the PDU is busy or unreachable)` });
    }, deadlineMs);
    work.then(
      (result) => (clearTimeout(timer), resolve(result)),
      (error: unknown) => (clearTimeout(timer), resolve({ ok: false, error: `failed unexpectedly: ${String(error)}` })),
    );
  });
}
