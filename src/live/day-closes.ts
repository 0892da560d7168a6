/**
 * A day's metric close, generated on a worker thread of its own while the aggregation job writes it (issue 7 §3).
 * A day's rows are the hours' aggregates over the whole day: ~200,000 rows and 1.3 s of CPU at --scale 1, ~970,000
 * and 5.5 s at --scale 5. Generated on the dispatcher's thread, buffer by buffer into the COPY, they kept it from
 * feeding the writers: the lag rose to 0.5 s at midnight at speed 150 (--scale 1) and to 1.9 s at speed 30
 * (--scale 5). Made ahead with the hour on the hour worker (as an hour's own close is), they would be held for hours
 * (48 MB of CSV at --scale 1, 237 MB at --scale 5).
 *
 * So the worker (day-close-worker.ts) is started when the close starts and streams the day's tables in order, as
 * binary COPY data in chunks of ~256 KiB, at most MAX_AHEAD of them not yet taken by the COPY: what it holds
 * stays flat, and it generates no faster than the server takes the rows. It ends with the close.
 */
import type { Worker } from 'node:worker_threads';
import type { Plan } from '../generate/index.js';
import { metricCloses } from '../generate/transactions.js';
import type { TableName } from '../model/tables.js';
import { startWorker } from './worker-thread.js';

/** chunks the worker sends ahead of what the COPY took */
export const MAX_AHEAD = 4;
/** bytes a chunk holds at least (a table's last one may hold fewer) */
export const CHUNK_BYTES = 1 << 18;

/** what the worker is started with */
export interface DayCloseWork {
  plan: Plan;
  /** the window hour at whose end the day closes */
  h: number;
  chunkBytes: number;
}

/** from the worker: a chunk of close i's binary COPY data, its end (and rows), or a failure */
export type DayCloseMessage =
  | { i: number; chunk: ArrayBuffer }
  | { i: number; rows: number }
  | { error: string };

/** to the worker: n more chunks taken */
export interface DayCloseAck {
  ack: number;
}

/** one table's rows of the day, as the aggregation job writes them (bulk.ts closeMetrics) */
export interface StreamedClose {
  table: TableName;
  from: number;
  to: number;
  /** the table's binary COPY data (header to trailer), read once, in the order of the closes */
  data(): AsyncIterable<Buffer>;
  /** its rows, once data() has been read to the end */
  rows(): number;
}

/** The day closes of window hour h (none but at a day's end), and the worker that makes them, once read. */
export class DayCloses {
  readonly closes: StreamedClose[];
  private worker: Worker | null = null;
  private readonly inbox: DayCloseMessage[] = [];
  private waiting: (() => void) | null = null;
  private failure: Error | null = null;
  private ended = false;
  private readonly counts: number[] = [];
  /** the most chunks received and not yet read, at any time (the worker's lead: at most MAX_AHEAD) */
  maxUnread = 0;
  private unread = 0;

  /** `chunkBytes`: what a chunk holds at least (smaller in tests, to make many) */
  constructor(
    private readonly plan: Plan,
    private readonly h: number,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {
    this.closes = metricCloses(plan, h)
      .filter((c) => c.period === 'day')
      .map((c, i) => ({
        table: c.table,
        from: c.from,
        to: c.to,
        data: () => this.read(i),
        rows: () => this.counts[i] ?? 0,
      }));
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    if (this.ended) throw new Error(`internal: the day close of hour ${this.h} read after its end`);
    const work: DayCloseWork = { plan: this.plan, h: this.h, chunkBytes: this.chunkBytes };
    const w = startWorker(new URL('./day-close-worker.js', import.meta.url), work);
    w.on('message', (m: DayCloseMessage) => {
      this.inbox.push(m);
      if ('chunk' in m) this.maxUnread = Math.max(this.maxUnread, ++this.unread);
      this.wake();
    });
    w.on('error', (e) => {
      this.failure ??= e;
      this.wake();
    });
    w.on('exit', (code) => {
      if (!this.ended) this.failure ??= new Error(`the day close's worker exited (code ${code})`);
      this.wake();
    });
    this.worker = w;
    return w;
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  private async next(): Promise<DayCloseMessage> {
    for (;;) {
      const m = this.inbox.shift();
      if (m) return m;
      if (this.failure) throw this.failure;
      await new Promise<void>((r) => {
        this.waiting = r;
      });
    }
  }

  private async *read(i: number): AsyncGenerator<Buffer> {
    const w = this.start();
    for (;;) {
      const m = await this.next();
      if ('error' in m) throw new Error(`generating the day close of hour ${this.h}: ${m.error}`);
      if (m.i !== i) throw new Error(`internal: day close ${m.i} read as ${i}`);
      if ('rows' in m) {
        this.counts[i] = m.rows;
        return;
      }
      this.unread--;
      const ack: DayCloseAck = { ack: 1 };
      w.postMessage(ack);
      yield Buffer.from(m.chunk);
    }
  }

  /** stops the worker (done, failed or abandoned) */
  async end(): Promise<void> {
    this.ended = true;
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
