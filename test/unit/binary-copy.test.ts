/**
 * The binary COPY encoder (src/load/binary-copy.ts) decoded back into Postgres's CSV text form, which must be
 * the very lines it was given: every chunk of `tiny`, and hand-written edge cases. And the row checksum
 * (src/load/row-hash.ts): order-independent, sensitive to a change, the same however the bytes are cut, from
 * the generator's CSV or from a binary COPY stream.
 */
import { describe, expect, it } from 'vitest';
import { buildPlan, generateChunk, listChunks } from '../../src/generate/index.js';
import { metricCloses } from '../../src/generate/transactions.js';
import { encodeCloses } from '../../src/live/wire-txn.js';
import { BINARY_COPY_HEADER, BinaryTranscoder, csvRowHash } from '../../src/load/binary-copy.js';
import { RowHash } from '../../src/load/row-hash.js';
import type { ColumnType } from '../../src/model/columns.js';
import { type TableName, table } from '../../src/model/tables.js';
import { loadScenario } from '../../src/scenario/index.js';
import { EDGE, EDGE_TYPES } from './binary-edge-rows.js';

const PG_EPOCH_US = 946_684_800_000_000n;

const tableTypes = (name: TableName): ColumnType[] => table(name).columns.map((c) => c.type);

function quoteCsv(s: string): string {
  return /[",\n\r]/.test(s) || s.length === 0 ? `"${s.replace(/"/g, '""')}"` : s;
}

function timestampText(us: bigint): string {
  const unix = us + PG_EPOCH_US;
  let secs = unix / 1_000_000n;
  let frac = unix % 1_000_000n;
  if (frac < 0n) {
    frac += 1_000_000n;
    secs -= 1n;
  }
  const iso = new Date(Number(secs) * 1000).toISOString();
  const f = frac === 0n ? '' : `.${frac.toString().padStart(6, '0').replace(/0+$/, '')}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${f}+00`;
}

function numericText(b: Buffer, o: number): string {
  const ndigits = b.readInt16BE(o);
  const weight = b.readInt16BE(o + 2);
  const sign = b.readUInt16BE(o + 4);
  const dscale = b.readUInt16BE(o + 6);
  const groups: number[] = [];
  for (let i = 0; i < ndigits; i++) groups.push(b.readInt16BE(o + 8 + 2 * i));
  let whole = '';
  for (let w = weight, i = 0; w >= 0; w--, i++) whole += (groups[i] ?? 0).toString().padStart(4, '0');
  whole = whole.replace(/^0+/, '') || '0';
  let frac = '';
  for (let w = -1; w >= weight - ndigits + 1 || frac.length < dscale; w--) {
    const i = weight - w;
    frac += (i >= 0 ? (groups[i] ?? 0) : 0).toString().padStart(4, '0');
  }
  frac = frac.slice(0, dscale);
  return `${sign === 0x4000 ? '-' : ''}${whole}${dscale > 0 ? `.${frac}` : ''}`;
}

/** binary COPY -> the CSV text `COPY ... TO (FORMAT csv)` prints for the same rows */
function decode(b: Buffer, types: readonly ColumnType[]): string {
  expect(b.subarray(0, BINARY_COPY_HEADER.length)).toEqual(BINARY_COPY_HEADER);
  let o = BINARY_COPY_HEADER.length;
  let text = '';
  for (;;) {
    const n = b.readInt16BE(o);
    o += 2;
    if (n === -1) break;
    expect(n).toBe(types.length);
    const fields: string[] = [];
    for (const t of types) {
      const len = b.readInt32BE(o);
      o += 4;
      if (len === -1) {
        fields.push('');
        continue;
      }
      const v = b.subarray(o, o + len);
      o += len;
      if (t === 'uuid') {
        const h = v.toString('hex');
        fields.push(
          `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`,
        );
      } else if (t === 'timestamptz') fields.push(timestampText(v.readBigInt64BE(0)));
      else if (t === 'text') fields.push(quoteCsv(v.toString('utf8')));
      else if (t === 'jsonb') {
        expect(v[0]).toBe(1);
        fields.push(quoteCsv(v.subarray(1).toString('utf8')));
      } else if (t === 'smallint') fields.push(String(v.readInt16BE(0)));
      else if (t === 'integer') fields.push(String(v.readInt32BE(0)));
      else if (t === 'bigint') fields.push(String(v.readBigInt64BE(0)));
      else if (t === 'boolean') fields.push(v[0] === 1 ? 't' : 'f');
      else fields.push(numericText(v, 0));
    }
    text += `${fields.join(',')}\n`;
  }
  expect(o).toBe(b.length);
  return text;
}

/** CSV cut into pieces of `piece` bytes (0: as given) through the transcoder, header and trailer included */
function encode(csv: Buffer[], types: readonly ColumnType[], piece = 0, hash?: RowHash): Buffer {
  const tx = new BinaryTranscoder(types, hash);
  const out: Buffer[] = [BINARY_COPY_HEADER];
  for (const b of csv) {
    if (piece === 0) out.push(tx.push(b));
    else for (let i = 0; i < b.length; i += piece) out.push(tx.push(b.subarray(i, i + piece)));
  }
  out.push(tx.end());
  return Buffer.concat(out);
}

describe('binary COPY encoding', () => {
  it('decodes back to the same CSV lines for hand-written edge cases', () => {
    const csv = Buffer.from(`${EDGE.join('\n')}\n`);
    for (const piece of [0, 1, 7, 64]) {
      expect(decode(encode([csv], EDGE_TYPES, piece), EDGE_TYPES)).toBe(csv.toString('utf8'));
    }
  });

  it('writes the send formats Postgres expects (known bytes)', () => {
    const types: ColumnType[] = ['timestamptz', 'numeric(12,2)', 'numeric(12,2)', 'smallint'];
    const b = encode([Buffer.from('2000-01-01 00:00:01.5+00,12345.67,-0.05,-2\n')], types);
    expect(b.subarray(BINARY_COPY_HEADER.length).toString('hex')).toBe(
      [
        '0004', // 4 fields
        '00000008 000000000016e360', // 1.5 s after 2000-01-01 in microseconds
        '0000000e 0003 0001 0000 0002 0001 0929 1a2c', // 1|2345|6700, weight 1, dscale 2
        '0000000a 0001 ffff 4000 0002 01f4', // -0.0500: one group 500, weight -1, negative
        '00000002 fffe',
        'ffff', // trailer
      ]
        .join('')
        .replace(/ /g, ''),
    );
  });

  it('refuses what is not the generator text form (a bug, never a silent wrong value)', () => {
    const tx = new BinaryTranscoder(['timestamptz', 'integer']);
    expect(() => tx.push(Buffer.from('2026-11-27 00:00:00+01,1\n'))).toThrow(/timestamptz in UTC/);
    expect(() =>
      new BinaryTranscoder(['uuid']).push(Buffer.from('not-a-uuid-at-all-not-a-uuid-at-all!\n')),
    ).toThrow(/uuid/);
    expect(() => new BinaryTranscoder(['integer']).push(Buffer.from('1,2\n'))).toThrow(/end of field 1 of 1/);
    const cut = new BinaryTranscoder(['integer']);
    cut.push(Buffer.from('1\n2'));
    expect(() => cut.end()).toThrow(/last one has no newline/);
  });

  it('decodes back to the generated CSV for every chunk of every table of tiny, with the same row checksum', () => {
    const plan = buildPlan(loadScenario('tiny'));
    for (const chunk of listChunks(plan)) {
      const csv = [...generateChunk(plan, chunk, { header: false })];
      const types = chunk.partition.table.columns.map((c) => c.type);
      const hash = new RowHash();
      const tx = encode(csv, types, 0, hash);
      expect(decode(tx, types)).toBe(Buffer.concat(csv).toString('utf8'));
      const want = csvRowHash(csv, types);
      expect({ rows: hash.rows, checksum: hash.digest() }).toEqual(want);
      // the same tuples read back as a COPY TO stream (gen verify's side) hash alike
      const back = new RowHash();
      back.addCopyBinary(tx);
      expect({ rows: back.rows, checksum: back.digest() }).toEqual(want);
    }
  });
});

describe("gen live's hour closes (src/live/wire-txn.ts encodeCloses)", () => {
  it("are each metric table's rows of the close as one binary COPY: decoded, the generated CSV", () => {
    const plan = buildPlan(loadScenario('tiny'));
    let tables = 0;
    for (let h = 0; h < plan.hours; h++) {
      const closes = metricCloses(plan, h);
      const ready = encodeCloses(closes);
      expect(ready.map((r) => [r.table, r.from, r.to])).toEqual(closes.map((c) => [c.table, c.from, c.to]));
      for (const [i, c] of closes.entries()) {
        const r = ready[i];
        if (!r) throw new Error('a close missing');
        const csv = Buffer.concat([...c.rows('csv')]).toString('utf8');
        const types = tableTypes(c.table);
        expect(decode(Buffer.from(r.data), types)).toBe(csv);
        expect(r.rows).toBe(csv.split('\n').length - 1);
        tables++;
      }
    }
    // every hour closes its hourly rows, and the last its day's too
    expect(tables).toBeGreaterThan(3 * plan.hours);
  });
});

describe('row checksum', () => {
  const lines = EDGE.map((l) => `${l}\n`);
  const of = (ls: string[], types: readonly ColumnType[] = EDGE_TYPES): string =>
    csvRowHash([Buffer.from(ls.join(''))], types).checksum;
  /** a binary COPY stream of the rows, as the server's COPY TO gives it back, cut into pieces of `piece` bytes */
  const streamOf = (ls: string[], piece: number): string => {
    const h = new RowHash();
    const all = encode([Buffer.from(ls.join(''))], EDGE_TYPES);
    for (let i = 0; i < all.length; i += piece) h.addCopyBinary(all.subarray(i, i + piece));
    return h.digest();
  };

  it('is independent of row order and of where the bytes are cut, CSV or binary COPY', () => {
    const whole = of(lines);
    expect(of([...lines].reverse())).toBe(whole);
    const bytes = Buffer.from(lines.join(''));
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 5) pieces.push(bytes.subarray(i, i + 5));
    expect(csvRowHash(pieces, EDGE_TYPES).checksum).toBe(whole);
    // the binary stream's tuples (gen verify's database side), whole or cut anywhere, header and trailer skipped
    for (const piece of [1, 2, 3, 7, 19, 20, 64, 1 << 20]) expect(streamOf(lines, piece)).toBe(whole);
    expect(streamOf([...lines].reverse(), 13)).toBe(whole);
  });

  it('changes when a byte, a row or a duplicate changes, and counts rows, not lines', () => {
    const whole = of(lines);
    expect(of(lines.slice(1))).not.toBe(whole);
    expect(of([...lines, lines[0] ?? ''])).not.toBe(whole);
    expect(of(lines.map((l, i) => (i === 2 ? l.replace('32767', '32766') : l)))).not.toBe(whole);
    // two rows swapping a field: same bytes overall, different rows
    const ti: ColumnType[] = ['text', 'integer'];
    expect(of(['a,1\n', 'b,2\n'], ti)).not.toBe(of(['a,2\n', 'b,1\n'], ti));
    // a newline inside a quoted text is part of its row
    expect(lines.join('')).toMatch(/"[^"]*\n[^"]*"/);
    expect(csvRowHash([Buffer.from(lines.join(''))], EDGE_TYPES).rows).toBe(lines.length);
  });

  it('refuses a binary stream that is not one or is cut inside a tuple', () => {
    expect(() => new RowHash().addCopyBinary(Buffer.from('a,1\nb,2\nc,3\nd,4\ne,5\n'))).toThrow(/signature/);
    const all = encode([Buffer.from(lines.join(''))], EDGE_TYPES);
    const cut = new RowHash();
    cut.addCopyBinary(all.subarray(0, all.length - 5));
    expect(() => cut.digest()).toThrow(/cut inside a tuple/);
    const after = new RowHash();
    expect(() => after.addCopyBinary(Buffer.concat([all, Buffer.from([0])]))).toThrow(
      /after the binary COPY trailer/,
    );
  });
});
