/**
 * A query of gen query's load, sent as bytes encoded before the run: Parse, Bind, Describe, Execute and Sync of
 * the unnamed statement, text parameters, text results (src/db/wire.ts). These are the messages node-postgres
 * writes for `client.query({ text, values })`, as libpq does for pgbench -M extended
 * (test/integration/query.test.ts compares them with pg's for every query of the suite), so the server does the
 * same work. What the load no longer pays at each query's due time is building them, and turning the answer's
 * rows into objects nobody reads: the rows are counted.
 *
 * Why: gen query's latency is the server's plus its own, and its own was ~0.3 ms p50 a query at a low rate
 * (node-postgres and V8 woken from sleep) against libpq's ~0.05-0.1 in pgbench (bench/RESULTS.md, "gen query
 * next to pgbench"). It goes to the connection as a node-postgres Submittable (as pg-cursor and gen live's
 * pipelines do), so pg's queue, its errors and its connection state stay what they were.
 */
import type pg from 'pg';
import { Kind, Messages } from '../db/wire.js';

/** the scratch the messages are encoded in (encoding is synchronous) */
const messages = new Messages();

/** Parse + Bind + Describe + Execute + Sync of `text` with `values` as text parameters. */
export function encodeQuery(text: string, values: readonly (string | number)[]): Buffer {
  const m = messages;
  m.parse('', text);
  m.bind('', values.length);
  for (const v of values) m.param(String(v), Kind.Text);
  m.endBind();
  m.describePortal();
  m.execute();
  m.sync();
  return m.take();
}

/**
 * One run of an encoded query: `client.query(q)` writes its bytes when the connection is free; `done` resolves
 * with the number of rows at ReadyForQuery, or rejects with the server's error (node-postgres then drops it as
 * the active query, and the Sync already sent ends the failed statement) or the connection's.
 */
export class EncodedQuery implements pg.Submittable {
  readonly done: Promise<number>;
  private rows = 0;
  private resolve!: (rows: number) => void;
  private reject!: (e: unknown) => void;

  constructor(private readonly bytes: Buffer) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: pg.Connection): Error | null {
    const stream = (connection as unknown as { stream: { writable: boolean; write(b: Buffer): boolean } })
      .stream;
    // not writable: the connection is ending, and node-postgres fails the query
    if (stream.writable) stream.write(this.bytes);
    return null;
  }

  handleDataRow(): void {
    this.rows++;
  }
  handleError(err: unknown): void {
    this.reject(err);
  }
  handleReadyForQuery(): void {
    this.resolve(this.rows);
  }
  handleRowDescription(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: pg.Connection): void {
    (connection as unknown as { sendCopyFail(msg: string): void }).sendCopyFail(
      'gen query sends no COPY data',
    );
  }
  handleCopyData(): void {}
}

/**
 * performance.now() when bytes last arrived on the client's socket: the listener runs first among the socket's,
 * before pg parses what arrived (with TLS, after decryption). Sent on an idle client, a query's server part is
 * from its bytes written (sendEncoded returned) to `last` once it is answered.
 */
export function readClock(client: pg.Client): { last: number } {
  const clock = { last: 0 };
  client.connection.stream.prependListener('data', () => {
    clock.last = performance.now();
  });
  return clock;
}

/** Sends `bytes` (encodeQuery) on `client`, queued behind whatever runs there; the answer's row count. */
export function sendEncoded(client: pg.ClientBase, bytes: Buffer): Promise<number> {
  const q = new EncodedQuery(bytes);
  client.query(q);
  return q.done;
}
