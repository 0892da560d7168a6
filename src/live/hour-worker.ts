/**
 * The worker thread of src/live/hours.ts: generates the window's hours as business transactions, in the order
 * asked, and sends each hour back ready for the wire (wire-txn.ts: one string, one buffer of encoded parameters and
 * their offsets, transferred: a few large values cross threads cheaply; millions of small objects would be
 * structured-cloned one by one).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Plan } from '../generate/index.js';
import { hourTransactions } from '../generate/transactions.js';
import type { HourMessage } from './hours.js';
import { encodeHour } from './wire-txn.js';

const port = parentPort;
if (!port) throw new Error('internal: hour-worker.ts runs as a worker thread');
const plan = workerData as Plan;

port.on('message', (h: number) => {
  let msg: HourMessage;
  try {
    const t0 = performance.now();
    const e = encodeHour(h, hourTransactions(plan, h));
    msg = { ...e, ms: performance.now() - t0 };
    port.postMessage(msg, [
      e.times.buffer,
      e.textEnds.buffer,
      e.stmtEnds.buffer,
      e.paramEnds.buffer,
      e.params.buffer,
    ]);
  } catch (e) {
    msg = { h, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    port.postMessage(msg);
  }
});
