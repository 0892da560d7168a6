/**
 * A day's metric close streamed from a worker thread (src/live/day-closes.ts): each daily table's data, read as
 * the aggregation job reads it, is what closeCopyData makes on this thread (decoded: the generated CSV), with the
 * same rows; the worker stays at most MAX_AHEAD chunks ahead of a slow reader; a failed read ends it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { buildPlan, type Plan } from '../../src/generate/index.js';
import { metricCloses } from '../../src/generate/transactions.js';
import { DayCloses, MAX_AHEAD } from '../../src/live/day-closes.js';
import { closeCopyData } from '../../src/live/wire-txn.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';

// 30 hours from 22:00: days end at window hours 1 and 25 (midnight), the last, partial one at hour 29
const plan = buildPlan(
  applyOverrides(loadScenario('tiny'), { hours: 30, start: Date.parse('2026-11-26T22:00:00Z') }),
);

/** each close's data as read by the aggregation job, `pauseMs` after each chunk */
async function readAll(d: DayCloses, pauseMs = 0): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const c of d.closes) {
    const parts: Buffer[] = [];
    for await (const b of c.data()) {
      parts.push(Buffer.from(b));
      if (pauseMs > 0) await sleep(pauseMs);
    }
    out.push(Buffer.concat(parts));
  }
  return out;
}

/** what closeCopyData makes of each of hour h's day closes on this thread, and its rows */
function direct(
  p: Plan,
  h: number,
): { table: string; from: number; to: number; data: Buffer; rows: number }[] {
  return metricCloses(p, h)
    .filter((c) => c.period === 'day')
    .map((c) => {
      let rows = 0;
      const data = Buffer.concat([
        ...closeCopyData(c, (n) => {
          rows = n;
        }),
      ]);
      return { table: c.table, from: c.from, to: c.to, data, rows };
    });
}

describe("gen live's day closes, streamed from a worker (src/live/day-closes.ts)", () => {
  it("are each daily table's binary COPY data as made on this thread, with its rows, at a day's end only", async () => {
    let days = 0;
    for (let h = 0; h < plan.hours; h++) {
      const d = new DayCloses(plan, h, 4096);
      const want = direct(plan, h);
      expect(d.closes.map((c) => [c.table, c.from, c.to])).toEqual(want.map((c) => [c.table, c.from, c.to]));
      if (want.length === 0) continue;
      days++;
      try {
        const got = await readAll(d);
        for (const [i, c] of want.entries()) {
          expect(got[i]?.equals(c.data), `${c.table} at hour ${h}`).toBe(true);
          expect(d.closes[i]?.rows()).toBe(c.rows);
          expect(c.rows).toBeGreaterThan(0);
        }
      } finally {
        await d.end();
      }
    }
    expect(days).toBe(3);
  });

  it('stay at most MAX_AHEAD chunks ahead of a slow reader, and still give every byte', async () => {
    // a day of black-friday at --scale 0.1: ~5 MB of binary COPY data, ~25 of the generator's buffers
    const bf = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 24, scale: 0.1 }));
    const d = new DayCloses(bf, 23, 4096);
    try {
      const got = await readAll(d, 50);
      const want = direct(bf, 23);
      expect(want.length).toBe(3);
      for (const [i, c] of want.entries()) expect(got[i]?.equals(c.data), c.table).toBe(true);
      expect(d.maxUnread).toBe(MAX_AHEAD);
    } finally {
      await d.end();
    }
  });

  it('ends its worker when the reader stops early', async () => {
    const d = new DayCloses(plan, 1, 4096);
    const first = d.closes[0];
    if (!first) throw new Error('no day close at midnight');
    for await (const b of first.data()) {
      expect(b.length).toBeGreaterThan(0);
      break;
    }
    await d.end();
    // nothing more comes: a read after the end fails instead of waiting forever
    await expect(
      (async () => {
        for await (const _ of first.data()) {
          /* drained */
        }
      })(),
    ).rejects.toThrow();
  });
});
