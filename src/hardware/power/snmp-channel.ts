import type { EventEmitter } from 'node:events';
import snmpNative, { type VarBind } from 'snmp-native';

/** One SNMP v2c exchange: read an integer object, or write one. */
export type SnmpRequest = { readonly kind: 'get'; readonly oid: string } | { readonly kind: 'set'; readonly oid: string; readonly value: number };

/** The integer the PDU answered, or why there is none. Never a throw. */
export type SnmpAnswer = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: string };

/** A UDP session with one PDU's SNMP agent. */
export interface SnmpChannel {
  /** Sends `request`, retransmitting on silence; resolves (never rejects) within the channel's timeouts. */
  exchange(request: SnmpRequest, community: string): Promise<SnmpAnswer>;
  /** Frees the socket; exchanges still waiting resolve with an error. */
  close(): void;
}

/** Where the PDU's agent listens and how long to wait for it. */
export type SnmpChannelOptions = {
  readonly host: string;
  readonly port: number;
  /** Silence after which a request is sent again, or given up after the last try. */
  readonly timeoutMs: number;
  /** Retransmissions after the first try. */
  readonly retries: number;
};

const INTEGER = 2;
const MISSING_TYPES: Readonly<Record<number, string>> = { 128: 'noSuchObject', 129: 'noSuchInstance', 130: 'endOfMibView' };
// snmp-native reports an error-status as an Error whose message is the status name.
const STATUS_HINTS: Readonly<Record<string, string>> = {
  NotWritable: 'the object is read-only: check the model OIDs',
  ReadOnly: 'the object is read-only: check the model OIDs',
  BadValue: 'the value is not one this PDU accepts: check the model values',
  WrongValue: 'the value is not one this PDU accepts: check the model values',
  WrongType: 'the PDU expects another type: check the model',
  InconsistentValue: 'the value is not one this PDU accepts now',
  NoSuchName: 'no such object: no such outlet, or not a PDU of this model',
  NoCreation: 'no such object: no such outlet, or not a PDU of this model',
};
// Statuses that mean the community lacks the right (net-snmp answers NoAccess to a read-only community's SET).
const ACCESS_STATUSES: ReadonlySet<string> = new Set(['NoAccess', 'AuthorizationError']);
const KNOWN_STATUSES: ReadonlySet<string> = new Set(Object.keys(snmpNative.Errors));
const BACKSTOP_MARGIN_MS = 250;

export function openSnmpChannel(options: SnmpChannelOptions): SnmpChannel {
  const tries = options.retries + 1;
  const session = new snmpNative.Session({ host: options.host, port: options.port, timeouts: Array.from({ length: tries }, () => options.timeoutMs) });
  // A malformed datagram is emitted as 'error' on the session: unheard, it would crash the process.
  (session as unknown as EventEmitter).on('error', () => undefined);
  let closed = false;
  return {
    exchange(request, community) {
      if (closed) return Promise.resolve({ ok: false, error: 'the SNMP session is closed' });
      return exchangeOnce(session, request, community, options);
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        session.close();
      } catch {
        // The socket was already gone (snmp-native forgets it on 'close'): nothing left to free.
      }
    },
  };
}

function exchangeOnce(session: snmpNative.Session, request: SnmpRequest, community: string, options: SnmpChannelOptions): Promise<SnmpAnswer> {
  const tries = options.retries + 1;
  const silence = `no answer within ${options.timeoutMs} ms after ${tries} ${tries === 1 ? 'try' : 'tries'}`;
  return new Promise<SnmpAnswer>((resolve) => {
    let settled = false;
    const finish = (answer: SnmpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(backstop);
      resolve(answer);
    };
    // snmp-native arms its timeout only once the datagram is sent (after a DNS lookup that may hang), and
    // drops a request without calling back if its socket closes under it: this timer bounds both.
    const backstop = setTimeout(() => finish({ ok: false, error: `${silence} (PDU unreachable, or it ignores community '${community}')` }), options.timeoutMs * tries + BACKSTOP_MARGIN_MS);
    try {
      send(session, request, community, (error, varbinds) => finish(interpret(request, community, silence, error, varbinds)));
    } catch (error) {
      finish({ ok: false, error: `could not send the request: ${error instanceof Error ? error.message : String(error)}` });
    }
  });
}

type AnswerCallback = (error: Error | null, varbinds: readonly VarBind[] | undefined) => void;

function send(session: snmpNative.Session, request: SnmpRequest, community: string, onAnswer: AnswerCallback): void {
  const callback = onAnswer as snmpNative.ResponseCallback;
  // snmp-native takes a string OID only with a leading dot ('.1.3.6…'); an array says what we mean.
  const oid = request.oid.split('.').map(Number);
  if (request.kind === 'get') session.get({ oid, community }, callback);
  else session.set({ oid, community, type: INTEGER, value: request.value }, callback);
}

function interpret(request: SnmpRequest, community: string, silence: string, error: Error | null, varbinds: readonly VarBind[] | undefined): SnmpAnswer {
  if (error) return { ok: false, error: describeError(error, community, silence) };
  const varbind = varbinds?.[0];
  if (!varbind) return { ok: false, error: 'the PDU answered without a value' };
  // A missing object is not an error-status in SNMP v2c, so snmp-native hands it over as a value.
  const missing = MISSING_TYPES[varbind.type];
  if (missing !== undefined) return { ok: false, error: `the PDU answered ${missing} for ${request.oid} (no such outlet, or not a PDU of this model)` };
  const answeredOid = varbind.oid.join('.');
  if (answeredOid !== request.oid) return { ok: false, error: `the PDU answered for ${answeredOid} instead of ${request.oid}` };
  if (varbind.type !== INTEGER || typeof varbind.value !== 'number') return { ok: false, error: `the PDU answered a value of SNMP type ${varbind.type}, not an integer` };
  return { ok: true, value: varbind.value };
}

function describeError(error: Error, community: string, silence: string): string {
  if (error.message === 'Timeout') return `${silence} (PDU unreachable, or it ignores community '${community}')`;
  if (error.message === 'Cancelled') return 'cancelled: power control stopped';
  if (!KNOWN_STATUSES.has(error.message) && !error.message.startsWith('Unknown Error')) return `cannot reach the PDU: ${error.message}`;
  const hint = ACCESS_STATUSES.has(error.message) ? `community '${community}' may not do this` : STATUS_HINTS[error.message];
  return `the PDU answered ${error.message}${hint === undefined ? '' : ` (${hint})`}`;
}
