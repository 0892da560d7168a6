/**
 * One chunk as a Readable: pulls Buffers from the pure generator only when the consumer asks (backpressure),
 * already in the COPY's format (binary tuples, or CSV), counts rows and bytes, and hashes the rows for the
 * ledger (./row-hash.ts: the same checksum whatever the wire format).
 */
import { Readable } from 'node:stream';
import type { ColumnType } from '../model/columns.js';
import { BINARY_COPY_HEADER, BINARY_TRAILER, CsvRowHash } from './binary-copy.js';
import type { CopyBuffers } from './copy-buffers.js';
import type { CopyFormat } from './copy-format.js';
import { governMemory } from './gc-governor.js';
import { RowHash } from './row-hash.js';
import { countLines } from './stats.js';

export interface StreamCounters {
  rows: number;
  /** bytes sent (binary: the tuples; CSV and files: the text) */
  bytes: number;
  /** client work on the rows: generating them and, for binary COPY, encoding them */
  genMs: number;
  /** the row checksum (./row-hash.ts), once the stream has ended; files have none */
  checksum?: string;
}

export function newCounters(): StreamCounters {
  return { rows: 0, bytes: 0, genMs: 0 };
}

function* encoded(
  gen: Iterator<Buffer>,
  c: StreamCounters,
  format: CopyFormat,
  types: readonly ColumnType[],
  buffers: CopyBuffers | undefined,
): Generator<Buffer> {
  const binary = format === 'binary';
  // binary: the generator's own tuples (src/generate/binary-writer.ts), hashed as a COPY TO stream of them;
  // CSV: the generator's text, its checksum of the same rows' tuples (./row-hash.ts)
  const hash = binary ? new RowHash() : undefined;
  const csvHash = binary ? undefined : new CsvRowHash(types);
  const send = (b: Buffer): Buffer => {
    c.bytes += b.length;
    hash?.addCopyBinary(b);
    buffers?.handed(b);
    return b;
  };
  if (binary) yield send(BINARY_COPY_HEADER);
  for (;;) {
    const t = performance.now();
    const r = gen.next();
    if (r.done) {
      c.genMs += performance.now() - t;
      break;
    }
    const b = r.value;
    if (csvHash) csvHash.push(b);
    else hash?.addCopyBinary(b);
    c.rows = (csvHash ?? hash)?.rows ?? 0;
    c.genMs += performance.now() - t;
    c.bytes += b.length;
    governMemory();
    if (b.length > 0) {
      buffers?.handed(b);
      yield b;
    }
  }
  if (binary) yield send(BINARY_TRAILER);
  c.checksum = csvHash?.digest() ?? hash?.digest();
  c.rows = (csvHash ?? hash)?.rows ?? 0;
}

/**
 * A chunk's rows for `COPY ... FROM STDIN` in `format`: `gen` yields them in that format (ChunkOptions.format:
 * binary tuples, or the CSV without its header line), and this adds the binary format's header and trailer. With
 * `buffers` (./copy-buffers.ts; the caller tells it what is still queued) every Buffer sent is handed to it; the
 * generator should then write into its memory (ChunkOptions.alloc).
 */
export function copyStream(
  gen: Iterable<Buffer>,
  c: StreamCounters,
  format: CopyFormat,
  types: readonly ColumnType[],
  buffers?: CopyBuffers,
): Readable {
  return Readable.from(encoded(gen[Symbol.iterator](), c, format, types, buffers), {
    objectMode: false,
    highWaterMark: 1 << 18,
  });
}

function* counted(gen: Iterator<Buffer>, c: StreamCounters, headerLines: number): Generator<Buffer> {
  let skip = headerLines;
  for (;;) {
    const t = performance.now();
    const r = gen.next();
    c.genMs += performance.now() - t;
    if (r.done) return;
    const b = r.value;
    c.bytes += b.length;
    const lines = countLines(b);
    const drop = Math.min(skip, lines);
    skip -= drop;
    c.rows += lines - drop;
    governMemory();
    yield b;
  }
}

/** A chunk's CSV as it is (for a file), rows counted. */
export function fileBuffers(gen: Iterable<Buffer>, c: StreamCounters, headerLines = 1): Generator<Buffer> {
  return counted(gen[Symbol.iterator](), c, headerLines);
}
