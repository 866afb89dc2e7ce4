import { isIP } from 'node:net';
import { isValidName } from '../../../domain/inventory/inventory-names.js';

/** What a create or update may change: nothing else of a device is the Device API's to write. */
export type LbaasDeviceFields = { readonly name?: string; readonly address?: string };

/** The fields of a body, or what is wrong with it (a 400's `details`). */
export type LbaasBodyCheck = { readonly ok: true; readonly fields: LbaasDeviceFields } | { readonly ok: false; readonly details: string };

function fieldProblem(key: 'name' | 'address', value: unknown): string | undefined {
  if (typeof value !== 'string') return `${key} must be a string`;
  if (key === 'name' && !isValidName(value)) return `device name : ${value} is not 1-128 letters, digits, '.', '_' or '-'`;
  if (key === 'address' && isIP(value) === 0) return `device address : ${value} is not an IPv4 or IPv6 address`;
  return undefined;
}

/**
 * Checks a create (`required`: both fields) or an update (either) body. Other fields are ignored, as
 * the document says of an update.
 */
export function checkLbaasBody(body: unknown, required: boolean): LbaasBodyCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, details: 'the request body must be a JSON object' };
  const record = body as Readonly<Record<string, unknown>>;
  const fields: { name?: string; address?: string } = {};
  for (const key of ['name', 'address'] as const) {
    if (record[key] === undefined) {
      if (required) return { ok: false, details: `device ${key} is required` };
      continue;
    }
    const problem = fieldProblem(key, record[key]);
    if (problem !== undefined) return { ok: false, details: problem };
    fields[key] = record[key] as string;
  }
  if (fields.name === undefined && fields.address === undefined) return { ok: false, details: 'nothing to update: give a name or an address' };
  return { ok: true, fields };
}
