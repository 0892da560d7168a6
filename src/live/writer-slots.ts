/**
 * Which writer connection a live transaction goes to (src/live/dispatch.ts). Each writer has up to `depth`
 * transactions in flight (the next is sent while the one before commits: pipeline.ts, "sent ahead"); a
 * transaction goes to the writer with the fewest. A metric close is a block of several queries (BEGIN, DELETE,
 * COPY ..., COMMIT: bulk.ts), so it takes a writer with nothing in flight and all its slots while it runs: no
 * transaction may land inside its block (its rows would stay invisible to the other writers until the block's
 * COMMIT). When no writer is empty, the least busy one is drained for it: it gets no new transaction meanwhile.
 */
export class WriterSlots {
  private readonly inFlight: number[];
  private used = 0;
  private draining = -1;
  readonly capacity: number;

  constructor(
    writers: number,
    private readonly depth: number,
  ) {
    this.inFlight = Array.from({ length: writers }, () => 0);
    this.capacity = writers * depth;
  }

  /** a slot is free somewhere (a close may still have to wait for its writer to drain) */
  get free(): boolean {
    return this.used < this.capacity;
  }

  /** the writer for a transaction (`whole`: a metric close, which needs a writer to itself), taken; -1 if none now */
  take(whole: boolean): number {
    const w = whole ? this.emptyWriter() : this.leastBusy();
    if (w >= 0) {
      const n = whole ? this.depth : 1;
      this.inFlight[w] = (this.inFlight[w] ?? 0) + n;
      this.used += n;
    }
    return w;
  }

  /** what `take(whole)` gave for writer w is done */
  release(w: number, whole: boolean): void {
    const n = whole ? this.depth : 1;
    this.inFlight[w] = (this.inFlight[w] ?? n) - n;
    this.used -= n;
  }

  /** transactions in flight on writer w (a close counts as all its slots) */
  load(w: number): number {
    return this.inFlight[w] ?? 0;
  }

  /** the writer with the fewest in flight, if it has room for one more and is not drained for a close */
  private leastBusy(): number {
    let best = -1;
    for (let w = 0; w < this.inFlight.length; w++) {
      const n = this.inFlight[w] ?? 0;
      if (w !== this.draining && n < this.depth && (best < 0 || n < (this.inFlight[best] ?? 0))) best = w;
    }
    return best;
  }

  /** a writer with nothing in flight, or -1 (and the least busy one is drained from now on) */
  private emptyWriter(): number {
    let best = 0;
    for (let w = 1; w < this.inFlight.length; w++)
      if ((this.inFlight[w] ?? 0) < (this.inFlight[best] ?? 0)) best = w;
    if ((this.inFlight[best] ?? 0) === 0) {
      this.draining = -1;
      return best;
    }
    if (this.draining < 0) this.draining = best;
    return -1;
  }
}
