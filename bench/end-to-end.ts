/**
 * npm run bench, end to end (issue 9 §1): gen (generate + COPY, its default jobs) next to psql `\copy` of the
 * very same rows, written first as CSV by `--out`, into the same partitions of a fresh schema. The baseline is
 * ONE psql stream (all files, one after the other); psql with N parallel streams is measured too, to show the
 * best psql setting. Schema and partitions are made outside the timing for every loader. Rounds alternate the
 * order of the loaders; the figures are medians, and ratios against the one-stream baseline of the same run.
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Plan } from '../src/generate/index.js';
import { dropSchema } from '../src/load/drop-schema.js';
import { runLoad } from '../src/load/index.js';
import { prepareSchema } from '../src/load/schema.js';
import { qualified } from '../src/model/ddl.js';
import { TABLES } from '../src/model/tables.js';
import type { BenchServer } from './servers.js';
import { fmt, libpqTarget, median, mustRun, printTable, ratio, secs } from './util.js';

/** The goal of issue 9 §1: gen end to end at most this fraction of one psql stream's time. */
export const END_TO_END_GOAL = 0.8;

export interface CsvFiles {
  dir: string;
  rows: number;
  bytes: number;
  /** largest first */
  files: { name: string; size: number }[];
}

/** gen --out: one CSV file per leaf partition, the input of every psql loader. */
export async function writeCsvFiles(plan: Plan, jobs: number, dir: string): Promise<CsvFiles> {
  const out = await runLoad({ plan, target: { kind: 'dir', dir }, jobs });
  const names = (await readdir(dir)).filter((f) => f.endsWith('.csv'));
  const files = await Promise.all(
    names.map(async (name) => ({ name, size: (await stat(join(dir, name))).size })),
  );
  files.sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
  console.log(
    `--out wrote ${fmt(out.rows)} rows, ${(out.bytes / 1e6).toFixed(0)} MB of CSV in ${files.length} files ` +
      `(${secs(out.wallMs)} s)`,
  );
  return { dir, rows: out.rows, bytes: out.bytes, files };
}

export interface EndToEndOptions {
  plan: Plan;
  /**
   * A new plan of the same window for each gen load: a plan caches what its first chunks computed (the history
   * pass), which a gen run pays for inside its load.
   */
  newPlan: () => Plan;
  /** gen's parallelism */
  jobs: number;
  rounds: number;
  /** parallel psql stream counts measured besides the one-stream baseline */
  streams: readonly number[];
}

type Loader =
  | { kind: 'psql'; label: string; schema: string; streams: number }
  | { kind: 'gen'; label: string; schema: string; copyFormat: 'binary' | 'csv' };

export interface EndToEndResult {
  server: BenchServer;
  rows: number;
  /** one psql stream, median ms */
  baselineMs: number;
  /** the fastest psql setting */
  bestPsql: { streams: number; ms: number };
  gen: { copyFormat: 'binary' | 'csv'; ms: number }[];
}

/** psql scripts for `n` streams: the files dealt largest first to the least loaded stream. */
async function psqlScripts(csv: CsvFiles, schema: string, n: number): Promise<string[]> {
  const bins = Array.from({ length: n }, () => ({ bytes: 0, lines: [] as string[] }));
  for (const { name, size } of csv.files) {
    const bin = bins.reduce((least, b) => (b.bytes < least.bytes ? b : least));
    bin.bytes += size;
    bin.lines.push(
      `\\copy ${qualified(schema, name.slice(0, -4))} FROM '${join(csv.dir, name)}' WITH (FORMAT csv, HEADER true)`,
    );
  }
  return Promise.all(
    bins.map(async (b, i) => {
      const f = join(csv.dir, `${schema}-${n}-${i}.psql`);
      await writeFile(f, `${b.lines.join('\n')}\n`);
      return f;
    }),
  );
}

export async function endToEnd(
  server: BenchServer,
  csv: CsvFiles,
  o: EndToEndOptions,
): Promise<EndToEndResult> {
  const { plan, jobs, rounds } = o;
  const url = server.url;
  console.log(
    `\n## End to end on PostgreSQL ${server.name}: gen (${jobs} jobs) vs psql \\copy of the same rows ` +
      `(${rounds} alternating rounds, median)`,
  );
  const loaders: Loader[] = [
    { kind: 'psql', label: 'psql \\copy, 1 stream (baseline)', schema: 'bench_e2e_psql1', streams: 1 },
    ...o.streams.map(
      (n): Loader => ({
        kind: 'psql',
        label: `psql \\copy, ${n} streams`,
        schema: `bench_e2e_psql${n}`,
        streams: n,
      }),
    ),
    { kind: 'gen', label: 'gen, COPY binary', schema: 'bench_e2e_gen_binary', copyFormat: 'binary' },
    { kind: 'gen', label: 'gen, COPY csv', schema: 'bench_e2e_gen_csv', copyFormat: 'csv' },
  ];
  const scripts = new Map<Loader, string[]>();
  for (const l of loaders) if (l.kind === 'psql') scripts.set(l, await psqlScripts(csv, l.schema, l.streams));

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const count = async (s: string): Promise<number> => {
    let n = 0;
    for (const t of TABLES) {
      const r = await client.query<{ n: string }>(`select count(*) n from ${qualified(s, t.name)}`);
      n += Number(r.rows[0]?.n ?? Number.NaN);
    }
    return n;
  };
  const times = new Map<Loader, number[]>(loaders.map((l) => [l, []]));
  /** gen's own CPU (user + system) per load: the client's cost per row, issue 9 §1 */
  const cpu = new Map<Loader, number[]>(loaders.map((l) => [l, []]));

  const load = async (l: Loader, round: number): Promise<void> => {
    await dropSchema(client, l.schema);
    await client.query('CHECKPOINT');
    let ms: number;
    if (l.kind === 'psql') {
      await prepareSchema(client, l.schema, plan);
      await client.query('CHECKPOINT');
      const t0 = performance.now();
      const target = libpqTarget(url);
      await Promise.all(
        (scripts.get(l) ?? []).map((f) =>
          mustRun('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', target.conninfo, '-f', f], target.env),
        ),
      );
      ms = performance.now() - t0;
    } else {
      const c0 = process.cpuUsage();
      const g = await runLoad({
        plan,
        target: { kind: 'db', url, schema: l.schema },
        jobs,
        copyFormat: l.copyFormat,
      });
      const c = process.cpuUsage(c0);
      cpu.get(l)?.push((c.user + c.system) / 1000);
      // schema and partitions are outside the timing, as they are for psql
      ms = g.wallMs - g.ddlMs;
    }
    times.get(l)?.push(ms);
    // every loader must have loaded every row (once is enough)
    if (round === 0) {
      const n = await count(l.schema);
      if (n !== csv.rows) throw new Error(`${l.label} loaded ${fmt(n)} rows, --out wrote ${fmt(csv.rows)}`);
    }
    // the next loader gets the disk (and the checkpointer) to itself
    await dropSchema(client, l.schema);
  };

  try {
    // alternating which goes first: one run on a shared machine moves by 15-30%
    for (let r = 0; r < rounds; r++) {
      for (const l of r % 2 === 0 ? loaders : [...loaders].reverse()) await load(l, r);
    }
  } finally {
    for (const l of loaders) await dropSchema(client, l.schema).catch(() => undefined);
    await client.end();
  }

  const med = (l: Loader): number => median(times.get(l) ?? []);
  const [baseline] = loaders;
  if (baseline === undefined) throw new Error('internal: no baseline loader');
  const base = med(baseline);
  const rows: string[][] = [
    ['loader', 'median s', 'rows/s', 'ratio', 'rounds (s)', 'client CPU s', 'CPU us/row'],
  ];
  for (const l of loaders) {
    const c = cpu.get(l) ?? [];
    rows.push([
      l.label,
      secs(med(l)),
      fmt(csv.rows / (med(l) / 1000)),
      ratio(med(l), base),
      (times.get(l) ?? []).map(secs).join(' '),
      c.length === 0 ? '' : secs(median(c)),
      c.length === 0 ? '' : ((median(c) * 1000) / csv.rows).toFixed(2),
    ]);
  }
  printTable(rows);
  const psql = loaders.filter((l) => l.kind === 'psql');
  const best = psql.reduce((a, b) => (med(b) < med(a) ? b : a), baseline);
  const bestStreams = best.kind === 'psql' ? best.streams : 1;
  const gens = loaders.flatMap((l) => (l.kind === 'gen' ? [{ copyFormat: l.copyFormat, ms: med(l) }] : []));
  console.log(
    `best psql setting: ${bestStreams} stream${bestStreams === 1 ? '' : 's'} (${ratio(med(best), base)} one stream)`,
  );
  for (const g of gens) {
    const r = g.ms / base;
    console.log(
      `goal: gen end to end <= ${END_TO_END_GOAL}x one psql stream; COPY ${g.copyFormat}: ${r.toFixed(2)}x ` +
        `(${r <= END_TO_END_GOAL ? 'met' : 'NOT met'}; ${ratio(g.ms, med(best))} the best psql setting)`,
    );
  }
  return {
    server,
    rows: csv.rows,
    baselineMs: base,
    bestPsql: { streams: bestStreams, ms: med(best) },
    gen: gens,
  };
}
