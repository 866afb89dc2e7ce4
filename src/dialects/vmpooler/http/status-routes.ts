import type { Router } from '@koa/router';
import { DateTime } from 'luxon';
import { httpError } from '../../../http/errors.js';
import { pathParam, queryValue } from '../../../http/route-params.js';
import { isoUtc } from '../../../projections/lab/event-time.js';
import { createSummaryViews, utcDate, type DaySummary, type DurationStats, type SummaryReadModel } from '../projections/summary-views.js';
import { registerOndemandRoutes } from './ondemand-routes.js';
import type { ApiVersion, VmpoolerDeps } from './vmpooler-deps.js';

/*
 * vmpooler's status on bare metal (README: "vmpooler status and summary on bare metal"). Queues are
 * the pools' devices: `pending` = held and waiting or being imaged, split into `cloning` (the image
 * being written) and `booting` (coming up on it); `ready`; `running` = checked out; `completed` =
 * returned or failed, waiting to be imaged again. Capacity is ready over the pools' sizes. Every
 * answer is live: vmpooler caches /status for 30 s, labpool reads its projections.
 */

const SECTIONS = ['capacity', 'queue', 'clone', 'boot', 'pools', 'status'] as const;
const SUMMARY_SECTIONS = ['boot', 'clone', 'tag'] as const;
type SummarySection = (typeof SUMMARY_SECTIONS)[number];
/** A summary spans at most this many days: one answer stays small. */
const MAX_SUMMARY_DAYS = 3660;

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

type PoolFigures = {
  readonly name: string;
  readonly alias: readonly string[];
  readonly size: number;
  readonly ready: number;
  readonly running: number;
  readonly cloning: number;
  readonly booting: number;
  readonly completed: number;
};

function poolFigures(deps: VmpoolerDeps, summary: SummaryReadModel): PoolFigures[] {
  const { pools, config } = deps.lab.context;
  return config.pools.map((configured) => {
    const pool = deps.lab.manager.effective(configured.name) ?? configured;
    const queues = pools.queues(pool.name);
    let cloning = 0;
    let booting = 0;
    let completed = 0;
    // A deleted VM is completed at once, as in vmpooler, while its device is still on its way back.
    let running = 0;
    for (const vmId of queues.running.values()) {
      if (pools.vm(vmId) === undefined) completed++;
      else running++;
    }
    for (const member of queues.members.values()) {
      if (member.phase === 'completed' || member.phase === 'failed') completed++;
      else if (member.phase === 'waiting') cloning++;
      else if (member.phase === 'imaging') {
        if (summary.stage(member.device) === 'boot') booting++;
        else cloning++;
      }
    }
    return { name: pool.name, alias: pool.alias, size: pool.size, ready: queues.ready.length, running, cloning, booting, completed };
  });
}

/** `{duration: {average, min, max}, count: {total}}` as /status shows today's clones and boots. */
function statusDurations(stats: DurationStats) {
  return { duration: { average: stats.count === 0 ? 0 : round(stats.total / stats.count), min: round(stats.min), max: round(stats.max) }, count: { total: stats.count } };
}

function statusBody(deps: VmpoolerDeps, summary: SummaryReadModel, views: ReadonlySet<string>): Record<string, unknown> {
  const figures = poolFigures(deps, summary);
  const sum = (pick: (pool: PoolFigures) => number) => figures.reduce((total, pool) => total + pick(pool), 0);
  const body: Record<string, unknown> = {};
  if (views.has('capacity')) {
    const current = sum((pool) => pool.ready);
    const total = sum((pool) => pool.size);
    body.capacity = { current, total, percent: total === 0 ? 0 : round((current / total) * 100, 1) };
  }
  if (views.has('queue')) {
    const cloning = sum((pool) => pool.cloning);
    const booting = sum((pool) => pool.booting);
    const ready = sum((pool) => pool.ready);
    const running = sum((pool) => pool.running);
    const completed = sum((pool) => pool.completed);
    body.queue = { pending: cloning + booting, cloning, booting, ready, running, completed, total: cloning + booting + ready + running + completed };
  }
  const today = summary.day(utcDate(deps.nowMs()));
  if (views.has('clone')) body.clone = statusDurations(today.clone);
  if (views.has('boot')) body.boot = statusDurations(today.boot);
  if (views.has('pools')) {
    body.pools = Object.fromEntries(
      figures.map((pool) => {
        const lastReady = summary.lastReadyMs(pool.name);
        return [
          pool.name,
          { ready: pool.ready, running: pool.running, pending: pool.cloning + pool.booting, max: pool.size, ...(lastReady === undefined ? {} : { lastBoot: isoUtc(lastReady) }), alias: pool.alias },
        ];
      }),
    );
  }
  // vmpooler always answers the status section, whatever the view.
  const empty = figures.filter((pool) => pool.size > 0 && pool.ready === 0).map((pool) => pool.name);
  body.status =
    empty.length === 0 ? { ok: true, message: 'Battle station fully armed and operational.' } : { ok: false, message: `Found ${empty.length} empty pool${empty.length === 1 ? '' : 's'}.`, empty };
  return body;
}

/** `YYYY-MM-DD`, a real day; 400 otherwise. */
function parseDay(raw: string | undefined, fallback: string, name: string): DateTime {
  const text = raw === undefined || raw === '' ? fallback : raw;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone: 'utc' }) : undefined;
  if (!day?.isValid) throw httpError(400, `${name} must be a date YYYY-MM-DD`);
  return day;
}

function durationsOf(days: readonly DurationStats[]) {
  const counted = days.filter((day) => day.count > 0);
  const count = counted.reduce((sum, day) => sum + day.count, 0);
  const total = counted.reduce((sum, day) => sum + day.total, 0);
  const counts = days.map((day) => day.count);
  return {
    duration: {
      average: count === 0 ? 0 : round(total / count),
      min: counted.length === 0 ? 0 : round(Math.min(...counted.map((day) => day.min))),
      max: round(Math.max(0, ...counted.map((day) => day.max))),
      total: round(total),
    },
    count: { average: days.length === 0 ? 0 : round(count / days.length), min: counts.length === 0 ? 0 : Math.min(...counts), max: Math.max(0, ...counts), total: count },
  };
}

function dayDurations(stats: DurationStats) {
  return { duration: { average: stats.count === 0 ? 0 : round(stats.total / stats.count), min: round(stats.min), max: round(stats.max), total: round(stats.total) }, count: { total: stats.count } };
}

/** Tag name → {value: count, …, total}. */
function tagCounts(days: readonly DaySummary[]): Record<string, Record<string, number>> {
  const tags: Record<string, Record<string, number>> = {};
  for (const day of days) {
    for (const [name, values] of day.tags) {
      const counts = (tags[name] ??= {});
      for (const [value, count] of values) counts[value] = (counts[value] ?? 0) + count;
    }
  }
  for (const counts of Object.values(tags)) counts.total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return tags;
}

type Summary = Record<SummarySection, Record<string, unknown>> & { daily: ({ date: string } & Record<SummarySection, Record<string, unknown>>)[] };

function summaryOf(deps: VmpoolerDeps, summary: SummaryReadModel, query: { from?: string; to?: string }): Summary {
  const today = utcDate(deps.nowMs());
  const from = parseDay(query.from, today, 'from');
  const to = parseDay(query.to, today, 'to');
  if (from > to) throw httpError(400, 'from must not be after to');
  const span = to.diff(from, 'days').days + 1;
  if (span > MAX_SUMMARY_DAYS) throw httpError(400, `a summary spans at most ${MAX_SUMMARY_DAYS} days`);
  const dates = Array.from({ length: span }, (_, i) => from.plus({ days: i }).toISODate()!);
  const days = dates.map((date) => summary.day(date));
  return {
    boot: durationsOf(days.map((day) => day.boot)),
    clone: durationsOf(days.map((day) => day.clone)),
    tag: tagCounts(days),
    daily: dates.map((date, i) => ({ date, boot: dayDurations(days[i]!.boot), clone: dayDurations(days[i]!.clone), tag: tagCounts([days[i]!]) })),
  };
}

function isSection(name: string): name is SummarySection {
  return (SUMMARY_SECTIONS as readonly string[]).includes(name);
}

/** `/summary/<section>[/<key>]`: that part of the overall and of each day. */
function summaryPart(full: Summary, section: string, key: string | undefined): Record<string, unknown> {
  if (!isSection(section)) throw httpError(404, `no summary section ${section}`);
  const pick = (part: Record<string, unknown>) => (key === undefined ? part : { [key]: part[key] ?? {} });
  if (key !== undefined && section !== 'tag' && !(key in full[section])) throw httpError(404, `no ${section} figure ${key}`);
  return { [section]: pick(full[section]), daily: full.daily.map((day) => ({ date: day.date, [section]: pick(day[section]) })) };
}

/** `/status`, `/summary…`, `/poolstat`, `/totalrunning` and the on-demand routes of one API version. */
export function registerPoolStatusRoutes(router: Router, deps: VmpoolerDeps, version: ApiVersion): void {
  const prefix = `/api/${version}`;
  const summary = deps.summary ?? createSummaryViews();
  const dates = (ctx: { query: Record<string, unknown> }) => ({ from: single(ctx.query.from), to: single(ctx.query.to) });

  router.get(`${prefix}/status{/}`, (ctx) => {
    const view = queryValue(ctx, 'view');
    const views = new Set<string>(view === undefined ? SECTIONS : view.split(',').map((name) => name.trim()));
    ctx.body = statusBody(deps, summary, views);
  });

  router.get(`${prefix}/summary{/}`, (ctx) => {
    ctx.body = summaryOf(deps, summary, dates(ctx));
  });
  router.get(`${prefix}/summary/:section{/}`, (ctx) => {
    ctx.body = summaryPart(summaryOf(deps, summary, dates(ctx)), pathParam(ctx, 'section'), undefined);
  });
  router.get(`${prefix}/summary/:section/:key{/}`, (ctx) => {
    ctx.body = summaryPart(summaryOf(deps, summary, dates(ctx)), pathParam(ctx, 'section'), pathParam(ctx, 'key'));
  });

  router.get(`${prefix}/poolstat{/}`, (ctx) => {
    const names = (queryValue(ctx, 'pool') ?? '').split(',').map((name) => name.trim());
    const pools: Record<string, unknown> = {};
    for (const name of names) {
      // Names that are no pool are left out, as vmpooler does.
      const pool = deps.lab.manager.effective(name);
      if (pool === undefined) continue;
      pools[name] = { ready: deps.lab.context.pools.queues(name).ready.length, max: pool.size, alias: pool.alias };
    }
    ctx.body = { pools };
  });

  router.get(`${prefix}/totalrunning{/}`, (ctx) => {
    // Open VMs: a deleted one no longer runs, though its device may still be on its way back.
    let running = 0;
    for (const vm of deps.lab.context.pools.runningVms()) if (vm.id !== null) running++;
    ctx.body = { running };
  });

  registerOndemandRoutes(router, deps, version);
}

function single(value: unknown): string | undefined {
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}
