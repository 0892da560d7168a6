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
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type pg from 'pg';
import { backendPid, cancelledOnAbort, makePool, toConnectionError, withClient } from '../db/connection.js';
import { readServerStats, type ServerSnapshot, serverSideSince } from '../db/server-stats.js';
import { ChunkError, EnvironmentError, errorMessage, isTransient, sqlState } from '../errors.js';
import { type Chunk, generateChunk, listChunks, loadChunks, type Plan, planEnd } from '../generate/index.js';
import { DEFAULT_LAYOUT, type Layout, layoutPartitionsOf } from '../model/layout.js';
import { chunkName, partitionOfChunk } from '../model/partitions.js';
import { AnalyzeAborted, vacuumAnalyze } from './analyze.js';
import { RunSession, SetUpAborted } from './coop.js';
import { type ChunkLoad, type ChunkOutcome, copyChunk } from './copy-chunk.js';
import type { CopyFormat } from './copy-format.js';
import {
  claimSchema,
  committedChunks,
  covered,
  finishRun,
  runFinished,
  runIdentity,
  startRun,
} from './ledger.js';
import { addForeignKeys, MAX_DDL_STREAMS, prepareSchema } from './schema.js';
import { type ChunkResult, type LoadSummary, summarise, type ThroughputSample } from './stats.js';
import { fileBuffers, newCounters, type StreamCounters } from './stream.js';

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
  /**
   * chunks to load, in this order (default: all of the run's, hour-major): of loadChunks(plan, undefined,
   * sliceRows) for a database, of listChunks(plan) for files
   */
  chunks?: Chunk[];
  /** rows of a slice of a population chunk (default SLICE_ROWS, src/generate/slices.ts); tests make it small */
  sliceRows?: number;
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

/** what a file of --out is called while it is written (a load of `DIR/*.csv` leaves it out) */
const PARTIAL_SUFFIX = '.partial';

/**
 * A chunk's CSV into its file. The generator writes on in the same memory (`reuse`): each buffer is written to the
 * file before the generator is asked for the next. Streamed as new 256 kB Buffers, one per flush, dropped once
 * written, they were garbage waiting for V8's next full collection: `gen --out` at --scale 5, 168 h peaked at
 * 285 MB (issue 9 §2; the bench's generation-only run, which reuses them, at 216-237 MB).
 */
async function writeChunk(
  dir: string,
  plan: Plan,
  chunk: Chunk,
  c: StreamCounters,
  signal?: AbortSignal,
): Promise<void> {
  // written under another name and renamed when whole: a stopped run (Ctrl-C, kill -9, a full disk) left
  // truncated files under their final names, each ending in a whole line, which `\copy` loaded without a word
  const file = join(dir, `${chunk.partition.name}.csv`);
  const partial = `${file}${PARTIAL_SUFFIX}`;
  const out = createWriteStream(partial);
  // the file's errors (it cannot be opened, the disk is full) end the chunk: listened to from the start, an
  // 'error' event with no listener would end the process instead
  let failed: Error | null = null;
  const failure = new Promise<never>((_, reject) =>
    out.on('error', (e) => {
      failed ??= e;
      reject(e);
    }),
  );
  failure.catch(() => undefined);
  const written = (write: (done: (e?: Error | null) => void) => void): Promise<void> =>
    Promise.race([
      failure,
      new Promise<void>((resolve, reject) => write((e) => (e ? reject(e) : resolve()))),
    ]);
  try {
    for (const b of fileBuffers(generateChunk(plan, chunk, { reuse: true }), c)) {
      signal?.throwIfAborted();
      if (failed) throw failed;
      await written((done) => out.write(b, done));
    }
    await written((done) => out.end(() => done()));
    await rename(partial, file);
  } catch (e) {
    out.destroy();
    await rm(partial, { force: true }).catch(() => undefined);
    throw e;
  }
}

export async function runLoad(o: LoadOptions): Promise<LoadSummary> {
  // the run is always the whole window (what startRun records); this process loads `o.chunks` of it (--shard)
  // a database commits slices of the big population chunks; a file holds a partition's rows
  const runChunks = o.target.kind === 'db' ? loadChunks(o.plan, undefined, o.sliceRows) : listChunks(o.plan);
  const runTotal = runChunks.length;
  const all = o.chunks ?? runChunks;
  const layout = o.layout ?? DEFAULT_LAYOUT;
  const format = o.copyFormat ?? 'binary';
  // `let`: the clock leaves out the server-statistics read before the first COPY (see below)
  let t0 = performance.now();
  let pool: pg.Pool | undefined;
  let session: RunSession | undefined;
  let load: ChunkLoad | undefined;
  let ddlMs = 0;
  let fkMs = 0;
  let label: string;
  let chunks = all;
  let skipped = 0;
  let before: ServerSnapshot | undefined;
  /** every backend the load used: the after-snapshot waits for them to exit and flush their statistics */
  const pids: number[] = [];
  const target = o.target;
  if (target.kind === 'db') {
    const { url, schema } = target;
    // at least MAX_DDL_STREAMS connections for the partitions' creation; COPYs are limited to `jobs` below
    const p = makePool(url, Math.max(1, o.jobs, MAX_DDL_STREAMS));
    pool = p;
    p.on('connect', (c) => {
      const pid = backendPid(c);
      if (pid !== null) pids.push(pid);
    });
    const s = await RunSession.open(url, schema).catch(async (e: unknown) => {
      await p.end();
      throw e;
    });
    session = s;
    load = {
      pool: p,
      url,
      schema,
      layout,
      format,
      plan: o.plan,
      fingerprint: runIdentity(o.plan, layout).fingerprint,
      signal: o.signal,
      cancel: (pid) => s.cancel(pid),
    };
    const client = await p.connect().catch(async (e: unknown) => {
      await Promise.all([p.end(), s.close()]);
      throw toConnectionError(e, url);
    });
    try {
      const id = runIdentity(o.plan, layout);
      // one process at a time creates or checks the schema; the others wait here (./coop.ts)
      const done = await s
        .setUp(
          o.reset === true,
          () =>
            // the set-up outside the COPYs; the pool's connections so far are the DDL's
            cancelledOnAbort(
              url,
              o.signal,
              () => pids,
              async () => {
                await claimSchema(client, schema, id, o.reset === true);
                let done: Set<string> | undefined;
                await prepareSchema(client, schema, o.plan, layout, {
                  afterTables: async () => {
                    done = await startRun(client, schema, id, runTotal);
                  },
                  connect: () => p.connect(),
                  ...(o.signal ? { signal: o.signal } : {}),
                }).catch((e: unknown) => {
                  // insufficient_privilege: a user can fix it, so it is one line, not a stack trace
                  if (sqlState(e) === '42501') {
                    throw new EnvironmentError(
                      `cannot create schema "${schema}" or its tables: ${errorMessage(e)}; grant the role CREATE on the database, or use --schema with a schema it may create tables in`,
                    );
                  }
                  throw e;
                });
                return done ?? startRun(client, schema, id, runTotal);
              },
              setUpStopped,
            ),
          o.signal,
        )
        .catch((e: unknown) => {
          // the ledger is not read yet: how many chunks earlier runs committed is not known here
          if (e instanceof SetUpAborted) {
            throw new LoadAborted(summarise(`schema ${schema}`, [], 0, 0), all.length, null, e.message);
          }
          throw e;
        });
      chunks = all.filter((c) => !covered(done, c));
      skipped = all.length - chunks.length;
      // after the DDL, before the first COPY: the server's side counts the rows, not the partitions' creation.
      // Not load time (measured: 80 ms cold for 98 relations, it grows with partitions): the clock starts later.
      const s0 = performance.now();
      before = await cancelledOnAbort(
        url,
        o.signal,
        () => pids,
        () => readServerStats(client, schema),
        (e) =>
          new LoadAborted(
            summarise(`schema ${schema}`, [], 0, 0),
            all.length,
            skipped,
            setUpStopped(e).message,
          ),
      );
      t0 += performance.now() - s0;
    } catch (e) {
      client.release();
      await Promise.all([p.end(), s.close()]);
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
  // a load counts the layout's partitions (a daily layout: one a day), --out the files it writes
  const partitionsOfResult = target.kind === 'db' ? new Map<string, string[]>() : undefined;
  const partitionOf = (c: ChunkResult): readonly string[] =>
    partitionsOfResult?.get(c.partition) ?? [partitionOfChunk(c.partition)];
  const live = new Set<StreamCounters>();
  let doneRows = 0;
  let doneBytes = 0;
  /** chunks of this process's list that other processes committed while it ran */
  let byOthers = 0;
  /** chunks another process held when this one came to them: waited for in a second pass */
  const aside: Chunk[] = [];
  const samples: ThroughputSample[] = [{ tMs: 0, rows: 0, bytes: 0 }];
  const snapshot = (): Progress => ({
    chunksDone: results.length + skipped + byOthers,
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
  const aborted = (committed: ReturnType<typeof summarise>, during?: string): LoadAborted =>
    new LoadAborted(committed, all.length, skipped + byOthers, during);
  /** one chunk: claimed (or, with `wait`, waited for) and loaded, or found loaded by another process */
  const one = async (chunk: Chunk, wait: boolean): Promise<void> => {
    if (failed || o.signal?.aborted) return;
    let start = performance.now();
    if (!wait) o.onChunkStart?.(chunk);
    let c = newCounters();
    let outcome: ChunkOutcome = 'loaded';
    for (let attempt = 0; ; attempt++) {
      c = newCounters();
      live.add(c);
      try {
        if (load !== undefined) {
          // a wait for another process's chunk is not this chunk's load time
          outcome = await copyChunk(load, chunk, c, wait, () => {
            start = performance.now();
          });
        } else if (target.kind === 'dir') await writeChunk(target.dir, o.plan, chunk, c, o.signal);
        break;
      } catch (e) {
        const retry = !o.signal?.aborted && attempt < MAX_RETRIES && isTransient(e);
        if (!retry) {
          failed = true;
          if (o.signal?.aborted) return;
          throw new ChunkError(chunkName(chunk), e, attempt + 1);
        }
        o.onRetry?.(chunkName(chunk), attempt + 1, e instanceof Error ? e : new Error(String(e)));
        // a stop during the backoff ends it (the next try then sees the signal)
        await sleep(RETRY_BASE_MS * 2 ** attempt, undefined, o.signal ? { signal: o.signal } : {}).catch(
          () => undefined,
        );
      } finally {
        live.delete(c);
      }
    }
    if (outcome === 'held') {
      aside.push(chunk);
      return;
    }
    if (outcome === 'byOthers') {
      byOthers++;
      return;
    }
    const wall = performance.now() - start;
    doneRows += c.rows;
    doneBytes += c.bytes;
    if (partitionsOfResult !== undefined)
      partitionsOfResult.set(
        chunkName(chunk),
        layoutPartitionsOf(layout, chunk, o.plan.start, planEnd(o.plan)),
      );
    results.push({
      table: chunk.partition.table.name,
      partition: chunkName(chunk),
      rows: c.rows,
      bytes: c.bytes,
      genMs: c.genMs,
      copyMs: Math.max(0, wall - c.genMs),
    });
    o.onChunkDone?.(chunk, c.rows);
  };
  const pass = async (list: Chunk[], wait: boolean): Promise<void> => {
    const settled = await Promise.allSettled(list.map((ch) => limit(() => one(ch, wait))));
    const err = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (err) throw err.reason;
  };
  /** how this process ends a database run: it finishes it, finds it finished, or leaves it to others */
  let finish: RunEnd | undefined;
  try {
    // first the chunks no other process holds, then wait for (or take over) the ones others held
    await pass(chunks, false);
    await pass(aside.splice(0), true);
    if (o.signal?.aborted)
      throw aborted(summarise(label, results, performance.now() - t0, ddlMs, partitionOf));
    if (target.kind === 'db' && session !== undefined) {
      // one process at a time looks at the run's end; the first to find every chunk committed finishes it
      if (!(await session.finishing(o.signal))) {
        throw aborted(
          summarise(label, results, performance.now() - t0, ddlMs, partitionOf),
          'stopped while another process finished the run',
        );
      }
      const client = await requirePool(pool).connect();
      const { schema } = target;
      try {
        // the run's end outside the COPYs: the foreign keys' validation reads every row
        finish = await cancelledOnAbort(
          target.url,
          o.signal,
          () => pids,
          async () => {
            const end = await runEnd(client, schema, runChunks);
            if (end.finishHere && layout.foreignKeys) {
              const f0 = performance.now();
              await addForeignKeys(client, schema, layout);
              fkMs = performance.now() - f0;
            }
            return end;
          },
          () =>
            aborted(
              summarise(label, results, performance.now() - t0, ddlMs, partitionOf),
              'stopped while finishing the run',
            ),
        );
      } finally {
        client.release();
      }
    }
  } catch (e) {
    // the final line says how far the run got (what a stop by a signal says too)
    if (e instanceof ChunkError)
      e.committed = { done: results.length + skipped + byOthers, total: all.length };
    await session?.close();
    throw e;
  } finally {
    if (timer) clearInterval(timer);
    clearInterval(sampler);
    await pool?.end();
  }
  progress();
  const end = snapshot();
  samples.push({ tMs: end.elapsedMs, rows: end.rows, bytes: end.bytes });
  const wallMs = performance.now() - t0;
  let analyzeMs: number | undefined;
  try {
    // after the pool has ended and outside wallMs: waiting for its backends to exit is not load time
    const serverSide =
      target.kind === 'db' && before !== undefined
        ? await serverSideSince(target.url, target.schema, before, pids)
        : undefined;
    // after the server-side snapshot: VACUUM's writes (the visibility map, hint bits) are not the load's
    if (target.kind === 'db' && finish?.finishHere === true) {
      analyzeMs = await finishLoad(target.url, target.schema, o.analyze === true, o.signal, o.jobs).catch(
        (e: unknown) => {
          if (e instanceof AnalyzeAborted)
            throw aborted(summarise(label, results, wallMs, ddlMs, partitionOf), e.message);
          throw e;
        },
      );
    }
    return {
      ...summarise(label, results, wallMs, ddlMs, partitionOf),
      samples,
      fkMs,
      jobs: Math.max(1, o.jobs),
      layout: layout.name,
      copyFormat: target.kind === 'db' ? format : 'csv',
      skipped,
      byOthers,
      chunksTotal: all.length,
      ...(finish !== undefined && finish.pending > 0 ? { pendingElsewhere: finish.pending } : {}),
      ...(analyzeMs !== undefined ? { analyzeMs } : {}),
      ...(serverSide ? { serverSide } : {}),
    };
  } finally {
    // releases the run's and the finish's locks
    await session?.close();
  }
}

function requirePool(pool: pg.Pool | undefined): pg.Pool {
  if (pool === undefined) throw new Error('internal: a database load without a pool');
  return pool;
}

interface RunEnd {
  /** this process adds the foreign keys, analyzes and records the run as finished */
  finishHere: boolean;
  /** chunks of the run not committed yet (another process's shard) */
  pending: number;
}

/** Called under the finish lock: whether the run is complete and not yet finished by another process. */
async function runEnd(client: pg.ClientBase, schema: string, runChunks: readonly Chunk[]): Promise<RunEnd> {
  const done = await committedChunks(client, schema);
  const finished = await runFinished(client, schema);
  const pending = runChunks.filter((c) => !covered(done, c)).length;
  return { finishHere: pending === 0 && !finished, pending };
}

/**
 * The end of a database run, done once: VACUUM (ANALYZE) when asked (on the load's `jobs` connections), then
 * the run is recorded as finished, so that a run stopped during the analyze analyzes again when resumed. Returns
 * the analyze's ms (undefined: not run).
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

const setUpStopped = (e: unknown): SetUpAborted =>
  new SetUpAborted('stopped while setting the schema up', { cause: e });

/** The load was stopped (Ctrl-C): what was committed before it. */
export class LoadAborted extends Error {
  override name = 'LoadAborted';
  constructor(
    readonly committed: ReturnType<typeof summarise>,
    readonly chunksTotal: number,
    /** chunks committed before this process came to them; null: stopped before it read the ledger */
    readonly skipped: number | null,
    /** where it stopped when it was not while loading rows (the set-up before them, the analyze after them) */
    during?: string,
  ) {
    const done = committed.partitions + (skipped ?? 0);
    super(
      skipped === null
        ? `${during ?? 'stopped'}, before loading any rows`
        : `${during ?? 'stopped'}: ${done} of ${chunksTotal} chunks are committed` +
            (done === chunksTotal ? ' (the finish is left: foreign keys, analyze, the ledger mark)' : ''),
    );
  }
}
