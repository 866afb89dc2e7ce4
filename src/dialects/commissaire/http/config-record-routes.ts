import type { Router, RouterContext } from '@koa/router';
import { httpError } from '../../../http/errors.js';
import type { ConfigRecord, ConfigRecordKind } from '../actors/commissaire-lab.js';
import { commissaireUser } from './commissaire-auth.js';
import { containerManagerBodySchema, createBodyReader, networkBodySchema, type BodyReader, type ConfigRecordBody } from './commissaire-bodies.js';
import { answer, answerDeleted, COMMISSAIRE_PREFIX, nameParam, valueOf } from './commissaire-params.js';
import type { CommissaireRouteDeps } from './commissaire-routes.js';

/** Per kind: its body, and the plural of its list route (`/networks`, `/containermanagers`). */
const KINDS: readonly { readonly kind: ConfigRecordKind; readonly list: string; readonly read: BodyReader<ConfigRecordBody> }[] = [
  { kind: 'network', list: 'networks', read: createBodyReader<ConfigRecordBody>(networkBodySchema) },
  { kind: 'containermanager', list: 'containermanagers', read: createBodyReader<ConfigRecordBody>(containerManagerBodySchema) },
];

/** GET /network/{name} and /containermanager/{name}. */
function recordView(record: ConfigRecord) {
  return { name: record.name, type: record.recordType, options: record.options };
}

async function createRecord(ctx: RouterContext, deps: CommissaireRouteDeps, kind: ConfigRecordKind, read: BodyReader<ConfigRecordBody>): Promise<void> {
  const name = nameParam(ctx);
  const body = read(ctx);
  const outcome = await deps.lab.createConfigRecord(kind, { name, recordType: body.type, options: body.options ?? {}, by: commissaireUser(ctx) });
  answer(ctx, 201, recordView(valueOf(outcome)));
}

function showRecord(ctx: RouterContext, deps: CommissaireRouteDeps, kind: ConfigRecordKind): void {
  const name = nameParam(ctx);
  const record = deps.lab.views.configRecord(kind, name);
  if (record === undefined) throw httpError(404, `no ${kind} ${name}`);
  answer(ctx, 200, recordView(record));
}

/** Networks and container managers: `/<kind>/{name}` PUT (201), GET, DELETE (200 `[]`), and their lists of names. */
export function registerConfigRecordRoutes(router: Router, deps: CommissaireRouteDeps): void {
  const { access, lab } = deps;
  for (const { kind, list, read } of KINDS) {
    const path = `${COMMISSAIRE_PREFIX}/${kind}/:name{/}`;
    router.get(`${COMMISSAIRE_PREFIX}/${list}{/}`, access.read, (ctx) =>
      answer(
        ctx,
        200,
        lab.views.configRecords(kind).map((record) => record.name),
      ),
    );
    router.put(path, access.write, (ctx) => createRecord(ctx, deps, kind, read));
    router.get(path, access.read, (ctx) => showRecord(ctx, deps, kind));
    router.delete(path, access.write, async (ctx) => {
      valueOf(await lab.deleteConfigRecord(kind, nameParam(ctx), commissaireUser(ctx)));
      answerDeleted(ctx);
    });
  }
}
