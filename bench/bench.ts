/**
 * npm run bench: figures as ratios against baselines measured in the same run (absolute numbers move
 * ±15-30% between runs on shared machines; ratios much less).
 *
 * 1. Generation alone, no database, one core: rows/s per table and for the whole mix (bench/generation.ts).
 * On each server (PostgreSQL 15 in a throwaway cluster, 18 embedded or DATABASE_URL; bench/servers.ts):
 * 2. End to end: gen (generate + COPY, binary and csv) vs ONE psql `\copy` stream of the same rows as CSV, and
 *    psql with N parallel streams (bench/end-to-end.ts).
 * 3. gen then gen verify, child processes: verify/load (bench/verify.ts); the load's peak RSS.
 * 4. Schema and partitions for 24 h and 90 days, a pruned query on the 90 days (bench/partitions.ts).
 * Then: peak RSS of gen for the heavy windows (--memory, --scale5; bench/memory.ts) and of gen live from the hour
 * before the scenario's busiest (unless --no-live-rss), and on PostgreSQL 18
 * gen query next to pgbench (bench/pgbench.ts) and the gen live speed (bench/live.ts), then the live speed again
 * on a throwaway cluster of the embedded 18 with its WAL in memory, where the cores bind and not the disk
 * (bench/servers.ts memoryWalServer; --no-live-memory-wal skips it).
 *
 * Usage: npm run bench [-- --servers 15,18 --scale 1 --hours 24 --rounds 3 --memory --scale5]
 * (`npm run bench -- --help` lists the flags).
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import {
  jobsFlag,
  listFlag,
  numericFlag,
  refuseRepeatedFlags,
  scenarioFromFlags,
} from '../src/commands/flags.js';
import { jobsOption } from '../src/commands/options.js';
import { describeFailure, UserError } from '../src/errors.js';
import type { Plan } from '../src/generate/index.js';
import { dropSchema } from '../src/load/drop-schema.js';
import { LEDGER_TABLE } from '../src/load/ledger.js';
import { qualified } from '../src/model/ddl.js';
import { HOUR_MS } from '../src/time-units.js';
import { END_TO_END_GOAL, type EndToEndResult, endToEnd, writeCsvFiles } from './end-to-end.js';
import { generationBench } from './generation.js';
import { busiestHour, liveSpeed } from './live.js';
import {
  type MemoryRow,
  printMemory,
  runGen,
  runGenLive,
  runGenOut,
  type Window,
  windowArgs,
} from './memory.js';
import { schemaTimes } from './partitions.js';
import { pgbenchSideBySide } from './pgbench.js';
import {
  type BenchServer,
  closeServers,
  memoryWalServer,
  openServers,
  SERVER_NAMES,
  type ServerName,
} from './servers.js';
import { fmt, ratio, secs } from './util.js';
import { loadAndVerify } from './verify.js';

interface Settings {
  /** as given: a shipped scenario's name or a file */
  scenarioName: string;
  hours: number;
  scale: number;
  /** gen's parallelism: its default (2 per core) unless --jobs */
  jobs: number;
  rounds: number;
  servers: ServerName[];
  /** psql's parallel stream counts besides the one-stream baseline */
  streams: number[];
  db: boolean;
  endToEnd: boolean;
  verify: boolean;
  partitions: boolean;
  longHours: number;
  memory: boolean;
  memoryLong: 'out' | 'load';
  scale5: boolean;
  pgbench: boolean;
  live: boolean;
  /** the live part again with the WAL in memory (bench/servers.ts memoryWalServer) */
  liveMemoryWal: boolean;
  /** peak RSS of gen live for 2 hours from the one before the busiest (bench/memory.ts runGenLive) */
  liveRss: boolean;
  plan: Plan;
  /** the clock, read once */
  now: number;
}

/** The flags, parsed by yargs and checked by the same module as gen's (src/commands/flags.ts). */
async function readFlags(argv: string[]): Promise<Settings> {
  const a = await yargs(argv)
    .scriptName('npm run bench --')
    .usage('$0 [--servers 15,18] [--scale N] [--hours N] [--rounds N] [--memory] [--scale5] [--no-db]')
    .options({
      scenario: {
        type: 'string',
        default: 'black-friday',
        describe: 'scenario name or path to a .yaml file',
      },
      hours: { type: 'number', default: 24, describe: 'hours of the window' },
      scale: { type: 'number', default: 1, describe: 'multiply volumes (population and rates)' },
      ...jobsOption("gen's parallel streams (default: gen's, 2 per core, at most 8)"),
      rounds: { type: 'number', default: 3, describe: 'rounds of each loader, alternating which goes first' },
      servers: {
        type: 'string',
        default: SERVER_NAMES.join(','),
        describe: "PostgreSQL servers: 15 (Debian's, a throwaway cluster), 18 (embedded, or DATABASE_URL)",
      },
      streams: { type: 'string', default: '2,4', describe: 'parallel psql streams measured besides one' },
      db: {
        type: 'boolean',
        default: true,
        describe: 'everything with a database (--no-db: generation alone)',
      },
      'end-to-end': { type: 'boolean', default: true, describe: 'gen vs psql \\copy, per server' },
      verify: {
        type: 'boolean',
        default: true,
        describe: 'gen then gen verify, child processes, per server',
      },
      partitions: {
        type: 'boolean',
        default: true,
        describe: 'schema and partitions time, 24 h and --long-hours',
      },
      'long-hours': {
        type: 'number',
        default: 2160,
        describe: 'the long window of the partitions part (90 days)',
      },
      memory: { type: 'boolean', default: false, describe: 'peak RSS for a window 7 times --hours (168 h)' },
      'memory-long': {
        choices: ['out', 'load'] as const,
        default: 'out' as const,
        describe:
          'the long window: gen --out into a scratch directory (no server), or a real load (on the first server)',
      },
      scale5: {
        type: 'boolean',
        default: false,
        describe: 'also at 5 times --scale: gen + verify on each server, peak RSS (heavy)',
      },
      pgbench: { type: 'boolean', default: true, describe: 'gen query next to pgbench (PostgreSQL 18)' },
      live: { type: 'boolean', default: true, describe: 'the gen live speed part (PostgreSQL 18)' },
      'live-memory-wal': {
        type: 'boolean',
        default: true,
        describe:
          'the live part again on a throwaway cluster of the embedded 18 with its WAL in /dev/shm: the ratio to pgbench where the cores bind, not the disk (a diagnostic)',
      },
      'live-rss': {
        type: 'boolean',
        default: true,
        describe:
          "peak RSS of gen live for 2 hours from the one before the scenario's busiest, at each scale (on the first server)",
      },
    })
    .middleware(refuseRepeatedFlags, true)
    .strict()
    .version(false)
    .fail((msg, err) => {
      throw err ?? new UserError(msg);
    })
    .parseAsync();
  const jobs = jobsFlag(a.jobs);
  const rounds = numericFlag('rounds', a.rounds) ?? 3;
  const servers = listFlag(a.servers).map((s) => {
    const n = SERVER_NAMES.find((x) => x === s);
    if (n === undefined)
      throw new UserError(`--servers: ${s} is not allowed; expected one of: ${SERVER_NAMES.join(', ')}`);
    return n;
  });
  const streams = listFlag(a.streams).map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 2 || n > 64)
      throw new UserError(`--streams: ${s} is not allowed; expected integers from 2 to 64, comma-separated`);
    return n;
  });
  const longHours = a['long-hours'];
  if (!Number.isInteger(longHours) || longHours < 1 || longHours > 87_600)
    throw new UserError(`--long-hours: ${longHours} is not allowed; expected an integer from 1 to 87600`);
  // read once: a relative start in a scenario file means the same window for every plan of the run
  const now = Date.now();
  const { scenario, plan } = scenarioFromFlags(
    { scenario: a.scenario, hours: a.hours, scale: a.scale },
    { now },
  );
  // the heavy windows must be valid too, before an hour of benching
  scenarioFromFlags({ scenario: a.scenario, hours: 7 * scenario.hours, scale: 5 * a.scale }, { now });
  return {
    scenarioName: a.scenario,
    hours: scenario.hours,
    scale: a.scale,
    jobs,
    rounds,
    servers,
    streams,
    db: a.db,
    endToEnd: a['end-to-end'],
    verify: a.verify,
    partitions: a.partitions,
    longHours,
    memory: a.memory,
    memoryLong: a['memory-long'],
    scale5: a.scale5,
    pgbench: a.pgbench,
    live: a.live,
    liveMemoryWal: a['live-memory-wal'],
    liveRss: a['live-rss'],
    plan,
    now,
  };
}

async function main(): Promise<void> {
  const s = await readFlags(hideBin(process.argv));
  const [l1, l5] = loadavg();
  console.log(
    `conditions: ${availableParallelism()} cores, load average ${l1?.toFixed(2)} / ${l5?.toFixed(2)} (1/5 min) at the ` +
      `start, Node ${process.version}; ${s.scenarioName}, scale ${s.scale}, ${s.hours} h, gen ${s.jobs} jobs, ` +
      `${s.rounds} rounds`,
  );
  generationBench(s);
  if (!s.db) return;
  const servers = await openServers(s.servers);
  for (const v of servers) console.log(`PostgreSQL ${v.name}: ${v.version} (${v.origin})`);
  const dir = await mkdtemp(join(tmpdir(), 'dp-bench-'));
  const e2e: EndToEndResult[] = [];
  const memory: MemoryRow[] = [];
  const base: Window = { scenario: s.scenarioName, hours: s.hours, scale: s.scale };
  const heavy: Window = { ...base, scale: 5 * s.scale };
  try {
    if (s.endToEnd && servers.length > 0) {
      console.log('');
      const csv = await writeCsvFiles(s.plan, s.jobs, join(dir, 'csv'));
      const newPlan = (): Plan =>
        scenarioFromFlags({ scenario: s.scenarioName, hours: s.hours, scale: s.scale }, { now: s.now }).plan;
      for (const v of servers) e2e.push(await endToEnd(v, csv, { ...s, newPlan }));
      await rm(csv.dir, { recursive: true, force: true });
    }
    if (s.verify && servers.length > 0) {
      console.log(`\n## gen, then gen verify of the schema it loaded (child processes, whole commands)`);
      for (const v of servers) {
        for (const w of s.scale5 ? [base, heavy] : [base]) {
          const r = await loadAndVerify(v, w, `bench_verify_${v.name}`);
          // the load's peak RSS on the first server is a memory figure
          if (v === servers[0]) memory.push({ window: w, what: 'load', rows: r.rows, run: r.load });
        }
      }
    }
    if (s.partitions) for (const v of servers) await schemaTimes(v, s.plan.start, [24, s.longHours]);

    await memoryRuns(s, servers[0], memory);
    printMemory(memory);

    const pg18 = servers.find((v) => v.name === '18');
    if (pg18 && s.pgbench) await pgbenchSideBySide(pg18.url);
    if (pg18 && s.live) await liveSpeed(pg18.url);
    if (s.live && s.liveMemoryWal) {
      const m = await memoryWalServer();
      if (m)
        try {
          await liveSpeed(
            m.url,
            'the embedded 18 with its WAL in memory: no flush to wait for, the cores bind',
          );
        } finally {
          await m.stop();
        }
    }
    summary(e2e);
    const [e1, e5, e15] = loadavg();
    console.log(
      `load average at the end: ${e1?.toFixed(2)} / ${e5?.toFixed(2)} / ${e15?.toFixed(2)} (1/5/15 min; ` +
        `${availableParallelism()} cores: above that, other work shared the machine)`,
    );
  } finally {
    await closeServers(servers);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Peak RSS for the windows the verify part did not load: the long ones (--memory), the heavy scale (--scale5); and
 * gen live's from the hour before the busiest, at each scale (unless --no-live-rss).
 */
async function memoryRuns(s: Settings, first: BenchServer | undefined, rows: MemoryRow[]): Promise<void> {
  const scales = s.scale5 ? [s.scale, 5 * s.scale] : [s.scale];
  const wanted: Window[] = [
    ...scales.map((scale) => ({ scenario: s.scenarioName, hours: s.hours, scale })),
    ...scales.map((scale) => ({ scenario: s.scenarioName, hours: 7 * s.hours, scale })),
  ];
  const out: MemoryRow[] = [];
  for (const w of wanted) {
    const had = rows.find((r) => r.window.hours === w.hours && r.window.scale === w.scale);
    if (had) {
      out.push(had);
      continue;
    }
    const long = w.hours > s.hours;
    if (long && !s.memory) {
      out.push({
        window: w,
        what: s.memoryLong === 'load' ? 'load' : 'gen --out',
        skipped: 'not run (--memory)',
      });
      continue;
    }
    if (!long || s.memoryLong === 'load') {
      if (first === undefined) {
        out.push({ window: w, what: 'load', skipped: 'not run (no server)' });
        continue;
      }
      console.log(`peak RSS: gen, scale ${w.scale}, ${w.hours} h, loading into PostgreSQL ${first.name}...`);
      const schema = 'bench_memory';
      const client = new pg.Client({ connectionString: first.url });
      await client.connect();
      try {
        await dropSchema(client, schema);
        const r = await runGen([...windowArgs(w), '--schema', schema, '--quiet'], { db: first.url });
        if (r.code !== 0) throw new Error(`gen exited ${r.code}: ${r.stderr.slice(-600)}`);
        const n = await client.query<{ n: string }>(
          `select sum(rows) n from ${qualified(schema, LEDGER_TABLE)}`,
        );
        out.push({ window: w, what: 'load', rows: Number(n.rows[0]?.n ?? 0), run: r });
      } finally {
        await dropSchema(client, schema).catch(() => undefined);
        await client.end();
      }
    } else {
      console.log(`peak RSS: gen --out, scale ${w.scale}, ${w.hours} h...`);
      out.push(await runGenOut(w));
    }
  }
  // gen live from the hour before the busiest (bench/memory.ts runGenLive), on the first server
  if (s.liveRss) {
    const { start } = busiestHour(s.scenarioName, s.now);
    const from = new Date(Math.max(start - HOUR_MS, s.plan.start)).toISOString();
    for (const scale of scales) {
      const w: Window = { scenario: s.scenarioName, start: from, hours: 2, scale };
      if (first === undefined) {
        out.push({ window: w, what: 'gen live', skipped: 'not run (no server)' });
        continue;
      }
      console.log(
        `peak RSS: gen live, scale ${scale}, 2 hours from the one before the scenario's busiest (--start ${from}: its events move with it)...`,
      );
      out.push(await runGenLive(w, first.url));
    }
  }
  rows.splice(0, rows.length, ...out);
}

function summary(e2e: readonly EndToEndResult[]): void {
  if (e2e.length === 0) return;
  console.log(`\n## Goal of issue 9 §1: gen end to end <= ${END_TO_END_GOAL}x one psql \\copy stream`);
  for (const r of e2e) {
    const gens = r.gen.map((g) => `COPY ${g.copyFormat} ${ratio(g.ms, r.baselineMs)}`).join(', ');
    console.log(
      `PostgreSQL ${r.server.name}: ${fmt(r.rows)} rows, one psql stream ${secs(r.baselineMs)} s; gen ${gens}; ` +
        `best psql setting ${r.bestPsql.streams} stream(s) ${ratio(r.bestPsql.ms, r.baselineMs)}`,
    );
  }
}

main().catch((e: unknown) => {
  // as gen does: bad flags are one line and exit code 2, a bug prints its stack (src/errors.ts)
  const { code, text } = describeFailure(e);
  console.error(`bench: ${text}`);
  process.exitCode = code;
});
