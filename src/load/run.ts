/**
 * The load: every (table, partition) chunk streamed by COPY FROM STDIN straight into its leaf partition
 * (measured: ~25% faster than routing through the parent), `jobs` chunks at a time, each on its own pooled
 * client; in PostgreSQL's binary COPY format by default (./binary-copy.ts), or the generated CSV as it is. Or, with a directory target, the same bytes into one CSV file per leaf partition.
 *
 * One COPY pattern everywhere (STYLE.md): take a client, `await pipeline(source, client.query(copyFrom(sql)))`,
 * release in `finally`. pipeline destroys the COPY stream on an error or an abort, which sends CopyFail and
 * rolls that chunk's transaction back. Each chunk's COPY and its ledger row commit together (ledger.ts), so a
 * re-run after any interruption loads exactly the missing chunks.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { makePool, toConnectionError, withClient } from '../db/connection.js';
import { backendPid, readServerStats, type ServerSnapshot, serverSideSince } from '../db/server-stats.js';
import {
  ChunkError,
  EnvironmentError,
  errorMessage,
  isConnectionLoss,
  sqlState,
  systemCode,
} from '../errors.js';
import { type Chunk, generateChunk, listChunks, type Plan } from '../generate/index.js';
import { qualified } from '../model/ddl.js';
import { copyTarget, DEFAULT_LAYOUT, type Layout } from '../model/layout.js';
import { columnNames } from '../model/tables.js';
import { AnalyzeAborted, vacuumAnalyze } from './analyze.js';
import { claimSchema, finishRun, ledgerInsertSql, runFinished, runIdentity, startRun } from './ledger.js';
import { addForeignKeys, DEFAULT_DDL_STREAMS, prepareSchema } from './schema.js';
import { type ChunkResult, type LoadSummary, summarise, type ThroughputSample } from './stats.js';
import { type CopyFormat, copyStream, fileStream, newCounters, type StreamCounters } from './stream.js';

const SAMPLE_EVERY_MS = 1000;
/** retries of a chunk whose connection was lost, with exponential backoff from RETRY_BASE_MS */
const MAX_RETRIES = 5;
const RETRY_BASE_MS = 250;

export type LoadTarget = { kind: 'db'; url: string; schema: string } | { kind: 'dir'; dir: string };

export interface Progress {
  chunksDone: number;
  chunksTotal: number;
  rows: number;
  bytes: number;
  elapsedMs: number;
}

export interface LoadOptions {
  plan: Plan;
  target: LoadTarget;
  jobs: number;
  /** how a database load sends rows (default binary); files are always CSV */
  copyFormat?: CopyFormat;
  /** partition layout of the target schema (default: the document's hourly/daily layout) */
  layout?: Layout;
  /** chunks to load, in this order (default: all of the window, hour-major) */
  chunks?: Chunk[];
  /** drop a schema holding another run (or this one) before loading */
  reset?: boolean;
  /**
   * VACUUM (ANALYZE) the schema's tables after the rows (db targets; gen and gen bench ask for it, unless
   * --no-analyze): when this run loaded chunks, or an earlier one was stopped before it got there. Timed apart
   * from the load (analyzeMs).
   */
  analyze?: boolean;
  /** stop: in-flight COPYs are aborted (CopyFail), nothing more starts; runLoad rejects with LoadAborted */
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** a chunk failed and will be tried again */
  onRetry?: (partition: string, attempt: number, error: Error) => void;
  /** a chunk starts (once, before its first try); for a live view such as --metrics-port */
  onChunkStart?: (chunk: Chunk) => void;
  /** a chunk's rows are committed (or written to its file) */
  onChunkDone?: (chunk: Chunk, rows: number) => void;
  progressEveryMs?: number;
}

export function copySql(
  schema: string,
  chunk: Chunk,
  layout: Layout = DEFAULT_LAYOUT,
  format: CopyFormat = 'binary',
): string {
  const cols = columnNames(chunk.partition.table).join(', ');
  return `COPY ${qualified(schema, copyTarget(layout, chunk))} (${cols}) FROM STDIN WITH (FORMAT ${format})`;
}

/** COPY one chunk and record it in the ledger, in one transaction. */
async function copyChunk(
  pool: pg.Pool,
  url: string,
  schema: string,
  layout: Layout,
  format: CopyFormat,
  plan: Plan,
  chunk: Chunk,
  c: StreamCounters,
  signal: AbortSignal | undefined,
): Promise<void> {
  const client = await pool.connect().catch((e: unknown) => {
    throw toConnectionError(e, url);
  });
  let broken = false;
  // a backend terminated mid-COPY also makes the client emit 'error'; the COPY's own rejection carries it
  const ignore = (): void => undefined;
  client.on('error', ignore);
  try {
    await client.query('BEGIN');
    const types = chunk.partition.table.columns.map((col) => col.type);
    await pipeline(
      copyStream(generateChunk(plan, chunk, { header: false }), c, format, types),
      client.query(copyFrom(copySql(schema, chunk, layout, format))),
      ...(signal ? [{ signal }] : []),
    );
    await client.query(ledgerInsertSql(schema), [
      chunk.partition.name,
      chunk.partition.table.name,
      c.rows,
      c.bytes,
      c.checksum ?? '',
    ]);
    await client.query('COMMIT');
  } catch (e) {
    // after an abort mid-COPY the connection's protocol state is unknown: do not give it back to the pool
    broken = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.off('error', ignore);
    client.release(broken);
  }
}

async function writeChunk(
  dir: string,
  plan: Plan,
  chunk: Chunk,
  c: StreamCounters,
  signal?: AbortSignal,
): Promise<void> {
  await pipeline(
    fileStream(generateChunk(plan, chunk), c),
    createWriteStream(join(dir, `${chunk.partition.name}.csv`)),
    ...(signal ? [{ signal }] : []),
  );
}

/** Errors worth another try: the connection or the server went away, not a bad row or a bug. */
export function isTransient(e: unknown): boolean {
  const code = sqlState(e) ?? systemCode(e) ?? '';
  if (['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '53300'].includes(code))
    return true;
  if (code.startsWith('08')) return true; // connection exceptions
  return isConnectionLoss(e);
}

export async function runLoad(o: LoadOptions): Promise<LoadSummary> {
  const all = o.chunks ?? listChunks(o.plan);
  const layout = o.layout ?? DEFAULT_LAYOUT;
  const format = o.copyFormat ?? 'binary';
  // `let`: the clock leaves out the server-statistics read before the first COPY (see below)
  let t0 = performance.now();
  let pool: pg.Pool | undefined;
  const requirePool = (): pg.Pool => {
    if (pool === undefined) throw new Error('internal: a database load without a pool');
    return pool;
  };
  let ddlMs = 0;
  let fkMs = 0;
  let finished = false;
  let label: string;
  let chunks = all;
  let skipped = 0;
  let before: ServerSnapshot | undefined;
  /** every backend the load used: the after-snapshot waits for them to exit and flush their statistics */
  const pids: number[] = [];
  const target = o.target;
  if (target.kind === 'db') {
    const { url, schema } = target;
    // at least DEFAULT_DDL_STREAMS connections for the partitions' creation; COPYs are limited to `jobs` below
    pool = makePool(url, Math.max(1, o.jobs, DEFAULT_DDL_STREAMS));
    pool.on('connect', (c) => {
      const pid = backendPid(c);
      if (pid !== null) pids.push(pid);
    });
    const client = await pool.connect().catch((e: unknown) => {
      throw toConnectionError(e, url);
    });
    try {
      const id = runIdentity(o.plan, layout);
      await claimSchema(client, schema, id, o.reset === true);
      await prepareSchema(client, schema, o.plan, layout, { connect: () => requirePool().connect() }).catch(
        (e: unknown) => {
          // insufficient_privilege: a user can fix it, so it is one line, not a stack trace
          if (sqlState(e) === '42501') {
            throw new EnvironmentError(
              `cannot create schema "${schema}" or its tables: ${errorMessage(e)}; grant the role CREATE on the database, or use --schema with a schema it may create tables in`,
            );
          }
          throw e;
        },
      );
      const done = await startRun(client, schema, id, all.length);
      finished = await runFinished(client, schema);
      chunks = all.filter((c) => !done.has(c.partition.name));
      skipped = all.length - chunks.length;
      // after the DDL, before the first COPY: the server's side counts the rows, not the partitions' creation.
      // Not load time (measured: 80 ms cold for 98 relations, it grows with partitions): the clock starts later.
      const s0 = performance.now();
      before = await readServerStats(client, schema);
      t0 += performance.now() - s0;
    } catch (e) {
      client.release();
      await pool.end();
      throw e;
    }
    client.release();
    ddlMs = performance.now() - t0;
    label = `schema ${schema}`;
  } else {
    await mkdir(target.dir, { recursive: true });
    label = target.dir;
  }

  const results: ChunkResult[] = [];
  const live = new Set<StreamCounters>();
  let doneRows = 0;
  let doneBytes = 0;
  const samples: ThroughputSample[] = [{ tMs: 0, rows: 0, bytes: 0 }];
  const snapshot = (): Progress => ({
    chunksDone: results.length + skipped,
    chunksTotal: all.length,
    rows: doneRows + [...live].reduce((a, c) => a + c.rows, 0),
    bytes: doneBytes + [...live].reduce((a, c) => a + c.bytes, 0),
    elapsedMs: performance.now() - t0,
  });
  const progress = (): void => {
    if (o.onProgress) o.onProgress(snapshot());
  };
  // throughput over time, one sample a second (like pgbench -P 1), whether or not anyone prints progress
  const sampler = setInterval(() => {
    const p = snapshot();
    samples.push({ tMs: p.elapsedMs, rows: p.rows, bytes: p.bytes });
  }, SAMPLE_EVERY_MS);
  const timer = o.onProgress ? setInterval(progress, o.progressEveryMs ?? 1000) : undefined;

  const limit = pLimit(Math.max(1, o.jobs));
  let failed = false;
  const one = async (chunk: Chunk): Promise<void> => {
    if (failed || o.signal?.aborted) return;
    const start = performance.now();
    o.onChunkStart?.(chunk);
    let c = newCounters();
    for (let attempt = 0; ; attempt++) {
      c = newCounters();
      live.add(c);
      try {
        if (target.kind === 'db') {
          await copyChunk(
            requirePool(),
            target.url,
            target.schema,
            layout,
            format,
            o.plan,
            chunk,
            c,
            o.signal,
          );
        } else await writeChunk(target.dir, o.plan, chunk, c, o.signal);
        break;
      } catch (e) {
        const retry = !o.signal?.aborted && attempt < MAX_RETRIES && isTransient(e);
        if (!retry) {
          failed = true;
          if (o.signal?.aborted) return;
          throw new ChunkError(chunk.partition.name, e, attempt + 1);
        }
        o.onRetry?.(chunk.partition.name, attempt + 1, e instanceof Error ? e : new Error(String(e)));
        await sleep(RETRY_BASE_MS * 2 ** attempt);
      } finally {
        live.delete(c);
      }
    }
    const wall = performance.now() - start;
    doneRows += c.rows;
    doneBytes += c.bytes;
    results.push({
      table: chunk.partition.table.name,
      partition: chunk.partition.name,
      rows: c.rows,
      bytes: c.bytes,
      genMs: c.genMs,
      copyMs: Math.max(0, wall - c.genMs),
    });
    o.onChunkDone?.(chunk, c.rows);
  };
  try {
    const settled = await Promise.allSettled(chunks.map((ch) => limit(() => one(ch))));
    const err = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (err) throw err.reason;
    if (o.signal?.aborted) {
      throw new LoadAborted(summarise(label, results, performance.now() - t0, ddlMs), all.length, skipped);
    }
    if (target.kind === 'db') {
      const client = await requirePool().connect();
      try {
        if (layout.foreignKeys) {
          const f0 = performance.now();
          await addForeignKeys(client, target.schema, layout);
          fkMs = performance.now() - f0;
        }
      } finally {
        client.release();
      }
    }
  } finally {
    if (timer) clearInterval(timer);
    clearInterval(sampler);
    await pool?.end();
  }
  progress();
  const end = snapshot();
  samples.push({ tMs: end.elapsedMs, rows: end.rows, bytes: end.bytes });
  const wallMs = performance.now() - t0;
  // after the pool has ended and outside wallMs: waiting for its backends to exit is not load time
  const serverSide =
    target.kind === 'db' && before !== undefined
      ? await serverSideSince(target.url, target.schema, before, pids)
      : undefined;
  // after the server-side snapshot: VACUUM's writes (the visibility map, hint bits) are not the load's
  let analyzeMs: number | undefined;
  if (target.kind === 'db') {
    const analyze = o.analyze === true && (chunks.length > 0 || !finished);
    analyzeMs = await finishLoad(target.url, target.schema, analyze, o.signal, o.jobs).catch((e: unknown) => {
      if (e instanceof AnalyzeAborted) {
        throw new LoadAborted(summarise(label, results, wallMs, ddlMs), all.length, skipped, e.message);
      }
      throw e;
    });
  }
  return {
    ...summarise(label, results, wallMs, ddlMs),
    samples,
    fkMs,
    jobs: Math.max(1, o.jobs),
    layout: layout.name,
    skipped,
    chunksTotal: all.length,
    ...(analyzeMs !== undefined ? { analyzeMs } : {}),
    ...(serverSide ? { serverSide } : {}),
  };
}

/**
 * The end of a database load: VACUUM (ANALYZE) when asked (on the load's `jobs` connections), then the run is recorded as finished, so that a run
 * stopped during the analyze analyzes again when resumed. Returns the analyze's ms (undefined: not run).
 */
async function finishLoad(
  url: string,
  schema: string,
  analyze: boolean,
  signal: AbortSignal | undefined,
  streams: number,
): Promise<number | undefined> {
  return withClient(url, async (client) => {
    let ms: number | undefined;
    if (analyze) {
      const a0 = performance.now();
      await vacuumAnalyze(client, url, schema, { signal, streams });
      ms = performance.now() - a0;
    }
    await finishRun(client, schema);
    return ms;
  });
}

/** The load was stopped (Ctrl-C): what was committed before it. */
export class LoadAborted extends Error {
  override name = 'LoadAborted';
  constructor(
    readonly committed: ReturnType<typeof summarise>,
    readonly chunksTotal: number,
    readonly skipped: number,
    /** where it stopped when it was not while loading rows (the analyze after them) */
    during?: string,
  ) {
    super(`${during ?? 'stopped'}: ${committed.partitions + skipped} of ${chunksTotal} chunks are committed`);
  }
}
