import { randomFillSync } from 'node:crypto';
import { ulid } from 'ulid';
import type { LogPosition } from '../../../store/port.js';
import type { DesignBootaction } from '../domain/design.js';
import type { BootactionCommand, IssuedAsset } from '../domain/bootaction-events.js';
import type { BootactionViews } from '../projections/bootaction-views.js';
import type { BootactionKind } from './bootaction-actor.js';
import { newBootactionKey } from './bootaction-key.js';
import { renderAssetTemplate, type TemplateValues } from './asset-template.js';

/** A deployed node as its bootactions' templates see it. */
export type BootactionNode = { readonly hostname: string; readonly fqdn: string; readonly mac: string; readonly image: string; readonly rack: string | null };

export type IssuedBootactions = {
  /** The node's key for this deploy: every action below shares it. */
  readonly key: string;
  readonly actions: readonly { readonly actionId: string; readonly actionName: string; readonly signaling: boolean }[];
};

/** What a node's boot config carries so that it can fetch its assets and report (see {@link BootactionService.bootConfigOf}). */
export type BootactionBootConfig = {
  readonly drydock: { readonly hostname: string; readonly key: string; readonly units_url: string; readonly files_url: string; readonly report_url: string };
};

export interface BootactionService {
  /**
   * Issues `bootactions` to one node for one deploy: a fresh key for the node, a fresh ULID per action,
   * assets rendered with the node's values. Resolves once the read model shows them. Rejects, issuing
   * nothing, when a template names an unknown variable; no bootactions: nothing is issued.
   */
  issue(input: { readonly taskId: string; readonly node: BootactionNode; readonly bootactions: readonly DesignBootaction[] }): Promise<IssuedBootactions>;
  /** The `drydock` part of the node's boot config for its latest deploy with bootactions; null without one. */
  bootConfigOf(hostname: string): BootactionBootConfig | null;
}

export type BootactionServiceDeps = {
  readonly kind: BootactionKind;
  readonly views: BootactionViews;
  readonly nowMs: () => number;
  /** labpool's public base URL (`http://host:port`), as the nodes reach it. */
  readonly publicUrl: string;
  /** Resolves once the read models reached `position`; without it `issue` does not wait for them. */
  readonly waitFor?: (position: LogPosition) => Promise<void>;
};

/** A template in a design names a variable that does not exist (validatedesign reports it beforehand). */
export class BootactionRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BootactionRenderError';
  }
}

/** Where a node's bootaction client posts: it appends `/<action id>/` (no trailing slash here, or the path gets `//`). */
export function bootactionReportUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1.0/bootaction`;
}

type Issue = Extract<BootactionCommand, { type: 'Issue' }>;

/**
 * Random fractions in [0, 1) for ULIDs, drawn from a pool of random bytes. ulid's own source asks
 * WebCrypto for one byte per character: a millisecond per id on a busy machine, most of the CPU of
 * issuing a node's bootactions (bench, drydock section). byte / 256 picks each of ulid's 32
 * characters with the same chance, as ulid's own does.
 */
export function pooledRandom(poolBytes = 256): () => number {
  const pool = Buffer.alloc(poolBytes);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]! / 256;
  };
}

export function createBootactionService(deps: BootactionServiceDeps): BootactionService {
  const baseUrl = deps.publicUrl.replace(/\/+$/, '');
  const reportUrl = bootactionReportUrl(baseUrl);
  const random = pooledRandom();

  function command(taskId: string, node: BootactionNode, key: string, bootaction: DesignBootaction, nowMs: number): Issue {
    const actionId = ulid(nowMs, random);
    const values: TemplateValues = {
      'node.hostname': node.hostname,
      'node.fqdn': node.fqdn,
      'node.mac': node.mac,
      'node.image': node.image,
      'node.rack': node.rack ?? '',
      'action.action_id': actionId,
      'action.action_name': bootaction.name,
      'action.action_key': key,
      'action.report_url': reportUrl,
      'labpool.url': baseUrl,
    };
    const assets = bootaction.assets.map((asset): IssuedAsset => {
      const { path, type, permissions } = asset;
      if (!asset.template) return { path, type, permissions, data: asset.data };
      const rendered = renderAssetTemplate(asset.data, values);
      if (!rendered.ok) throw new BootactionRenderError(`bootaction ${bootaction.name}, asset ${path}: ${rendered.problems.join('; ')}`);
      return { path, type, permissions, data: rendered.text };
    });
    const { name: actionName, signaling } = bootaction;
    return { type: 'Issue', actionId, actionName, node: node.hostname, taskId, key, signaling, assets, reportUrl, nowMs };
  }

  async function issue({ taskId, node, bootactions }: Parameters<BootactionService['issue']>[0]): Promise<IssuedBootactions> {
    const key = newBootactionKey();
    const nowMs = deps.nowMs();
    // Every template renders before anything is stored: a bad one issues nothing.
    const commands = bootactions.map((bootaction) => command(taskId, node, key, bootaction, nowMs));
    const outcomes = await Promise.all(commands.map((issued) => deps.kind.ask(issued.actionId, issued, { actor: 'drydock', correlationId: taskId })));
    let last: LogPosition | undefined;
    for (const outcome of outcomes) {
      if (!outcome.ok) throw new Error(`bootaction not issued: ${outcome.rejection.code}: ${outcome.rejection.message}`);
      if (outcome.position !== undefined && (last === undefined || outcome.position > last)) last = outcome.position;
    }
    if (last !== undefined) await deps.waitFor?.(last);
    return { key, actions: commands.map(({ actionId, actionName, signaling }) => ({ actionId, actionName, signaling })) };
  }

  function bootConfigOf(hostname: string): BootactionBootConfig | null {
    const deploy = deps.views.latestDeploy(hostname);
    if (deploy === undefined) return null;
    const nodeUrl = `${baseUrl}/api/v1.0/bootactions/nodes/${encodeURIComponent(hostname)}`;
    return { drydock: { hostname, key: deploy.key, units_url: `${nodeUrl}/units`, files_url: `${nodeUrl}/files`, report_url: reportUrl } };
  }

  return { issue, bootConfigOf };
}
