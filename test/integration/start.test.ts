/**
 * `--start now-3h` on a real server (issue 7 §1): the load records the resolved start and the expression in
 * its ledger; verify, and a load resumed after the clock crossed an hour, mean that recorded window. The
 * clock is the one the tests give the CLI (Io.now), so "10:59, then 11:02" happens on every run.
 */
import { Writable } from 'node:stream';
import { describe, expect, inject, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ident } from '../../src/model/ddl.js';
import { scratchSchemas } from './scratch.js';

const url = inject('databaseUrl');
const { admin: adminClient, schema } = scratchSchemas(url, 'start');
const H = 3_600_000;
const HOUR_10 = Date.UTC(2026, 2, 10, 10);
const AT_10_59 = HOUR_10 + 59 * 60_000;
const AT_11_02 = HOUR_10 + 62 * 60_000;
/** what now-3h means for a run first started at 10:59 */
const WINDOW = new Date(HOUR_10 - 3 * H).toISOString();

class Sink extends Writable {
  text = '';
  constructor(private readonly onText?: (text: string) => void) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    this.onText?.(this.text);
    cb();
  }
}

/** gen in-process at the clock time `now`; `interrupt` aborts it (Ctrl-C) once the load has announced itself */
async function gen(
  args: string[],
  now: number,
  interrupt = false,
): Promise<{ code: number; out: string; err: string }> {
  const ac = new AbortController();
  const stdout = new Sink();
  const stderr = new Sink((t) => {
    if (interrupt && t.includes('gen: scenario')) ac.abort('SIGINT');
  });
  const code = await main(args, { stdout, stderr, env: {}, signal: ac.signal, now: () => now });
  return { code, out: stdout.text, err: stderr.text };
}

const flags = (s: string, start = 'now-3h'): string[] => [
  '--scenario',
  'tiny',
  '--start',
  start,
  '--hours',
  '2',
  '--db',
  url,
  '--schema',
  s,
  '--quiet',
];

async function recordedRun(s: string): Promise<{ start: number; startFrom?: string; description: string }> {
  const r = await adminClient().query<{
    scenario: { start: number; startFrom?: string };
    description: string;
  }>(`select scenario, description from ${ident(s)}._gen_run`);
  const row = r.rows[0];
  if (!row) throw new Error(`no run in ${s}`);
  return { ...row.scenario, description: row.description };
}

describe('--start now-3h against a database', () => {
  it('load records the resolved start; verify with the same flags (an hour later) passes', async () => {
    const s = schema('load');
    const load = await gen(flags(s), AT_10_59);
    expect(load.code, load.err).toBe(0);
    expect(load.err).toContain(`2 hours from ${WINDOW} (--start now-3h)`);
    const run = await recordedRun(s);
    expect(run.start).toBe(HOUR_10 - 3 * H);
    expect(run.startFrom).toBe('now-3h');
    expect(run.description).toContain('(--start now-3h)');

    // the clock has moved past 11:00 and days later: now-3h still names the loaded window
    for (const later of [AT_11_02, AT_11_02 + 50 * H]) {
      const v = await gen(['verify', ...flags(s)], later);
      expect(v.code, v.out + v.err).toBe(0);
      expect(v.out).toMatch(/^(\d+)\/\1 chunks \(a table's hour or day each\) match the scenario/m);
      expect(v.out).toMatch(/^(\d+)\/\1 integrity checks pass/m);
    }
    // the same window given as an instant is the same run
    const fixed = await gen(['verify', ...flags(s, WINDOW)], AT_11_02);
    expect(fixed.code, fixed.out + fixed.err).toBe(0);
    // another offset is another window: verify says so
    const other = await gen(['verify', ...flags(s, 'now-2h')], AT_10_59);
    expect(other.code).toBe(1);
    expect(other.out).toContain(`holds another run: scenario tiny`);
  });

  it('interrupted at 10:59 and resumed at 11:02, the load continues the 10:00-based window', async () => {
    const s = schema('resume');
    const first = await gen(flags(s), AT_10_59, true);
    expect(first.code, first.err).toBe(130);
    // the stop came while the schema was being set up (its DDL stops at the signal): the run is recorded
    expect(first.err).toContain(
      'stopped while setting the schema up, before loading any rows; run the same command',
    );
    expect((await recordedRun(s)).start).toBe(HOUR_10 - 3 * H);

    const second = await gen(flags(s), AT_11_02);
    expect(second.code, second.err).toBe(0);
    expect(second.err).toContain(`from ${WINDOW} (--start now-3h, as recorded by the schema's run)`);

    // an interruption after some chunks: the last three are lost as a kill -9 loses them (COPY and ledger
    // row roll back together); two hours later the same command loads exactly those, in the same window
    const lost = await adminClient().query<{ partition: string }>(
      `select partition from ${ident(s)}._gen_ledger
       where to_regclass(format('%I.%I', $1::text, partition)) is not null order by partition desc limit 3`,
      [s],
    );
    expect(lost.rows).toHaveLength(3);
    for (const { partition } of lost.rows) {
      await adminClient().query(`TRUNCATE ${ident(s)}.${ident(partition)}`);
      await adminClient().query(`DELETE FROM ${ident(s)}._gen_ledger WHERE partition = $1`, [partition]);
    }
    const third = await gen(flags(s), AT_11_02 + 2 * H);
    expect(third.code, third.err).toBe(0);
    const resumed = /resumed: (\d+) of (\d+) chunks were already loaded/.exec(third.out);
    expect(resumed, third.out).not.toBeNull();
    expect(Number(resumed?.[2]) - Number(resumed?.[1])).toBe(3);
    const v = await gen(['verify', ...flags(s)], AT_11_02 + 2 * H);
    expect(v.code, v.out + v.err).toBe(0);
    expect((await recordedRun(s)).start).toBe(HOUR_10 - 3 * H);

    // a new run with another explicit --start on the same schema is the usual "another run" error
    const another = await gen(flags(s, '2026-11-27'), AT_11_02);
    expect(another.code).toBe(2);
    // refused before the header: the error is the one line said
    expect(another.err).toMatch(
      /^gen: schema "[^"]+" holds another run \(scenario tiny.*\(--start now-3h\).*--reset[^\n]*\n$/,
    );
  });

  it('--reset resolves the expression afresh: the schema then holds the current window', async () => {
    const s = schema('reset');
    expect((await gen(flags(s), AT_10_59)).code).toBe(0);
    const again = await gen([...flags(s), '--reset'], AT_11_02 + 24 * H);
    expect(again.code, again.err).toBe(0);
    expect((await recordedRun(s)).start).toBe(HOUR_10 + 24 * H - 2 * H);
  });
});
