/**
 * The memory a COPY's Buffers are written into (binary tuples, or the generator's CSV in csv format), used
 * again once the socket has sent it (issue 9 §1: client CPU). A fresh Buffer for each (~1 GB of tuples for
 * black-friday 24 h) was V8 external memory, which started a full mark-compact every ~12 MB sent: 84 in that
 * load, with their incremental marking a fifth of gen's CPU. pg-copy-streams writes to the socket itself, so
 * there is no callback per Buffer; its end is known by counting instead: the bytes handed to the COPY stream so
 * far, less those still queued on their way to the kernel (in the Readable, in the COPY stream, in the
 * socket: each first in first out), have been written, and memory whose bytes all lie before that point is
 * free. The socket's queue also holds the protocol's own bytes, so the count keeps memory longer, never shorter.
 */

/** the size of a pooled buffer: a CSV buffer of 256 KiB, or its binary encoding, fits with room to grow */
const POOLED = 1 << 19;
/** free buffers kept at most (per connection) */
const KEEP = 8;

export class CopyBuffers {
  private readonly free: ArrayBuffer[] = [];
  /** memory handed out, oldest first, each with the count of bytes handed out when its bytes end */
  private readonly held: { memory: ArrayBuffer; end: number }[] = [];
  private handedOut = 0;
  /** bytes handed out and not yet written by the socket (an upper bound), for the COPY under way */
  private queued: () => number = () => Number.POSITIVE_INFINITY;

  /** The COPY that the next buffers go to, and how to count its queued bytes. */
  begin(queued: () => number): void {
    this.queued = queued;
  }

  /** A buffer of at least `size` bytes to write into: pooled memory when it fits. */
  readonly get = (size: number): Buffer => {
    this.release();
    if (size > POOLED) return Buffer.allocUnsafe(size);
    const memory = this.free.pop();
    // allocUnsafe of more than half of Node's 8 KiB pool: memory of its own, exactly that size
    return memory === undefined ? Buffer.allocUnsafe(POOLED) : Buffer.from(memory);
  };

  /** Bytes handed to the COPY stream, in order (a view of pooled memory or of any other). */
  handed(view: Uint8Array): void {
    this.handedOut += view.length;
    const memory = view.buffer;
    if (memory instanceof ArrayBuffer && memory.byteLength === POOLED)
      this.held.push({ memory, end: this.handedOut });
  }

  /** The COPY finished: every byte handed out was written. */
  done(): void {
    this.queued = () => 0;
    this.release();
    this.held.length = 0;
    this.handedOut = 0;
    this.queued = () => Number.POSITIVE_INFINITY;
  }

  private release(): void {
    const written = this.handedOut - this.queued();
    const held = this.held;
    let i = 0;
    for (; i < held.length; i++) {
      const h = held[i] as { memory: ArrayBuffer; end: number };
      if (h.end > written) break;
      // the same memory may be held twice (two views handed out): free once, when its last bytes are written
      if (this.free.length < KEEP && !held.some((o, j) => j > i && o.memory === h.memory))
        this.free.push(h.memory);
    }
    if (i > 0) held.splice(0, i);
  }
}
