/**
 * A PDU model: how one make of switched PDU turns an outlet on and off over SNMP v2c and how its
 * outlet state reads back. Models are data, so a PDU we do not ship is one entry in the config file.
 *
 * OIDs are templates ending in `.{outlet}`: the outlet number is the last OID component, as in the
 * outlet tables of every PDU MIB we know (APC PowerNet, ServerTech Sentry3).
 */
export type PduModel = {
  readonly name: string;
  /** Written to switch the outlet, e.g. `1.3.6.1.4.1.318.1.1.4.4.2.1.3.{outlet}`. */
  readonly outletControlOid: string;
  /** Integer written to `outletControlOid` to switch the outlet on. */
  readonly onValue: number;
  readonly offValue: number;
  /** Integer that makes the PDU itself switch off and on again; labpool's cycle does not use it. */
  readonly rebootValue?: number;
  /** Read to learn the outlet's state; may be the control OID itself. */
  readonly outletStateOid: string;
  /** Integer `outletStateOid` reads while the outlet is on. */
  readonly stateOnValue: number;
  readonly stateOffValue: number;
};

/** Models by name. */
export type PduModelCatalogue = ReadonlyMap<string, PduModel>;

/** The merged catalogue, or the first problem found in a config model. */
export type PduModelsResult = { readonly ok: true; readonly models: PduModelCatalogue } | { readonly ok: false; readonly error: string };

const apcSpdu: PduModel = {
  name: 'apc_spdu',
  // PowerNet-MIB sPDUOutletCtl: outletOn(1), outletOff(2), outletReboot(3); reads back the state.
  outletControlOid: '1.3.6.1.4.1.318.1.1.4.4.2.1.3.{outlet}',
  onValue: 1,
  offValue: 2,
  rebootValue: 3,
  outletStateOid: '1.3.6.1.4.1.318.1.1.4.4.2.1.3.{outlet}',
  stateOnValue: 1,
  stateOffValue: 2,
};

const apcRpdu2: PduModel = {
  name: 'apc_rpdu2',
  // rPDU2OutletSwitchedControlCommand: immediateOn(1), immediateOff(2), immediateReboot(3).
  outletControlOid: '1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.{outlet}',
  onValue: 1,
  offValue: 2,
  rebootValue: 3,
  // rPDU2OutletSwitchedStatusState: off(1), on(2) — the reverse of the command's numbering.
  outletStateOid: '1.3.6.1.4.1.318.1.1.26.9.2.3.1.5.{outlet}',
  stateOnValue: 2,
  stateOffValue: 1,
};

const servertechSentry: PduModel = {
  name: 'servertech_sentry',
  // Sentry3-MIB outletControlAction on tower 1, infeed 1: on(1), off(2), reboot(3).
  outletControlOid: '1.3.6.1.4.1.1718.3.2.3.1.11.1.1.{outlet}',
  onValue: 1,
  offValue: 2,
  rebootValue: 3,
  // outletStatus: off(0), on(1).
  outletStateOid: '1.3.6.1.4.1.1718.3.2.3.1.10.1.1.{outlet}',
  stateOnValue: 1,
  stateOffValue: 0,
};

/** The models labpool ships, by name. */
export const shippedPduModels: Readonly<Record<string, PduModel>> = {
  apc_spdu: apcSpdu,
  apc_rpdu2: apcRpdu2,
  servertech_sentry: servertechSentry,
};

const OUTLET_PLACEHOLDER = '.{outlet}';
const NUMERIC_OID = /^\d+(\.\d+)+$/;
const MODEL_NAME = /^[A-Za-z0-9_-]+$/;
const MODEL_FIELDS: ReadonlySet<string> = new Set(['name', 'outletControlOid', 'onValue', 'offValue', 'rebootValue', 'outletStateOid', 'stateOnValue', 'stateOffValue']);
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The OID before `.{outlet}`, e.g. `1.3.6.1.4.1.318.1.1.4.4.2.1.3`. */
export function oidPrefix(template: string): string {
  return template.slice(0, -OUTLET_PLACEHOLDER.length);
}

/** The template with the outlet number filled in. */
export function outletOid(template: string, outlet: number): string {
  return `${oidPrefix(template)}.${outlet}`;
}

/**
 * The shipped models plus those from config, every config model validated. A config model may not
 * reuse a shipped name: silently changing what `apc_spdu` means would surprise whoever reads the
 * relay_info of a device.
 */
export function resolvePduModels(extra: Readonly<Record<string, unknown>> = {}): PduModelsResult {
  const models = new Map<string, PduModel>(Object.entries(shippedPduModels));
  for (const [name, candidate] of Object.entries(extra)) {
    if (models.has(name)) return { ok: false, error: `PDU model '${name}' is shipped with labpool; give the config model another name` };
    const checked = validatePduModel(candidate, name);
    if (!checked.ok) return checked;
    models.set(name, checked.model);
  }
  return { ok: true, models };
}

/** Checks that `candidate` is a usable model; `key` is the name config gave it (defaults to its own). */
export function validatePduModel(candidate: unknown, key?: string): { readonly ok: true; readonly model: PduModel } | { readonly ok: false; readonly error: string } {
  const label = `PDU model '${key ?? describeName(candidate)}'`;
  const problem = findModelProblem(candidate, key);
  return problem === undefined ? { ok: true, model: candidate as PduModel } : { ok: false, error: `${label}: ${problem}` };
}

function describeName(candidate: unknown): string {
  return isRecord(candidate) && typeof candidate.name === 'string' ? candidate.name : '?';
}

function findModelProblem(candidate: unknown, key: string | undefined): string | undefined {
  if (!isRecord(candidate)) return 'must be an object';
  const unknown = Object.keys(candidate).filter((field) => !MODEL_FIELDS.has(field));
  if (unknown.length > 0) return `unknown field(s) ${unknown.join(', ')}`;
  const { name } = candidate;
  if (typeof name !== 'string' || !MODEL_NAME.test(name)) return 'name must be letters, digits, _ or -';
  if (key !== undefined && name !== key) return `its name '${name}' differs from the key it is configured under`;
  const shape = findTemplateProblem(candidate, 'outletControlOid') ?? findTemplateProblem(candidate, 'outletStateOid');
  if (shape !== undefined) return shape;
  for (const field of ['onValue', 'offValue', 'stateOnValue', 'stateOffValue', 'rebootValue'] as const) {
    const value = candidate[field];
    if (field === 'rebootValue' && value === undefined) continue;
    if (!isInt32(value)) return `${field} must be a 32-bit integer`;
  }
  return findValueClash(candidate as PduModel);
}

function findTemplateProblem(candidate: Readonly<Record<string, unknown>>, field: 'outletControlOid' | 'outletStateOid'): string | undefined {
  const template = candidate[field];
  if (typeof template !== 'string' || !template.endsWith(OUTLET_PLACEHOLDER) || !NUMERIC_OID.test(oidPrefix(template))) {
    return `${field} must be a numeric OID ending in .{outlet}, e.g. 1.3.6.1.4.1.99999.1.{outlet}`;
  }
  return undefined;
}

function findValueClash(model: PduModel): string | undefined {
  if (model.onValue === model.offValue) return 'onValue and offValue must differ';
  if (model.rebootValue !== undefined && (model.rebootValue === model.onValue || model.rebootValue === model.offValue)) {
    return 'rebootValue must differ from onValue and offValue';
  }
  if (model.stateOnValue === model.stateOffValue) return 'stateOnValue and stateOffValue must differ';
  const control = oidPrefix(model.outletControlOid);
  const state = oidPrefix(model.outletStateOid);
  // An SNMP object is a leaf or a subtree, never both: one template nested in the other is a typo.
  if (control !== state && (control.startsWith(`${state}.`) || state.startsWith(`${control}.`))) {
    return 'outletControlOid and outletStateOid must be the same OID or not nested in each other';
  }
  return undefined;
}

function isInt32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
