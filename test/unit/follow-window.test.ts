/**
 * A followed live run (gen live --follow) grows its window as it plays; a restart must generate the hours it
 * plays from the window length the stopped run had for them: an hour's rows depend on the window's length, and
 * a restart that chose another length wrote resumed hours with other ids beside the committed ones. Where a
 * restart begins (firstHour) and, in real time, where its clock starts (realTimeAnchor).
 */
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/generate/index.js';
import {
  firstHour,
  followPlan,
  followWindowHours,
  realTimeAnchor,
  resumedFollowPlan,
} from '../../src/live/dispatch.js';
import { liveRunStarted } from '../../src/live/progress.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { HOUR_MS } from '../../src/time-units.js';

describe('followWindowHours', () => {
  it('is a day at least, grown by a day and an hour each time the clock reaches its end: 24, 49, 74, ...', () => {
    expect([0, 2, 3, 23, 24, 48, 49].map((h) => followWindowHours(3, h))).toEqual([
      24, 24, 24, 24, 49, 49, 74,
    ]);
    expect([0, 29, 30, 54, 55].map((h) => followWindowHours(30, h))).toEqual([30, 30, 55, 55, 80]);
    // from any length the run had, the same: a restart reads the plan it was given, the dispatcher its own
    for (let h = 49; h < 200; h++) expect(followWindowHours(49, h)).toBe(followWindowHours(3, h));
  });

  it("a restart at any hour generates it from the stopped run's window", () => {
    const base = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 3 }));
    // the first run's window (run.ts), then the dispatcher: hours taken in order, the window grown when the hour
    // taken is its end
    let plan = resumedFollowPlan(base, base.start);
    expect(plan.hours).toBe(24);
    for (let hour = 0; hour < 80; hour++) {
      if (hour >= plan.hours) plan = followPlan(plan, hour);
      expect([hour, followWindowHours(base.scenario.hours, hour)]).toEqual([hour, plan.hours]);
      // stopped anywhere in the hour, from the scenario's plan or from a longer one the run had; at the hour's
      // end it is the hour's close that is not committed: the restart generates this hour again
      for (const at of [0.001, 0.5, 0.999, 1])
        for (const from of [base, plan])
          expect([hour, at, resumedFollowPlan(from, base.start + (hour + at) * HOUR_MS).hours]).toEqual([
            hour,
            at,
            plan.hours,
          ]);
    }
  });
});

describe('firstHour', () => {
  it("is the hour the resume point is in; on an hour's end, the hour ending there (its close is at that time)", () => {
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 3 }));
    const at = (h: number): number => firstHour(plan, plan.start + h * HOUR_MS);
    expect([0, 0.001, 0.999, 1, 1.001, 2, 2.5, 3].map(at)).toEqual([0, 0, 0, 0, 1, 1, 2, 2]);
  });
});

describe('liveRunStarted', () => {
  it('a run begun (snapshot, a transaction, or finished) is continued only the way it was played', () => {
    const start = Date.UTC(2026, 10, 27);
    const run = { finished: false, snapshot: false, resumeFrom: start };
    expect(liveRunStarted(run, start)).toBe(false);
    expect(liveRunStarted({ ...run, snapshot: true }, start)).toBe(true);
    expect(liveRunStarted({ ...run, resumeFrom: start + 1 }, start)).toBe(true);
    expect(liveRunStarted({ ...run, finished: true }, start)).toBe(true);
  });
});

describe('realTimeAnchor', () => {
  it('is the wall clock once the window has started, whatever the resume point; before, the window starts at once', () => {
    const start = Date.UTC(2026, 11, 7);
    const now = start + 2 * HOUR_MS;
    // a restart whose first transaction not committed lies 53 s ahead (a helper's run: its clock that far ahead
    // for the whole run), or behind (what is past is due at once)
    expect(realTimeAnchor(start, now + 53_000, now)).toBe(now);
    expect(realTimeAnchor(start, now - 53_000, now)).toBe(now);
    expect(realTimeAnchor(start, start, now)).toBe(now);
    // --start now+2h: played from its start, at once
    expect(realTimeAnchor(now + HOUR_MS, now + HOUR_MS, now)).toBe(now + HOUR_MS);
  });
});
