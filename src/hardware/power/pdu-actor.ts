import type { ActorRef, Runtime } from '../../actors/runtime.js';
import { openSnmpChannel, type SnmpAnswer, type SnmpChannelOptions, type SnmpRequest } from './snmp-channel.js';

/** One SNMP exchange waiting in a PDU's mailbox. */
type ExchangeMessage = {
  readonly request: SnmpRequest;
  readonly community: string;
  /** True once the operation that asked has given up: the actor then skips the exchange. */
  readonly isAbandoned: () => boolean;
  readonly reply: (answer: SnmpAnswer) => void;
};

/** The PDU's SNMP agent, its patience, and the pause it needs between exchanges. */
export type PduActorOptions = SnmpChannelOptions & {
  /** Quiet time after each exchange before the next one on this PDU: cheap PDUs drop back-to-back requests. */
  readonly pauseBetweenMs: number;
};

/**
 * The actor that owns one PDU (one SNMP agent, `host:port`): exchanges with it happen one at a time,
 * in arrival order, `pauseBetweenMs` apart, over one UDP session.
 */
export interface PduActor {
  /** Queues one exchange; resolves (never rejects) with its answer, or at once once the actor has stopped. */
  exchange(request: SnmpRequest, community: string, isAbandoned: () => boolean): Promise<SnmpAnswer>;
  /** Stops the actor and closes its session; exchanges still queued resolve with an error. */
  stop(): void;
}

const STOPPED: SnmpAnswer = { ok: false, error: 'power control stopped' };
const ABANDONED: SnmpAnswer = { ok: false, error: 'abandoned: the operation ran out of time' };

export function startPduActor(runtime: Runtime, name: string, options: PduActorOptions): PduActor {
  const channel = openSnmpChannel(options);
  const waiting = new Set<ExchangeMessage>();
  let endPause: (() => void) | undefined;
  let stopped = false;

  const settle = (message: ExchangeMessage, answer: SnmpAnswer) => {
    if (waiting.delete(message)) message.reply(answer);
  };
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.pauseBetweenMs);
      endPause = () => (clearTimeout(timer), resolve());
    });
  const handle = async (message: ExchangeMessage) => {
    if (stopped || !waiting.has(message)) return;
    if (message.isAbandoned()) return settle(message, ABANDONED);
    try {
      settle(message, await channel.exchange(message.request, message.community));
    } catch (error) {
      settle(message, { ok: false, error: `SNMP exchange failed: ${String(error)}` });
    }
    if (!stopped) await pause();
  };
  // `handle` catches everything it can meet, so the runtime's error path has nothing to report.
  const ref: ActorRef<ExchangeMessage> = runtime.spawn(name, handle, () => undefined);

  return {
    exchange(request, community, isAbandoned) {
      if (stopped) return Promise.resolve(STOPPED);
      return new Promise<SnmpAnswer>((reply) => {
        const message: ExchangeMessage = { request, community, isAbandoned, reply };
        waiting.add(message);
        runtime.dispatch(ref, message);
      });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      runtime.stopActor(ref);
      endPause?.();
      channel.close();
      for (const message of [...waiting]) settle(message, STOPPED);
    },
  };
}
