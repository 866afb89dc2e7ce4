/**
 * `npm run bench [-- --quick]`: runs every bench section, prints ONE table (section, metric, value,
 * reference measured in the same run, ratio, target, met) and writes bench/results.json (every row and
 * the machine). Never part of `npm test`. `--quick` is a smaller run: about 100 s on 2 cores.
 * Sections written in parallel (lease lifecycle, cold start and memory) are run when their files exist.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { meets, type BenchRow, type BenchSection } from './bench-row.js';
import { eventStoreDbRows, storeSection } from './store-section.js';
import { httpSection } from './http-section.js';
import { queriesSection } from './queries-section.js';
import { severalServers } from './several-servers.js';

const quick = process.argv.includes('--quick');
/** `--only store,http`: run just these sections (while working on one); results.json is still written. */
const onlyArg = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const only = onlyArg === undefined ? undefined : new Set(onlyArg.split(','));

/** A section from a file that may not exist yet: undefined when the file is missing. */
async function optionalSection(file: string, name: string): Promise<BenchSection | undefined> {
  try {
    const module = (await import(file)) as Record<string, unknown>;
    const section = module[name];
    if (typeof section !== 'function') throw new Error(`${file} does not export ${name}`);
    return section as BenchSection;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(file.replace('./', '').replace('.js', ''))) return undefined;
    throw error;
  }
}

interface SectionRun {
  readonly name: string;
  readonly seconds: number;
  readonly rows: readonly BenchRow[];
  readonly error?: string;
  readonly skipped?: string;
}

async function runSection(name: string, load: () => Promise<BenchSection | undefined>): Promise<SectionRun> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  if (only !== undefined && !only.has(name.split(' ')[0]!)) return { name, seconds: 0, rows: [], skipped: 'not in --only' };
  try {
    const section = await load();
    if (section === undefined) return { name, seconds: 0, rows: [], skipped: 'not written yet' };
    process.stderr.write(`bench: ${name}…\n`);
    const rows = (await section({ quick })).map(withVerdict);
    process.stderr.write(`bench: ${name} done in ${seconds().toFixed(1)} s\n`);
    return { name, seconds: seconds(), rows };
  } catch (error) {
    process.stderr.write(`bench: ${name} failed: ${(error as Error).stack ?? String(error)}\n`);
    return { name, seconds: seconds(), rows: [], error: String((error as Error).message ?? error) };
  }
}

/** Fills in `ratio` and `met` where a section left them out. */
function withVerdict(row: BenchRow): BenchRow {
  const ratio = row.ratio ?? (row.reference && row.reference.value !== 0 ? row.value / row.reference.value : undefined);
  const met = row.met ?? (row.target === undefined ? undefined : meets(row.value, row.target));
  return { ...row, ...(ratio === undefined ? {} : { ratio }), ...(met === undefined ? {} : { met }) };
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function printTable(rows: readonly BenchRow[]): void {
  const header = ['section', 'metric', 'value', 'reference', 'ratio', 'target', 'met'];
  const lines = rows.map((row) => [
    row.section,
    row.metric,
    `${formatNumber(row.value)} ${row.unit}`,
    row.reference ? `${formatNumber(row.reference.value)} (${row.reference.label})` : '',
    row.ratio === undefined ? '' : row.ratio.toFixed(2),
    row.target ?? '',
    row.met === undefined ? '' : row.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 2 || i === 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
}

async function main(): Promise<void> {
  const started = performance.now();
  const runs: SectionRun[] = [];
  runs.push(
    await runSection('store', async () =>
      process.env.EVENTSTORE_URL === undefined ? storeSection : async (options) => [...(await storeSection(options)), ...(await eventStoreDbRows(process.env.EVENTSTORE_URL!, options.quick))],
    ),
  );
  runs.push(await runSection('http', async () => httpSection));
  runs.push(await runSection('lease', () => optionalSection('./lease-lifecycle.js', 'leaseLifecycle')));
  runs.push(await runSection('queries', async () => queriesSection));
  runs.push(await runSection('vmpooler', () => optionalSection('./vmpooler-checkout.js', 'vmpoolerCheckout')));
  runs.push(await runSection('drydock', () => optionalSection('./drydock-deploy.js', 'drydockDeploy')));
  runs.push(await runSection('servers', async () => severalServers));
  runs.push(await runSection('cold start + memory', () => optionalSection('./cold-start.js', 'coldStartAndMemory')));
  const totalSeconds = (performance.now() - started) / 1000;

  const rows = runs.flatMap((run) => run.rows);
  printTable(rows);
  for (const run of runs) {
    if (run.skipped) console.log(`(${run.name}: skipped, ${run.skipped})`);
    if (run.error) console.log(`(${run.name}: FAILED: ${run.error})`);
  }
  console.log(`${quick ? 'quick run' : 'full run'}: ${totalSeconds.toFixed(1)} s (${runs.map((run) => `${run.name} ${run.seconds.toFixed(1)} s`).join(', ')})`);

  const machine = { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', totalMemoryBytes: totalmem() };
  const results = {
    measuredAt: new Date().toISOString(),
    quick,
    machine,
    totalSeconds,
    sections: runs.map((run) => ({ name: run.name, seconds: run.seconds, ...(run.skipped ? { skipped: run.skipped } : {}), ...(run.error ? { error: run.error } : {}) })),
    rows,
  };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log('wrote bench/results.json');
  if (runs.some((run) => run.error)) process.exitCode = 1;
}

await main();
