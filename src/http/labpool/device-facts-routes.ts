import { randomUUID } from 'node:crypto';
import type { Router, RouterContext } from '@koa/router';
import type { Middleware } from 'koa';
import { Ajv } from 'ajv';
import type { DeviceCommand } from '../../domain/device/device-commands.js';
import { JSON_FACTS_FORMAT, type JsonObject } from '../../domain/device/device-events.js';
import type { CommandOutcome } from '../../actors/persistent-actor.js';
import { requestIdOf } from '../../logging/request-logging.js';
import { isoUtc } from '../../projections/lab/event-time.js';
import type { LabReadModels } from '../../projections/read-models.js';
import type { EventMetadata, LogPosition } from '../../store/port.js';
import { requireSource } from '../access/require-source.js';
import { httpError } from '../errors.js';
import { pathParam } from '../route-params.js';
import type { RegisterRoutes } from '../routes.js';

/** Where devices post their hardware facts; bodies under it are limited to {@link MAX_FACTS_BODY_BYTES}. */
export const DEVICE_FACTS_PREFIX = '/labpool/devices/';

/** An `lshw -json` of a large server is some tens of kB: four times that is plenty, and bounds the read model. */
export const MAX_FACTS_BODY_BYTES = 256 * 1024;

/** What a report names as its generator when it names none. */
export const DEFAULT_FACTS_GENERATOR = 'lshw';

/** `POST /labpool/devices/{name}/facts`: a device's report of its own hardware. */
export const factsBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['facts'],
  properties: {
    generator: { type: 'string', minLength: 1, maxLength: 128, description: `what produced the report (default \`${DEFAULT_FACTS_GENERATOR}\`)` },
    facts: { type: 'object', description: 'the report itself, e.g. the output of `lshw -json`' },
  },
} as const;

type FactsBody = { readonly generator?: string; readonly facts: JsonObject };

const validateFactsBody = new Ajv().compile<FactsBody>(factsBodySchema);

/** What the facts route needs from the lab. */
export interface DeviceFactsDeps {
  readonly serverId: string;
  /** The device actors: only the owner's records a report. */
  readonly devices: { ask(id: string, command: DeviceCommand, metadata?: EventMetadata): Promise<CommandOutcome<unknown, unknown>> };
  readonly readModels: Pick<LabReadModels, 'devices' | 'facts'>;
  /** Resolves once the read models have applied `position` (read-your-writes). */
  readonly waitFor: (position: LogPosition) => Promise<void>;
  readonly nowMs: () => number;
  /** `security.deviceSources`: the addresses devices call from; null lets any address in. */
  readonly deviceSources: readonly string[] | null;
}

/**
 * The device-side route of the core lab: a device posts an `lshw`-like JSON report of itself, in any
 * state, and labpool records it on the device's stream (`DeviceFactsReported`). Errors are
 * problem+json: 400 bad body, 403 outside `security.deviceSources`, 404 unknown or retired device, 413
 * over {@link MAX_FACTS_BODY_BYTES}; another server's device is sent there with a 307, which keeps the body.
 */
export function deviceFactsRoutes(deps: DeviceFactsDeps): RegisterRoutes {
  const guard: Middleware[] = deps.deviceSources === null ? [] : [requireSource(deps.deviceSources, 'security.deviceSources')];
  return (router: Router) => {
    router.post(`${DEVICE_FACTS_PREFIX}:name/facts{/}`, ...guard, (ctx) => recordFacts(ctx, deps));
  };
}

async function recordFacts(ctx: RouterContext, deps: DeviceFactsDeps): Promise<void> {
  const name = pathParam(ctx, 'name');
  const device = deps.readModels.devices.get(name);
  if (device === undefined) throw httpError(404, `device ${name} not found`);
  if (device.imagingServer !== deps.serverId) return redirectToOwner(ctx, device.imagingServer);
  const body = factsBodyOf(ctx.request.body);
  const command: DeviceCommand = { type: 'ReportFacts', generator: body.generator ?? DEFAULT_FACTS_GENERATOR, format: JSON_FACTS_FORMAT, facts: body.facts, nowMs: deps.nowMs() };
  const metadata: EventMetadata = { correlationId: requestIdOf(ctx) ?? randomUUID(), actor: 'device' };
  const outcome = await deps.devices.ask(name, command, metadata);
  if (!outcome.ok) throw httpError(outcome.rejection.code === 'unknown_device' ? 404 : 409, outcome.rejection.message);
  if (outcome.position !== undefined) await deps.waitFor(outcome.position);
  ctx.body = { device: name, generator: command.generator, format: command.format, reportedAt: isoUtc(command.nowMs), reports: deps.readModels.facts.of(name).length };
}

function factsBodyOf(body: unknown): FactsBody {
  if (validateFactsBody(body)) return body;
  const error = validateFactsBody.errors?.[0];
  const field = error === undefined || error.instancePath === '' ? 'body' : error.instancePath.slice(1).replaceAll('/', '.');
  if (error?.keyword === 'additionalProperties') throw httpError(400, `${field}.${String(error.params['additionalProperty'])} is not a known field`);
  throw httpError(400, `${field} ${error?.message ?? 'is invalid'}`);
}

/** Only the owner runs the device's actor; 307 (not MozPool's 302) so the device posts the same body again there. */
function redirectToOwner(ctx: RouterContext, owner: string): void {
  const location = `http://${owner}${ctx.path}`;
  ctx.status = 307;
  ctx.set('Location', location);
  ctx.body = { location };
}
