/**
 * npm run bench, part 3: gen query and pgbench side by side (issue 7 §2). The same queries with the same
 * parameter sets (`gen query --pgbench` writes them), the same clients and the same rate, one run each:
 * per query, both tools' p50/p95 and their ratio.
 *
 * Latency is measured the same way on both sides: from each query's scheduled start. gen query under --rate
 * counts from the due time of its schedule; pgbench -R logs (-l) `client_id transaction_no time script_no
 * time_epoch time_us schedule_lag`, where `time` includes the schedule lag. That column is used, so both
 * include the wait for a free client. The data is the `tiny` scenario, so that the rate stays well below
 * saturation on a small machine: there, the two should agree within 20%.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { scenarioFromFlags } from '../src/commands/flags.js';
import { runLoad } from '../src/load/index.js';
import { ident } from '../src/model/ddl.js';
import { writePgbenchSuite } from '../src/query/index.js';
import { percentiles } from '../src/query/latencies.js';
import { pgbenchArgs } from '../src/query/pgbench.js';
import { loadSuite } from '../src/query/suite.js';
import { runWorkload } from '../src/query/workload.js';
import { textTable } from '../src/report/text-table.js';
import { libpqTarget } from './util.js';

const SCHEMA = 'bench_pgbench';
/** queries/s per query of the suite; the rate is this times the number of queries */
const PER_QUERY_RATE = 20;
const CLIENTS = 2;
const DURATION_S = 20;
const SEED = 1;
/** below saturation the tools should agree within this factor */
const AGREE = 1.2;

/** pgbench on PATH, else the newest of Debian's /usr/lib/postgresql/NN/bin/pgbench; undefined when absent. */
export function findPgbench(): string | undefined {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d !== '' && existsSync(join(d, 'pgbench'))) return join(d, 'pgbench');
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  const found = versions
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin', 'pgbench'))
    .find((p) => existsSync(p));
  return found;
}

/** pgbench with `url` as its last argument, the password in its environment (bench/util.ts libpqTarget) */
function run(cmd: string, args: string[], url: string, cwd: string): Promise<void> {
  const target = libpqTarget(url);
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, [...args, target.conninfo], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: target.env,
    });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err.slice(-600)}`)),
    );
  });
}

interface LogFigures {
  /** per script_no: latencies in ms from the scheduled start */
  latency: number[][];
  /** per script_no: schedule lag in ms */
  lag: number[][];
  /** lines whose time is not a number (skipped, failed) */
  other: number;
}

/** pgbench's -l files `<prefix>.<pid>[.<thread>]` in `dir`. */
function readLogs(dir: string, prefix: string, scripts: number): LogFigures {
  const out: LogFigures = {
    latency: Array.from({ length: scripts }, () => []),
    lag: Array.from({ length: scripts }, () => []),
    other: 0,
  };
  for (const f of readdirSync(dir).filter((n) => n.startsWith(`${prefix}.`))) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (line === '') continue;
      const [, , time, scriptNo, , , lag] = line.split(' ');
      const us = Number(time);
      const lat = out.latency[Number(scriptNo)];
      const lags = out.lag[Number(scriptNo)];
      if (!Number.isFinite(us) || lat === undefined || lags === undefined) {
        out.other++;
        continue;
      }
      lat.push(us / 1000);
      lags.push(Number(lag ?? 0) / 1000);
    }
  }
  return out;
}

/** p50 ms of a trivial round trip from each client, closed loop: the clients' own cost per query. */
async function clientFloor(
  client: pg.Client,
  pgbench: string,
  dir: string,
  url: string,
): Promise<{ node: number; pgbench: number }> {
  const n = 300;
  const node: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await client.query({ text: 'SELECT 1', values: [] });
    node.push(performance.now() - t);
  }
  const file = join(dir, 'select-1.sql');
  writeFileSync(file, 'SELECT 1;\n');
  await run(
    pgbench,
    ['-n', '-M', 'extended', '-c', '1', '-t', String(n), '-l', '--log-prefix=floor', '-f', file],
    url,
    dir,
  );
  const logs = readLogs(dir, 'floor', 1);
  return { node: percentiles(node).p50, pgbench: percentiles(logs.latency[0] ?? []).p50 };
}

export async function pgbenchSideBySide(url: string): Promise<void> {
  console.log(
    `\n## gen query vs pgbench: the same queries and parameters, ${CLIENTS} clients, ${PER_QUERY_RATE} queries/s per query, ${DURATION_S} s each`,
  );
  const pgbench = findPgbench();
  if (pgbench === undefined) {
    console.log(
      'skipped: pgbench not found (PATH, /usr/lib/postgresql/*/bin); Debian ships it in the server package postgresql-NN (e.g. postgresql-15), not in postgresql-client',
    );
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'dp-bench-pgbench-'));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { plan } = scenarioFromFlags({ scenario: 'tiny' }, { now: Date.now() });
    const load = await runLoad({ plan, target: { kind: 'db', url, schema: SCHEMA }, jobs: 2, reset: true });
    // the rate is over all queries: gen query takes them in turn, pgbench picks scripts with equal weights
    const total = PER_QUERY_RATE * loadSuite().length;
    const replay = { clients: CLIENTS, durationS: DURATION_S, rate: total, logPrefix: 'pgbench_log' };
    const { scripts } = await writePgbenchSuite({ url, schema: SCHEMA, seed: SEED, dir, ...replay });
    await run(pgbench, pgbenchArgs(scripts, dir, replay), url, dir);
    const ours = await runWorkload({
      url,
      schema: SCHEMA,
      clients: CLIENTS,
      seed: SEED,
      durationMs: DURATION_S * 1000,
      rate: total,
    });
    const logs = readLogs(dir, replay.logPrefix, scripts.length);

    console.log(
      `data: scenario tiny, ${load.rows.toLocaleString('en-US')} rows; gen query: ${ours.qps.toFixed(1)} queries/s, ` +
        `${ours.errors} errors; pgbench ${pgbench} -M extended, latency = its -l "time" column (from the scheduled start, schedule lag included)`,
    );
    const rows: string[][] = [
      [
        'query',
        'gen p50',
        'pgbench p50',
        'ratio',
        'gen p95',
        'pgbench p95',
        'ratio',
        'pgbench lag p95',
        'n gen',
        'n pgbench',
      ],
    ];
    const apart: string[] = [];
    scripts.forEach((s, i) => {
      const g = ours.queries.find((q) => q.name === s.query)?.latencyMs;
      if (g === undefined) throw new Error(`gen query reported no ${s.query}`);
      const p = percentiles(logs.latency[i] ?? []);
      const lag = percentiles(logs.lag[i] ?? []);
      const r50 = p.p50 / g.p50;
      const r95 = p.p95 / g.p95;
      rows.push([
        s.query,
        g.p50.toFixed(2),
        p.p50.toFixed(2),
        `${r50.toFixed(2)}x`,
        g.p95.toFixed(2),
        p.p95.toFixed(2),
        `${r95.toFixed(2)}x`,
        lag.p95.toFixed(2),
        String(g.count),
        String(p.count),
      ]);
      const off = (r: number): boolean => !(r <= AGREE && r >= 1 / AGREE);
      if (off(r50) || off(r95)) apart.push(`${s.query} (p50 ${r50.toFixed(2)}x, p95 ${r95.toFixed(2)}x)`);
    });
    console.log(textTable(rows, (i) => i !== 0));
    if (logs.other > 0) console.log(`pgbench logged ${logs.other} transactions as skipped or failed`);
    console.log(
      `ratio = pgbench / gen query; below saturation they should agree within ${AGREE}x either way`,
    );
    if (apart.length > 0) {
      const floor = await clientFloor(client, pgbench, dir, url);
      console.log(
        `not within ${AGREE}x: ${apart.join(', ')}. What differs between the tools: the client: a SELECT 1 round ` +
          `trip, closed loop, one connection, takes p50 ${floor.node.toFixed(3)} ms from node-postgres in this ` +
          `process and ${floor.pgbench.toFixed(3)} ms from pgbench (C, libpq), both on the cores the server uses; ` +
          "pgbench's -R arrivals are Poisson, gen query's evenly spaced (bursts wait for a free client: the lag " +
          'column); literals (pgbench) vs bound values (gen query), both planned as custom plans. Not it: both keep ' +
          'one connection per client for the run and both time in microseconds.',
      );
    }
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${ident(SCHEMA)} CASCADE`).catch(() => undefined);
    await client.end();
    await rm(dir, { recursive: true, force: true });
  }
}
