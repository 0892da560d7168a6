/**
 * The COPY buffers used again (src/load/copy-buffers.ts): memory is given out again only once every byte of it
 * that was handed to the COPY is no longer queued, counted first in first out. A buffer given out too early
 * would be overwritten while the socket still sends it (test/integration/binary-copy.test.ts loads through it).
 */
import { describe, expect, it } from 'vitest';
import { CopyBuffers } from '../../src/load/copy-buffers.js';

function pool(): { b: CopyBuffers; queue: { bytes: number } } {
  const b = new CopyBuffers();
  const queue = { bytes: 0 };
  b.begin(() => queue.bytes);
  return { b, queue };
}

describe('CopyBuffers', () => {
  it('gives memory out again only when none of its bytes is queued', () => {
    const { b, queue } = pool();
    const first = b.get(1000);
    b.handed(first.subarray(0, 1000));
    queue.bytes = 1000;
    const second = b.get(1000);
    expect(second.buffer).not.toBe(first.buffer);
    b.handed(second.subarray(0, 500));
    // 1,500 handed, 501 queued: the first buffer's last byte is still on its way
    queue.bytes = 501;
    expect(b.get(1000).buffer).not.toBe(first.buffer);
    queue.bytes = 500;
    expect(b.get(1000).buffer).toBe(first.buffer);
  });

  it('counts every byte handed, pooled or not, in order', () => {
    const { b, queue } = pool();
    const first = b.get(1000);
    b.handed(first.subarray(0, 1000));
    b.handed(Buffer.from('PGCOPY header bytes'));
    queue.bytes = 1019;
    const second = b.get(1000);
    expect(second.buffer).not.toBe(first.buffer);
    b.handed(second.subarray(0, 1000));
    // the second buffer and the 19 bytes before it queued: only the first is written
    queue.bytes = 1019;
    const next = b.get(1000);
    expect(next.buffer).toBe(first.buffer);
    expect(b.get(1000).buffer).not.toBe(second.buffer);
  });

  it('frees memory handed twice only when both views are written', () => {
    const { b, queue } = pool();
    const m = b.get(1000);
    b.handed(m.subarray(0, 10));
    b.handed(m.subarray(10, 20));
    queue.bytes = 10;
    expect(b.get(100).buffer).not.toBe(m.buffer);
    queue.bytes = 0;
    expect(b.get(100).buffer).toBe(m.buffer);
  });

  it('frees everything when the COPY is done, and keeps nothing before a COPY begins', () => {
    const b = new CopyBuffers();
    const m = b.get(1000);
    b.handed(m);
    // no COPY told it what is queued: nothing is known to be written
    expect(b.get(1000).buffer).not.toBe(m.buffer);
    b.done();
    expect(b.get(1000).buffer).toBe(m.buffer);
  });

  it('gives fresh memory for sizes beyond a pooled buffer, and never pools it', () => {
    const { b, queue } = pool();
    const big = b.get(1 << 20);
    expect(big.length).toBe(1 << 20);
    b.handed(big);
    queue.bytes = 0;
    expect(b.get(1 << 20).buffer).not.toBe(big.buffer);
    expect(b.get(100).buffer).not.toBe(big.buffer);
  });
});
