/**
 * The load ledger: which chunks of which run are committed in a schema. A chunk is a table's partition or a
 * slice of one; its ledger row is keyed by chunkName (`partition` holds that name). A chunk's COPY and its
 * ledger row commit in one transaction, so after any interruption (Ctrl-C, kill -9, server restart, lost
 * connection) the ledger says exactly which chunks are in, and a re-run loads only the missing ones.
 * Its checksum is the chunk's row checksum (./row-hash.ts): the same for a binary or a CSV COPY of the rows,
 * and what gen verify computes from `COPY ... TO` of them. bytes: what was sent, in the load's COPY format.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { UserError } from '../errors.js';
import type { Plan } from '../generate/index.js';
import { DATA_VERSION } from '../generate/index.js';
import { qualified } from '../model/ddl.js';
import type { Layout } from '../model/layout.js';
import { type Chunk, chunkName } from '../model/partitions.js';
import { TABLE_NAMES } from '../model/tables.js';
import { plural } from '../plural.js';
import { dropSchema, vacuumCatalogs } from './drop-schema.js';

export const RUN_TABLE = '_gen_run';
export const LEDGER_TABLE = '_gen_ledger';
/** a live run's progress (src/live/progress.ts): a schema played by `gen live` is never topped up by COPY */
export const LIVE_TABLE = '_gen_live';

export interface RunIdentity {
  /** sha256 of everything that decides the rows and where they go */
  fingerprint: string;
  /** for people: scenario, seed, scale, window, layout */
  description: string;
  /** for reports about the schema later (gen query) */
  scenario: LoadedScenario;
}

/** What a schema holds, as recorded by the load. */
export interface LoadedScenario {
  name: string;
  seed: number;
  scale: number;
  hours: number;
  start: number;
  /** the `now`-relative --start the start was resolved from (now-72h); absent for a fixed start */
  startFrom?: string;
  layout: string;
}

export function runIdentity(plan: Plan, layout: Layout): RunIdentity {
  const s = plan.scenario;
  // startFrom is how the start was chosen, not what was loaded: `--start now-3h` and the instant it
  // resolved to describe the same rows
  const { file: _file, startFrom, ...scenario } = s;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ dataVersion: DATA_VERSION, scenario, layout }))
    .digest('hex');
  const description =
    `scenario ${s.name}, seed ${s.seed}, scale ${s.scale}, ${plural(s.hours, 'hour')} from ` +
    `${new Date(s.start).toISOString()}${startFrom === undefined ? '' : ` (--start ${startFrom})`}, layout ${layout.name}`;
  return {
    fingerprint,
    description,
    scenario: {
      name: s.name,
      seed: s.seed,
      scale: s.scale,
      hours: s.hours,
      start: s.start,
      ...(startFrom === undefined ? {} : { startFrom }),
      layout: layout.name,
    },
  };
}

export function ledgerDdl(schema: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${qualified(schema, RUN_TABLE)} (
      id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      fingerprint text NOT NULL,
      description text NOT NULL,
      scenario jsonb NOT NULL,
      chunks integer NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`,
    `CREATE TABLE IF NOT EXISTS ${qualified(schema, LEDGER_TABLE)} (
      partition text PRIMARY KEY,
      table_name text NOT NULL,
      rows bigint NOT NULL,
      bytes bigint NOT NULL,
      checksum text NOT NULL,
      loaded_at timestamptz NOT NULL DEFAULT now()
    )`,
    // a ledger written before the row checksum (issue 9) named the column sha256 (a hash of the CSV bytes):
    // renamed, so a load begun by an older gen resumes; its old values stay as they were
    `DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(${literal(qualified(schema, LEDGER_TABLE))})
                 AND attname = 'sha256' AND NOT attisdropped) THEN
        ALTER TABLE ${qualified(schema, LEDGER_TABLE)} RENAME COLUMN sha256 TO checksum;
      END IF;
    END $$`,
  ];
}

const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** `--reset`: the schema dropped, then the catalogs the drop filled with dead rows vacuumed (drop-schema.ts). */
async function dropForReset(client: pg.ClientBase, schema: string): Promise<void> {
  await dropSchema(client, schema);
  await vacuumCatalogs(client);
}

/**
 * What claiming a schema will do, read only: `'drop'` when `reset` replaces what it holds, `'keep'` otherwise;
 * throws the refusal (another run, tables gen did not make; with a `mode`, the same run loaded the other way).
 * Commands ask it (and loadedOtherWay) before they print anything, so a schema holding another run is refused in
 * one line; claimSchema asks it again under the set-up lock, with its mode, where what is known early is settled.
 */
export async function schemaClaim(
  client: pg.ClientBase,
  schema: string,
  id: RunIdentity,
  reset: boolean,
  mode?: 'bulk' | 'live',
): Promise<'drop' | 'keep'> {
  const exists = await client.query('select 1 from pg_namespace where nspname = $1', [schema]);
  if (exists.rowCount === 0) return 'keep';
  const run = await client
    .query<{ fingerprint: string; description: string }>(
      `select fingerprint, description from ${qualified(schema, RUN_TABLE)}`,
    )
    .catch(() => null);
  if (run === null) {
    const ours = await client.query<{ relname: string }>(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1 and c.relname = any($2) order by 1`,
      [schema, [...TABLE_NAMES]],
    );
    if (ours.rowCount && ours.rowCount > 0) {
      if (reset) return 'drop';
      throw new UserError(
        `schema "${schema}" already has tables named like gen's (${ours.rows
          .slice(0, 3)
          .map((r) => r.relname)
          .join(', ')}...) that gen did not load; use another --schema, or --reset to drop the schema`,
      );
    }
    return 'keep'; // a schema with other things in it: gen adds its tables next to them
  }
  const row = run.rows[0];
  if (row === undefined) return 'keep';
  if (reset) return 'drop';
  if (row.fingerprint !== id.fingerprint) {
    // described alike, told apart by the fingerprint: what differs is inside a file (an edited scenario or layout)
    const why =
      row.description === id.description
        ? ": described as this one, but its scenario or layout file's contents (or gen's data version) differ"
        : '';
    throw new UserError(
      `schema "${schema}" holds another run (${row.description})${why}; to replace it add --reset, or choose another --schema`,
    );
  }
  if (mode === undefined) return 'keep';
  const otherWay = await loadedOtherWay(client, schema, mode);
  if (otherWay !== null) throw otherWay;
  return 'keep';
}

/**
 * The refusal of a load of `mode` into a schema whose run was loaded the other way (bulk chunks and live
 * transactions do not mix in one schema), or null. Read only; a schema without gen's tables reads as null.
 */
export async function loadedOtherWay(
  client: pg.ClientBase,
  schema: string,
  mode: 'bulk' | 'live',
): Promise<UserError | null> {
  const other = mode === 'bulk' ? LIVE_TABLE : LEDGER_TABLE;
  const found = await client
    .query(`select 1 from ${qualified(schema, other)} limit 1`)
    .then((r) => (r.rowCount ?? 0) > 0)
    .catch(() => false);
  if (!found) return null;
  return new UserError(
    mode === 'bulk'
      ? `schema "${schema}" holds this run played by gen live; gen live continues it (or says there is nothing to do), or add --reset to load it in bulk`
      : `schema "${schema}" holds this run loaded in bulk by gen; add --reset to play it live, or choose another --schema`,
  );
}

/**
 * Before touching a schema: refuse one that holds another run (or tables gen did not make), drop it first
 * with `reset` (schemaClaim). Runs outside a transaction block, before prepareSchema: each batch of a drop
 * commits on its own, and the VACUUM after it may not run in a transaction.
 */
export async function claimSchema(
  client: pg.ClientBase,
  schema: string,
  id: RunIdentity,
  reset: boolean,
  mode: 'bulk' | 'live' = 'bulk',
): Promise<void> {
  if ((await schemaClaim(client, schema, id, reset, mode)) === 'drop') await dropForReset(client, schema);
}

/** Record the run (first time) and return the names of the chunks already committed (covered()). */
export async function startRun(
  client: pg.ClientBase,
  schema: string,
  id: RunIdentity,
  chunks: number,
): Promise<Set<string>> {
  await client.query(
    `insert into ${qualified(schema, RUN_TABLE)} (fingerprint, description, scenario, chunks) values ($1, $2, $3, $4)
     on conflict (id) do nothing`,
    [id.fingerprint, id.description, JSON.stringify(id.scenario), chunks],
  );
  return committedChunks(client, schema);
}

/** The names of the committed chunks (chunkName): partitions, and slices of the big population chunks. */
export async function committedChunks(client: pg.ClientBase, schema: string): Promise<Set<string>> {
  const done = await client.query<{ partition: string }>(
    `select partition from ${qualified(schema, LEDGER_TABLE)}`,
  );
  return new Set(done.rows.map((r) => r.partition));
}

/**
 * Whether a chunk is in the ledger: by its name, or, for a slice, as the whole partition (committed by a gen
 * from before slices, whose load this one resumes).
 */
export function covered(done: ReadonlySet<string>, c: Chunk): boolean {
  return done.has(chunkName(c)) || (c.slice !== undefined && done.has(c.partition.name));
}

/** Whether the schema's run got to its end (finishRun): after the rows, the foreign keys and the analyze. */
export async function runFinished(client: pg.ClientBase, schema: string): Promise<boolean> {
  const r = await client.query<{ finished: boolean }>(
    `select finished_at is not null as finished from ${qualified(schema, RUN_TABLE)}`,
  );
  return r.rows[0]?.finished === true;
}

export async function finishRun(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query(`update ${qualified(schema, RUN_TABLE)} set finished_at = coalesce(finished_at, now())`);
}

export function ledgerInsertSql(schema: string): string {
  return `insert into ${qualified(schema, LEDGER_TABLE)} (partition, table_name, rows, bytes, checksum) values ($1, $2, $3, $4, $5)`;
}

/** Whether a schema was played by `gen live` to the window's end (true), is being played (false), or neither (null). */
export async function livePlayed(client: pg.ClientBase, schema: string): Promise<boolean | null> {
  return (await liveClock(client, schema))?.finished ?? null;
}

/**
 * A schema played by `gen live`: whether its window is played to the end, its clock (epoch ms), and whether its
 * last run was --follow; else null.
 */
export async function liveClock(
  client: pg.ClientBase,
  schema: string,
): Promise<{ finished: boolean; clock: number; follow: boolean; snapshot: boolean } | null> {
  // follow read through the row's jsonb: a schema played before the column existed has none (false)
  const r = await client
    .query<{ finished: boolean; t: Date; follow: boolean; snapshot: boolean }>(
      `select finished_at is not null as finished, resume_from as t, snapshot,
              coalesce((to_jsonb(l) ->> 'follow')::boolean, false) as follow
         from ${qualified(schema, LIVE_TABLE)} l`,
    )
    .catch(() => null);
  const row = r?.rows[0];
  return row === undefined
    ? null
    : { finished: row.finished, clock: row.t.getTime(), follow: row.follow, snapshot: row.snapshot };
}

/**
 * A schema played by `gen live --retention`: the end of the newest event-table partition its maintenance loop
 * retired (epoch ms), or null when none was (or the schema was not played live).
 */
export async function liveRetiredBefore(client: pg.ClientBase, schema: string): Promise<number | null> {
  const r = await client
    .query<{ t: Date | null }>(`select retired_before as t from ${qualified(schema, LIVE_TABLE)}`)
    .catch(() => null);
  return r?.rows[0]?.t?.getTime() ?? null;
}

/** The scenario a schema was loaded with, or null when gen did not load it. */
export async function loadedScenario(client: pg.ClientBase, schema: string): Promise<LoadedScenario | null> {
  const r = await client
    .query<{ scenario: LoadedScenario }>(`select scenario from ${qualified(schema, RUN_TABLE)}`)
    .catch(() => null);
  return r?.rows[0]?.scenario ?? null;
}
