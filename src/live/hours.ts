/**
 * The window's hours as business transactions, generated ahead on a worker thread (issue 7 §3): a busy
 * black-friday hour takes seconds to generate, which on the dispatcher's thread would stall every due
 * transaction meanwhile. An hour crosses as one string, one buffer of parameters and offsets; a
 * transaction is parsed when it is due: its parameters come encoded for the wire (wire-txn.ts), so the dispatcher's
 * thread copies them instead of converting each value.
 */
import type { Worker } from 'node:worker_threads';
import type { Plan } from '../generate/index.js';
import type { WireHour } from './wire-txn.js';
import { startWorker } from './worker-thread.js';

/**
 * an hour's transactions ready for the wire (wire-txn.ts), the ms the worker worked on it, the ms it did not
 * (its pauses between steps, and whatever time the OS gave its thread to others), and how many pauses it took
 * (hour-worker.ts)
 */
export type EncodedHour = WireHour & { ms: number; pausedMs: number; pauses: number };

/** what the worker is asked: hour h, its work spread over about spreadMs (0: needed now) */
export interface HourAsk {
  h: number;
  spreadMs: number;
}

export type HourMessage = EncodedHour | { h: number; error: string };

/** an hour's parameter buffer given back to the worker, which writes a later hour into it (hour-worker.ts) */
export interface HourRecycle {
  recycle: ArrayBuffer;
}

/** Hours asked for in order, generated one after the other on one worker thread. */
export class HourFeed {
  private readonly worker: Worker;
  private readonly done = new Map<number, EncodedHour>();
  private readonly asked = new Set<number>();
  /** hours asked for again as needed now */
  private readonly hurried = new Set<number>();
  /** hours the worker sent (never generated twice) */
  private readonly received = new Set<number>();
  private failure: Error | null = null;
  private waiting: (() => void) | null = null;
  /** ms the worker spent per hour */
  readonly generationMs: number[] = [];
  /** hours asked for whose parameters were not given back yet (recycle): the most of them at once */
  maxHeld: number;

  /** @param held hours of an earlier feed not given back yet (they are given back here) */
  constructor(
    plan: Plan,
    private held = 0,
  ) {
    this.maxHeld = held;
    this.worker = startWorker(new URL('./hour-worker.js', import.meta.url), plan);
    this.worker.on('message', (m: HourMessage) => {
      if ('error' in m) this.failure ??= new Error(`generating hour ${m.h}: ${m.error}`);
      else {
        this.received.add(m.h);
        this.done.set(m.h, m);
        this.generationMs.push(m.ms);
      }
      this.wake();
    });
    this.worker.on('error', (e) => {
      this.failure ??= e;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  /**
   * start generating hour h (once), its work spread over about spreadMs (hour-worker.ts); asked again with 0
   * (needed now), the worker stops pausing
   */
  ask(h: number, spreadMs = 0): void {
    if (this.received.has(h)) return;
    if (this.asked.has(h) && (spreadMs > 0 || this.hurried.has(h))) return;
    if (this.asked.has(h)) this.hurried.add(h);
    else this.maxHeld = Math.max(this.maxHeld, ++this.held);
    this.asked.add(h);
    const a: HourAsk = { h, spreadMs };
    this.worker.postMessage(a);
  }

  /** hour h if generated (taken: the feed forgets it), else undefined; asks for it now if not generated */
  take(h: number): EncodedHour | undefined {
    if (this.failure) throw this.failure;
    const e = this.done.get(h);
    if (e) this.done.delete(h);
    else this.ask(h);
    return e;
  }

  /** waits for hour h, and takes it */
  async wait(h: number): Promise<EncodedHour> {
    await this.ready(h);
    return this.take(h) as EncodedHour;
  }

  /** waits until hour h is generated, and leaves it here to be taken */
  async ready(h: number): Promise<void> {
    this.ask(h);
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.done.has(h)) return;
      await this.next();
    }
  }

  /** until the worker's next message */
  private next(): Promise<void> {
    return new Promise<void>((r) => {
      this.waiting = r;
    });
  }

  /**
   * Hour e's parameters are no longer read (every transaction of it done): the worker may write a later hour
   * into that memory. Transferred, so that nothing here can read it after: a view of it left here would be empty.
   */
  recycle(e: EncodedHour): void {
    this.held--;
    const b = e.params.buffer;
    if (b.byteLength === 0) return;
    const m: HourRecycle = { recycle: b };
    this.worker.postMessage(m, [b]);
  }

  /** hours asked for (being generated, or generated) whose parameters were not given back yet */
  get holding(): number {
    return this.held;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
