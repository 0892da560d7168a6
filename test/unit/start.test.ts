/**
 * `--start now` and `now-72h` offsets (issue 7 §1, "staging that stays current"): parsing, resolution against a
 * clock given as a parameter (no test reads the real clock), the recorded run's start winning on a re-run,
 * and the ledger's identity of a run (fingerprint without the expression, description with it).
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { describeStart, scenarioFromFlags } from '../../src/commands/flags.js';
import { UserError } from '../../src/errors.js';
import { type LoadedScenario, runIdentity } from '../../src/load/ledger.js';
import { loadLayout } from '../../src/scenario/layout-file.js';
import { parseStartFlag, relativeStartHours, resolveStart } from '../../src/scenario/time.js';

const H = 3_600_000;
/** 2026-03-10 10:59:30 UTC: a minute before the hour turns */
const AT_10_59 = Date.UTC(2026, 2, 10, 10, 59, 30);
const AT_11_02 = Date.UTC(2026, 2, 10, 11, 2);
const HOUR_10 = Date.UTC(2026, 2, 10, 10);

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('parseStartFlag', () => {
  it.each([
    ['now', 0],
    ['NOW', 0],
    [' now-72h ', -72],
    ['now-3d', -72],
    ['now+2h', 2],
    ['now+1d', 24],
    ['now-0h', 0],
  ])('reads %j as now %+i hours', (text, hours) => {
    const r = parseStartFlag(text, '--start');
    expect(r).toEqual({ kind: 'now', expression: text.trim().toLowerCase(), offsetHours: hours });
  });

  it('reads an instant as before', () => {
    expect(parseStartFlag('2026-11-27', '--start')).toEqual({ kind: 'instant', ms: Date.UTC(2026, 10, 27) });
  });

  it.each([
    ['now-72', 'now-72h, now-3d, now+2h'],
    ['now-1.5h', 'now-72h, now-3d, now+2h'],
    ['now-2w', 'now-72h, now-3d, now+2h'],
    ['now-30m', 'now-72h, now-3d, now+2h'],
    ['today', 'like 2026-11-27T00:00:00Z'],
    ['now-876001h', 'whole hours h or days d'],
    // a near miss keeps its precise hint, and still names the relative forms
    ['2026-11-27T10:30:00Z', 'like 2026-11-27T10:00:00Z; or now'],
    // a date before 1970 looked like the forms it was told to use
    ['1969-12-31', 'like 2026-11-27, from 1970-01-01 on; or now'],
  ])('rejects %j in one line naming --start and the accepted forms', (text, hint) => {
    const m = messageOf(() => parseStartFlag(text, '--start'));
    expect(m).toMatch(/^--start: ".*" is not allowed; expected /);
    expect(m).toContain(hint);
    expect(m).not.toContain('\n');
  });

  it('relativeStartHours: null for anything but the relative forms', () => {
    expect(relativeStartHours('2026-11-27')).toBeNull();
    expect(relativeStartHours('now--3h')).toBeNull();
    expect(relativeStartHours('now-3d')).toBe(-72);
  });
});

describe('resolveStart', () => {
  it('now is the UTC hour that contains the clock, floored', () => {
    expect(resolveStart(parseStartFlag('now', '--start'), AT_10_59)).toBe(HOUR_10);
    expect(resolveStart(parseStartFlag('now', '--start'), HOUR_10)).toBe(HOUR_10);
    expect(resolveStart(parseStartFlag('now-72h', '--start'), AT_10_59)).toBe(HOUR_10 - 72 * H);
    expect(resolveStart(parseStartFlag('now+2h', '--start'), AT_10_59)).toBe(HOUR_10 + 2 * H);
  });

  it('an instant ignores the clock', () => {
    expect(resolveStart({ kind: 'instant', ms: 5 * H }, AT_10_59)).toBe(5 * H);
  });
});

const flags = { scenario: 'tiny', hours: 2 };

function recorded(over: Partial<LoadedScenario>): LoadedScenario {
  return { name: 'tiny', seed: 42, scale: 1, hours: 2, start: HOUR_10 - 3 * H, layout: 'hourly', ...over };
}

describe('scenarioFromFlags with a relative --start', () => {
  it('puts the resolved start and the expression into the scenario; the events move with the window', () => {
    const fixed = scenarioFromFlags(flags, { now: AT_10_59 });
    const c = scenarioFromFlags({ ...flags, start: 'now-3h' }, { now: AT_10_59 });
    expect(c.scenario.start).toBe(HOUR_10 - 3 * H);
    expect(c.scenario.startFrom).toBe('now-3h');
    expect(c.plan.start).toBe(HOUR_10 - 3 * H);
    expect(c.startRecorded).toBe(false);
    const shift = c.scenario.start - fixed.scenario.start;
    expect(c.scenario.events.map((e) => e.start)).toEqual(fixed.scenario.events.map((e) => e.start + shift));
    expect(describeStart(c)).toBe('2026-03-10T07:00:00.000Z (--start now-3h)');
  });

  it('a fixed start records no expression, and the clock does not matter', () => {
    const a = scenarioFromFlags({ ...flags, start: '2026-11-27' }, { now: AT_10_59 });
    const b = scenarioFromFlags({ ...flags, start: '2026-11-27' }, { now: AT_11_02 + 1000 * H });
    expect(a.scenario.startFrom).toBeUndefined();
    expect(a.scenario).toEqual(b.scenario);
  });

  it('resumed at 11:02, a run started at 10:59 keeps its window (the recorded start)', () => {
    const first = scenarioFromFlags({ ...flags, start: 'now-3h' }, { now: AT_10_59 });
    const ledger = runIdentity(first.plan, loadLayout('hourly')).scenario;
    // without the ledger the clock would move the window an hour
    expect(scenarioFromFlags({ ...flags, start: 'now-3h' }, { now: AT_11_02 }).scenario.start).toBe(
      first.scenario.start + H,
    );
    const again = scenarioFromFlags({ ...flags, start: 'now-3h' }, { now: AT_11_02, recorded: ledger });
    expect(again.scenario.start).toBe(first.scenario.start);
    expect(again.startRecorded).toBe(true);
    expect(runIdentity(again.plan, loadLayout('hourly')).fingerprint).toBe(
      runIdentity(first.plan, loadLayout('hourly')).fingerprint,
    );
    expect(describeStart(again)).toContain("as recorded by the schema's run");
  });

  it('the same offset written differently (now-3d for now-72h) is the same run', () => {
    const r = recorded({ startFrom: 'now-72h', start: HOUR_10 - 100 * H });
    const c = scenarioFromFlags({ ...flags, start: 'now-3d' }, { now: AT_11_02, recorded: r });
    expect(c.scenario.start).toBe(HOUR_10 - 100 * H);
  });

  it('another offset, a fixed recorded start or no recorded run: the clock decides', () => {
    for (const r of [recorded({ startFrom: 'now-2h' }), recorded({}), null]) {
      const c = scenarioFromFlags({ ...flags, start: 'now-3h' }, { now: AT_11_02, recorded: r });
      expect(c.scenario.start).toBe(HOUR_10 - 2 * H);
      expect(c.startRecorded).toBe(false);
    }
  });

  it('a fixed --start never takes the recorded one', () => {
    const r = recorded({ startFrom: 'now-3h' });
    const c = scenarioFromFlags({ ...flags, start: '2026-11-27' }, { now: AT_11_02, recorded: r });
    expect(c.scenario.start).toBe(Date.UTC(2026, 10, 27));
  });

  it('an offset that leaves 1970..9999 is refused naming the expression and where it lands', () => {
    const m = messageOf(() =>
      scenarioFromFlags({ ...flags, start: 'now-500000h' }, { now: Date.UTC(2000, 0, 1) }),
    );
    expect(m).toMatch(/^--start: now-500000h \(1942-.*\) is not allowed; expected /);
  });
});

describe('the run identity of a relative start', () => {
  it('the fingerprint is the rows (the instant), the description and the ledger record say how it was chosen', () => {
    const layout = loadLayout('hourly');
    const rel = scenarioFromFlags({ ...flags, start: 'now-3h' }, { now: AT_10_59 });
    const abs = scenarioFromFlags({ ...flags, start: '2026-03-10T07:00:00Z' }, { now: AT_10_59 });
    const a = runIdentity(rel.plan, layout);
    const b = runIdentity(abs.plan, layout);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.description).toContain('2 hours from 2026-03-10T07:00:00.000Z (--start now-3h)');
    expect(a.scenario).toMatchObject({ start: HOUR_10 - 3 * H, startFrom: 'now-3h' });
    expect(b.scenario).not.toHaveProperty('startFrom');
  });
});

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

describe('gen --out DIR with a relative start', () => {
  it('a bad --start is one line and exit 2 for every command taking the scenario flags', async () => {
    for (const cmd of [[], ['verify'], ['query', '--with-load'], ['bench']]) {
      const stdout = new Sink();
      const stderr = new Sink();
      const code = await main(
        [...cmd, '--scenario', 'tiny', '--start', 'now-2w', '--db', 'postgres://x@127.0.0.1:1/x'],
        {
          stdout,
          stderr,
          env: {},
          now: () => AT_10_59,
        },
      );
      expect(code, stderr.text).toBe(2);
      expect(stderr.text).toMatch(
        /^gen: --start: "now-2w" is not allowed; expected .*now-72h, now-3d, now\+2h.*\n$/,
      );
    }
  });
});
