/**
 * Which writer connection a live transaction goes to (src/live/dispatch.ts). Each writer has up to `depth`
 * transactions in flight (the next is sent while the one before commits: pipeline.ts, "sent ahead"); a
 * transaction goes to the writer with the fewest. Metric closes do not take writers: the aggregation job has a
 * connection of its own (dispatch.ts).
 */
export class WriterSlots {
  private readonly inFlight: number[];
  private used = 0;
  readonly capacity: number;

  constructor(
    writers: number,
    private readonly depth: number,
  ) {
    this.inFlight = Array.from({ length: writers }, () => 0);
    this.capacity = writers * depth;
  }

  /** a slot is free somewhere */
  get free(): boolean {
    return this.used < this.capacity;
  }

  /** the writer for a transaction, taken; -1 if none now */
  take(): number {
    const w = this.leastBusy();
    if (w >= 0) {
      this.inFlight[w] = (this.inFlight[w] ?? 0) + 1;
      this.used++;
    }
    return w;
  }

  /** what `take` gave for writer w is done */
  release(w: number): void {
    this.inFlight[w] = (this.inFlight[w] ?? 1) - 1;
    this.used--;
  }

  /** transactions in flight on writer w */
  load(w: number): number {
    return this.inFlight[w] ?? 0;
  }

  /** the writer with the fewest in flight, if it has room for one more */
  private leastBusy(): number {
    let best = -1;
    for (let w = 0; w < this.inFlight.length; w++) {
      const n = this.inFlight[w] ?? 0;
      if (n < this.depth && (best < 0 || n < (this.inFlight[best] ?? 0))) best = w;
    }
    return best;
  }
}
