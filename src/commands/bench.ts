/**
 * gen bench: the same rows in one schema per partition layout, the same query suite on each, one comparison
 * table with ratios to the first layout.
 */

import { connect } from '../db/connection.js';
import { EXIT, Stopped, UserError } from '../errors.js';
import { generateChunk, listChunks } from '../generate/index.js';
import { runLoad } from '../load/index.js';
import { qualified } from '../model/ddl.js';
import type { Layout } from '../model/layout.js';
import { TABLES } from '../model/tables.js';
import { plural } from '../plural.js';
import { runWorkload } from '../query/index.js';
import { toLoadReport } from '../report/load-report.js';
import { textTable } from '../report/text-table.js';
import type { LayoutResult } from '../report/types.js';
import { loadLayout } from '../scenario/layout-file.js';
import { LIVE_DEFAULTS, liveBenchOptions, refuseLiveFlags, runLiveBench } from './bench-live.js';
import { defineCommand } from './command.js';
import { clockNow, onlyRow, resolveServer } from './common.js';
import {
  jobsFlag,
  listFlag,
  numericFlag,
  refuseTooManyPartitions,
  scenarioFromFlags,
  schemaFlag,
} from './flags.js';
import { dbOption, jobsOption, outputOptions, quietOption, scenarioOptions } from './options.js';
import { reportFrame, wantsOutputs, writeOutputs } from './outputs.js';

async function sizeOf(url: string, schema: string): Promise<number> {
  const client = await connect(url);
  try {
    let total = 0;
    for (const t of TABLES) {
      // the parent and, for a partitioned table, every partition with its indexes and TOAST
      const r = await client.query<{ n: string }>(
        // pg_partition_tree is empty for a plain (unpartitioned) table: then the table itself
        `select coalesce((select sum(pg_total_relation_size(relid)) from pg_partition_tree($1::regclass)),
                         pg_total_relation_size($1::regclass)) n`,
        [qualified(schema, t.name)],
      );
      total += Number(onlyRow(r.rows, 'the size query').n);
    }
    return total;
  } finally {
    await client.end();
  }
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function formatLayoutComparison(results: LayoutResult[]): string {
  const [base] = results;
  if (base === undefined) return '';
  const header = ['figure', ...results.flatMap((r, i) => (i === 0 ? [r.layout] : [r.layout, 'ratio']))];
  const rows: string[][] = [header];
  const add = (figure: string, get: (r: LayoutResult) => number, digits = 0): void => {
    const b = get(base);
    rows.push([
      figure,
      ...results.flatMap((r, i) => {
        const v = get(r);
        return i === 0 ? [fmt(v, digits)] : [fmt(v, digits), b === 0 ? '-' : `${(v / b).toFixed(2)}x`];
      }),
    ]);
  };
  add('load rows/s', (r) => r.load.rowsPerSec);
  add('size on disk MB', (r) => r.sizeBytes / 1e6, 1);
  // the server's side of each load (whole-server counters: another client's writes meanwhile count too)
  const server = (r: LayoutResult) => r.load.serverSide;
  add('WAL written MB', (r) => (server(r)?.walBytes ?? Number.NaN) / 1e6, 1);
  add('checkpoints requested', (r) => server(r)?.checkpointsRequested ?? Number.NaN);
  add(
    'backend buffer writes MB',
    (r) => {
      const s = server(r);
      return s?.buffersWrittenBackend == null ? Number.NaN : (s.buffersWrittenBackend * s.blockSize) / 1e6;
    },
    1,
  );
  add('autovacuum runs', (r) => server(r)?.autovacuumRuns ?? Number.NaN);
  for (const q of base.queries.queries) {
    const get = (r: LayoutResult) => r.queries.queries.find((x) => x.name === q.name);
    add(`${q.name} p50 ms`, (r) => get(r)?.latencyMs.p50 ?? Number.NaN, 2);
    add(`${q.name} p95 ms`, (r) => get(r)?.latencyMs.p95 ?? Number.NaN, 2);
    add(`${q.name} planning ms`, (r) => get(r)?.literal.planningMs ?? Number.NaN, 2);
    add(`${q.name} partitions scanned`, (r) => get(r)?.literal.partitionsScanned ?? Number.NaN);
    // of how many: an unpartitioned table's 1 is all of it
    add(`${q.name} partitions in its tables`, (r) => get(r)?.literal.partitionsTotal ?? Number.NaN);
  }
  return textTable(rows, (i) => i !== 0);
}

export const benchCommand = defineCommand({
  command: 'bench',
  describe: 'the same rows in several partition layouts, the same queries on each, one comparison table',
  builder: (y) =>
    y
      .options({
        layouts: {
          type: 'string',
          default: 'hourly,daily,none',
          describe: 'built-in names or layout files, comma-separated',
        },
      })
      .options(dbOption)
      .options({
        'schema-prefix': { type: 'string', default: 'bench', describe: 'schemas are <prefix>_<layout>' },
      })
      .options(jobsOption('chunks loaded in parallel'))
      .options({
        clients: {
          type: 'number',
          describe: `concurrent query clients (default 4; with --live: dashboard clients, default ${LIVE_DEFAULTS.clients})`,
        },
        duration: { type: 'number', describe: 'seconds of queries per layout (default 5)' },
        'param-seed': { type: 'number', describe: 'seed of the parameter draw (default 1)' },
      })
      .options(liveBenchOptions)
      .options(scenarioOptions())
      .options(quietOption)
      .options(outputOptions),
  run: async (a, { argv, io }) => {
    const say = (s: string): void => {
      io.stderr.write(`${s}\n`);
    };
    const names = listFlag(a.layouts);
    if (names.length === 0)
      throw new UserError('--layouts: expected a comma-separated list, e.g. hourly,daily,none');
    const layouts: Layout[] = names.map((n) => loadLayout(n));
    const seen = new Set<string>();
    for (const l of layouts) {
      if (seen.has(l.name)) throw new UserError(`--layouts: "${l.name}" is given twice`);
      seen.add(l.name);
    }
    const prefix = schemaFlag(a.schemaPrefix, '--schema-prefix');
    const schemaOf = (l: Layout): string =>
      schemaFlag(`${prefix}_${l.name.replace(/[^A-Za-z0-9_]/g, '_')}`, '--schema-prefix');
    if (a.live) return runLiveBench(a, layouts, { prefix, schemaOf }, { argv, io });
    refuseLiveFlags(a);
    const jobs = jobsFlag(a.jobs);
    const clients = numericFlag('clients', a.clients) ?? 4;
    const durationS = numericFlag('duration', a.duration) ?? 5;
    const seed = numericFlag('param-seed', a.paramSeed) ?? 1;
    // resolved once: every layout loads the same window, even when `--start now` crosses an hour meanwhile
    const { scenario, plan } = scenarioFromFlags(a, { now: clockNow(io) });
    for (const l of layouts) refuseTooManyPartitions(scenario, l);
    const server = await resolveServer(a.db, io);
    say(
      `gen bench: ${scenario.name}, ${plural(scenario.hours, 'hour')}, layouts ${layouts.map((l) => l.name).join(', ')} -> ${server.where}`,
    );

    // warm up first (faker pools, JIT): otherwise the first layout pays for it and its ratios are off
    for (const chunk of listChunks(plan).slice(0, 30)) for (const _ of generateChunk(plan, chunk)) void _;
    const results: LayoutResult[] = [];
    for (const layout of layouts) {
      const schema = schemaOf(layout);
      say(`gen bench: ${layout.name}: loading into ${schema}...`);
      const summary = await runLoad({
        plan,
        target: { kind: 'db', url: server.url, schema },
        jobs,
        layout,
        reset: true,
        // the queries plan on statistics, as after a real load (issue 9 §3)
        analyze: true,
        ...(io.signal ? { signal: io.signal } : {}),
      });
      say(`gen bench: ${layout.name}: queries, ${plural(clients, 'client')} for ${durationS} s...`);
      const queries = await runWorkload({
        url: server.url,
        schema,
        clients,
        durationMs: durationS * 1000,
        seed,
        ...(io.signal ? { signal: io.signal } : {}),
      });
      if (io.signal?.aborted) throw new Stopped('the comparison is incomplete; a re-run starts it over');
      results.push({
        layout: layout.name,
        schema,
        load: toLoadReport(summary, schema),
        sizeBytes: await sizeOf(server.url, schema),
        queries,
      });
    }
    io.stdout.write(`${formatLayoutComparison(results)}\n`);
    const failed = results.flatMap((r) =>
      r.queries.queries.filter((q) => !q.literal.ok || !q.generic.ok).map((q) => `${r.layout}/${q.name}`),
    );
    // a comparison, not a check: failed claims are listed, the exit code stays 0 (gen query is the check)
    if (failed.length > 0) io.stdout.write(`\npruning claims that failed: ${failed.join(', ')}\n`);
    if (wantsOutputs(a)) {
      const report = await reportFrame(argv, scenario, server.url, prefix);
      report.layouts = results;
      await writeOutputs(a, report, say);
    }
    return EXIT.ok;
  },
});
