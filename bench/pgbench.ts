/**
 * npm run bench, part 3: gen query and pgbench side by side (issue 7 §2). The same queries with the same
 * parameter sets (`gen query --pgbench` writes them), the same clients and the same rate, in alternating
 * rounds: per query, both tools' p50/p95 (medians of the rounds) and their ratio, and the ratio to gen query's
 * server part (its report splits each latency into the server's part and its own).
 *
 * Latency is measured the same way on both sides: from each query's scheduled start. gen query under --rate
 * counts from the due time of its schedule; pgbench -R logs (-l) `client_id transaction_no time script_no
 * time_epoch time_us schedule_lag`, where `time` includes the schedule lag. That column is used, so both
 * include the wait for a free client, and gen query draws Poisson arrivals as pgbench -R does. The data is the `tiny` scenario, so that the rate stays well below
 * saturation on a small machine: there, the two should agree within 20%.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { at } from '../src/at.js';
import { scenarioFromFlags } from '../src/commands/flags.js';
import { runLoad } from '../src/load/index.js';
import { ident } from '../src/model/ddl.js';
import { encodeQuery, sendEncoded } from '../src/query/encoded-query.js';
import { writePgbenchSuite } from '../src/query/index.js';
import { type Percentiles, percentiles } from '../src/query/latencies.js';
import { pgbenchArgs } from '../src/query/pgbench.js';
import { loadSuite } from '../src/query/suite.js';
import type { QueryReport } from '../src/query/types.js';
import { textTable } from '../src/report/text-table.js';
import { runGen } from './memory.js';
import { libpqTarget, median } from './util.js';

const SCHEMA = 'bench_pgbench';
/** queries/s per query of the suite; the rate is this times the number of queries */
const PER_QUERY_RATE = 20;
const CLIENTS = 2;
const DURATION_S = 20;
const ROUNDS = 3;
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

/** p50 ms of a trivial round trip from each tool, closed loop: the clients' own cost per query. */
async function clientFloor(
  client: pg.Client,
  pgbench: string,
  dir: string,
  url: string,
): Promise<{ node: number; pgbench: number }> {
  const n = 300;
  const node: number[] = [];
  // sent as gen query sends its load's queries: messages encoded ahead, the answer's rows counted
  const select1 = encodeQuery('SELECT 1', []);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await sendEncoded(client, select1);
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

/**
 * `gen query` as users run it, in a process of its own as pgbench is (in the bench's process, whose heap holds
 * what the earlier parts left, its p95 was twice a child's), with Poisson arrivals as pgbench -R draws them:
 * the bursts that make a query wait for a free client hit both tools alike.
 */
async function genQuery(url: string, dir: string, round: number, rate: number): Promise<QueryReport> {
  const json = join(dir, `gen-query-${round}.json`);
  const args = ['query', '--schema', SCHEMA, '--clients', String(CLIENTS), '--duration', String(DURATION_S)];
  const r = await runGen(
    [...args, '--rate', String(rate), '--arrivals', 'poisson', '--param-seed', String(SEED), '--json', json],
    { db: url },
  );
  if (r.code !== 0) throw new Error(`gen query exited ${r.code}: ${r.stderr.slice(-600)}`);
  const report = JSON.parse(readFileSync(json, 'utf8')) as { queries?: QueryReport };
  if (report.queries === undefined) throw new Error(`${json} has no queries`);
  return report.queries;
}

/** one round's per-query figures, in script order */
interface Round {
  gen: { total: Percentiles; server: Percentiles; client: Percentiles }[];
  pgbench: { total: Percentiles; lag: Percentiles }[];
}

export async function pgbenchSideBySide(url: string): Promise<void> {
  console.log(
    `\n## gen query vs pgbench: the same queries and parameters, ${CLIENTS} clients, ${PER_QUERY_RATE} queries/s per query, ${ROUNDS} alternating rounds of ${DURATION_S} s each`,
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
    const replay = { clients: CLIENTS, durationS: DURATION_S, rate: total };
    const { scripts } = await writePgbenchSuite({ url, schema: SCHEMA, seed: SEED, dir, ...replay });
    // Alternating rounds, pgbench first in each: a quiet or a busy minute of the machine (its figures move
    // by 10-30% from one minute to the next) falls on both tools alike; the medians of the rounds are compared.
    const rounds: Round[] = [];
    let qps = 0;
    let errors = 0;
    let other = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const logPrefix = `pgbench_log_${r}`;
      await run(pgbench, pgbenchArgs(scripts, dir, { ...replay, logPrefix }), url, dir);
      const ours = await genQuery(url, dir, r, total);
      qps += ours.qps / ROUNDS;
      errors += ours.errors;
      const logs = readLogs(dir, logPrefix, scripts.length);
      other += logs.other;
      rounds.push({
        gen: scripts.map((s) => {
          const g = ours.queries.find((q) => q.name === s.query);
          if (g?.serverMs === undefined || g.clientMs === undefined)
            throw new Error(`gen query reported no ${s.query}`);
          return { total: g.latencyMs, server: g.serverMs, client: g.clientMs };
        }),
        pgbench: scripts.map((_, i) => ({
          total: percentiles(logs.latency[i] ?? []),
          lag: percentiles(logs.lag[i] ?? []),
        })),
      });
    }

    console.log(
      `data: scenario tiny, ${load.rows.toLocaleString('en-US')} rows; gen query: ${qps.toFixed(1)} queries/s, ` +
        `${errors} errors; pgbench ${pgbench} -M extended, latency = its -l "time" column (from the scheduled start, schedule lag included)`,
    );
    const rows: string[][] = [
      [
        'query',
        'gen p50',
        'server',
        'pgbench p50',
        'ratio',
        'to server',
        'gen p95',
        'server',
        'pgbench p95',
        'ratio',
        'to server',
        'gen client p50',
        'pgbench lag p95',
      ],
    ];
    const within = { p50: 0, p95: 0, serverP50: 0, serverP95: 0 };
    // pgbench's latency between gen query's server part and its whole latency: the server's time agrees, and
    // each tool's latency adds its own client's
    const between = { p50: 0, p95: 0 };
    const apart: string[] = [];
    const clientP50: number[] = [];
    const agree = (r: number): boolean => r <= AGREE && r >= 1 / AGREE;
    scripts.forEach((s, i) => {
      // median over the rounds of each figure
      const m = (f: (r: Round) => number): number => median(rounds.map(f));
      const g50 = m((r) => at(r.gen, i).total.p50);
      const s50 = m((r) => at(r.gen, i).server.p50);
      const p50 = m((r) => at(r.pgbench, i).total.p50);
      const g95 = m((r) => at(r.gen, i).total.p95);
      const s95 = m((r) => at(r.gen, i).server.p95);
      const p95 = m((r) => at(r.pgbench, i).total.p95);
      const c50 = m((r) => at(r.gen, i).client.p50);
      clientP50.push(c50);
      const ratios = [p50 / g50, p50 / s50, p95 / g95, p95 / s95] as const;
      rows.push([
        s.query,
        g50.toFixed(2),
        s50.toFixed(2),
        p50.toFixed(2),
        `${ratios[0].toFixed(2)}x`,
        `${ratios[1].toFixed(2)}x`,
        g95.toFixed(2),
        s95.toFixed(2),
        p95.toFixed(2),
        `${ratios[2].toFixed(2)}x`,
        `${ratios[3].toFixed(2)}x`,
        c50.toFixed(2),
        m((r) => at(r.pgbench, i).lag.p95).toFixed(2),
      ]);
      if (s50 <= p50 && p50 <= g50) between.p50++;
      if (s95 <= p95 && p95 <= g95) between.p95++;
      if (agree(ratios[0])) within.p50++;
      if (agree(ratios[1])) within.serverP50++;
      if (agree(ratios[2])) within.p95++;
      if (agree(ratios[3])) within.serverP95++;
      if (!agree(ratios[0]) || !agree(ratios[2])) {
        apart.push(`${s.query} (p50 ${ratios[0].toFixed(2)}x, p95 ${ratios[2].toFixed(2)}x)`);
      }
    });
    console.log(textTable(rows, (i) => i !== 0));
    if (other > 0) console.log(`pgbench logged ${other} transactions as skipped or failed`);
    const n = scripts.length;
    console.log(
      `medians of ${ROUNDS} rounds. ratio = pgbench / gen query's latency; "to server" = pgbench / gen query's ` +
        "server part (from the query written to the socket to its answer's last bytes read: what is left when " +
        "gen query's own time is taken out; pgbench's latency still holds libpq's). Within " +
        `${AGREE}x either way: p50 ${within.p50} of ${n}, p95 ${within.p95} of ${n}; gen query's server part: ` +
        `p50 ${within.serverP50} of ${n}, p95 ${within.serverP95} of ${n}. pgbench's figure lies between gen query's ` +
        `server part and its whole latency: p50 ${between.p50} of ${n}, p95 ${between.p95} of ${n}`,
    );
    if (apart.length > 0) {
      const floor = await clientFloor(client, pgbench, dir, url);
      console.log(
        `not within ${AGREE}x: ${apart.join(', ')}. What differs between the tools is the client: gen query's own ` +
          `part of each latency (its report's client column: waiting for the due time to be noticed, writing ` +
          `the messages, reading the answer) was p50 ${Math.min(...clientP50).toFixed(2)}-` +
          `${Math.max(...clientP50).toFixed(2)} ms per query; a SELECT 1 round trip, closed loop, one connection, ` +
          `takes p50 ${floor.node.toFixed(3)} ms sent as gen query sends (node-postgres, messages encoded ahead) in this process and ${floor.pgbench.toFixed(3)} ms ` +
          'from pgbench (C, libpq), both on the cores the server uses. Also different, and smaller: literals ' +
          '(pgbench) vs bound values (gen query), both planned as custom plans; the arrivals are Poisson on both ' +
          'sides, but not the same draws.',
      );
    }
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${ident(SCHEMA)} CASCADE`).catch(() => undefined);
    await client.end();
    await rm(dir, { recursive: true, force: true });
  }
}
