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

  constructor(plan: Plan) {
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

  /** waits for hour h */
  async wait(h: number): Promise<EncodedHour> {
    for (;;) {
      const e = this.take(h);
      if (e) return e;
      await new Promise<void>((r) => {
        this.waiting = r;
      });
    }
  }

  /**
   * Hour e's parameters are no longer read (every transaction of it done): the worker may write a later hour
   * into that memory. Transferred, so that nothing here can read it after: a view of it left here would be empty.
   */
  recycle(e: EncodedHour): void {
    const b = e.params.buffer;
    if (b.byteLength === 0) return;
    const m: HourRecycle = { recycle: b };
    this.worker.postMessage(m, [b]);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
