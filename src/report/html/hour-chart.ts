/**
 * A figure per hour of the scenario's window: bars (overlaid, the first the widest and lightest), lines with
 * a dot per hour, and dashed reference lines without marks (the scenario's curve). The x axis is UTC time,
 * ticked every 1, 2, 3, 6, 12 or 24 hours so that at most a dozen labels fit; midnight is labelled by its date.
 * A legend of more series than one row holds takes more rows, and the plot moves down under it.
 */
import { at } from '../../at.js';
import { esc, finite, fmtSI } from './format.js';
import { LEGEND_ROW, type LegendItem, legend, linearScale, r1, svgOpen, text } from './svg.js';
import { COLORS, W } from './theme.js';

export interface HourSeries {
  label: string;
  /** a value per hour; null: none that hour (a line breaks there, no dot) */
  values: (number | null)[];
  color: string;
  kind: 'bar' | 'line' | 'reference';
  /** a line drawn dashed, its dots kept (more series than the palette has colours) */
  dashed?: boolean;
  /** the tooltip of one value, at hour index h */
  tip: (v: number, h: number) => string;
}

const HOUR_MS = 3_600_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 06:00, or Nov 27 at midnight. */
function tickLabel(ms: number): string {
  const d = new Date(ms);
  if (d.getUTCHours() === 0) return `${at(MONTHS, d.getUTCMonth())} ${d.getUTCDate()}`;
  return `${String(d.getUTCHours()).padStart(2, '0')}:00`;
}

/** "Nov 27 06:00 UTC": the tooltip's hour. */
function hourName(ms: number): string {
  const d = new Date(ms);
  return `${at(MONTHS, d.getUTCMonth())} ${d.getUTCDate()} ${String(d.getUTCHours()).padStart(2, '0')}:00 UTC`;
}

export function hourChart(opts: {
  testid: string;
  title: string;
  desc: string;
  /** epoch ms of the first hour */
  start: number;
  hours: number;
  series: HourSeries[];
  yLabel: string;
}): string {
  const { start, hours, series } = opts;
  const m = { left: 70, right: 24, top: 46, bottom: 48 };
  const key = legend(
    m.left,
    18,
    series.map(
      (s): LegendItem => ({
        label: s.label,
        color: s.color,
        ...(s.kind === 'reference' || s.dashed ? { dashed: true } : {}),
      }),
    ),
  );
  m.top += (key.rows - 1) * LEGEND_ROW;
  const H = 320 + (key.rows - 1) * LEGEND_ROW;
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const slot = pw / Math.max(1, hours);
  // a loop, not Math.max(...): a long --follow run's series have more values than a call takes arguments
  let max = 0;
  for (const s of series) for (const v of s.values) if (v !== null) max = Math.max(max, finite(v));
  const ys = linearScale(max * 1.05, ph, 5);
  const X = (h: number): number => m.left + h * slot;
  const Y = (v: number): number => m.top + ph - ys.at(Math.max(0, finite(v)));
  const hasValue = (v: number | null): v is number => v !== null;
  const parts: string[] = [svgOpen(opts.testid, opts.title, H, opts.desc)];
  for (const t of ys.ticks) {
    parts.push(
      `<line x1="${m.left}" y1="${r1(Y(t))}" x2="${W - m.right}" y2="${r1(Y(t))}" stroke="${COLORS.grid}"/>`,
      text(m.left - 8, Y(t) + 4, fmtSI(t), { anchor: 'end' }),
    );
  }
  // bars: overlaid in one slot per hour, each next series narrower so the one behind stays visible
  const bars = series.filter((s) => s.kind === 'bar');
  bars.forEach((s, i) => {
    const w = Math.min(48, slot * 0.8) * (1 - i * 0.35);
    s.values.forEach((v, h) => {
      if (!hasValue(v)) return;
      const y = Y(v);
      // a zero still gets a hairline: a mark the test can see, and a reader sees the hour had none
      const height = Math.max(0.5, m.top + ph - y);
      parts.push(
        `<rect class="mark" data-value="${finite(v)}" x="${r1(X(h) + (slot - w) / 2)}" y="${r1(m.top + ph - height)}" ` +
          `width="${r1(Math.max(0.5, w))}" height="${r1(height)}" fill="${s.color}">` +
          `<title>${esc(`${hourName(start + h * HOUR_MS)}: ${s.tip(v, h)}`)}</title></rect>`,
      );
    });
  });
  for (const s of series.filter((x) => x.kind !== 'bar')) {
    // a move, not a line, after an hour without a value
    const d = s.values
      .map((v, h) =>
        hasValue(v)
          ? `${h === 0 || !hasValue(s.values[h - 1] ?? null) ? 'M' : 'L'}${r1(X(h) + slot / 2)},${r1(Y(v))}`
          : '',
      )
      .join('');
    const dash =
      s.kind === 'reference' ? ' stroke-dasharray="6 4"' : s.dashed ? ' stroke-dasharray="5 3"' : '';
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    if (s.kind === 'line') {
      s.values.forEach((v, h) => {
        if (!hasValue(v)) return;
        parts.push(
          `<circle class="mark" data-value="${finite(v)}" cx="${r1(X(h) + slot / 2)}" cy="${r1(Y(v))}" r="2.5" fill="${s.color}">` +
            `<title>${esc(`${hourName(start + h * HOUR_MS)}: ${s.tip(v, h)}`)}</title></circle>`,
        );
      });
    }
  }
  // x axis: hour boundaries, a tick every `step` hours
  const step = [1, 2, 3, 6, 12, 24, 48, 168].find((k) => hours / k <= 12) ?? Math.ceil(hours / 12);
  const firstHour = new Date(start).getUTCHours();
  for (let h = 0; h <= hours; h++) {
    if ((firstHour + h) % step !== 0 && !(step > 24 && h === 0)) continue;
    const x = X(h);
    parts.push(
      `<line x1="${r1(x)}" y1="${m.top + ph}" x2="${r1(x)}" y2="${m.top + ph + 5}" stroke="${COLORS.axis}"/>`,
      text(x, m.top + ph + 18, tickLabel(start + h * HOUR_MS), { anchor: 'middle' }),
    );
  }
  parts.push(
    `<line x1="${m.left}" y1="${m.top + ph}" x2="${W - m.right}" y2="${m.top + ph}" stroke="${COLORS.axis}"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + ph}" stroke="${COLORS.axis}"/>`,
    text(m.left + pw / 2, H - 8, 'hour, UTC', { anchor: 'middle', size: 12, color: COLORS.ink }),
    text(16, m.top + ph / 2, esc(opts.yLabel), {
      anchor: 'middle',
      size: 12,
      color: COLORS.ink,
      attrs: ` transform="rotate(-90 16 ${r1(m.top + ph / 2)})"`,
    }),
    key.svg,
    '</svg>',
  );
  return parts.join('');
}
