import { resolvePduModels, type PduModel, type PduModelCatalogue } from './pdu-models.js';

/** Where a device's power comes from: the PDU's SNMP agent, the community to write with, the outlet and the PDU's model. */
export type PowerAddress = {
  readonly host: string;
  /** UDP port of the PDU's SNMP agent. */
  readonly port: number;
  readonly community: string;
  /** 1-based outlet number, the last component of the model's outlet OIDs. */
  readonly outlet: number;
  readonly model: PduModel;
};

/** What a `relay_info` may leave out, and the models it may name. */
export type RelayInfoDefaults = {
  readonly community: string;
  /** Name of the model of PDUs whose relay_info names none. */
  readonly model: string;
  readonly models: PduModelCatalogue;
};

/** The parsed address, or what is wrong with the relay_info (never a throw). */
export type RelayInfoResult = { readonly ok: true; readonly address: PowerAddress } | { readonly ok: false; readonly error: string };

const DEFAULT_SNMP_PORT = 161;
const URL_FORM = /^snmp:\/\/(?:([^@/?#]*)@)?([^:/?#@]*)(?::([^/?#@]*))?\/([^?#]*)(?:\?([^#]*))?$/i;
const SHORT_FORM = /^([^:/?#@]*)(?::([^/?#@]*))?\/([^?#]*)$/;
const HOST = /^[A-Za-z0-9.-]+$/;
const POSITIVE_INTEGER = /^[1-9]\d{0,9}$/;
const EXPECTED = 'expected host[:port]/<outlet> or snmp://community@host:port/<outlet>?model=<model>';

type RawParts = { readonly host: string; readonly port?: string; readonly outlet: string; readonly community?: string; readonly model?: string };
type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/**
 * Parses a device's `relay_info` (its power address). Two forms:
 * - `host[:port]/<outlet>`, e.g. `pdu1.lab:161/7`: the default community and model;
 * - `snmp://community@host:port/<outlet>?model=<model>`: community, port and model each optional.
 * Hosts are names or IPv4 addresses. Malformed input is an error value naming what is wrong.
 */
export function parseRelayInfo(relayInfo: string, defaults: RelayInfoDefaults): RelayInfoResult {
  const address = parseAddress(relayInfo, defaults);
  if (!address.ok) return { ok: false, error: `relay_info '${relayInfo}': ${address.error}` };
  return { ok: true, address: address.value };
}

/** The `hardware.power` settings a relay_info check needs. */
export type RelayInfoCheckOptions = {
  readonly defaultCommunity: string;
  readonly defaultModel: string;
  readonly models?: Readonly<Record<string, unknown>>;
};

/**
 * What is wrong with a relay_info, or undefined when a power cycle could use it: checked when an
 * inventory is applied, so a typo fails the sync instead of the device's first power cycle. An
 * empty relay_info is a device without power info, which is allowed.
 */
export function createRelayInfoCheck(options: RelayInfoCheckOptions): (relayInfo: string) => string | undefined {
  const resolved = resolvePduModels(options.models ?? {});
  if (!resolved.ok) return () => `hardware.power.models: ${resolved.error}`;
  const defaults = { community: options.defaultCommunity, model: options.defaultModel, models: resolved.models };
  return (relayInfo) => {
    if (relayInfo === '') return undefined;
    const address = parseAddress(relayInfo, defaults);
    return address.ok ? undefined : address.error;
  };
}

function parseAddress(relayInfo: string, defaults: RelayInfoDefaults): Parsed<PowerAddress> {
  const text = relayInfo.trim();
  const parts = /^snmp:/i.test(text) ? splitUrlForm(text) : splitShortForm(text);
  return parts.ok ? toAddress(parts.value, defaults) : parts;
}

function splitShortForm(text: string): Parsed<RawParts> {
  const match = SHORT_FORM.exec(text);
  if (!match) return { ok: false, error: EXPECTED };
  const [, host = '', port, outlet = ''] = match;
  return { ok: true, value: { host, port, outlet } };
}

function splitUrlForm(text: string): Parsed<RawParts> {
  const match = URL_FORM.exec(text);
  if (!match) return { ok: false, error: EXPECTED };
  const [, rawCommunity, host = '', port, outlet = '', query = ''] = match;
  const community = rawCommunity === undefined ? { ok: true as const, value: undefined } : decodeCommunity(rawCommunity);
  if (!community.ok) return community;
  const params = new URLSearchParams(query);
  const unknown = [...params.keys()].filter((key) => key !== 'model');
  if (unknown.length > 0) return { ok: false, error: `unknown parameter(s) ${unknown.join(', ')}; only model= is understood` };
  return { ok: true, value: { host, port, outlet, community: community.value, model: params.get('model') ?? undefined } };
}

function decodeCommunity(raw: string): Parsed<string> {
  try {
    const community = decodeURIComponent(raw);
    return community === '' ? { ok: false, error: 'the community before @ is empty' } : { ok: true, value: community };
  } catch {
    return { ok: false, error: 'the community is not valid percent-encoding' };
  }
}

function toAddress(parts: RawParts, defaults: RelayInfoDefaults): Parsed<PowerAddress> {
  if (!HOST.test(parts.host)) return { ok: false, error: `host '${parts.host}' is not a host name or IPv4 address; ${EXPECTED}` };
  const port = parsePort(parts.port);
  if (!port.ok) return port;
  if (!POSITIVE_INTEGER.test(parts.outlet) || Number(parts.outlet) > 2 ** 31 - 1) {
    return { ok: false, error: `outlet '${parts.outlet}' is not a positive integer` };
  }
  const modelName = parts.model ?? defaults.model;
  const model = defaults.models.get(modelName);
  if (!model) return { ok: false, error: `unknown PDU model '${modelName}' (known: ${[...defaults.models.keys()].join(', ')})` };
  return { ok: true, value: { host: parts.host, port: port.value, community: parts.community ?? defaults.community, outlet: Number(parts.outlet), model } };
}

function parsePort(port: string | undefined): Parsed<number> {
  if (port === undefined) return { ok: true, value: DEFAULT_SNMP_PORT };
  const value = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  return value >= 1 && value <= 65535 ? { ok: true, value } : { ok: false, error: `port '${port}' is not a UDP port (1-65535)` };
}
