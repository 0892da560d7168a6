/**
 * Several prepared statements sent as one pipeline: Parse (the first time on a connection), Bind and Execute for
 * each, then ONE Sync, so the statements cost one round trip (issue 7 §3: one round trip per statement, and
 * node-postgres's work per query, kept gen live at 0.42x pgbench). In the extended protocol what comes before a
 * Sync runs as one implicit transaction unless a BEGIN opened a block: an error aborts all of it, the server
 * skips the rest up to the Sync (PostgreSQL docs, "Pipelining" in the protocol chapter).
 *
 * It is a node-postgres Submittable (as pg-cursor is): `client.query(p)` queues it behind the connection's other
 * queries and hands it the server's answers: a CommandComplete per statement, in order, then ReadyForQuery; or an
 * ErrorResponse, after which node-postgres routes nothing more to it.
 *
 * Sent ahead (`send(client, statements, true)`): when the connection's active query is a pipeline of ours that
 * ends its transaction (its own Sync, no BEGIN left open) and nothing else waits in node-postgres's queue, the
 * next pipeline is written at once instead of when the active one completes, as libpq's pipeline mode and the
 * drivers that multiplex (npgsql, tokio-postgres) do: the server reads it as soon as it has answered the one
 * before, and the round trip and the client's turn between them leave the connection's cycle (issue 7 §3: 4
 * connections kept ~25% of 2 cores idle waiting for them). It is still queued in node-postgres, which hands it
 * the answers after the active one's ReadyForQuery (its submit() then writes nothing). Each has its own Sync, so
 * an error in the one before ends at that Sync and does not touch it (PostgreSQL docs, "Pipelining"). When
 * node-postgres's internals it reads (pg 8's `_activeQuery`, `_queryQueue`) are not there, nothing is sent ahead.
 */
import pg from 'pg';
import { Kind, Messages } from '../db/wire.js';

/** a prepared statement and its parameters: a list of values, or rows whose values in turn are the parameters */
export type Statement = {
  /** the prepared statement's name: one text per name and connection */
  name: string;
  text: string;
  /**
   * the parameters' column kinds (wire.ts: uuid and timestamptz go in binary): one per value, or one per
   * column of a row; none, all text
   */
  kinds?: readonly Kind[];
} & (
  | { values: readonly (string | null)[] }
  | { rows: readonly (readonly (string | null)[])[] }
  /** encoded ahead (wire.ts ParamWriter): format codes and values, copied into the Bind as they are */
  | { params: Uint8Array }
);

/** What of node-postgres's Connection (pg/lib/connection.js) a pipeline writes to: its socket (or TLS stream). */
interface Wire {
  stream: { writable: boolean; write(b: Buffer): boolean };
}

/** What of node-postgres's Client (pg 8, lib/client.js) sending ahead reads: the query answered now, the queue */
interface ClientQueue {
  _activeQuery?: unknown;
  _queryQueue?: unknown;
  connection?: unknown;
}

/** the messages of the pipeline being submitted (one at a time: submit is synchronous) */
const messages = new Messages();

/**
 * The statements each connection has prepared, by name: the text, known for sure (the server completed the
 * statement, or a later one of the same pipeline, so its Parse succeeded), or null, in doubt (sent, not
 * confirmed: an error does not say whether it came from the failed statement's Parse, Bind or Execute). A
 * statement in doubt is closed and parsed again on its next use (Close of a name the server does not know is not
 * an error). Our own bookkeeping, not node-postgres's parsedStatements: the live statements go through
 * pipelines only.
 */
const prepared = new WeakMap<object, Map<string, string | null>>();

/** the row count of a CommandComplete tag ("INSERT 0 3", "UPDATE 1"; "BEGIN" has none) */
function tagCount(tag: string): number | null {
  const last = tag.slice(tag.lastIndexOf(' ') + 1);
  return /^\d+$/.test(last) ? Number(last) : null;
}

export class Pipeline implements pg.Submittable {
  /** each statement's row count (null for one whose tag has none), in order, resolved at ReadyForQuery */
  readonly done: Promise<(number | null)[]>;
  private resolve!: (counts: (number | null)[]) => void;
  private reject!: (e: unknown) => void;
  private readonly counts: (number | null)[] = [];
  /** the names this pipeline parses, with the index of the statement that parses each */
  private readonly parsing: { name: string; text: string; at: number }[] = [];
  private known: Map<string, string | null> = new Map();
  private settled = false;
  /** written ahead, before node-postgres submitted it */
  private sent = false;
  /** the statement the server's error came from (the statements before it completed), or -1 */
  failedAt = -1;

  /** it was written ahead of the answers to the pipeline before it (sendAhead) */
  get sentAhead(): boolean {
    return this.sent;
  }

  /**
   * @param endsTransaction no BEGIN left open when it completes, so the next pipeline may be sent ahead of its
   *   answers
   */
  constructor(
    private readonly statements: readonly Statement[],
    private readonly endsTransaction = false,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** node-postgres calls this when the connection is free; an Error returned fails the query */
  submit(connection: pg.Connection): Error | null {
    // written ahead already (sendAhead): node-postgres now routes the answers here
    if (this.sent) return null;
    let known = prepared.get(connection);
    if (!known) {
      known = new Map();
      prepared.set(connection, known);
    }
    this.known = known;
    // all the messages in one buffer, one write (src/db/wire.ts); nothing is sent if one fails to encode
    const m = messages;
    try {
      for (let i = 0; i < this.statements.length; i++) {
        const s = this.statements[i] as Statement;
        const text = known.get(s.name);
        if (text !== s.text && !this.parsing.some((p) => p.name === s.name)) {
          // in doubt (null), or the name held another text: replace it
          if (text !== undefined) m.close(s.name);
          m.parse(s.name, s.text);
          this.parsing.push({ name: s.name, text: s.text, at: i });
        }
        const kinds = s.kinds ?? [];
        if ('params' in s) m.bindParams(s.name, s.params);
        else if ('values' in s) {
          m.bind(s.name, s.values.length);
          for (let j = 0; j < s.values.length; j++) m.param(s.values[j] ?? null, kinds[j] ?? Kind.Text);
        } else {
          let n = 0;
          for (const r of s.rows) n += r.length;
          m.bind(s.name, n);
          for (const r of s.rows)
            for (let j = 0; j < r.length; j++) m.param(r[j] ?? null, kinds[j] ?? Kind.Text);
        }
        if (!('params' in s)) m.endBind();
        m.execute();
      }
      m.sync();
    } catch (e) {
      m.reset();
      this.parsing.length = 0;
      return e instanceof Error ? e : new Error(String(e));
    }
    // sent: until the server says, in doubt (an error or a lost connection leaves them so)
    for (const p of this.parsing) known.set(p.name, null);
    const stream = (connection as unknown as Wire).stream;
    // not writable: the connection is ending, and node-postgres fails the query (its own writes do the same)
    if (stream.writable) stream.write(m.take());
    else m.reset();
    return null;
  }

  /**
   * Written now if `client` is answering a pipeline of ours that ends its transaction and nothing else is queued
   * on it; the caller then queues it with `client.query` as usual. False (nothing written) otherwise.
   */
  sendAhead(client: pg.ClientBase): boolean {
    const q = client as unknown as ClientQueue;
    const active = q._activeQuery;
    if (!(active instanceof Pipeline) || active.settled || !active.endsTransaction) return false;
    if (!Array.isArray(q._queryQueue) || q._queryQueue.length > 0 || !q.connection) return false;
    // an error while encoding: nothing was written, and node-postgres's submit() meets it again
    if (this.submit(q.connection as pg.Connection) !== null) return false;
    this.sent = true;
    return true;
  }

  /** statement `index` completed: every Parse up to it succeeded */
  private confirm(index: number): void {
    while (this.parsing.length > 0 && (this.parsing[0]?.at ?? 0) <= index) {
      const p = this.parsing.shift() as { name: string; text: string };
      this.known.set(p.name, p.text);
    }
  }

  handleCommandComplete(msg: { text: string }): void {
    this.confirm(this.counts.length);
    this.counts.push(tagCount(msg.text));
  }

  /** an empty statement text: no CommandComplete */
  handleEmptyQuery(): void {
    this.confirm(this.counts.length);
    this.counts.push(null);
  }

  /**
   * What this pipeline parsed and the server did not confirm stays in doubt: the failed statement's own Parse
   * may have run; those after it were skipped (not prepared). Both are closed and parsed again on next use.
   */
  handleError(err: unknown, connection?: pg.Connection): void {
    if (this.failedAt < 0) this.failedAt = this.counts.length;
    // the server's error: its ReadyForQuery follows (after the Sync), and only then does node-postgres start the
    // query queued behind this one. Settled at once, the caller's next pipeline queued behind two, which pg 8
    // warns of (a queue of queries "will be removed in pg@9.0", printed mid-run) and pg 9 refuses. A lost
    // connection (no ReadyForQuery will come) or an error of ours settles at once.
    if (err instanceof pg.DatabaseError && connection !== undefined) {
      const done = (): void => {
        connection.off('readyForQuery', done);
        connection.off('end', done);
        connection.off('error', done);
        this.settle(err);
      };
      connection.on('readyForQuery', done);
      connection.on('end', done);
      connection.on('error', done);
      return;
    }
    this.settle(err);
  }

  handleReadyForQuery(): void {
    if (this.counts.length !== this.statements.length)
      this.settle(
        new Error(`pipeline: ${this.counts.length} results for ${this.statements.length} statements`),
      );
    else this.settle(null);
  }

  // the statements return no rows (no Describe was sent, no RETURNING): nothing to read
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: pg.Connection): void {
    (connection as unknown as { sendCopyFail(msg: string): void }).sendCopyFail('not a COPY pipeline');
  }
  handleCopyData(): void {}

  private settle(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    if (err === null) this.resolve(this.counts);
    else this.reject(err);
  }
}

/**
 * Statements as one pipeline on `client`, sent ahead of the active one's answers when `ahead` and the connection
 * allows it (above); `endsTransaction`: the caller knows it leaves no BEGIN open (only then may another be sent
 * ahead of its answers). The pipeline: `done` gives the row counts, `failedAt` the statement an error came from.
 */
export function send(
  client: pg.ClientBase,
  statements: readonly Statement[],
  { ahead = false, endsTransaction = false }: { ahead?: boolean; endsTransaction?: boolean } = {},
): Pipeline {
  const p = new Pipeline(statements, endsTransaction);
  if (ahead) p.sendAhead(client);
  client.query(p);
  return p;
}

/** Runs statements as one pipeline on `client`; their row counts. */
export function pipeline(
  client: pg.ClientBase,
  statements: readonly Statement[],
): Promise<(number | null)[]> {
  return send(client, statements).done;
}
