import type { Router } from '@koa/router';
import type { RouteDocs } from '../../../http/openapi/route-doc.js';
import type { CommissaireLab } from '../actors/commissaire-lab.js';
import type { CommissaireAccess } from './commissaire-auth.js';

/** What Commissaire's routes over a lab need. */
export type CommissaireRouteDeps = { readonly lab: CommissaireLab; readonly access: CommissaireAccess };

/** Commissaire's routes under `/api/v0/` (the routes' engineer fills this in). */
export function registerCommissaireRoutes(_router: Router, _deps: CommissaireRouteDeps): void {
  return undefined;
}

/** Descriptions of its routes for the OpenAPI document, by `METHOD /openapi/path/`. */
export const commissaireRouteDocs: RouteDocs = {};

/** The JSON schemas its routes validate request bodies with, by `METHOD /openapi/path/`. */
export const commissaireBodySchemas: Readonly<Record<string, object>> = {};
