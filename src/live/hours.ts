/**
 * The window's hours as business transactions, generated ahead on a worker thread (issue 7 §3): a busy
 * black-friday hour takes seconds to generate, which on the dispatcher's thread would stall every due
 * transaction meanwhile. An hour crosses as one string plus its transactions' times and offsets; a
 * transaction is parsed when it is due.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Plan } from '../generate/index.js';
import type { Txn } from '../generate/transactions.js';
import { decodeTxn } from './txn-codec.js';

/** hour h's transactions: i is text.slice(ends[i - 1] ?? 0, ends[i]) (txn-codec.ts), due at times[i] (scenario ms) */
export interface EncodedHour {
  h: number;
  times: Float64Array;
  ends: Float64Array;
  text: string;
  /** ms the worker took to generate and encode it */
  ms: number;
}

export type HourMessage = EncodedHour | { h: number; error: string };

/** transaction i of an encoded hour */
export const hourTxn = (e: EncodedHour, i: number): Txn =>
  decodeTxn(e.text.slice(i === 0 ? 0 : (e.ends[i - 1] ?? 0), e.ends[i]));

/**
 * The compiled worker next to this module; run from the TypeScript sources (tests, tsx), its source through
 * tsx's loader, registered inside the worker (a Worker's execArgv `--import` does not reach Node 20's workers).
 */
function startWorker(plan: Plan): Worker {
  const js = new URL('./hour-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData: plan });
  // the ESM entry of tsx's API, resolved from here (its CommonJS entry registers a path that does not exist)
  const api = createRequire(import.meta.url).resolve('tsx/esm/api');
  const tsx = pathToFileURL(api.replace(/\.cjs$/, '.mjs')).href;
  const ts = new URL('./hour-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(ts)}))`;
  return new Worker(boot, { eval: true, workerData: plan });
}

/** Hours asked for in order, generated one after the other on one worker thread. */
export class HourFeed {
  private readonly worker: Worker;
  private readonly done = new Map<number, EncodedHour>();
  private readonly asked = new Set<number>();
  private failure: Error | null = null;
  private waiting: (() => void) | null = null;
  /** ms the worker spent per hour */
  readonly generationMs: number[] = [];

  constructor(plan: Plan) {
    this.worker = startWorker(plan);
    this.worker.on('message', (m: HourMessage) => {
      if ('error' in m) this.failure ??= new Error(`generating hour ${m.h}: ${m.error}`);
      else {
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

  /** start generating hour h (once) */
  ask(h: number): void {
    if (this.asked.has(h)) return;
    this.asked.add(h);
    this.worker.postMessage(h);
  }

  /** hour h if generated (taken: the feed forgets it), else undefined; asks for it if nobody has */
  take(h: number): EncodedHour | undefined {
    if (this.failure) throw this.failure;
    this.ask(h);
    const e = this.done.get(h);
    if (e) this.done.delete(h);
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

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
