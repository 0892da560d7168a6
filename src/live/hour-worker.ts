/**
 * The worker thread of src/live/hours.ts: generates the window's hours as business transactions, in the order
 * asked, and sends each hour back ready for the wire (wire-txn.ts: one string, one buffer of encoded parameters and
 * their offsets, transferred: a few large values cross threads cheaply; millions of small objects would be
 * structured-cloned one by one), with the metric rows that close at the hour's end as binary COPY data.
 *
 * An hour asked for during play is generated in steps with pauses between them, spread over about `spreadMs`
 * (issue 7 §3): generated at once, a busy hour took a whole core for ~2 s, and on 2 cores the server and the
 * dispatcher fell behind meanwhile (the lag rose at each hour's start). nice does not help: with the kernel's
 * autogroups, a process's threads share one weight. An hour needed now (before play, or late) is not paced.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Plan } from '../generate/index.js';
import { hourTransactionSteps, metricCloses } from '../generate/transactions.js';
import type { HourAsk, HourMessage, HourRecycle } from './hours.js';
import { encodeCloseSteps, encodeHourSteps } from './wire-txn.js';

const port = parentPort;
if (!port) throw new Error('internal: hour-worker.ts runs as a worker thread');
const plan = workerData as Plan;

/** at most this many times a step's length paused after it: the worker takes at least a fifth of a core */
const MAX_PAUSE = 4;

const queue: HourAsk[] = [];
let draining = false;
/** the hour being generated is needed now: no more pauses */
let hurry = false;
/** ms of work the last hour took: about what the next takes */
let lastWorkMs = 0;

/** the hour being generated */
let current = -1;

/** the hours generated: asked again (as needed now) after it was sent, an hour is not generated twice */
const sent = new Set<number>();

/**
 * An hour's parameter buffer the dispatcher gave back (hours.ts recycle), written into again: a new buffer's
 * pages are faulted in as they are first written, which on this project's machine kind (a paravirtualized guest)
 * cost 12-17 µs per 4 kB page: ~0.3 s of a busy hour's ~2 s (issue 7 §3). One is kept.
 */
let spare: ArrayBuffer | undefined;

/** the spare if it holds `bytes` (a smaller one is let go: the next hours are as big) */
function takeSpare(bytes: number): ArrayBuffer | undefined {
  const s = spare;
  spare = undefined;
  return s !== undefined && s.byteLength >= bytes ? s : undefined;
}

port.on('message', (m: HourAsk | HourRecycle) => {
  if ('recycle' in m) {
    spare = m.recycle;
    return;
  }
  const a = m;
  // asked again, as needed now: no more pauses for it
  const queued = queue.find((q) => q.h === a.h);
  if (sent.has(a.h)) return;
  if (queued) queued.spreadMs = Math.min(queued.spreadMs, a.spreadMs);
  else if (a.h === current) hurry ||= a.spreadMs === 0;
  else queue.push(a);
  if (!draining) void drain();
});

async function drain(): Promise<void> {
  draining = true;
  for (let a = queue.shift(); a !== undefined; a = queue.shift()) {
    current = a.h;
    hurry = false;
    await generate(a);
    sent.add(a.h);
    current = -1;
  }
  draining = false;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function generate(a: HourAsk): Promise<void> {
  const { h } = a;
  // messages already sent are read first: it may be needed now already
  await new Promise((r) => setImmediate(r));
  // an hour needed now behind this one makes this one needed now too
  hurry ||= a.spreadMs === 0 || queue.some((q) => q.spreadMs === 0);
  const spreadMs = hurry ? 0 : a.spreadMs;
  // a pause of k times each step's length spreads the hour's work over about spreadMs
  const k = lastWorkMs > 0 ? Math.min(MAX_PAUSE, Math.max(0, spreadMs / lastWorkMs - 1)) : 0;
  let work = 0;
  let pauses = 0;
  const t0 = performance.now();
  async function run<T>(steps: Generator<void, T, void>): Promise<T> {
    for (;;) {
      const s0 = performance.now();
      const r = steps.next();
      const ms = performance.now() - s0;
      work += ms;
      if (r.done) return r.value;
      if (k > 0 && !hurry) {
        pauses++;
        await sleep(ms * k);
      }
    }
  }
  let msg: HourMessage;
  try {
    const txns = await run(hourTransactionSteps(plan, h));
    // the hourly metric rows that close at its end, while its rows are at hand (the generator's caches hold them);
    // not a day's (dispatch.ts): held from here to the close, they would be ~200 MB at --scale 5
    const closes = await run(encodeCloseSteps(metricCloses(plan, h).filter((c) => c.period === 'hour')));
    // the transactions are let go as they are encoded: their CSV lines' buffers with them
    const e = await run(encodeHourSteps(h, txns, takeSpare, closes, true));
    lastWorkMs = work;
    msg = { ...e, ms: work, pausedMs: performance.now() - t0 - work, pauses };
    port?.postMessage(msg, [
      e.times.buffer,
      e.types.buffer,
      e.textEnds.buffer,
      e.stmtEnds.buffer,
      e.paramEnds.buffer,
      e.params.buffer,
      ...closes.map((c) => c.data.buffer),
    ]);
  } catch (e) {
    msg = { h, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    port?.postMessage(msg);
  }
}
