/**
 * The live mode's hours generated on a worker thread (src/live/hours.ts) are the generator's own transactions:
 * every one decodes to what hourTransactions gives on this thread made ready for the wire (toWire), in the same
 * order, at the same time, with the same parameter bytes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/generate/index.js';
import { hourTransactions } from '../../src/generate/transactions.js';
import { HourFeed } from '../../src/live/hours.js';
import { hourTxn, toWire } from '../../src/live/wire-txn.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';

const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 3 }));
const feed = new HourFeed(plan);
afterAll(() => feed.close());

describe('HourFeed', () => {
  it('gives each hour asked for, in any order, equal to hourTransactions', async () => {
    feed.ask(2);
    for (const h of [2, 0]) {
      const e = await feed.wait(h);
      const direct = hourTransactions(plan, h);
      expect(e.h).toBe(h);
      expect(e.times.length).toBe(direct.length);
      expect(direct.length).toBeGreaterThan(0);
      direct.forEach((t, i) => {
        expect(e.times[i]).toBe(t.time);
        expect(hourTxn(e, i)).toEqual(toWire(t));
      });
    }
    // taken hours are forgotten: asked again, they are not generated twice
    expect(feed.take(2)).toBeUndefined();
  });
});
