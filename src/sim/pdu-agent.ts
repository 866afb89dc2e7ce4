import { createSocket, type Socket, type SocketType } from 'node:dgram';
import snmp from 'net-snmp';
import { shippedPduModels, validatePduModel, type PduModel } from '../hardware/power/pdu-models.js';
import { registerOutletTables, type SimMib, type SimulatedExchange } from './pdu-agent-mib.js';
import { createOutletBank, type OutletListener } from './pdu-outlets.js';

export type { SimulatedExchange } from './pdu-agent-mib.js';

/** One simulated PDU: model, where it listens, its outlets and communities, and its faults. */
export type SimulatedPduOptions = {
  /** A model object (e.g. a config model) or the name of a shipped one. */
  readonly model: PduModel | string;
  /** Address to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** UDP port; must be a real port: net-snmp turns 0 into 161. */
  readonly port: number;
  readonly outlets: number;
  /** Community allowed to read; default 'public'. */
  readonly readCommunity?: string;
  /** Community allowed to read and write; default 'private'. */
  readonly writeCommunity?: string;
  /** Outlets that accept commands but never switch, so a read-back catches them. */
  readonly deadOutlets?: readonly number[];
  /** How long a rebooting outlet stays off; default 200 ms. */
  readonly rebootOffMs?: number;
  /** Delay before each answer: a slow PDU, which also makes overlapping requests visible in `exchanges()`. */
  readonly answerDelayMs?: number;
  /** A GET of an outlet that is on (a power-on's read-back) is answered only once this resolves. */
  readonly holdReadBack?: (outlet: number) => Promise<void>;
};

/** A net-snmp agent on loopback posing as a switched PDU of one model. Outlets start off. */
export type SimulatedPdu = {
  readonly port: number;
  /** The model's name. */
  readonly model: string;
  isOn(outlet: number): boolean;
  /** Hears every real change of an outlet (not commands that change nothing); returns the unsubscribe. */
  onOutletChange(listener: OutletListener): () => void;
  /** Every outlet GET and SET answered so far, in order of answer; times from `performance.now()`. */
  exchanges(): readonly SimulatedExchange[];
  stop(): Promise<void>;
};

/** Starts the agent; rejects if the model is invalid or the port cannot be bound. */
export async function startSimulatedPdu(options: SimulatedPduOptions): Promise<SimulatedPdu> {
  const model = resolveModel(options.model);
  if (!Number.isInteger(options.outlets) || options.outlets < 1) throw new Error(`simulated PDU: outlets must be a whole number ≥ 1, not ${options.outlets}`);
  const bank = createOutletBank({ outlets: options.outlets, deadOutlets: options.deadOutlets ?? [], rebootOffMs: options.rebootOffMs ?? 200 });
  const log: SimulatedExchange[] = [];
  const { agent, socket } = createAgent(options);
  let silence: () => void = () => undefined;
  const close = () => (silence(), bank.stop(), closeAgent(agent));
  try {
    silence = registerOutletTables(agent.getMib(), { model, bank, answerDelayMs: options.answerDelayMs ?? 0, holdReadBack: options.holdReadBack, record: (exchange) => log.push(exchange) });
    await listening(socket);
  } catch (error) {
    await close();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    port: options.port,
    model: model.name,
    isOn: (outlet) => bank.isOn(outlet),
    onOutletChange: (listener) => bank.onChange(listener),
    exchanges: () => [...log],
    stop() {
      stopped ??= close();
      return stopped;
    },
  };
}

/** The part of net-snmp's Agent used here (its typings say `any`). */
type SimAgent = {
  getMib(): SimMib;
  getAuthorizer(): {
    addCommunity(community: string): void;
    getAccessControlModel(): { setCommunityAccess(community: string, level: number): void };
  };
  close(callback?: () => void): void;
};

function resolveModel(model: PduModel | string): PduModel {
  if (typeof model === 'string') {
    const shipped = shippedPduModels[model];
    if (!shipped) throw new Error(`no shipped PDU model '${model}' (shipped: ${Object.keys(shippedPduModels).join(', ')})`);
    return shipped;
  }
  const checked = validatePduModel(model);
  if (!checked.ok) throw new Error(checked.error);
  return checked.model;
}

function createAgent(options: SimulatedPduOptions): { readonly agent: SimAgent; readonly socket: Socket } {
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) throw new Error(`simulated PDU: port ${options.port} is not 1-65535`);
  const sockets: Socket[] = [];
  // net-snmp hides its socket; its dgramModule option lets us see it to wait for the bind.
  const dgramModule = { createSocket: (type: SocketType) => (sockets.push(createSocket(type)), sockets[sockets.length - 1]) };
  // The callback hears requests with unknown communities (dropped unanswered, as real agents do) and socket errors.
  const agent = snmp.createAgent({ port: options.port, address: options.host ?? '127.0.0.1', accessControlModelType: snmp.AccessControlModelType.Simple, dgramModule }, () => undefined) as SimAgent;
  const socket = sockets[0];
  if (!socket) throw new Error('simulated PDU: net-snmp opened no socket');
  const authorizer = agent.getAuthorizer();
  const readCommunity = options.readCommunity ?? 'public';
  const writeCommunity = options.writeCommunity ?? 'private';
  authorizer.addCommunity(readCommunity);
  authorizer.addCommunity(writeCommunity);
  authorizer.getAccessControlModel().setCommunityAccess(readCommunity, snmp.AccessLevel.ReadOnly);
  authorizer.getAccessControlModel().setCommunityAccess(writeCommunity, snmp.AccessLevel.ReadWrite);
  return { agent, socket };
}

function listening(socket: Socket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => (socket.off('listening', onListening), reject(error));
    const onListening = () => (socket.off('error', onError), resolve());
    socket.once('error', onError);
    socket.once('listening', onListening);
  });
}

function closeAgent(agent: SimAgent): Promise<void> {
  return new Promise<void>((resolve) => {
    try {
      agent.close(() => resolve());
    } catch {
      // The socket never bound (or is already closed): nothing to wait for.
      resolve();
    }
  });
}
