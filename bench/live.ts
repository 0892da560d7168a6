/**
 * npm run bench, part 4: how fast gen live goes (issue 7 §3). The highest --speed at which black-friday's busiest
 * hours play with lag p99 under 1 s on this machine, found by probes (double while a probe passes, then bisect),
 * each probe gen live itself (playProbe, in-process) playing the window from its start for at most PROBE_S seconds;
 * then pgbench running the same transactions (bench/live-pgbench.ts) on as many connections at full speed, and
 * the ratio of the two rates; and pgbench again with the hour closes gen live made at its speed running
 * alongside (the metric rows' COPY, which gen live's play writes and pgbench's scripts do not: ~20% of its WAL
 * per transaction, the resource both are bound by here), the ratio to that too; and a third time with the scripts
 * binding their values as parameters, as gen live does, which makes the server parse every value and plan every
 * UPDATE on each execution (a diagnostic: the goal stays set by the literal scripts). pgbench's own CPU per
 * transaction is printed beside gen live's.
 *
 * The window is WINDOW_HOURS hours from the busiest one (--start), so its snapshot is the population then. Its
 * first two hours are generated before play (gen live starts its clock in the steady state); the third is
 * generated on gen live's worker thread while the first plays, and the first hour's metric close runs at its end,
 * as in any longer run: both are part of what a probe measures (with a one-hour window they were not, and the
 * answer overstated what a run of several hours sustains: at 300, passing as one hour, the lag of a 4-hour run
 * reached 1.2-4.7 s). The snapshot is loaded once (the first probe); each later probe rewinds the schema to it,
 * as a resumed run does (the rows played after the window start are deleted, absolute UPDATEs replay).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { scenarioFromFlags } from '../src/commands/flags.js';
import type { Plan } from '../src/generate/index.js';
import { hourTransactions, metricCloses, type Txn } from '../src/generate/transactions.js';
import { closeMetrics } from '../src/live/bulk.js';
import { DEFAULT_PIPELINE_DEPTH } from '../src/live/run.js';
import { playProbe, rewindLive, type SpeedProbe, searchSpeed } from '../src/live/speed-search.js';
import { execute, Statements } from '../src/live/sql.js';
import { encodeCloses, type ReadyClose } from '../src/live/wire-txn.js';
import { LIVE_TABLE } from '../src/load/ledger.js';
import { ident } from '../src/model/ddl.js';
import { DEFAULT_LAYOUT } from '../src/model/layout.js';
import { textTable } from '../src/report/text-table.js';
import { HOUR_MS } from '../src/time-units.js';
import { prerequisites, sampleTransactions, Variables, writeScripts } from './live-pgbench.js';
import { findPgbench } from './pgbench.js';
import { libpqTarget } from './util.js';

const SCHEMA = 'bench_live';
/** wall seconds a probe plays at most: past the first hour's close from speed 120 */
const PROBE_S = 30;
/** the busiest hour and the two after it */
const WINDOW_HOURS = 3;
const FIRST_SPEED = 30;
/**
 * bisect steps after the first failing speed: 4 narrow the answer to 1/16 of the last doubling (480 fails, 240
 * passes: 15 speed units, ~6%); with 2 it was 1/4 (60 units), and the answer read up to 25% under the real limit
 */
const BISECT_STEPS = 4;
/** doubling from 30 reaches 480 in 5 probes on this machine kind: room for the bisect steps after it */
const MAX_PROBES = 10;
/** as long as a probe plays, so that the run with the closes alongside makes as many as a probe does */
const PGBENCH_S = PROBE_S;
/** gen live's default writers: 2 per core */
const WRITERS = Math.max(2, 2 * cpus().length);

/** a speed probe (src/live/speed-search.ts) with what the bench measures beside it */
interface Probe extends SpeedProbe {
  /** the client's CPU (all its threads), µs per transaction */
  cpuUs: number;
  /** wall ms before play started (snapshot, rewind, the first hour's generation) */
  setupMs: number;
  /** ms the worker took per hour it generated (the first two before play, the third during it) */
  genMs: number[];
  /** WAL the server wrote from the start of play to the end of the run, bytes per transaction */
  walPerTxn: number;
}

/**
 * The server's WAL position in bytes (PostgreSQL 15 and 18 alike). What both tools are bound by on this machine
 * kind: every commit waits for its WAL to be flushed, and the disk flushes ~14 MB/s (issue 7 §3, bench/RESULTS.md).
 */
async function walBytes(client: pg.Client): Promise<number> {
  const r = await client.query<{ b: number }>(
    "select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::float8 as b",
  );
  return r.rows[0]?.b ?? 0;
}

/**
 * A scenario's busiest hour after its first (the snapshot's), by the order counts of its full window's plan: its
 * start (epoch ms) and its orders. The live speed probes play from it; the live memory run (bench/memory.ts)
 * from the hour before it, so that the busiest hour is generated while another is held.
 */
export function busiestHour(scenario: string, now: number): { start: number; orders: number } {
  const full = scenarioFromFlags({ scenario }, { now }).plan;
  let best = 0;
  for (let h = 1; h < full.hours; h++) if ((full.orders[h] ?? 0) > (full.orders[best] ?? 0)) best = h;
  return { start: full.start + best * HOUR_MS, orders: full.orders[best] ?? 0 };
}

/** black-friday's busiest hour and the hours after it as a window */
function busiestHours(): { plan: Plan; orders: number; at: string } {
  const now = Date.now();
  const { start, orders } = busiestHour('black-friday', now);
  const at = new Date(start).toISOString();
  const { plan } = scenarioFromFlags({ scenario: 'black-friday', start: at, hours: WINDOW_HOURS }, { now });
  return { plan, orders, at };
}

/** back to the snapshot (src/live/speed-search.ts rewindLive), once the schema has a live ledger */
async function rewind(client: pg.Client, plan: Plan): Promise<void> {
  const known = await client.query(
    'select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2',
    [SCHEMA, LIVE_TABLE],
  );
  if (known.rowCount !== 0) await rewindLive(client, SCHEMA, plan);
}

async function probe(url: string, client: pg.Client, plan: Plan, speed: number): Promise<Probe> {
  const t0 = performance.now();
  await rewind(client, plan);
  let cpu0 = process.cpuUsage();
  let wal0: Promise<number> = Promise.resolve(0);
  const run = { plan, url, schema: SCHEMA, layout: DEFAULT_LAYOUT, writers: WRITERS, premakeHours: 4 };
  const {
    probe: p,
    result,
    playedAt,
  } = await playProbe(run, speed, PROBE_S, {
    onPlay: () => {
      cpu0 = process.cpuUsage();
      wal0 = walBytes(client);
    },
  });
  const cpu = process.cpuUsage(cpu0);
  const wal = (await walBytes(client)) - (await wal0);
  const n = p.transactions;
  return {
    ...p,
    cpuUs: n > 0 ? (cpu.user + cpu.system) / n : 0,
    setupMs: playedAt - t0,
    genMs: result.generationMs,
    walPerTxn: n > 0 ? wal / n : 0,
  };
}

/** double from FIRST_SPEED while a probe passes, then bisect between the last pass and the first failure */
function searchProbes(url: string, client: pg.Client, plan: Plan): Promise<Probe[]> {
  return searchSpeed(
    FIRST_SPEED,
    async (speed) => {
      const p = await probe(url, client, plan, speed);
      console.log(
        `  probe speed ${speed}: ${p.pass ? 'pass' : 'FAIL'}, lag p99 ${(p.lagP99Ms / 1000).toFixed(2)} s, ` +
          `${p.tps.toFixed(0)} txn/s over ${p.playS.toFixed(1)} s, ${p.errors} errors, setup ${(p.setupMs / 1000).toFixed(1)} s`,
      );
      return p;
    },
    { maxProbes: MAX_PROBES, bisectSteps: BISECT_STEPS },
  );
}

/** the CPU seconds of the children a shell waited for, as its `times` prints them last (POSIX) */
const CHILD_TIMES = /\d+m[\d.]+s \d+m[\d.]+s\n(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/;

/**
 * pgbench with `url` as its last argument, the password in its environment (bench/util.ts libpqTarget): what it
 * printed, and the CPU seconds it used (user and system, all its threads), from a shell that runs it and then
 * prints its children's times.
 */
function runPgbench(
  cmd: string,
  args: string[],
  url: string,
  cwd: string,
): Promise<{ out: string; cpuS: number }> {
  const target = libpqTarget(url);
  return new Promise((resolve, reject) => {
    const p = spawn('sh', ['-c', '"$0" "$@"; s=$?; times; exit $s', cmd, ...args, target.conninfo], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: target.env,
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${cmd} exited ${code}: ${err.slice(-600)}`));
        return;
      }
      const t = CHILD_TIMES.exec(out);
      const cpuS = t ? 60 * Number(t[1]) + Number(t[2]) + 60 * Number(t[3]) + Number(t[4]) : Number.NaN;
      resolve({ out: t ? out.slice(0, t.index) : out, cpuS });
    });
  });
}

/**
 * The hour closes gen live's play makes at `speed` in the first `seconds` of play: the metric rows of window hour
 * h at (h + 1) hours of scenario time, as the aggregation job COPYs them (src/live/bulk.ts), their rows generated
 * and encoded now, as gen live's worker thread makes them ahead (the replay's side should not spend the client's
 * CPU during the run).
 */
function closesFor(plan: Plan, speed: number, seconds: number): { atMs: number; closes: ReadyClose[] }[] {
  const out: { atMs: number; closes: ReadyClose[] }[] = [];
  for (let h = 0; h < plan.hours; h++) {
    const atMs = ((h + 1) * HOUR_MS) / speed;
    if (atMs >= seconds * 1000) break;
    out.push({ atMs, closes: encodeCloses(metricCloses(plan, h)) });
  }
  return out;
}

/** runs the closes on their own connection (gen live's aggregation job has one) at their times from now */
async function playCloses(url: string, planned: { atMs: number; closes: ReadyClose[] }[]): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const t0 = performance.now();
    let rows = 0;
    for (const p of planned) {
      const wait = t0 + p.atMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      rows += await closeMetrics(c, SCHEMA, p.closes);
    }
    return rows;
  } finally {
    await c.end();
  }
}

/** pgbench's connections sampled while it ran: active, and of those waiting on the WAL (walWaits) */
interface WalWaits {
  active: number;
  waiting: number;
}

/**
 * Samples pgbench's connections every 100 ms (pg_stat_activity, on `client`, idle meanwhile) until `done`
 * settles: how many were active, and how many of those waited on the WAL's write or flush (the LWLock WALWrite,
 * the IO waits WalWrite/WalSync, WALWrite/WALSync before PostgreSQL 17). What binds the host: where commits wait
 * for slow flushes, most samples wait; where they are fast, the two cores do (bench/RESULTS.md, gen live: how fast).
 */
export async function walWaits(client: pg.Client, done: Promise<unknown>): Promise<WalWaits> {
  let running = true;
  done.then(
    () => {
      running = false;
    },
    () => {
      running = false;
    },
  );
  const w: WalWaits = { active: 0, waiting: 0 };
  while (running) {
    await new Promise((r) => setTimeout(r, 100));
    const r = await client.query<{ a: number; w: number }>(
      `SELECT count(*)::int AS a, count(*) FILTER (WHERE lower(wait_event) IN ('walwrite', 'walsync'))::int AS w
       FROM pg_stat_activity WHERE application_name = 'pgbench' AND state = 'active'`,
    );
    w.active += r.rows[0]?.a ?? 0;
    w.waiting += r.rows[0]?.w ?? 0;
  }
  return w;
}

interface PgbenchRate {
  tps: number;
  scripts: number;
  prereq: number;
  walPerTxn: number;
  walWaits: WalWaits;
  /** pgbench's own CPU (all its threads), µs per transaction; NaN when its shell did not print it */
  cpuUs: number;
  /** metric rows the closes run alongside wrote (0: none run) */
  closeRows: number;
  closes: number;
}

/**
 * pgbench running a sample of the first hour's transactions; its transactions/s. With `closesAtSpeed`, the hour
 * closes gen live makes at that speed run alongside on one more connection, as gen live's aggregation job runs
 * them beside its writers: the same work on the server, counted as gen live counts it (business transactions
 * only). With `bound`, the scripts bind their values as parameters (bench/live-pgbench.ts Variables).
 */
async function pgbenchRate(
  url: string,
  client: pg.Client,
  plan: Plan,
  txns: Txn[],
  pgbench: string,
  { closesAtSpeed, bound = false }: { closesAtSpeed?: number; bound?: boolean } = {},
): Promise<PgbenchRate> {
  const sample = sampleTransactions(txns);
  await rewind(client, plan);
  // the rows the sample's UPDATEs change, inserted once
  const pre = prerequisites(txns, sample);
  const st = new Statements(SCHEMA);
  for (const t of pre) await execute(client, st, t);
  const planned = closesAtSpeed === undefined ? [] : closesFor(plan, closesAtSpeed, PGBENCH_S);
  const dir = await mkdtemp(join(tmpdir(), 'dp-bench-live-'));
  try {
    const scripts = writeScripts(dir, SCHEMA, sample, bound ? new Variables() : undefined);
    const wal0 = await walBytes(client);
    const closing = planned.length > 0 ? playCloses(url, planned) : Promise.resolve(0);
    // a failed close is reported once pgbench is done (not left unhandled meanwhile)
    closing.catch(() => undefined);
    const running = runPgbench(
      pgbench,
      [
        '-n',
        '-M',
        'prepared',
        '-c',
        String(WRITERS),
        '-j',
        String(Math.min(WRITERS, cpus().length)),
        '-T',
        String(PGBENCH_S),
        ...scripts,
      ],
      url,
      dir,
    );
    const waits = walWaits(client, running);
    // a failed pgbench is reported by `running`; the sampling then stops (not left unhandled meanwhile)
    waits.catch(() => undefined);
    const { out, cpuS } = await running;
    const closeRows = await closing;
    const wal = (await walBytes(client)) - wal0;
    const m = /tps = ([\d.]+)/.exec(out);
    if (!m?.[1]) throw new Error(`pgbench printed no tps: ${out.slice(-400)}`);
    const n = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? 0);
    return {
      tps: Number(m[1]),
      scripts: sample.length,
      cpuUs: n > 0 ? (cpuS * 1e6) / n : Number.NaN,
      prereq: pre.length,
      walPerTxn: n > 0 ? wal / n : 0,
      walWaits: await waits,
      closeRows,
      closes: planned.length,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const cpuFigure = (us: number): string => (Number.isFinite(us) ? us.toFixed(0) : 'not measured');

/** a pgbench run's rows: its rate, gen live's ratio to it (with a speed found), pgbench's own CPU (`cpu` names it) */
function pgbenchRows(
  rows: string[][],
  r: PgbenchRate,
  best: Probe | undefined,
  rate: string,
  ratio: string,
  cpu?: string,
): void {
  rows.push([rate, r.tps.toFixed(0)]);
  if (best) rows.push([ratio, `${(best.tps / r.tps).toFixed(2)}x`]);
  if (cpu !== undefined) rows.push([cpu, cpuFigure(r.cpuUs)]);
}

/** `where`: what the heading says of the server, when it is not the bench's PostgreSQL 18 */
export async function liveSpeed(url: string, where?: string): Promise<void> {
  const { plan, orders, at } = busiestHours();
  console.log(
    `\n## gen live${where ? ` (${where})` : ''}: highest --speed with lag p99 < 1 s, black-friday's busiest hours (${WINDOW_HOURS} from ${at}; ${orders} orders in its first in the full window's plan, ${plan.orders[0] ?? 0} in this window's), ${WRITERS} writers (${DEFAULT_PIPELINE_DEPTH} transactions in flight each), probes of <= ${PROBE_S} s, the third hour generated during play`,
  );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${ident(SCHEMA)} CASCADE`);
    const probes = await searchProbes(url, client, plan);
    const best = probes.filter((p) => p.pass).sort((a, b) => b.speed - a.speed)[0];
    const pgbench = findPgbench();
    const txns = hourTransactions(plan, 0);
    const hourTxns = txns.length;
    const base = pgbench === undefined ? undefined : await pgbenchRate(url, client, plan, txns, pgbench);
    // the same work as gen live's play on the server: its hour closes too, at the speed it passed at
    const withCloses =
      pgbench === undefined || best === undefined
        ? undefined
        : await pgbenchRate(url, client, plan, txns, pgbench, { closesAtSpeed: best.speed });
    // a diagnostic: the same scripts binding their values, as gen live does (the goal stays set by `base`)
    const bound =
      pgbench === undefined
        ? undefined
        : await pgbenchRate(url, client, plan, txns, pgbench, { bound: true });
    const rows: string[][] = [['figure', 'value']];
    rows.push(['highest speed with lag p99 < 1 s', best ? String(best.speed) : 'none']);
    if (best) {
      rows.push(['business transactions/s at it', best.tps.toFixed(0)]);
      rows.push([
        "client's CPU per transaction during play (µs, all threads, the worker's generation included)",
        best.cpuUs.toFixed(0),
      ]);
      // the first hour's generation (before play): its cost per transaction of the hour
      const perTxn = ((best.genMs[0] ?? 0) * 1000) / hourTxns;
      rows.push([
        "the first hour's generation on the worker thread, per transaction (µs)",
        perTxn.toFixed(0),
      ]);
      rows.push([
        `the worker's share of a core generating hours like it at speed ${best.speed}`,
        `${(((best.genMs[0] ?? 0) / 1000) * (best.speed / 3600) * 100).toFixed(0)}%`,
      ]);
    }
    if (base)
      pgbenchRows(
        rows,
        base,
        best,
        `pgbench, same transactions (${base.scripts} scripts), ${WRITERS} connections, -M prepared, transactions/s`,
        "ratio gen live / pgbench, the hour closes left out of pgbench's run (goal >= 0.8x)",
        "pgbench's own CPU per transaction (µs, all its threads)",
      );
    if (withCloses && best)
      pgbenchRows(
        rows,
        withCloses,
        best,
        `pgbench as above, the hour closes of speed ${best.speed} alongside (${withCloses.closes} closes, ${withCloses.closeRows} metric rows, one more connection), transactions/s`,
        'ratio gen live / pgbench, the same work on both sides (goal >= 0.8x)',
      );
    if (bound)
      pgbenchRows(
        rows,
        bound,
        best,
        'pgbench, the same scripts binding their values as parameters (as gen live and an application do: each execution parses its values and plans its UPDATE), transactions/s',
        'ratio gen live / pgbench binding its values (a diagnostic, not the goal)',
        "pgbench's own CPU per transaction binding its values (µs)",
      );
    // what bounds both on a machine whose disk flushes slowly: every commit waits for its WAL (bench/RESULTS.md)
    if (best)
      rows.push([
        "WAL per business transaction during play (bytes; the hour closes' metric rows included)",
        `${best.walPerTxn.toFixed(0)} (${((best.walPerTxn * best.tps) / 2 ** 20).toFixed(1)} MB/s)`,
      ]);
    if (base)
      rows.push([
        "pgbench's connections waiting on the WAL's write or flush, of their active samples every 100 ms (most: commits wait for slow flushes; few: the cores bind)",
        base.walWaits.active > 0
          ? `${((100 * base.walWaits.waiting) / base.walWaits.active).toFixed(0)}%`
          : 'no sample',
      ]);
    if (base)
      rows.push([
        'WAL per pgbench transaction (bytes)',
        `${base.walPerTxn.toFixed(0)} (${((base.walPerTxn * base.tps) / 2 ** 20).toFixed(1)} MB/s)`,
      ]);
    if (withCloses)
      rows.push([
        "WAL per pgbench transaction with the closes alongside (bytes; the closes' included)",
        `${withCloses.walPerTxn.toFixed(0)} (${((withCloses.walPerTxn * withCloses.tps) / 2 ** 20).toFixed(1)} MB/s)`,
      ]);
    console.log(textTable(rows, (i) => i !== 0));
    if (pgbench === undefined)
      console.log('pgbench not found (PATH, /usr/lib/postgresql/*/bin): no baseline');
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${ident(SCHEMA)} CASCADE`).catch(() => undefined);
    await client.end();
  }
}
