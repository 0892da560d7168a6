/**
 * Load throughput over time: one bar per interval between two samples, a step line over them and the run's
 * average. Each data mark carries data-value, so the browser test can check what rendered.
 */
import { at } from '../../at.js';
import type { LoadReport } from '../types.js';
import { finite, fmtFixed, fmtInt, fmtS, fmtSI } from './format.js';
import { legend, linearScale, r1, svgOpen, text } from './svg.js';
import { COLORS, W } from './theme.js';

/** rows/s between consecutive samples; intervals of zero length (two samples at one instant) are skipped */
function throughputIntervals(
  samples: LoadReport['samples'],
): { t0: number; t1: number; rowsPerSec: number; mbPerSec: number }[] {
  const out: { t0: number; t1: number; rowsPerSec: number; mbPerSec: number }[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = at(samples, i - 1);
    const b = at(samples, i);
    const dt = (b.tMs - a.tMs) / 1000;
    if (!(dt > 0)) continue;
    out.push({
      t0: a.tMs,
      t1: b.tMs,
      rowsPerSec: (b.rows - a.rows) / dt,
      mbPerSec: (b.bytes - a.bytes) / 1e6 / dt,
    });
  }
  return out;
}

export function throughputChart(load: LoadReport): string {
  const intervals = throughputIntervals(load.samples);
  if (intervals.length === 0) {
    return '<p class="note">Fewer than two throughput samples: no chart.</p>';
  }
  const H = 340;
  const m = { left: 70, right: 24, top: 46, bottom: 50 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const endMs = Math.max(load.wallMs, at(intervals, intervals.length - 1).t1);
  // ticks at 7,200 s read worse than at 120 min: long loads get a minute axis
  const unitMs = endMs > 15 * 60_000 ? 60_000 : 1000;
  const xs = linearScale(endMs / unitMs, pw, Math.min(12, Math.floor(pw / 70)));
  const ys = linearScale(Math.max(load.rowsPerSec, ...intervals.map((i) => i.rowsPerSec)) * 1.05, ph, 5);
  const X = (ms: number): number => m.left + xs.at(ms / unitMs);
  const Y = (v: number): number => m.top + ph - ys.at(Math.max(0, v));

  const parts: string[] = [
    svgOpen(
      'chart-throughput',
      'Load throughput over time',
      H,
      `Rows per second between consecutive samples over ${fmtS(endMs)} s; average ${fmtInt(load.rowsPerSec)} rows/s.`,
    ),
  ];
  // grid and y ticks
  for (const t of ys.ticks) {
    const y = Y(t);
    parts.push(
      `<line x1="${m.left}" y1="${r1(y)}" x2="${W - m.right}" y2="${r1(y)}" stroke="${COLORS.grid}"/>`,
    );
    parts.push(text(m.left - 8, y + 4, fmtSI(t), { anchor: 'end' }));
  }
  // the DDL phase, when there is one before the first sample: rows cannot flow until partitions exist
  const firstT = at(intervals, 0).t0;
  if (firstT > 0 && X(firstT) - m.left > 4) {
    const w = X(firstT) - m.left;
    parts.push(`<rect x="${m.left}" y="${m.top}" width="${r1(w)}" height="${ph}" fill="#f3f4f6"/>`);
    if (w > 34) parts.push(text(m.left + w / 2, m.top + 16, 'DDL', { anchor: 'middle', size: 11 }));
  }
  // marks: one bar per interval, its height the interval's rate. Translucent as a group, so that
  // sub-pixel bars of a long run do not stack their opacity into stripes.
  parts.push('<g opacity="0.55" shape-rendering="crispEdges">');
  for (const iv of intervals) {
    const x0 = X(iv.t0);
    const x1 = X(iv.t1);
    const y = Y(iv.rowsPerSec);
    parts.push(
      `<rect class="mark" data-value="${Math.round(finite(iv.rowsPerSec))}" x="${r1(x0)}" y="${r1(y)}" ` +
        `width="${r1(Math.max(0.5, x1 - x0))}" height="${r1(m.top + ph - y)}" fill="${COLORS.area}">` +
        `<title>${fmtS(iv.t0)}–${fmtS(iv.t1)} s: ${fmtInt(iv.rowsPerSec)} rows/s, ${fmtFixed(iv.mbPerSec, 1)} MB/s</title></rect>`,
    );
  }
  parts.push('</g>');
  // the step line over the bars: the rate is constant over an interval as far as the samples can tell
  const d = intervals
    .map((iv, i) => `${i === 0 ? 'M' : 'L'}${r1(X(iv.t0))},${r1(Y(iv.rowsPerSec))}H${r1(X(iv.t1))}`)
    .join('');
  parts.push(`<path d="${d}" fill="none" stroke="${COLORS.line}" stroke-width="2" stroke-linejoin="round"/>`);
  // average
  const ya = Y(load.rowsPerSec);
  parts.push(
    `<line x1="${m.left}" y1="${r1(ya)}" x2="${W - m.right}" y2="${r1(ya)}" stroke="${COLORS.ink}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
  );
  // axes
  parts.push(
    `<line x1="${m.left}" y1="${m.top + ph}" x2="${W - m.right}" y2="${m.top + ph}" stroke="${COLORS.axis}"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + ph}" stroke="${COLORS.axis}"/>`,
  );
  for (const t of xs.ticks) {
    const x = m.left + xs.at(t);
    parts.push(
      `<line x1="${r1(x)}" y1="${m.top + ph}" x2="${r1(x)}" y2="${m.top + ph + 5}" stroke="${COLORS.axis}"/>`,
    );
    parts.push(text(x, m.top + ph + 18, fmtSI(t), { anchor: 'middle' }));
  }
  parts.push(
    text(m.left + pw / 2, H - 8, `${unitMs === 1000 ? 'seconds' : 'minutes'} since the run started`, {
      anchor: 'middle',
      size: 12,
      color: COLORS.ink,
    }),
  );
  parts.push(
    text(16, m.top + ph / 2, 'rows/s', {
      anchor: 'middle',
      size: 12,
      color: COLORS.ink,
      attrs: ` transform="rotate(-90 16 ${r1(m.top + ph / 2)})"`,
    }),
  );
  parts.push(
    legend(m.left, 18, [
      { label: 'rows/s between samples', color: COLORS.line, line: true },
      {
        label: `average ${fmtInt(load.rowsPerSec)} rows/s (rows ÷ row-loading time)`,
        color: COLORS.ink,
        dashed: true,
      },
    ]).svg,
  );
  parts.push('</svg>');
  return parts.join('');
}
