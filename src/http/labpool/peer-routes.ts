import type { Router, RouterContext } from '@koa/router';
import { Ajv, type ValidateFunction } from 'ajv';
import type { PeerKind, PeerNetwork } from '../../lab/peers/peer-network.js';
import { toWireOutcome } from '../../lab/peers/peer-client.js';
import { findStoreUnavailable, type EventMetadata } from '../../store/port.js';
import { HttpError, httpError } from '../errors.js';
import { pathParam } from '../route-params.js';
import type { RegisterRoutes } from '../routes.js';

/** Where the servers of one lab ask each other's actors. */
export const PEER_PREFIX = '/labpool/peer/';

/** A peer's POST: the command (checked against its kind's commands) and the caller's metadata (correlation, actor). */
export const PEER_ENVELOPE_SCHEMA = {
  type: 'object',
  required: ['command'],
  additionalProperties: false,
  properties: { command: { type: 'object' }, metadata: { type: 'object', additionalProperties: { type: 'string', maxLength: 256 } } },
} as const;

const ajv = new Ajv({ allowUnionTypes: true });
const validateEnvelope = ajv.compile<{ command: unknown; metadata?: EventMetadata }>(PEER_ENVELOPE_SCHEMA);

/**
 * `POST /labpool/peer/{kind}/{id}/` (a command, answered with its outcome) and `GET` (the actor's
 * state): what another server of the lab asks of an actor this server owns, with the lab's peer
 * token as a Bearer token. Errors are problem+json: 401 without the token (403 when this server has
 * none: it takes no peer calls), 404 unknown kind, 400 a body or command peers may not send, 409 an
 * actor this server does not own (a handover moved it): the caller must not run it itself.
 */
export function peerRoutes(peers: PeerNetwork): RegisterRoutes {
  const validators = new Map<string, ValidateFunction>();
  const validatorOf = (name: string, kind: PeerKind) => {
    let validate = validators.get(name);
    if (validate === undefined) validators.set(name, (validate = ajv.compile(kind.commandSchema)));
    return validate;
  };
  const handle = (answer: (ctx: RouterContext, kind: PeerKind, name: string, id: string) => Promise<unknown>) => async (ctx: RouterContext) => {
    if (!peers.enabled) throw httpError(403, 'this server takes no calls from other servers: servers.peerToken is not set');
    if (!peers.isPeer(ctx.get('authorization') || undefined)) throw httpError(401, "a call from another server needs the lab's peer token (Authorization: Bearer)");
    const name = pathParam(ctx, 'kind');
    const kind = peers.kind(name);
    if (kind === undefined) throw httpError(404, `no peer route for ${name}`);
    const id = pathParam(ctx, 'id');
    const owner = await kind.ownerOf(id);
    if (owner !== undefined && owner !== peers.serverId) throw httpError(409, `${name} ${id} is managed by ${owner}, not by this server`);
    ctx.body = await askedOrUnavailable(() => answer(ctx, kind, name, id));
  };
  return (router: Router) => {
    router.get(
      `${PEER_PREFIX}:kind/:id{/}`,
      handle(async (_ctx, kind, _name, id) => kind.local.read(id)),
    );
    router.post(
      `${PEER_PREFIX}:kind/:id{/}`,
      handle(async (ctx, kind, name, id) => {
        const body: unknown = ctx.request.body;
        if (!validateEnvelope(body)) throw httpError(400, `body must be {command, metadata?}: ${ajv.errorsText(validateEnvelope.errors)}`);
        const validate = validatorOf(name, kind);
        if (!validate(body.command)) throw httpError(400, `not a command another server may send to a ${name}: ${ajv.errorsText(validate.errors)}`);
        return toWireOutcome(await kind.local.ask(id, body.command, { ...body.metadata }));
      }),
    );
  };
}

/** An actor that did not answer (a timeout) is the server's trouble, said as 503 like a store that cannot write. */
async function askedOrUnavailable<Value>(work: () => Promise<Value>): Promise<Value> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError || findStoreUnavailable(error) !== undefined) throw error;
    throw httpError(503, error instanceof Error ? error.message : String(error), { cause: error });
  }
}
