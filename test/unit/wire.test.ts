/**
 * gen live's own encoding of a pipeline's messages (src/db/wire.ts, src/live/pipeline.ts) against
 * node-postgres's: the same messages written by pg's Connection (its pg-protocol serializer) to a socket stand-in
 * that keeps the bytes must be the same bytes, with NULLs, empty strings, non-ASCII text and messages larger than
 * the scratch buffer.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { Kind, MAX_PARAMS, Messages, timestampUs } from '../../src/db/wire.js';
import { type CsvLine, lineValues } from '../../src/generate/csv-rows.js';
import { buildPlan } from '../../src/generate/index.js';
import { hourTransactions, runSteps, type Txn } from '../../src/generate/transactions.js';
import { Pipeline, type Statement } from '../../src/live/pipeline.js';
import { Statements } from '../../src/live/sql.js';
import {
  encodeHour,
  encodeHourSteps,
  hourTxn,
  MAX_ROWS,
  SET,
  toWire,
  updateKinds,
} from '../../src/live/wire-txn.js';
import { DEFAULT_LAYOUT } from '../../src/model/layout.js';
import { type TableName, table } from '../../src/model/tables.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';

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
  bind(m: { statement: string; values: readonly (string | Buffer | null)[] }): void;
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

/** int64 big-endian, as PostgreSQL's binary timestamptz */
const int64 = (v: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(v));
  return b;
};
const UUID = '4b969403-02db-485f-B25a-ae704c8721a8';
const uuidBytes = Buffer.from(UUID.replaceAll('-', ''), 'hex');

describe('uuid and timestamptz parameters in binary', () => {
  it("timestampUs: µs since 2000-01-01 UTC of the generator's shape, null for any other text", () => {
    expect(timestampUs('2000-01-01 00:00:00+00')).toBe(0);
    expect(timestampUs('1999-12-31 23:59:59.999999+00')).toBe(-1);
    expect(timestampUs('2026-11-27 20:00:00.123+00')).toBe(
      (Date.parse('2026-11-27T20:00:00.123Z') - Date.parse('2000-01-01T00:00:00Z')) * 1000,
    );
    expect(timestampUs('2024-02-29 13:05:07.5+00')).toBe(
      (Date.parse('2024-02-29T13:05:07.500Z') - Date.parse('2000-01-01T00:00:00Z')) * 1000,
    );
    expect(timestampUs('2026-11-27 20:00:00.000001+00')).toBe(
      (Date.parse('2026-11-27T20:00:00Z') - Date.parse('2000-01-01T00:00:00Z')) * 1000 + 1,
    );
    for (const other of [
      '2026-11-27T20:00:00.123Z',
      '2026-11-27 20:00:00.123+01',
      '2026-11-27 20:00:00.1234567+00',
      '2026-11-27 20:00:00.+00',
      '2025-02-29 00:00:00+00',
      '2026-13-01 00:00:00+00',
      '2026-11-27 24:00:00+00',
      '2026-11-27 23:59:60+00',
      '0099-01-01 00:00:00+00',
      'infinity',
      '2026-11-27 2a:00:00+00',
    ])
      expect(timestampUs(other), other).toBeNull();
  });

  it("a uuid and a timestamptz of the expected shape in binary, anything else in text: pg-protocol's bytes", () => {
    const m = new Messages();
    const { c, out } = pgConnection();
    const w = c as unknown as PgWire;
    const ts = '2026-11-27 20:00:00.123+00';
    const values = [UUID, ts, 'text', null, 'not-a-uuid', 'now', '4b969403-02db-485f-b25a-ae704c8721aG', ts];
    const kinds = [
      Kind.Uuid,
      Kind.Timestamptz,
      Kind.Text,
      Kind.Uuid,
      Kind.Uuid,
      Kind.Timestamptz,
      Kind.Uuid,
      Kind.Text,
    ];
    m.bind('s', values.length);
    for (let i = 0; i < values.length; i++) m.param(values[i] ?? null, kinds[i]);
    m.endBind();
    const us = timestampUs(ts) as number;
    w.bind({ statement: 's', values: [uuidBytes, int64(us), ...values.slice(2)] });
    expect(m.take().equals(out.bytes())).toBe(true);
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
  const t3 = 'INSERT INTO t VALUES ($1, $2, $3), ($4, $5, $6)';
  const ts = '1999-12-31 23:59:59.999999+00';

  it('kinds per column of a row, or per value: the binary values where they apply, as pg-protocol writes Buffers', () => {
    const { c, out } = pgConnection();
    const typed: Statement[] = [
      {
        name: 'ins3',
        text: t3,
        kinds: [Kind.Uuid, Kind.Timestamptz, Kind.Text],
        rows: [
          [UUID, ts, UUID],
          [null, 'epoch', ts],
        ],
      },
      { name: 'upd', text: t2, kinds: [Kind.Timestamptz, Kind.Uuid], values: [ts, UUID] },
    ];
    expect(new Pipeline(typed).submit(c)).toBeNull();
    const pgOut = pgConnection();
    const w = pgOut.c as unknown as PgWire;
    w.parse({ name: 'ins3', text: t3 });
    w.bind({ statement: 'ins3', values: [uuidBytes, int64(-1), UUID, null, 'epoch', ts] });
    w.execute({ rows: 0 });
    w.parse({ name: 'upd', text: t2 });
    w.bind({ statement: 'upd', values: [int64(-1), uuidBytes] });
    w.execute({ rows: 0 });
    w.sync();
    expect(out.bytes().equals(pgOut.out.bytes())).toBe(true);
  });

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
      w.bind({ statement: s.name, values: 'values' in s ? s.values : 'rows' in s ? s.rows.flat() : [] });
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
    w.bind({ statement: s.name, values: 'values' in s ? s.values : 'rows' in s ? s.rows.flat() : [] });
    w.execute({ rows: 0 });
  }
  w.sync();
  return out.bytes();
}

/** a Bind's parameters as they follow its statement name: format codes, then values (null: SQL NULL) */
function bindParams(b: Buffer): { codes: number[]; values: (Buffer | null)[] } {
  const nCodes = b.readInt16BE(0);
  const codes = Array.from({ length: nCodes }, (_, i) => b.readInt16BE(2 + 2 * i));
  let at = 2 + 2 * nCodes;
  const n = b.readInt16BE(at);
  at += 2;
  const values: (Buffer | null)[] = [];
  for (let i = 0; i < n; i++) {
    const len = b.readInt32BE(at);
    at += 4;
    values.push(len < 0 ? null : b.subarray(at, at + len));
    at += Math.max(0, len);
  }
  expect(at).toBe(b.length);
  return { codes, values };
}

/** numeric's binary send format as text with its display scale (PostgreSQL's numeric_recv, read back) */
function numericText(b: Buffer): string {
  const n = b.readInt16BE(0);
  const weight = b.readInt16BE(2);
  const sign = b.readUInt16BE(4);
  const dscale = b.readUInt16BE(6);
  const group = (k: number): number => (k >= 0 && k < n ? b.readInt16BE(8 + 2 * k) : 0);
  let whole = '';
  for (let k = 0; k <= weight; k++) whole += k === 0 ? String(group(k)) : String(group(k)).padStart(4, '0');
  let frac = '';
  for (let k = weight + 1; frac.length < dscale; k++) frac += String(group(k)).padStart(4, '0');
  const text = `${whole || '0'}${dscale > 0 ? `.${frac.slice(0, dscale)}` : ''}`;
  return sign === 0x4000 ? `-${text}` : text;
}

/** a value in its type's binary send format, as the text the generator writes for it */
function binaryText(v: Buffer, type: string): string {
  if (type === 'uuid') {
    const h = v.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  if (type === 'timestamptz') {
    const us = v.readBigInt64BE(0);
    expect(us % 1000n).toBe(0n);
    const iso = new Date(Number(us / 1000n) + Date.UTC(2000, 0, 1)).toISOString();
    const frac = iso.slice(20, 23).replace(/0+$/, '');
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''}+00`;
  }
  if (type === 'smallint') return String(v.readInt16BE(0));
  if (type === 'integer') return String(v.readInt32BE(0));
  if (type === 'bigint') return String(v.readBigInt64BE(0));
  if (type.startsWith('numeric')) return numericText(v);
  if (type === 'boolean') return v[0] === 1 ? 't' : 'f';
  if (type === 'jsonb') {
    expect(v[0]).toBe(1);
    return v.subarray(1).toString('utf8');
  }
  return v.toString('utf8');
}

describe('parameters encoded ahead (wire-txn.ts)', () => {
  const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 2 }));
  const txns = hourTransactions(plan, 1);
  const st = new Statements('s', DEFAULT_LAYOUT);

  /** the same transaction's UPDATEs as statements of values, converted when the pipeline is encoded */
  function updatesByValues(t: Txn): Statement[] {
    return t.updates.map((u) => ({
      ...st.update(u.ref.table, u.shape),
      kinds: updateKinds(u.ref.table, SET[u.shape]),
      values: [u.ref.eventTime, u.ref.id, ...u.values],
    }));
  }

  it("an INSERT's rows go all in binary (one format code), and read back they are the rows' CSV values", () => {
    let rows = 0;
    for (const t of txns) {
      const w = toWire(t);
      const inserts = w.statements.filter((s) => s.op === 'insert');
      const expected = t.inserts.flatMap(([name, lines]) => {
        const chunks: [TableName, CsvLine[]][] = [];
        for (let i = 0; i < lines.length; i += MAX_ROWS) chunks.push([name, lines.slice(i, i + MAX_ROWS)]);
        return chunks;
      });
      expect(inserts.map((s) => [s.table, s.rows])).toEqual(expected.map(([n, l]) => [n, l.length]));
      inserts.forEach((s, i) => {
        const [name, lines] = expected[i] as [TableName, CsvLine[]];
        const types = table(name).columns.map((c) => c.type);
        const { codes, values } = bindParams(Buffer.from(s.params));
        expect(codes).toEqual([1]);
        const want = lines.flatMap((l) => lineValues(l));
        expect(values.length).toBe(want.length);
        values.forEach((v, k) => {
          const type = types[k % types.length] as string;
          expect(
            v === null ? null : binaryText(v, type),
            `${name} column ${k % types.length} (${type})`,
          ).toBe(want[k]);
        });
        rows += lines.length;
      });
    }
    expect(rows).toBeGreaterThan(100);
  });

  it("a transaction's UPDATE Binds copied from its encoded parameters are the bytes of its values converted on the spot", () => {
    expect(txns.some((t) => t.updates.length > 0)).toBe(true);
    for (const t of txns) {
      const w = toWire(t);
      const encoded = pgConnection();
      const converted = pgConnection();
      const ahead: Statement[] = w.statements
        .filter((s) => s.op === 'update')
        .map((s) => ({ ...st.update(s.table, s.shape), params: s.params }));
      expect(new Pipeline(ahead).submit(encoded.c)).toBeNull();
      expect(new Pipeline(updatesByValues(t)).submit(converted.c)).toBeNull();
      expect(encoded.out.bytes().equals(converted.out.bytes())).toBe(true);
    }
  });

  it('an hour encoded at once gives each transaction as encoded alone', () => {
    const e = encodeHour(1, txns);
    expect(e.times.length).toBe(txns.length);
    txns.forEach((t, i) => {
      expect(hourTxn(e, i)).toEqual(toWire(t));
    });
  });

  it("an hour's buffer given back is written into again, with the same bytes as new memory; one too small is not", () => {
    let bound = 0;
    const fresh = runSteps(
      encodeHourSteps(1, txns, (bytes) => {
        bound = bytes;
        return undefined;
      }),
    );
    expect(bound).toBeGreaterThanOrEqual(fresh.params.length);
    // a used buffer: garbage in every byte
    const used = new ArrayBuffer(bound + 100);
    new Uint8Array(used).fill(0xab);
    const again = runSteps(
      encodeHourSteps(1, txns, (bytes) => (bytes <= used.byteLength ? used : undefined)),
    );
    // (identity compared as a boolean: a failing toBe would pretty-print megabytes)
    expect(again.params.buffer === used, 'written into the buffer given back').toBe(true);
    expect(Buffer.from(again.params).equals(Buffer.from(fresh.params))).toBe(true);
    expect([...again.paramEnds]).toEqual([...fresh.paramEnds]);
    txns.forEach((t, i) => {
      expect(hourTxn(again, i)).toEqual(toWire(t));
    });
    // a buffer smaller than the hour's bound: new memory instead
    const small = new ArrayBuffer(64);
    const other = runSteps(encodeHourSteps(1, txns, () => small));
    expect(other.params.buffer === small, 'a buffer too small is not used').toBe(false);
    expect(Buffer.from(other.params).equals(Buffer.from(fresh.params))).toBe(true);
  });

  it('an hour encoded as it lets its transactions go (the worker) is the same hour, and the list is left empty', () => {
    const whole = encodeHour(1, txns);
    const list = [...txns];
    const steps = encodeHourSteps(1, list, undefined, [], true);
    // let go step by step, not all at the end: after the first step (512 transactions), those are out of the list
    expect(list.length).toBeGreaterThan(512);
    steps.next();
    expect(list[0]).toBeUndefined();
    expect(list[511]).toBeUndefined();
    expect(list[512]).toBe(txns[512]);
    const consumed = runSteps(steps);
    expect(list).toHaveLength(0);
    expect(Buffer.from(consumed.params).equals(Buffer.from(whole.params))).toBe(true);
    expect(consumed.text).toBe(whole.text);
    expect([...consumed.times]).toEqual([...whole.times]);
  });
});
