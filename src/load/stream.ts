/**
 * One chunk as a Readable: pulls Buffers from the pure generator only when the consumer asks (backpressure),
 * and times the generator apart from the rest.
 */
import { Readable } from 'node:stream';
import { countLines } from './stats.js';

export interface StreamCounters {
  rows: number;
  bytes: number;
  genMs: number;
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
