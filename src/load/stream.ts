/**
 * One chunk as a Readable: pulls Buffers from the pure generator only when the consumer asks (backpressure),
 * times the generator apart from the rest, counts rows and bytes, and hashes the bytes for the ledger.
 */
import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { countLines } from './stats.js';

export interface StreamCounters {
  rows: number;
  bytes: number;
  genMs: number;
  /** sha256 of the chunk's bytes (header included) */
  hash?: Hash;
}

export function newCounters(): StreamCounters {
  return { rows: 0, bytes: 0, genMs: 0, hash: createHash('sha256') };
}

function* timed(gen: Iterator<Buffer>, c: StreamCounters, headerLines: number): Generator<Buffer> {
  let skip = headerLines;
  for (;;) {
    const t = performance.now();
    const r = gen.next();
    c.genMs += performance.now() - t;
    if (r.done) return;
    const b = r.value;
    c.bytes += b.length;
    c.hash?.update(b);
    const lines = countLines(b);
    const drop = Math.min(skip, lines);
    skip -= drop;
    c.rows += lines - drop;
    yield b;
  }
}

export function chunkStream(gen: Iterable<Buffer>, c: StreamCounters, headerLines = 1): Readable {
  return Readable.from(timed(gen[Symbol.iterator](), c, headerLines), {
    objectMode: false,
    highWaterMark: 1 << 18,
  });
}
