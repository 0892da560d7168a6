/**
 * The generator writing binary COPY tuples itself (src/generate/binary-writer.ts) must write, for every chunk,
 * exactly what the CSV-to-binary transcoder (src/load/binary-copy.ts) makes of its CSV: the same tuples, byte
 * for byte, so the same rows in the database and the same row checksum.
 */
import { describe, expect, it } from 'vitest';
import { BinaryWriter } from '../../src/generate/binary-writer.js';
import { CsvWriter, csvField, pooledField, type TextPiece } from '../../src/generate/csv-writer.js';
import {
  buildPlan,
  type Chunk,
  generateChunk,
  listChunks,
  loadChunks,
  type Plan,
} from '../../src/generate/index.js';
import { BinaryTranscoder } from '../../src/load/binary-copy.js';
import type { ColumnType } from '../../src/model/columns.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';

const planOf = (name: string, hours: number, scale: number): Plan =>
  buildPlan(applyOverrides(loadScenario(name), { hours, scale }));

function compare(plan: Plan, chunks: readonly Chunk[] = listChunks(plan), bufferSize?: number): number {
  let rows = 0;
  for (const chunk of chunks) {
    const types = chunk.partition.table.columns.map((c) => c.type);
    const tx = new BinaryTranscoder(types);
    const want = Buffer.concat(
      [...generateChunk(plan, chunk, { header: false })].map((b) => Buffer.from(tx.push(b))),
    );
    const got = Buffer.concat([
      ...generateChunk(plan, chunk, {
        format: 'binary',
        ...(bufferSize === undefined ? {} : { bufferSize }),
      }),
    ]);
    if (!got.equals(want)) {
      let i = 0;
      while (i < got.length && got[i] === want[i]) i++;
      throw new Error(
        `${chunk.partition.name}: first difference at byte ${i} of ${want.length}: got ${got.subarray(i, i + 24).toString('hex')}, want ${want.subarray(i, i + 24).toString('hex')}`,
      );
    }
    rows += tx.rows;
  }
  return rows;
}

describe('binary row writer', () => {
  it("writes every chunk of tiny as the transcoder encodes the CSV writer's rows", () => {
    expect(compare(buildPlan(loadScenario('tiny')))).toBeGreaterThan(1000);
  });

  it('and every chunk and slice of black-friday (its event peak, refunds, price changes), in small buffers', () => {
    const plan = planOf('black-friday', 3, 0.02);
    expect(compare(plan, loadChunks(plan, undefined, 1_000), 8192)).toBeGreaterThan(40_000);
  });

  it("writes a pooled field's text whole, in a text and a jsonb column, as the transcoder does its CSV", () => {
    // every pooled field of the generator is a jsonb extra_data; a text column takes the same path without
    // jsonb's version byte, and an unpooled field (a template's scratch) the CSV one
    const types: ColumnType[] = ['text', 'jsonb', 'text', 'jsonb'];
    const fields = [
      pooledField('she said "hi", twice'),
      pooledField('{"a": "b,c", "q": "\\"x\\""}'),
      csvField('not "pooled"'),
      pooledField('{}'),
    ];
    const write = (w: CsvWriter): void => {
      for (const [i, f] of fields.entries()) {
        if (i > 0) w.comma();
        w.field(f);
      }
      w.end();
    };
    expectAsTranscoded(types, write);
  });

  it('writes a field made of pieces as their text, even one starting with a quote, as the transcoder does their CSV', () => {
    // a piece's text is what its CSV bytes stand for: the binary writer writes it and undoes no quotes, so a
    // text starting with a quote keeps it (undone, it would lose it and the field would be cut short)
    const types: ColumnType[] = ['text', 'jsonb', 'uuid'];
    const piece = (csv: string, text: string): TextPiece => ({
      csv: Buffer.from(csv),
      text: Buffer.from(text),
    });
    const write = (w: CsvWriter): void => {
      w.piece(piece('"""a ""b""', '"a "b"')).piece(piece(', c"', ', c')).comma();
      w.piece(piece('"{""k"": ', '{"k": ')).ascii('12').piece(piece('}"', '}')).comma();
      w.uuid(Uint32Array.of(1, 2, 3, 4)).end();
    };
    expectAsTranscoded(types, write);
  });
});

/** `write` into a binary writer gives the tuples the transcoder makes of what it writes into a CSV writer */
function expectAsTranscoded(types: ColumnType[], write: (w: CsvWriter) => void): void {
  const csv = new CsvWriter();
  write(csv);
  const binary = new BinaryWriter(types);
  write(binary);
  const want = Buffer.from(new BinaryTranscoder(types).push(csv.take()));
  expect(Buffer.from(binary.take()).toString('hex')).toBe(want.toString('hex'));
}
