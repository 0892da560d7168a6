/**
 * npm run bench: figures as ratios against baselines measured in the same run (absolute numbers move
 * ±15-30% between runs on shared machines; ratios much less).
 *
 * 1. Generation alone, no database, one core: rows/s per table and for the whole mix.
 * 2. End to end: `gen` (generate + COPY into leaf partitions) next to psql `\copy` of the very same rows,
 *    written first by `--out`, into the same partitions of a fresh schema, with the same parallelism.
 * 3. gen query next to pgbench replaying the same queries at the same rate (bench/pgbench.ts).
 * 4. gen live: the highest --speed black-friday's busiest hours play at with lag p99 < 1 s, next to pgbench
 *    running the same transactions at full speed (bench/live.ts).
 *
 * Usage: npm run bench [-- --hours 24 --jobs 2 --rounds 3 --scenario black-friday --no-db]
 * (`npm run bench -- --help` lists the flags).
 */

import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { en, Faker } from '@faker-js/faker';
import pg from 'pg';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { onlyRow } from '../src/commands/common.js';
import { jobsFlag, numericFlag, refuseRepeatedFlags, scenarioFromFlags } from '../src/commands/flags.js';
import { jobsOption } from '../src/commands/options.js';
import { resolveConnectionString } from '../src/db/connection.js';
import { ensureEmbedded } from '../src/db/embedded/index.js';
import { describeFailure, UserError } from '../src/errors.js';
import { generateChunk, historyPass, listChunks, type Plan } from '../src/generate/index.js';
import { runLoad } from '../src/load/index.js';
import { prepareSchema } from '../src/load/schema.js';
import { countLines } from '../src/load/stats.js';
import { ident, qualified } from '../src/model/ddl.js';
import { DEFAULT_LAYOUT, type Layout } from '../src/model/layout.js';
import { TABLES } from '../src/model/tables.js';
import { textTable } from '../src/report/text-table.js';
import { liveSpeed } from './live.js';
import { pgbenchSideBySide } from './pgbench.js';

interface Settings {
  /** as given: a shipped scenario's name or a file */
  scenarioName: string;
  hours: number;
  /** the same parallelism for both loaders: gen's default (2 per core) unless --jobs */
  jobs: number;
  rounds: number;
  db: boolean;
  live: boolean;
  plan: Plan;
}

/** The flags, parsed by yargs and checked by the same module as gen's (src/commands/flags.ts). */
async function readFlags(argv: string[]): Promise<Settings> {
  const a = await yargs(argv)
    .scriptName('npm run bench --')
    .usage('$0 [--scenario NAME] [--hours N] [--jobs N] [--rounds N] [--no-db] [--no-live]')
    .options({
      scenario: {
        type: 'string',
        default: 'black-friday',
        describe: 'scenario name or path to a .yaml file',
      },
      hours: { type: 'number', default: 24, describe: 'hours of the window' },
      ...jobsOption('parallel streams of each loader, gen and psql alike (default: 2 per core, at most 8)'),
      rounds: { type: 'number', default: 3, describe: 'rounds of each loader, alternating which goes first' },
      db: { type: 'boolean', default: true, describe: 'the end-to-end part (--no-db: generation alone)' },
      live: { type: 'boolean', default: true, describe: 'the gen live speed part (--no-live: without it)' },
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
  const { scenario, plan } = scenarioFromFlags({ scenario: a.scenario, hours: a.hours }, { now: Date.now() });
  return { scenarioName: a.scenario, hours: scenario.hours, jobs, rounds, db: a.db, live: a.live, plan };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  // the middle value, or the mean of the two middle ones
  const lo = s[Math.ceil(s.length / 2) - 1];
  const hi = s[Math.floor(s.length / 2)];
  if (lo === undefined || hi === undefined) throw new Error('median of no values');
  return (lo + hi) / 2;
};
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function generationBench({ plan, scenarioName, hours }: Settings): void {
  console.log(`\n## Generation alone (no database, one core): ${scenarioName}, ${hours} hours`);
  const chunks = listChunks(plan);
  // warm the pools (faker) so they are not counted in the first table
  const [first] = chunks;
  if (first) for (const _ of generateChunk(plan, first)) break;
  const rows: string[][] = [['table', 'rows', 'MB', 'seconds', 'rows/s']];
  let allRows = 0;
  let allBytes = 0;
  // the one pass over the window's orders that stock and new customers need (issue 8), timed on its own: the
  // first table that asks for it would pay for it otherwise; it counts in the total
  const p0 = performance.now();
  historyPass(plan);
  let allMs = performance.now() - p0;
  rows.push(['(history pass: stock, new customers)', '', '', (allMs / 1000).toFixed(2), '']);
  for (const t of TABLES) {
    let n = 0;
    let bytes = 0;
    const t0 = performance.now();
    for (const c of chunks) {
      if (c.partition.table !== t) continue;
      for (const b of generateChunk(plan, c, { header: false })) {
        n += countLines(b);
        bytes += b.length;
      }
    }
    const ms = performance.now() - t0;
    allRows += n;
    allBytes += bytes;
    allMs += ms;
    rows.push([t.name, fmt(n), (bytes / 1e6).toFixed(1), (ms / 1000).toFixed(2), fmt(n / (ms / 1000))]);
  }
  rows.push([
    'all tables',
    fmt(allRows),
    (allBytes / 1e6).toFixed(1),
    (allMs / 1000).toFixed(2),
    fmt(allRows / (allMs / 1000)),
  ]);
  printTable(rows);
  const ours = allRows / (allMs / 1000);
  const naive = fakerPerFieldRowsPerSec();
  console.log(
    `baseline in this run: faker called per field, 14-column rows as CSV strings: ${fmt(naive)} rows/s; ` +
      `gen: ${(ours / naive).toFixed(1)}x that`,
  );
  console.log(
    `goal: >= 1,000,000 rows/s on one core; this run: ${fmt(ours)} rows/s (${(ours / 1e6).toFixed(2)}x the goal)`,
  );
}

/**
 * The naive way, measured on the same machine in the same run: faker called for every field of an order-like
 * row (14 columns), joined into a CSV line. Absolute speeds here move by 30% between runs; the ratio does not.
 */
function fakerPerFieldRowsPerSec(): number {
  const f = new Faker({ locale: [en] });
  f.seed(1);
  const n = 20_000;
  const t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const line = [
      f.string.uuid(),
      f.date.between({ from: '2026-11-27T00:00:00Z', to: '2026-11-30T00:00:00Z' }).toISOString(),
      f.string.uuid(),
      f.string.uuid(),
      f.helpers.arrayElement(['paid', 'abandoned', 'payment_failed']),
      String(f.number.int({ min: 1, max: 6 })),
      f.commerce.price(),
      f.commerce.price(),
      f.commerce.price(),
      'USD',
      f.person.fullName(),
      f.internet.email(),
      f.date.past().toISOString(),
      JSON.stringify({ channel: f.helpers.arrayElement(['web', 'ios', 'android']) }),
    ].join(',');
    bytes += line.length;
  }
  const ms = performance.now() - t0;
  return bytes > 0 ? n / (ms / 1000) : 0;
}

function printTable(rows: string[][]): void {
  console.log(textTable(rows, (i) => i !== 0));
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err.slice(0, 400)}`)),
    );
  });
}

async function endToEnd({ plan, jobs, rounds }: Settings, url: string): Promise<void> {
  console.log(`\n## End to end: gen vs psql \\copy of the same rows (${jobs} parallel streams each)`);
  const dir = await mkdtemp(join(tmpdir(), 'dp-bench-'));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const schemas = ['bench_psql', 'bench_gen', 'bench_gen_noidx'];
  // the load cost of the default layout's indexes (global_entity's, issue 8): the same gen load without them
  const noIndexes: Layout = { ...DEFAULT_LAYOUT, name: 'hourly without indexes', indexes: [] };
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${ident(s)} CASCADE`);

    const out = await runLoad({ plan, target: { kind: 'dir', dir }, jobs });
    console.log(
      `--out wrote ${fmt(out.rows)} rows, ${(out.bytes / 1e6).toFixed(0)} MB of CSV in ${(out.wallMs / 1000).toFixed(2)} s`,
    );

    // baseline: psql \copy of the files into the leaf partitions by `jobs` psql processes, the files dealt
    // largest first to the least loaded process (so no process is left with the big population chunks)
    const files = (await readdir(dir)).filter((f) => f.endsWith('.csv'));
    const sized = await Promise.all(files.map(async (f) => ({ f, size: (await stat(join(dir, f))).size })));
    sized.sort((a, b) => b.size - a.size || a.f.localeCompare(b.f));
    const bins = Array.from({ length: jobs }, () => ({ bytes: 0, lines: [] as string[] }));
    for (const { f, size } of sized) {
      const bin = bins.reduce((least, b) => (b.bytes < least.bytes ? b : least));
      bin.bytes += size;
      bin.lines.push(
        `\\copy ${qualified('bench_psql', f.slice(0, -4))} FROM '${join(dir, f)}' WITH (FORMAT csv, HEADER true)`,
      );
    }
    const scripts = bins.map((b) => b.lines);
    const scriptFiles = await Promise.all(
      scripts.map(async (lines, i) => {
        const f = join(dir, `load-${i}.psql`);
        await writeFile(f, `${lines.join('\n')}\n`);
        return f;
      }),
    );
    const psqlLoad = async (): Promise<number> => {
      await client.query(`DROP SCHEMA IF EXISTS ${ident('bench_psql')} CASCADE`);
      await prepareSchema(client, 'bench_psql', plan);
      await client.query('CHECKPOINT');
      const t0 = performance.now();
      await Promise.all(
        scriptFiles.map((f) => run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', f])),
      );
      return performance.now() - t0;
    };
    let genGenMs = 0;
    const genLoad = async (schema = 'bench_gen', layout = DEFAULT_LAYOUT): Promise<number> => {
      await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
      await client.query('CHECKPOINT');
      const g = await runLoad({ plan, target: { kind: 'db', url, schema }, jobs, layout });
      if (layout === DEFAULT_LAYOUT) genGenMs = g.genMs;
      // schema and partitions are outside the timing, as they are for psql
      return g.wallMs - g.ddlMs;
    };
    // a few rounds, alternating which goes first: one run on a shared machine moves by 15-30%
    const psqlTimes: number[] = [];
    const genTimes: number[] = [];
    const noIndexTimes: number[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        psqlTimes.push(await psqlLoad());
        genTimes.push(await genLoad());
        noIndexTimes.push(await genLoad('bench_gen_noidx', noIndexes));
      } else {
        noIndexTimes.push(await genLoad('bench_gen_noidx', noIndexes));
        genTimes.push(await genLoad());
        psqlTimes.push(await psqlLoad());
      }
    }

    const count = async (s: string): Promise<number> => {
      let n = 0;
      for (const t of TABLES) {
        const r = await client.query<{ n: string }>(`select count(*) n from ${qualified(s, t.name)}`);
        n += Number(onlyRow(r.rows, 'count(*)').n);
      }
      return n;
    };
    const [a, b] = [await count('bench_psql'), await count('bench_gen')];
    if (a !== b) throw new Error(`row counts differ: psql ${a}, gen ${b}`);
    const psqlMs = median(psqlTimes);
    const genMs = median(genTimes);
    const noIndexMs = median(noIndexTimes);
    printTable([
      ['loader', 'rows', 'median s', 'rows/s', 'ratio', 'rounds (s)'],
      [
        'psql \\copy (baseline)',
        fmt(a),
        (psqlMs / 1000).toFixed(2),
        fmt(a / (psqlMs / 1000)),
        '1.00',
        psqlTimes.map((t) => (t / 1000).toFixed(2)).join(' '),
      ],
      [
        'gen (generate + COPY)',
        fmt(b),
        (genMs / 1000).toFixed(2),
        fmt(b / (genMs / 1000)),
        (genMs / psqlMs).toFixed(2),
        genTimes.map((t) => (t / 1000).toFixed(2)).join(' '),
      ],
      [
        'gen, no global_entity indexes',
        fmt(b),
        (noIndexMs / 1000).toFixed(2),
        fmt(b / (noIndexMs / 1000)),
        (noIndexMs / psqlMs).toFixed(2),
        noIndexTimes.map((t) => (t / 1000).toFixed(2)).join(' '),
      ],
    ]);
    console.log(
      `global_entity's two indexes (default layout: entity_id; entity_type, event_time) cost ` +
        `${(genMs / noIndexMs).toFixed(2)}x the load time without them (median of ${rounds} rounds)`,
    );
    console.log(
      `goal: gen <= 1.10x the psql \\copy time; this run: ${(genMs / psqlMs).toFixed(2)}x (median of ${rounds} rounds; ` +
        `per round: ${genTimes.map((g, i) => (g / (psqlTimes[i] ?? Number.NaN)).toFixed(2)).join(', ')})`,
    );
    console.log(
      `(gen spent ${(genGenMs / 1000).toFixed(2)} s generating in-process, on the same 2 cores as the server)`,
    );
  } finally {
    for (const s of schemas)
      await client.query(`DROP SCHEMA IF EXISTS ${ident(s)} CASCADE`).catch(() => undefined);
    await client.end();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const settings = await readFlags(hideBin(process.argv));
  generationBench(settings);
  if (!settings.db) return;
  const given = resolveConnectionString({ env: process.env });
  const url = given ? given.url : (await ensureEmbedded()).url;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const v = await c.query<{ v: string }>('select version() v');
  await c.end();
  console.log(`\nserver: ${onlyRow(v.rows, 'select version()').v}`);
  await endToEnd(settings, url);
  await pgbenchSideBySide(url);
  if (settings.live) await liveSpeed(url);
}

main().catch((e: unknown) => {
  // as gen does: bad flags are one line and exit code 2, a bug prints its stack (src/errors.ts)
  const { code, text } = describeFailure(e);
  console.error(`bench: ${text}`);
  process.exitCode = code;
});
