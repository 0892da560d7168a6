/**
 * The worker thread of src/live/day-closes.ts: a day's metric rows (the daily tables' closes of one window hour),
 * table after table, as binary COPY data in chunks of at least `chunkBytes`, never more than MAX_AHEAD of them sent
 * and not yet taken.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { metricCloses } from '../generate/transactions.js';
import { type DayCloseAck, type DayCloseMessage, type DayCloseWork, MAX_AHEAD } from './day-closes.js';
import { closeCopyData, joined } from './wire-txn.js';

const port = parentPort;
if (!port) throw new Error('internal: day-close-worker.ts runs as a worker thread');
const { plan, h, chunkBytes } = workerData as DayCloseWork;

let credit = MAX_AHEAD;
let waiting: (() => void) | null = null;
port.on('message', (m: DayCloseAck) => {
  credit += m.ack;
  const w = waiting;
  waiting = null;
  w?.();
});

const send = (m: DayCloseMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

async function main(): Promise<void> {
  const closes = metricCloses(plan, h).filter((c) => c.period === 'day');
  for (let i = 0; i < closes.length; i++) {
    let rows = 0;
    let parts: Buffer[] = [];
    let size = 0;
    // the parts copied into one buffer of their own, transferred (the generator's buffers are not ours to give)
    const flush = async (): Promise<void> => {
      while (credit <= 0)
        await new Promise<void>((r) => {
          waiting = r;
        });
      credit--;
      const chunk = joined(parts).buffer;
      parts = [];
      size = 0;
      send({ i, chunk }, [chunk]);
    };
    for (const b of closeCopyData(closes[i] as (typeof closes)[number], (n) => {
      rows = n;
    })) {
      parts.push(b);
      size += b.length;
      if (size >= chunkBytes) await flush();
    }
    if (size > 0) await flush();
    send({ i, rows });
  }
}

main().catch((e: unknown) => send({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
