/**
 * Peak RSS of gen (issue 9 §2): gen runs as a child process with a hook (`node --import`) that writes its peak
 * resident set (VmHWM on Linux, else `process.resourceUsage().maxRSS`) when it exits. Node only: nothing else
 * is needed on a fresh machine. The same child runs time the load and `gen verify` (bench/verify.ts).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { dropSchema } from '../src/load/drop-schema.js';
import { MALLOC_ENV, MALLOC_RESTART_OPT_OUT } from '../src/malloc-restart.js';
import { fromRoot } from '../src/package-root.js';
import { type ChildResult, printTable, runChild, secs } from './util.js';

/** Issue 9 §2: peak RSS at most 256 MB (MiB) at --scale 1 and 5, 24 h and 168 h. */
const RSS_GOAL_BYTES = 256 * 2 ** 20;

// The peak is /proc/self/status's VmHWM where there is one (Linux): the high-water mark of the process's own
// memory since it started node. maxRSS (getrusage) keeps the parent's resident set at the fork that started the
// child: from a 400 MB parent, `node -e 0` reports 404 MB of maxRSS and 39 MB of VmHWM, so a bench (or test)
// process bigger than gen would have been gen's figure. maxRSS elsewhere. Both in kilobytes; CPU times in
// microseconds (all threads); the main thread writes them (a worker thread's exit would write too early).
const HOOK = `data:text/javascript,${encodeURIComponent(
  "import{readFileSync,writeFileSync}from'node:fs';import{isMainThread}from'node:worker_threads';" +
    'const f=process.env.DP_BENCH_RSS_FILE;' +
    "if(f&&isMainThread)process.on('exit',()=>{const u=process.resourceUsage();let kb=u.maxRSS;" +
    "try{const m=/VmHWM:\\s*(\\d+) kB/.exec(readFileSync('/proc/self/status','utf8'));if(m)kb=Number(m[1])}catch{}" +
    'writeFileSync(f,JSON.stringify({rss:kb*1024,cpuUs:u.userCPUTime+u.systemCPUTime}))});',
)}`;

export interface MeasuredRun extends ChildResult {
  /** peak resident set of the child, bytes; undefined when it did not exit by itself */
  rssBytes: number | undefined;
  /** the child's CPU time, user + system, all its threads; undefined as rssBytes */
  cpuMs: number | undefined;
}

let runs = 0;

/**
 * The V8 flags gen starts with: bin/gen.js's shebang (`#!/usr/bin/env -S node --max-semi-space-size=4`), which
 * a `node bin/gen.js` child would skip. The bench measures gen as users run it.
 */
const GEN_NODE_FLAGS: readonly string[] = (() => {
  const first = readFileSync(fromRoot('bin', 'gen.js'), 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\S*env -S node(.*)$/.exec(first);
  return (
    m?.[1]
      ?.trim()
      .split(/\s+/)
      .filter((f) => f !== '') ?? []
  );
})();

/**
 * The malloc settings gen starts again with on Linux with glibc (src/malloc-restart.ts), given to every child
 * from the start: the measured process is then the one that works as a user's gen's child does (bin/gen.js sees
 * them set and does not start again; a restarted gen's parent would report only its own RSS). None when the
 * bench runs with GEN_NO_MALLOC_ENV set, as gen would then run.
 */
const GEN_MALLOC_ENV: Readonly<Record<string, string>> =
  (process.env[MALLOC_RESTART_OPT_OUT] ?? '') === '' ? MALLOC_ENV : {};

/**
 * `node ...args` as a child (with gen's V8 flags and malloc settings) and the hook that reports its peak RSS and
 * CPU time at exit.
 */
export async function measuredNode(
  args: string[],
  timeoutMs?: number,
  env: NodeJS.ProcessEnv = {},
): Promise<MeasuredRun> {
  const file = join(tmpdir(), `dp-bench-rss-${process.pid}-${runs++}`);
  try {
    const r = await runChild(process.execPath, [...GEN_NODE_FLAGS, '--import', HOOK, ...args], {
      env: { ...GEN_MALLOC_ENV, ...process.env, ...env, DP_BENCH_RSS_FILE: file },
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    const text = await readFile(file, 'utf8').catch(() => '');
    const u = text === '' ? undefined : (JSON.parse(text) as { rss: number; cpuUs: number });
    return { ...r, rssBytes: u?.rss, cpuMs: u === undefined ? undefined : u.cpuUs / 1000 };
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * `gen ...args` (bin/gen.js, the built CLI). `db`: the server, given to gen as DATABASE_URL in its environment,
 * not as --db: a command line, password included, is visible to every user of the machine (`ps`).
 */
export const runGen = (args: string[], o: { timeoutMs?: number; db?: string } = {}): Promise<MeasuredRun> =>
  measuredNode(
    [fromRoot('bin', 'gen.js'), ...args],
    o.timeoutMs,
    o.db === undefined ? {} : { DATABASE_URL: o.db },
  );

/**
 * `gen --out` of a window into a scratch directory, removed after: gen as users run it (its default 4 jobs, its
 * node flags, its restart), without a server. The long windows' row (168 h at --scale 5: 74.7M rows, ~24 GB of
 * CSV in the scratch directory for the time of the run, ~3 minutes here). Until 2 December this row was the
 * generator alone in one job (bench/generate-window.ts), which understated gen's peak (271 MB for `gen --out`
 * against 237 MB for the one job, same window).
 */
export async function runGenOut(w: Window): Promise<MemoryRow> {
  const dir = await mkdtemp(join(tmpdir(), 'dp-bench-out-'));
  try {
    const report = join(dir, 'report.json');
    const r = await runGen([...windowArgs(w), '--out', join(dir, 'csv'), '--json', report, '--quiet']);
    if (r.code !== 0) throw new Error(`gen --out exited ${r.code}: ${r.stderr.slice(-600)}`);
    const j = JSON.parse(await readFile(report, 'utf8')) as { load?: { rows?: number } };
    return { window: w, what: 'gen --out', rows: j.load?.rows ?? 0, run: r };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface Window {
  scenario: string;
  hours: number;
  scale: number;
  /** the window's start (ISO), when not the scenario's */
  start?: string;
}

export const windowArgs = (w: Window): string[] => [
  '--scenario',
  w.scenario,
  ...(w.start === undefined ? [] : ['--start', w.start]),
  '--hours',
  String(w.hours),
  '--scale',
  String(w.scale),
];

/** the live memory run's speed: each hour plays in 6 s of wall, the next generated meanwhile */
const LIVE_MEMORY_SPEED = 600;
const LIVE_MEMORY_SCHEMA = 'bench_live_memory';

/**
 * `gen live` of the window `w` (bench.ts: two hours from the hour before the scenario's own busiest one,
 * bench/live.ts busiestHour) into a scratch schema of `db`, dropped before and after. What it holds at its peak:
 * the hour playing and the next one generated and encoded beside it (src/live/hour-worker.ts). `--start` moves
 * the scenario's events with the window, so for black-friday this window (from 19:00 on the 27th) puts the
 * midnight doorbusters' x4 on the evening peak: 9,489 orders in its second hour at --scale 1, the most any start
 * gives (5,958 in the scenario's own busiest hour). Until 5 December the README's figures for this were by hand
 * (566 MB at --scale 1, 1,997 MB at --scale 5). The rows are the ones played, not the snapshot's (the CPU includes
 * loading the snapshot: no per-row figure).
 */
export async function runGenLive(w: Window, db: string): Promise<MemoryRow> {
  const dir = await mkdtemp(join(tmpdir(), 'dp-bench-live-'));
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    await dropSchema(client, LIVE_MEMORY_SCHEMA);
    const report = join(dir, 'report.json');
    const r = await runGen(
      [
        'live',
        ...windowArgs(w),
        '--speed',
        String(LIVE_MEMORY_SPEED),
        '--schema',
        LIVE_MEMORY_SCHEMA,
        '--json',
        report,
        '--quiet',
      ],
      { db },
    );
    if (r.code !== 0) throw new Error(`gen live exited ${r.code}: ${r.stderr.slice(-600)}`);
    const j = JSON.parse(await readFile(report, 'utf8')) as { live?: { rows?: number } };
    return { window: w, what: 'gen live', rows: j.live?.rows ?? 0, run: r };
  } finally {
    await dropSchema(client, LIVE_MEMORY_SCHEMA).catch(() => undefined);
    await client.end();
    await rm(dir, { recursive: true, force: true });
  }
}

export interface MemoryRow {
  window: Window;
  /** what the child did */
  what: 'load' | 'gen --out' | 'gen live';
  rows?: number;
  run?: MeasuredRun;
  /** why there is no run */
  skipped?: string;
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

export function printMemory(rows: readonly MemoryRow[]): void {
  const malloc = Object.entries(GEN_MALLOC_ENV).map(([k, v]) => `${k}=${v}`);
  console.log(
    `\n## Peak RSS of gen (child process, maxRSS at exit; MB = 2^20 bytes; ${malloc.length === 0 ? 'no malloc settings' : malloc.join(' ')})`,
  );
  const t: string[][] = [
    ['scale', 'hours', 'run', 'rows', 'seconds', 'CPU s', 'CPU us/row', 'peak RSS MB', 'goal <= 256'],
  ];
  for (const r of rows) {
    const rss = r.run?.rssBytes;
    const live = r.what === 'gen live';
    t.push([
      String(r.window.scale),
      String(r.window.hours),
      r.window.start === undefined ? r.what : `${r.what} from ${r.window.start.slice(0, 13)}h`,
      r.rows === undefined ? '' : r.rows.toLocaleString('en-US'),
      r.run ? secs(r.run.ms) : '',
      r.run?.cpuMs === undefined ? '' : secs(r.run.cpuMs),
      r.run?.cpuMs === undefined || !r.rows || live ? '' : ((r.run.cpuMs * 1000) / r.rows).toFixed(2),
      rss === undefined ? (r.skipped ?? 'no figure') : mb(rss),
      // issue 9 §2's goal is gen's (bulk); gen live holds hours of transactions, with no goal set
      rss === undefined ? '' : live ? 'no goal' : rss <= RSS_GOAL_BYTES ? 'met' : 'NOT met',
    ]);
  }
  printTable(t);
}
