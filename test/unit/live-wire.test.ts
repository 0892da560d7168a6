/**
 * gen live's own encoding of a pipeline's messages (src/live/wire.ts, src/live/pipeline.ts) against
 * node-postgres's: the same messages written by pg's Connection (its pg-protocol serializer) to a socket stand-in
 * that keeps the bytes must be the same bytes, with NULLs, empty strings, non-ASCII text and messages larger than
 * the scratch buffer.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { Pipeline, type Statement } from '../../src/live/pipeline.js';
import { MAX_PARAMS, Messages } from '../../src/live/wire.js';

/** what is written to it, in order; writable as a connected socket */
function sink(): {
  stream: { writable: boolean; write(b: Uint8Array): boolean };
  bytes(): Buffer;
  writes: number;
} {
  const chunks: Buffer[] = [];
  const s = {
    writes: 0,
    stream: {
      writable: true,
      write(b: Uint8Array): boolean {
        s.writes++;
        chunks.push(Buffer.from(b));
        return true;
      },
    },
    bytes: () => Buffer.concat(chunks),
  };
  return s;
}

/** pg's Connection over a sink: pg-protocol's bytes for the messages sent through it */
function pgConnection(): { c: pg.Connection; out: ReturnType<typeof sink> } {
  const out = sink();
  const c = new pg.Connection({ stream: out.stream as unknown as pg.ConnectionConfig['stream'] });
  return { c, out };
}

/** pg's calls the same Connection type takes (lib/connection.js), untyped in @types/pg for close */
interface PgWire {
  parse(m: { name: string; text: string }): void;
  bind(m: { statement: string; values: readonly (string | null)[] }): void;
  execute(m: { rows: number }): void;
  close(m: { type: 'S'; name: string }): void;
  sync(): void;
}

const VALUES: (string | null)[] = [
  // 80 kB of UTF-8 in 40,000 UTF-16 units, first: past the end of the 64 kB scratch
  'é'.repeat(40_000),
  '',
  null,
  'plain',
  'é à ü ß',
  '中文 テキスト',
  '😀 a surrogate pair, and one alone: \ud800',
  '{"k":"v","n":[1,2]}',
  '2026-11-27T13:05:00.000Z',
  "quote ' and backslash \\ and $1",
  null,
  'x'.repeat(100_000),
  '\u0000 not a NUL for us, but bytes',
];

describe("gen live's wire encoding", () => {
  it("Parse, Close, Bind (NULLs, '', non-ASCII, 100 kB), Execute, Sync: pg-protocol's bytes", () => {
    const m = new Messages();
    const { c, out } = pgConnection();
    const w = c as unknown as PgWire;
    const text = 'INSERT INTO "sché"."t" (a, b) VALUES ($1, $2) -- ünïcode';
    m.close('ins_ü');
    w.close({ type: 'S', name: 'ins_ü' });
    m.parse('ins_ü', text);
    w.parse({ name: 'ins_ü', text });
    for (const values of [VALUES, [], [null], [''], VALUES.slice(0, 3)]) {
      m.bind('ins_ü', values.length);
      for (const v of values) m.param(v);
      m.endBind();
      w.bind({ statement: 'ins_ü', values });
      m.execute();
      w.execute({ rows: 0 });
    }
    m.parse('', '');
    w.parse({ name: '', text: '' });
    m.sync();
    w.sync();
    const ours = m.take();
    // larger than the 64 kB scratch: it grew
    expect(ours.length).toBeGreaterThan(100_000);
    expect(ours.equals(out.bytes())).toBe(true);
    // taken: the scratch is empty again
    m.sync();
    expect(m.take().equals(Buffer.from([0x53, 0, 0, 0, 4]))).toBe(true);
  });

  it("a Bind's parameter count is checked: announced against given, and at most 65,535", () => {
    const m = new Messages();
    m.bind('s', 2);
    m.param('a');
    expect(() => m.endBind()).toThrow(/announced 2 parameters, got 1/);
    m.reset();
    expect(() => m.bind('s', MAX_PARAMS + 1)).toThrow(RangeError);
  });
});

describe('a pipeline on the wire', () => {
  const t1 = 'INSERT INTO t VALUES ($1, $2), ($3, $4)';
  const t2 = 'UPDATE t SET v = $2 WHERE id = $1';
  const statements: Statement[] = [
    { name: 'begin', text: 'BEGIN', values: [] },
    {
      name: 'ins2',
      text: t1,
      rows: [
        ['1', null],
        ['2', 'dé'],
      ],
    },
    { name: 'upd', text: t2, values: ['1', ''] },
    { name: 'ins2', text: t1, rows: [VALUES.slice(0, 2), VALUES.slice(2, 4)] },
  ];

  /** what pg's own calls send for the pipeline: a Parse the first time a name comes, Bind, Execute, one Sync */
  function pgBytes(parsed: ReadonlySet<string>, close: ReadonlySet<string>): Buffer {
    const { c, out } = pgConnection();
    const w = c as unknown as PgWire;
    const here = new Set<string>();
    for (const s of statements) {
      if (!parsed.has(s.name) && !here.has(s.name)) {
        here.add(s.name);
        if (close.has(s.name)) w.close({ type: 'S', name: s.name });
        w.parse({ name: s.name, text: s.text });
      }
      w.bind({ statement: s.name, values: 'values' in s ? s.values : s.rows.flat() });
      w.execute({ rows: 0 });
    }
    w.sync();
    return out.bytes();
  }

  it("one write of pg's bytes; parsed once per connection; a statement in doubt is closed and parsed again", () => {
    const { c, out } = pgConnection();
    const first = new Pipeline(statements);
    expect(first.submit(c)).toBeNull();
    expect(out.writes).toBe(1);
    expect(out.bytes().equals(pgBytes(new Set(), new Set()))).toBe(true);
    // the server completes BEGIN and the INSERT, then fails the UPDATE: 'upd' is in doubt, the others known
    first.handleCommandComplete({ text: 'BEGIN' });
    first.handleCommandComplete({ text: 'INSERT 0 2' });
    first.handleError(new Error('failed'));
    first.done.catch(() => undefined);

    const again = sink();
    (c as unknown as { stream: unknown }).stream = again.stream;
    expect(new Pipeline(statements).submit(c)).toBeNull();
    expect(again.writes).toBe(1);
    expect(again.bytes().equals(pgBytes(new Set(['begin', 'ins2']), new Set(['upd'])))).toBe(true);
  });

  it('a statement that cannot be encoded: an error, nothing written', () => {
    const { c, out } = pgConnection();
    const wide = Array.from({ length: MAX_PARAMS + 1 }, () => '1');
    const e = new Pipeline([
      statements[0] as Statement,
      { name: 'wide', text: 'SELECT 1', values: wide },
    ]).submit(c);
    expect(e).toBeInstanceOf(RangeError);
    expect(out.writes).toBe(0);
    // and the next pipeline encodes from a clean scratch
    expect(new Pipeline([statements[0] as Statement]).submit(c)).toBeNull();
    // nothing was sent: 'begin' is not in doubt, a plain Parse (no Close)
    expect(out.bytes().equals(pgBytesOf([statements[0] as Statement]))).toBe(true);
  });
});

/** pg's bytes for statements on a fresh connection */
function pgBytesOf(statements: readonly Statement[]): Buffer {
  const { c, out } = pgConnection();
  const w = c as unknown as PgWire;
  for (const s of statements) {
    w.parse({ name: s.name, text: s.text });
    w.bind({ statement: s.name, values: 'values' in s ? s.values : s.rows.flat() });
    w.execute({ rows: 0 });
  }
  w.sync();
  return out.bytes();
}
