/**
 * Where a live run is: one row in the schema, written as transactions commit. `resume_from` is the scenario
 * time of the first transaction not known to be committed; a re-run deletes what was written from that second
 * on (transactions commit out of order across writers) and plays from there: nothing twice, nothing lost.
 * `retired_before`: with --retention, the end of the newest partition the maintenance loop retired.
 */
import type pg from 'pg';
import { UserError } from '../errors.js';
import { LIVE_TABLE } from '../load/ledger.js';
import { qualified } from '../model/ddl.js';

export interface LiveState {
  snapshot: boolean;
  resumeFrom: number;
  finished: boolean;
}

/**
 * Whether a schema's gen live run has begun (its snapshot or a transaction committed, or finished): from then on
 * it is continued only the way it was played (--follow or not). `resumeFrom` is the recorded resume point.
 */
export function liveRunStarted(
  run: { finished: boolean; snapshot: boolean; resumeFrom: number },
  start: number,
): boolean {
  return run.finished || run.snapshot || run.resumeFrom > start;
}

/** A schema's gen live run played with --follow (or without) asked to continue the other way. */
export function followMismatch(schema: string, played: boolean): UserError {
  return new UserError(
    played
      ? `schema "${schema}" holds a gen live run played with --follow; expected --follow to continue it (or --reset to start over)`
      : `schema "${schema}" holds a gen live run played without --follow; expected no --follow to continue it (or --reset to start over)`,
  );
}

export async function readState(
  client: pg.ClientBase,
  schema: string,
  start: number,
  /** the run plays --follow: recorded, so that gen verify can say a followed run never ends */
  follow: boolean,
): Promise<LiveState> {
  const t = qualified(schema, LIVE_TABLE);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${t} (
      id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      snapshot boolean NOT NULL DEFAULT false,
      resume_from timestamptz NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      retired_before timestamptz,
      follow boolean NOT NULL DEFAULT false
    )`,
  );
  // a schema played before the columns existed
  await client.query(
    `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS retired_before timestamptz, ADD COLUMN IF NOT EXISTS follow boolean NOT NULL DEFAULT false`,
  );
  // --follow given to one run and not the next: a followed window's hours are generated from a longer window
  // (src/live/dispatch.ts followWindowHours), so the played hours and the rest would be two windows' rows (a
  // helper's run: ids twice, gen verify failing; a run without it marked a followed schema finished)
  const had = await client.query<{
    follow: boolean;
    snapshot: boolean;
    resume_from: Date;
    finished: boolean;
  }>(`SELECT follow, snapshot, resume_from, finished_at IS NOT NULL AS finished FROM ${t}`);
  const was = had.rows[0];
  const began =
    was !== undefined &&
    liveRunStarted(
      { finished: was.finished, snapshot: was.snapshot, resumeFrom: was.resume_from.getTime() },
      start,
    );
  if (began && was.follow !== follow) throw followMismatch(schema, was.follow);
  await client.query(
    `INSERT INTO ${t} (resume_from, follow) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET follow = excluded.follow`,
    [new Date(start), follow],
  );
  const r = await client.query<{ snapshot: boolean; resume_from: Date; finished_at: Date | null }>(
    `SELECT snapshot, resume_from, finished_at FROM ${t}`,
  );
  const row = r.rows[0];
  if (!row) throw new Error('internal: no live progress row');
  return {
    snapshot: row.snapshot,
    resumeFrom: row.resume_from.getTime(),
    finished: row.finished_at !== null,
  };
}

export const snapshotDoneSql = (schema: string): string =>
  `UPDATE ${qualified(schema, LIVE_TABLE)} SET snapshot = true`;

/**
 * `--retention`: the event tables' partitions ending at or before `time` are retired (or about to be: recorded
 * before the DETACH, so a partition found missing is never newer than this). gen verify leaves them out.
 */
export async function saveRetiredBefore(client: pg.ClientBase, schema: string, time: number): Promise<void> {
  await client.query(
    `UPDATE ${qualified(schema, LIVE_TABLE)} SET retired_before = greatest(retired_before, $1::timestamptz)`,
    [new Date(time)],
  );
}

export async function saveResumeFrom(client: pg.ClientBase, schema: string, time: number): Promise<void> {
  await client.query(`UPDATE ${qualified(schema, LIVE_TABLE)} SET resume_from = $1`, [new Date(time)]);
}

export async function markFinished(client: pg.ClientBase, schema: string, end: number): Promise<void> {
  await client.query(`UPDATE ${qualified(schema, LIVE_TABLE)} SET resume_from = $1, finished_at = now()`, [
    new Date(end),
  ]);
}
