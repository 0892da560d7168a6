/**
 * The worker thread of src/live/hours.ts: generates the window's hours as business transactions, in the order
 * asked, and sends each hour back as one string (txn-codec.ts) with the offsets of its transactions (a few large values
 * cross threads cheaply; millions of small objects would be structured-cloned one by one).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Plan } from '../generate/index.js';
import { hourTransactions } from '../generate/transactions.js';
import type { HourMessage } from './hours.js';
import { encodeTxn } from './txn-codec.js';

const port = parentPort;
if (!port) throw new Error('internal: hour-worker.ts runs as a worker thread');
const plan = workerData as Plan;

port.on('message', (h: number) => {
  let msg: HourMessage;
  try {
    const t0 = performance.now();
    const txns = hourTransactions(plan, h);
    const times = new Float64Array(txns.length);
    const ends = new Float64Array(txns.length);
    const parts: string[] = [];
    let at = 0;
    for (let i = 0; i < txns.length; i++) {
      const t = txns[i];
      if (!t) continue;
      const s = encodeTxn(t);
      parts.push(s);
      at += s.length;
      times[i] = t.time;
      ends[i] = at;
    }
    msg = { h, times, ends, text: parts.join(''), ms: performance.now() - t0 };
    port.postMessage(msg, [times.buffer, ends.buffer]);
  } catch (e) {
    msg = { h, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    port.postMessage(msg);
  }
});
