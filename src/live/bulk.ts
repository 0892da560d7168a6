/**
 * The live run's bulk statements: the snapshot (the population before the window, by COPY in one
 * transaction), the clean-up before a resumed run plays again, and the metric rows of a closing hour or day.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Plan } from '../generate/index.js';
import { POPULATION_TABLES } from '../generate/slices.js';
import { EVENT_TABLES, snapshotCsv } from '../generate/transactions.js';
import { ident, qualified } from '../model/ddl.js';
import { sqlTimestamp } from '../model/partitions.js';
import { columnNames, TABLES, table } from '../model/tables.js';
import type { StreamedClose } from './day-closes.js';
import { snapshotDoneSql } from './progress.js';
import type { ReadyClose } from './wire-txn.js';

export async function loadSnapshot(
  client: pg.ClientBase,
  schema: string,
  plan: Plan,
  /** Ctrl-C/SIGTERM: the COPY is aborted (CopyFail) and the transaction rolled back */
  signal?: AbortSignal,
): Promise<number> {
  let rows = 0;
  await client.query('BEGIN');
  try {
    for (const name of EVENT_TABLES) {
      const cols = columnNames(table(name)).map(ident).join(', ');
      let n = 0;
      const source = Readable.from(
        (function* () {
          for (const buf of snapshotCsv(plan, name)) {
            n += countLines(buf);
            yield buf;
          }
        })(),
      );
      await pipeline(
        source,
        client.query(copyFrom(`COPY ${qualified(schema, name)} (${cols}) FROM STDIN WITH (FORMAT csv)`)),
        ...(signal ? [{ signal }] : []),
      );
      rows += n;
    }
    await client.query(snapshotDoneSql(schema));
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return rows;
}

/** rows in CSV bytes (our rows never hold a newline: texts are single-line, jsonb is one line) */
const countLines = (b: Buffer): number => {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
};

export async function clearFrom(
  client: pg.ClientBase,
  schema: string,
  start: number,
  from: number,
): Promise<void> {
  await client.query('BEGIN');
  try {
    // the population's rows at the window start are the snapshot: never deleted
    for (const t of TABLES)
      await client.query(`DELETE FROM ${qualified(schema, t.name)} WHERE event_time >= $1`, [
        new Date(POPULATION_TABLES.has(t.name) ? Math.max(from, start + 1) : from),
      ]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** a close made ahead (its data at hand), not streamed */
const isReady = (c: ReadyClose | StreamedClose): c is ReadyClose => typeof c.rows === 'number';

/**
 * A closing hour's metric rows (and its day's), replacing what an interrupted close left (idempotent): one transaction, each table's
 * rows by one binary COPY, of data made with the hour on the worker thread (wire-txn.ts encodeCloseSteps), or
 * streamed from a worker of its own as they are written (a day's rows: day-closes.ts). The rows written.
 */
export async function closeMetrics(
  client: pg.ClientBase,
  schema: string,
  closes: readonly (ReadyClose | StreamedClose)[],
): Promise<number> {
  let rows = 0;
  await client.query('BEGIN');
  try {
    for (const c of closes) {
      const t = qualified(schema, c.table);
      await client.query(`DELETE FROM ${t} WHERE event_time >= $1 AND event_time < $2`, [
        sqlTimestamp(c.from),
        sqlTimestamp(c.to),
      ]);
      const cols = columnNames(table(c.table)).map(ident).join(', ');
      await pipeline(
        isReady(c) ? Readable.from([c.data]) : Readable.from(c.data()),
        client.query(copyFrom(`COPY ${t} (${cols}) FROM STDIN WITH (FORMAT binary)`)),
      );
      rows += isReady(c) ? c.rows : c.rows();
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return rows;
}

/** hours a followed window grows by when its end comes near */
