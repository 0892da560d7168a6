/** The terminal's view of a live run: a progress line while it plays, a summary at the end. */

import type { LiveReport } from '../live/report.js';
import type { LiveProgress } from '../live/run.js';
import { plural } from '../plural.js';

const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const clockText = (t: number): string => new Date(t).toISOString().slice(0, 19).replace('T', ' ');

/** a rate as a progress line shows it: a tenth below 10 (a real-time run of a small shop makes ~1 a second) */
const rate = (n: number, s: number): string => {
  const r = n / Math.max(s, 0.001);
  return r < 10 ? r.toFixed(1) : r.toFixed(0);
};

/**
 * The progress lines of one run: each line's rates are those since the line before (a --follow run plays for
 * weeks: its average since the start says nothing of the last minutes), the first line's since the start.
 */
export function liveProgressLines(): (p: LiveProgress) => string {
  let before = { elapsedMs: 0, committed: 0, scheduled: 0 };
  return (p) => {
    const s = (p.elapsedMs - before.elapsedMs) / 1000;
    const committed = p.committed - before.committed;
    const scheduled = p.scheduled - before.scheduled;
    before = { elapsedMs: p.elapsedMs, committed: p.committed, scheduled: p.scheduled };
    const backfill = p.backfilled > 0 ? `backfilled ${p.backfilled} | ` : '';
    return (
      `scenario ${clockText(p.clock)} | ${backfill}${rate(committed, s)} tx/s ` +
      `(${rate(scheduled, s)} scheduled) | lag ${Math.max(0, p.lagMs / 1000).toFixed(1)} s | ` +
      `partitions ${p.aheadHours.toFixed(0)} h ahead | errors ${p.errors}`
    );
  };
}

/**
 * What a terminal shows while a run plays (issue 7 §2), redrawn in place: the progress line, then per transaction
 * type its rate against the scheduled one and the p50/p99 latency from the scheduled time of those committed,
 * all since the block before.
 */
export function liveProgressBlocks(): (p: LiveProgress) => string[] {
  const headline = liveProgressLines();
  let elapsedMs = 0;
  const before = new Map<string, { committed: number; scheduled: number }>();
  return (p) => {
    const s = (p.elapsedMs - elapsedMs) / 1000;
    elapsedMs = p.elapsedMs;
    const lines = [headline(p)];
    for (const t of p.types) {
      const b = before.get(t.type) ?? { committed: 0, scheduled: 0 };
      before.set(t.type, { committed: t.committed, scheduled: t.scheduled });
      const latency =
        t.committed > b.committed ? `p50 ${ms(t.p50)} ms, p99 ${ms(t.p99)} ms` : 'none committed';
      lines.push(
        `  ${t.type.padEnd(14)} ${rate(t.committed - b.committed, s).padStart(7)} tx/s ` +
          `(${rate(t.scheduled - b.scheduled, s)} scheduled) | ${latency}`,
      );
    }
    return lines;
  };
}

/**
 * The terminal text that replaces a block of `previous` lines shown last (the cursor on its last line) with
 * `lines`: up to the block's first line, each line written over and cleared to its end, and what is left of a
 * longer block below cleared. Lines are cut to the terminal's `columns`: a line the terminal wrapped would take
 * two rows, and the next redraw would go up one row short.
 */
export function redrawBlock(previous: number, lines: readonly string[], columns?: number): string {
  const up = previous > 1 ? `\u001b[${previous - 1}A` : '';
  const cut = (l: string): string =>
    columns !== undefined && columns > 1 && l.length >= columns ? l.slice(0, columns - 1) : l;
  return `${up}\r${lines.map((l) => `${cut(l)}\u001b[K`).join('\n')}\u001b[J`;
}

export function formatLiveSummary(r: LiveReport): string {
  const lines: string[] = [];
  const secs = r.elapsedMs / 1000;
  lines.push(
    `played ${plural(r.transactions, 'transaction')} (${plural(r.rows, 'row')}) in ${secs.toFixed(1)} s` +
      ` from ${r.playedFrom}${r.resumed ? ' (resumed)' : ''}; snapshot ${r.snapshot.rows.toLocaleString('en-US')} rows` +
      `${r.finished ? '' : '; not finished'}`,
  );
  if (r.backfill.transactions > 0)
    lines.push(
      `backfill: ${r.backfill.transactions.toLocaleString('en-US')} transactions (${r.backfill.rows.toLocaleString('en-US')} rows) already past at the start, played at once`,
    );
  lines.push(
    `late (started > ${r.lateAfterMs} ms after schedule): ${r.late}; lag p50 ${ms(r.lag.p50)} ms, p99 ${ms(r.lag.p99)} ms, max ${ms(r.lag.max)} ms`,
  );
  lines.push('type            count    late  errors   p50 ms   p99 ms  (latency from the scheduled time)');
  for (const t of r.types)
    lines.push(
      `${t.type.padEnd(14)} ${String(t.count).padStart(7)} ${String(t.late).padStart(7)} ${String(t.errors).padStart(7)} ` +
        `${ms(t.latency.p50).padStart(8)} ${ms(t.latency.p99).padStart(8)}`,
    );
  for (const o of r.maintenance.ops)
    lines.push(
      `maintenance ${o.op}: ${o.count} in ${ms(o.totalMs)} ms (max ${ms(o.maxMs)} ms), at most ${o.blocked} sessions seen waiting on them` +
        (o.waitedMs === undefined ? '' : `, ${ms(o.waitedMs)} ms of waiting in all`),
    );
  if (r.dashboards) {
    lines.push(
      'dashboard query      count  errors   p50 ms   p99 ms  server p50  (meanwhile, relative to the scenario clock)',
    );
    for (const q of r.dashboards.queries)
      lines.push(
        `${q.name.padEnd(19)} ${String(q.count).padStart(6)} ${String(q.errors).padStart(7)} ` +
          `${ms(q.overall.p50).padStart(8)} ${ms(q.overall.p99).padStart(8)} ` +
          `${(q.serverMs === undefined ? '-' : ms(q.serverMs.p50)).padStart(10)}`,
      );
  }
  const errors = Object.entries(r.errors);
  if (errors.length > 0) lines.push(`errors: ${errors.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  return lines.join('\n');
}
