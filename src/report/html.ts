/**
 * `--html FILE`: one self-contained page for people. No scripts, fonts, stylesheets or images from anywhere:
 * the file is mailed, attached to issues and opened offline years later, so CSS is inline and every chart is
 * an inline SVG drawn here. Each chart carries data-testid and, on every data mark, data-value, so the
 * headless-Chromium test (test/integration/html-report.test.ts) can check what rendered without a chart
 * library to ask.
 *
 * Every string that reaches the page goes through esc(): scenario, table, query and layout names come from
 * users' files and flags.
 */
import type {
  LayoutResult,
  LoadReport,
  Percentiles,
  PlanCheck,
  QueryReport,
  QueryResult,
  RunReport,
} from './types.js';

// ---------------------------------------------------------------------------------------------------------
// formatting

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** For text and attribute values alike (attributes are always double-quoted here). */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A number that could be NaN or infinite (a division by a zero duration) never reaches the page as such. */
const finite = (n: number): number => (Number.isFinite(n) ? n : 0);

const fmtInt = (n: number): string => Math.round(finite(n)).toLocaleString('en-US');
const fmtFixed = (n: number, digits: number): string =>
  finite(n).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const fmtMB = (bytes: number): string => fmtFixed(bytes / 1e6, 1);
const fmtS = (ms: number): string => fmtFixed(ms / 1000, 2);

/** Milliseconds with the digits that matter: 0.42, 3.10, 41.3, 1,204. */
function fmtMs(ms: number): string {
  const v = finite(ms);
  if (v >= 100) return fmtInt(v);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** Tick and label values: 150k, 1.2M, 0.25. */
function fmtSI(v: number): string {
  const n = finite(v);
  const trim = (x: number): string => String(Number(x.toPrecision(3)));
  if (Math.abs(n) >= 1e9) return `${trim(n / 1e9)}G`;
  if (Math.abs(n) >= 1e6) return `${trim(n / 1e6)}M`;
  if (Math.abs(n) >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}

function ratioText(v: number, base: number): string {
  return base > 0 && Number.isFinite(v / base) ? `×${(v / base).toFixed(2)}` : '×–';
}

/** The ratio in a table cell, green or red beyond ±5% (the threshold `gen compare` uses) by which way is good. */
function ratioCell(v: number, base: number, good: 'higher' | 'lower'): string {
  const r = v / base;
  const cls =
    !(base > 0) || !Number.isFinite(r) || Math.abs(r - 1) <= 0.05
      ? 'of'
      : r > 1 === (good === 'higher')
        ? 'ratio better'
        : 'ratio worse';
  return `<span class="${cls}">${ratioText(v, base)}</span>`;
}

/** Seconds without trailing zeros: 30 s, 37.35 s. */
const fmtSecs = (ms: number): string => String(Number((finite(ms) / 1000).toFixed(2)));

/** 2026-11-27T00:00:00.000Z -> 2026-11-27 00:00 UTC; anything else is shown as given. */
function fmtTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

// ---------------------------------------------------------------------------------------------------------
// SVG toolkit: just what the three charts need

const W = 960;
const SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
/** Names in charts are set in monospace: their width is predictable (0.6 em a character), so labels fit. */
const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace';
/** An upper bound of a sans-serif character's width, em; DejaVu Sans (Debian's default) is among the widest. */
const SANS_EM = 0.62;

const COLORS = {
  ink: '#1f2328',
  muted: '#59636e',
  axis: '#8c959f',
  grid: '#e6e9ed',
  line: '#1d4ed8',
  area: '#93b4f5',
  /** p50 -> p99: one hue getting darker, so "further into the tail" reads as "darker" */
  percentiles: ['#9ecae1', '#3182bd', '#08306b'],
  /** Okabe-Ito: distinguishable with the common colour-vision deficiencies */
  categorical: ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'],
};

const r1 = (n: number): string => String(Math.round(finite(n) * 10) / 10);

/** Nice step for about `count` intervals over `span`: 1, 2, 2.5 or 5 times a power of ten. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
}

interface Scale {
  /** value -> pixel offset from the axis start */
  at(v: number): number;
  ticks: number[];
  log: boolean;
}

function linearScale(max: number, px: number, count: number): Scale {
  const top0 = max > 0 && Number.isFinite(max) ? max : 1;
  const step = niceStep(top0, count);
  const top = Math.ceil(top0 / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + step / 2; i++) ticks.push(Number((i * step).toPrecision(12)));
  return { at: (v) => (finite(v) / top) * px, ticks, log: false };
}

/** Decades from below the smallest positive value to above the largest; 2 and 5 in between when few. */
function logScale(min: number, max: number, px: number): Scale {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max)));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) {
    ticks.push(Number((10 ** e).toPrecision(12)));
    if (hi - lo <= 2 && e < hi)
      ticks.push(Number((2 * 10 ** e).toPrecision(12)), Number((5 * 10 ** e).toPrecision(12)));
  }
  return {
    at: (v) => (v <= 0 ? 0 : Math.max(0, ((Math.log10(v) - lo) / (hi - lo)) * px)),
    ticks,
    log: true,
  };
}

/** Latencies of cheap and expensive queries differ by orders of magnitude: a linear axis hides the cheap ones. */
function valueScale(values: number[], px: number): Scale {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  const max = Math.max(0, ...pos);
  const min = Math.min(...pos);
  if (pos.length > 0 && max / min > 30) return logScale(min, max, px);
  return linearScale(max, px, 6);
}

function text(
  x: number,
  y: number,
  content: string,
  opts: {
    size?: number;
    anchor?: 'start' | 'middle' | 'end';
    color?: string;
    mono?: boolean;
    weight?: number;
    attrs?: string;
  } = {},
): string {
  const { size = 11, anchor = 'start', color = COLORS.muted, mono = false, weight } = opts;
  return (
    `<text x="${r1(x)}" y="${r1(y)}" font-size="${size}" text-anchor="${anchor}" fill="${color}"` +
    `${mono ? ` font-family='${MONO}'` : ''}${weight ? ` font-weight="${weight}"` : ''}${opts.attrs ?? ''}>${content}</text>`
  );
}

/** A name that fits `maxChars` monospace characters, with the full name as a tooltip when shortened. */
function monoLabel(name: string, maxChars: number): string {
  if (name.length <= maxChars) return esc(name);
  return `${esc(`${name.slice(0, maxChars - 1)}…`)}<title>${esc(name)}</title>`;
}

interface LegendItem {
  label: string;
  color: string;
  /** a dashed line instead of a filled box */
  dashed?: boolean;
  /** a solid line over a light area: the throughput series */
  line?: boolean;
}

const LEGEND_ROW = 20;
const LEGEND_MAX_CHARS = 48;

/**
 * Legend items from (x, y), wrapping to a new row before the right edge (many layouts, long names); returns
 * the markup and how many rows it took. Item widths are estimated from SANS_EM, generously.
 */
function legend(x: number, y: number, items: LegendItem[]): { svg: string; rows: number } {
  let cx = x;
  let cy = y;
  let rows = 1;
  const parts: string[] = ['<g class="legend">'];
  for (const it of items) {
    const label =
      it.label.length > LEGEND_MAX_CHARS ? `${it.label.slice(0, LEGEND_MAX_CHARS - 1)}…` : it.label;
    const w = 24 + label.length * 12 * SANS_EM;
    if (cx > x && cx + w > W - 8) {
      cx = x;
      cy += LEGEND_ROW;
      rows++;
    }
    if (it.dashed) {
      parts.push(
        `<line x1="${r1(cx)}" y1="${cy}" x2="${r1(cx + 18)}" y2="${cy}" stroke="${it.color}" stroke-width="2" stroke-dasharray="5 3"/>`,
      );
    } else if (it.line) {
      parts.push(
        `<rect x="${r1(cx)}" y="${cy - 2}" width="18" height="8" fill="${COLORS.area}" opacity="0.55"/>`,
        `<line x1="${r1(cx)}" y1="${cy - 2}" x2="${r1(cx + 18)}" y2="${cy - 2}" stroke="${it.color}" stroke-width="2"/>`,
      );
    } else {
      parts.push(`<rect x="${r1(cx + 3)}" y="${cy - 6}" width="12" height="12" rx="2" fill="${it.color}"/>`);
    }
    const full = label === it.label ? '' : `<title>${esc(it.label)}</title>`;
    parts.push(text(cx + 24, cy + 4, esc(label) + full, { size: 12, color: COLORS.ink }));
    cx += w + 22;
  }
  parts.push('</g>');
  return { svg: parts.join(''), rows };
}

function svgOpen(testid: string, title: string, height: number, desc: string): string {
  const id = `${testid}-title`;
  return (
    `<svg data-testid="${testid}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${r1(height)}" ` +
    `width="${W}" height="${r1(height)}" role="img" aria-labelledby="${id} ${id}-desc" font-family='${SANS}'>` +
    `<title id="${id}">${esc(title)}</title><desc id="${id}-desc">${esc(desc)}</desc>`
  );
}

// ---------------------------------------------------------------------------------------------------------
// throughput over time

/** rows/s between consecutive samples; intervals of zero length (two samples at one instant) are skipped */
function throughputIntervals(
  samples: LoadReport['samples'],
): { t0: number; t1: number; rowsPerSec: number; mbPerSec: number }[] {
  const out: { t0: number; t1: number; rowsPerSec: number; mbPerSec: number }[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
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

function throughputChart(load: LoadReport): string {
  const intervals = throughputIntervals(load.samples);
  if (intervals.length === 0) {
    return '<p class="note">Fewer than two throughput samples: no chart.</p>';
  }
  const H = 340;
  const m = { left: 70, right: 24, top: 46, bottom: 50 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const endMs = Math.max(load.wallMs, intervals[intervals.length - 1]!.t1);
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
  const firstT = intervals[0]!.t0;
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

// ---------------------------------------------------------------------------------------------------------
// horizontal grouped bars: query latencies, layout comparisons

interface Bar {
  series: number;
  value: number;
  /** drawn at the end of the bar */
  label: string;
  tooltip: string;
}

interface Group {
  name: string;
  bars: Bar[];
}

const BAR_H = 13;
const BAR_GAP = 3;
const GROUP_GAP = 14;
const LABEL_SIZE = 12;
const VALUE_SIZE = 10.5;

/** Monospace label column for these names: 0.6 em per character, at most 30 characters. */
function labelColumn(names: string[]): { width: number; maxChars: number } {
  const maxChars = Math.min(30, Math.max(4, ...names.map((n) => n.length)));
  return { width: maxChars * LABEL_SIZE * 0.6 + 16, maxChars };
}

/**
 * One panel of grouped horizontal bars starting at y0: names on the left, an x axis with ticks below.
 * Returns its markup and height. `valueRoom` keeps space right of the longest bar for its label.
 */
function barPanel(
  y0: number,
  groups: Group[],
  colors: string[],
  opts: { axisLabel: string; labelWidth: number; maxChars: number; valueRoom: number; scale?: Scale },
): { svg: string; height: number } {
  const left = opts.labelWidth;
  const pw = W - left - 16 - opts.valueRoom;
  const scale =
    opts.scale ??
    valueScale(
      groups.flatMap((g) => g.bars.map((b) => b.value)),
      pw,
    );
  const groupH = (g: Group): number => g.bars.length * (BAR_H + BAR_GAP) - BAR_GAP;
  const plotH = groups.reduce((a, g) => a + groupH(g) + GROUP_GAP, GROUP_GAP / 2);
  const parts: string[] = [];
  const bottom = y0 + plotH;
  for (const t of scale.ticks) {
    const x = left + scale.at(t);
    parts.push(`<line x1="${r1(x)}" y1="${y0}" x2="${r1(x)}" y2="${r1(bottom)}" stroke="${COLORS.grid}"/>`);
    parts.push(text(x, bottom + 16, fmtSI(t), { anchor: 'middle' }));
  }
  let y = y0 + GROUP_GAP / 2;
  for (const g of groups) {
    const h = groupH(g);
    parts.push(
      text(left - 10, y + h / 2 + 4, monoLabel(g.name, opts.maxChars), {
        anchor: 'end',
        size: LABEL_SIZE,
        color: COLORS.ink,
        mono: true,
      }),
    );
    g.bars.forEach((b, i) => {
      const by = y + i * (BAR_H + BAR_GAP);
      const w = Math.max(0, scale.at(b.value));
      parts.push(
        `<rect class="mark" data-value="${finite(b.value)}" x="${left}" y="${r1(by)}" width="${r1(w)}" height="${BAR_H}" ` +
          `fill="${colors[b.series % colors.length]}"><title>${esc(b.tooltip)}</title></rect>`,
      );
      parts.push(text(left + w + 5, by + BAR_H - 2.5, esc(b.label), { size: VALUE_SIZE, color: COLORS.ink }));
    });
    y += h + GROUP_GAP;
  }
  parts.push(
    `<line x1="${left}" y1="${y0}" x2="${left}" y2="${r1(bottom)}" stroke="${COLORS.axis}"/>`,
    `<line x1="${left}" y1="${r1(bottom)}" x2="${r1(left + pw)}" y2="${r1(bottom)}" stroke="${COLORS.axis}"/>`,
    text(left + pw / 2, bottom + 36, esc(opts.axisLabel + (scale.log ? ' (log scale)' : '')), {
      anchor: 'middle',
      size: 12,
      color: COLORS.ink,
    }),
  );
  return { svg: parts.join(''), height: plotH + 44 };
}

function latencyChart(q: QueryReport): string {
  const names = ['p50', 'p95', 'p99'] as const;
  const groups: Group[] = q.queries.map((r) => ({
    name: r.name,
    bars: names.map((p, i) => ({
      series: i,
      value: r.latencyMs[p],
      label: fmtMs(r.latencyMs[p]),
      tooltip: `${r.name} ${p}: ${fmtMs(r.latencyMs[p])} ms`,
    })),
  }));
  const { width, maxChars } = labelColumn(groups.map((g) => g.name));
  const top = 40;
  const panel = barPanel(top, groups, COLORS.percentiles, {
    axisLabel: 'latency, ms',
    labelWidth: width,
    maxChars,
    valueRoom: 44,
  });
  const H = top + panel.height + 6;
  return [
    svgOpen(
      'chart-latency',
      'Query latency percentiles',
      H,
      `p50, p95 and p99 latency of ${q.queries.length} queries in milliseconds.`,
    ),
    legend(
      width,
      18,
      names.map((p, i) => ({ label: p, color: COLORS.percentiles[i]! })),
    ).svg,
    panel.svg,
    '</svg>',
  ].join('');
}

function layoutsChart(layouts: LayoutResult[]): string {
  const colors = COLORS.categorical;
  const base = layouts[0]!;
  const queryNames = [...new Set(layouts.flatMap((l) => l.queries.queries.map((q) => q.name)))];
  const { width, maxChars } = labelColumn([...layouts.map((l) => l.layout), ...queryNames]);
  const parts: string[] = [];
  let y = 10;
  const key = legend(
    width,
    y + 8,
    layouts.map((l, i) => ({
      label: i === 0 ? `${l.layout} (baseline)` : l.layout,
      color: colors[i % colors.length]!,
    })),
  );
  parts.push(key.svg);
  y += 10 + key.rows * LEGEND_ROW;
  const vs = (v: number, b: number, unit: string, i: number): string =>
    i === 0 ? `${unit} (baseline)` : `${unit}  ${ratioText(v, b)}`;
  const panel = (title: string, groups: Group[], axisLabel: string, valueRoom: number): void => {
    parts.push(text(width, y + 14, esc(title), { size: 13, color: COLORS.ink, weight: 600 }));
    y += 22;
    const p = barPanel(y, groups, colors, { axisLabel, labelWidth: width, maxChars, valueRoom });
    parts.push(p.svg);
    y += p.height + 18;
  };
  // one bar per layout, each layout its own group so its name labels it
  panel(
    'Load throughput — higher is better',
    layouts.map((l, i) => ({
      name: l.layout,
      bars: [
        {
          series: i,
          value: l.load.rowsPerSec,
          label: vs(l.load.rowsPerSec, base.load.rowsPerSec, `${fmtInt(l.load.rowsPerSec)} rows/s`, i),
          tooltip: `${l.layout}: ${fmtInt(l.load.rowsPerSec)} rows/s`,
        },
      ],
    })),
    'rows/s',
    190,
  );
  panel(
    'Size on disk — lower is better',
    layouts.map((l, i) => ({
      name: l.layout,
      bars: [
        {
          series: i,
          value: l.sizeBytes / 1e6,
          label: vs(l.sizeBytes, base.sizeBytes, `${fmtMB(l.sizeBytes)} MB`, i),
          tooltip: `${l.layout}: ${fmtMB(l.sizeBytes)} MB`,
        },
      ],
    })),
    'MB (pg_total_relation_size of all tables)',
    190,
  );
  const p50 = (l: LayoutResult, name: string): number | undefined =>
    l.queries.queries.find((q) => q.name === name)?.latencyMs.p50;
  panel(
    'Query latency p50 — lower is better',
    queryNames.map((name) => ({
      name,
      bars: layouts.flatMap((l, i) => {
        const v = p50(l, name);
        if (v === undefined) return [];
        const b = p50(base, name);
        const label = i === 0 || b === undefined ? `${fmtMs(v)} ms` : `${fmtMs(v)} ms  ${ratioText(v, b)}`;
        return [{ series: i, value: v, label, tooltip: `${name} on ${l.layout}: p50 ${fmtMs(v)} ms` }];
      }),
    })),
    'p50 latency, ms',
    110,
  );
  const H = y;
  return [
    svgOpen(
      'chart-layouts',
      'Layouts compared',
      H,
      `Load throughput, size on disk and per-query p50 latency of ${layouts.length} layouts; ratios to ${base.layout}.`,
    ),
    ...parts,
    '</svg>',
  ].join('');
}

// ---------------------------------------------------------------------------------------------------------
// page sections

function table(head: string, rows: string[], cls = ''): string {
  return `<div class="table-wrap"><table${cls ? ` class="${cls}"` : ''}><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}

const th = (cells: string[]): string => `<tr>${cells.map((c) => `<th>${c}</th>`).join('')}</tr>`;
const td = (cells: string[]): string => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;

function badge(ok: boolean): string {
  return ok ? '<span class="badge pass">✓ PASS</span>' : '<span class="badge fail">✗ FAIL</span>';
}

function kpis(items: [string, string][]): string {
  return `<div class="kpis">${items
    .map(
      ([v, label]) =>
        `<div class="kpi"><div class="kpi-value">${v}</div><div class="kpi-label">${label}</div></div>`,
    )
    .join('')}</div>`;
}

function loadSection(load: LoadReport): string {
  const rowSecs = (load.wallMs - load.ddlMs) / 1000;
  const genCopy = load.genMs + load.copyMs;
  const genShare = genCopy > 0 ? load.genMs / genCopy : 0;
  const summary = [
    ['rows', fmtInt(load.rows), `${fmtInt(load.chunks)} chunks in ${Object.keys(load.tables).length} tables`],
    ['data', `${fmtMB(load.bytes)} MB`, 'CSV bytes sent by COPY'],
    [
      'wall time',
      `${fmtS(load.wallMs)} s`,
      `schema and partitions ${fmtS(load.ddlMs)} s, rows ${fmtFixed(rowSecs, 2)} s`,
    ],
    ['throughput', `${fmtInt(load.rowsPerSec)} rows/s`, 'rows ÷ row-loading time'],
    ['', `${fmtFixed(load.mbPerSec, 1)} MB/s`, ''],
    ['generation', `${fmtS(load.genMs)} s`, 'client CPU inside the generator, summed over streams'],
    [
      'COPY',
      `${fmtS(load.copyMs)} s`,
      'chunk wall time minus generation (server, socket, backpressure), summed over streams',
    ],
    [
      'generation : COPY',
      `<span class="split" title="generation ${fmtFixed(genShare * 100, 0)}%"><span style="width:${fmtFixed(genShare * 100, 1)}%"></span></span>`,
      `<span class="sw gen"></span>generation ${fmtFixed(genShare * 100, 0)}% · <span class="sw copy"></span>COPY ${fmtFixed((1 - genShare) * 100, 0)}% of their sum`,
    ],
    ['parallel streams', String(load.jobs), `layout ${esc(load.layout)}, schema ${esc(load.schema)}`],
    [
      'chunk COPY',
      `p50 ${fmtMs(load.chunkMs.p50)} ms`,
      `p95 ${fmtMs(load.chunkMs.p95)}, p99 ${fmtMs(load.chunkMs.p99)}, max ${fmtMs(load.chunkMs.max)} ms over ${fmtInt(load.chunkMs.count)} chunks`,
    ],
  ].map(
    ([k, v, note]) =>
      `<tr><th scope="row">${k}</th><td class="num">${v}</td><td class="note">${note}</td></tr>`,
  );

  const perTable = Object.entries(load.tables).map(([name, t]) =>
    td([
      `<code>${esc(name)}</code>`,
      fmtInt(t.partitions),
      fmtInt(t.rows),
      fmtMB(t.bytes),
      fmtS(t.genMs),
      fmtS(t.copyMs),
      fmtMs(t.chunkMs.p50),
      fmtMs(t.chunkMs.p95),
      fmtMs(t.chunkMs.p99),
      fmtMs(t.chunkMs.max),
    ]),
  );
  perTable.push(
    `<tr class="total">${[
      'total',
      '',
      fmtInt(load.rows),
      fmtMB(load.bytes),
      fmtS(load.genMs),
      fmtS(load.copyMs),
      fmtMs(load.chunkMs.p50),
      fmtMs(load.chunkMs.p95),
      fmtMs(load.chunkMs.p99),
      fmtMs(load.chunkMs.max),
    ]
      .map((c) => `<td>${c}</td>`)
      .join('')}</tr>`,
  );

  return `<section id="load">
<h2>Load</h2>
${kpis([
  [fmtInt(load.rows), 'rows'],
  [fmtMB(load.bytes), 'MB'],
  [fmtS(load.wallMs), 'seconds'],
  [fmtInt(load.rowsPerSec), 'rows/s'],
  [fmtFixed(load.mbPerSec, 1), 'MB/s'],
])}
<div class="table-wrap"><table class="kv"><tbody>${summary.join('')}</tbody></table></div>
<figure><figcaption>Throughput over time <span>rows/s between consecutive samples; the dashed line is the run's average</span></figcaption>
${throughputChart(load)}</figure>
<h3>Per table</h3>
${table(
  `<tr><th rowspan="2">table</th><th rowspan="2">partitions</th><th rowspan="2">rows</th><th rowspan="2">MB</th><th rowspan="2">gen s</th><th rowspan="2">copy s</th><th colspan="4" class="group">chunk COPY, ms</th></tr>${th(['p50', 'p95', 'p99', 'max'])}`,
  perTable,
  'numeric',
)}
</section>`;
}

function pruneCells(c: PlanCheck, withSubplans: boolean): string[] {
  const scanned =
    c.partitionsScanned > c.partitionsExpected
      ? `<strong class="bad">${fmtInt(c.partitionsScanned)}</strong>`
      : fmtInt(c.partitionsScanned);
  return [
    `${scanned} <span class="of">/ ${fmtInt(c.partitionsExpected)} / ${fmtInt(c.partitionsTotal)}</span>`,
    ...(withSubplans ? [fmtInt(c.subplansRemoved)] : []),
    `${fmtMs(c.planningMs)} <span class="of">/</span> ${fmtMs(c.executionMs)}`,
    badge(c.ok),
  ];
}

function queryName(r: QueryResult): string {
  return `<code>${esc(r.name)}</code>${r.description ? `<div class="desc">${esc(r.description)}</div>` : ''}`;
}

function queriesSection(q: QueryReport): string {
  const failed = q.queries.filter((r) => !(r.literal.ok && r.generic.ok));
  const verdict =
    q.queries.length === 0
      ? ''
      : failed.length === 0
        ? `<p class="verdict ok">${badge(true)} All ${q.queries.length} queries scan no more partitions than expected, with literals and with a generic plan.</p>`
        : `<p class="verdict bad">${badge(false)} ${failed.length} of ${q.queries.length} queries ${failed.length === 1 ? 'scans' : 'scan'} more partitions than expected: ${failed
            .map((r) => {
              const c = r.literal.ok ? r.generic : r.literal;
              return `<code>${esc(r.name)}</code> (${r.literal.ok ? 'generic plan' : 'literals'}: ${fmtInt(c.partitionsScanned)} of ${fmtInt(c.partitionsTotal)}, expected ${fmtInt(c.partitionsExpected)})`;
            })
            .join(', ')}.</p>`;
  const pruning = q.queries.map(
    (r) =>
      `<tr class="${r.literal.ok && r.generic.ok ? '' : 'failed'}">${[
        queryName(r),
        ...pruneCells(r.literal, false),
        ...pruneCells(r.generic, true),
      ]
        .map((c, i) => `<td${i === 0 ? ' class="name"' : ''}>${c}</td>`)
        .join('')}</tr>`,
  );
  const latency = q.queries.map((r) =>
    td([
      `<code>${esc(r.name)}</code>`,
      fmtInt(r.count),
      fmtFixed(r.qps, 1),
      r.errors > 0 ? `<strong class="bad">${fmtInt(r.errors)}</strong>` : '0',
      fmtMs(r.latencyMs.mean),
      fmtMs(r.latencyMs.p50),
      fmtMs(r.latencyMs.p95),
      fmtMs(r.latencyMs.p99),
      fmtMs(r.latencyMs.max),
    ]),
  );
  const rate =
    q.rate !== undefined
      ? ` at a target rate of ${fmtFixed(q.rate, 1)} queries/s (latency counted from each query's scheduled start, so a stall is not hidden)`
      : ' as fast as they can (latency of each query from send to result)';
  return `<section id="queries">
<h2>Queries</h2>
<p>${fmtInt(q.clients)} clients for ${fmtSecs(q.durationMs)} s${rate} against schema <code>${esc(q.schema)}</code>: ${fmtFixed(q.qps, 1)} queries/s, ${fmtInt(q.errors)} ${q.errors === 1 ? 'error' : 'errors'}.</p>
<h3>Partition pruning</h3>
${verdict}
${table(
  `<tr><th rowspan="2">query</th><th colspan="3" class="group">literals: plan-time pruning</th><th colspan="4" class="group">generic plan: run-time pruning</th></tr>${th(['partitions scanned / expected / total', 'planning / execution ms', '', 'partitions scanned / expected / total', 'subplans removed', 'planning / execution ms', ''])}`,
  pruning,
  'numeric pruning',
)}
<h3>Latency under load</h3>
<figure><figcaption>Latency percentiles per query <span>milliseconds; bars start at the axis minimum</span></figcaption>
${q.queries.length > 0 ? latencyChart(q) : '<p class="note">No queries ran.</p>'}</figure>
${table(th(['query', 'count', 'queries/s', 'errors', 'mean', 'p50', 'p95', 'p99', 'max']), latency, 'numeric')}
</section>`;
}

function layoutsSection(layouts: LayoutResult[]): string {
  const base = layouts[0]!;
  const loadRows = layouts.map((l, i) => {
    const passed = l.queries.queries.filter((q) => q.literal.ok && q.generic.ok).length;
    return td([
      `<code>${esc(l.layout)}</code>${i === 0 ? ' <span class="of">baseline</span>' : ''}<div class="desc">schema <code>${esc(l.schema)}</code></div>`,
      fmtInt(l.load.rowsPerSec),
      ratioCell(l.load.rowsPerSec, base.load.rowsPerSec, 'higher'),
      fmtS(l.load.wallMs),
      fmtS(l.load.ddlMs),
      fmtMB(l.sizeBytes),
      ratioCell(l.sizeBytes, base.sizeBytes, 'lower'),
      fmtFixed(l.queries.qps, 1),
      `${passed} / ${l.queries.queries.length}`,
    ]);
  });
  const names = [...new Set(layouts.flatMap((l) => l.queries.queries.map((q) => q.name)))];
  const p50Rows = names.map((name) => {
    const b = base.queries.queries.find((q) => q.name === name)?.latencyMs.p50;
    return td([
      `<code>${esc(name)}</code>`,
      ...layouts.map((l, i) => {
        const v = l.queries.queries.find((q) => q.name === name)?.latencyMs.p50;
        if (v === undefined) return '–';
        return i === 0 || b === undefined ? fmtMs(v) : `${fmtMs(v)} ${ratioCell(v, b, 'lower')}`;
      }),
    ]);
  });
  return `<section id="layouts">
<h2>Layouts</h2>
<p>The same rows loaded and queried in ${layouts.length} partition layouts; ratios are to <code>${esc(base.layout)}</code>.</p>
<figure><figcaption>Layouts compared <span>ratios to the first layout</span></figcaption>
${layoutsChart(layouts)}</figure>
${table(th(['layout', 'rows/s', '', 'load s', 'DDL s', 'size MB', '', 'queries/s', 'pruning pass']), loadRows, 'numeric')}
<h3>Query p50 by layout, ms</h3>
${table(th(['query', ...layouts.map((l) => `<code>${esc(l.layout)}</code>`)]), p50Rows, 'numeric')}
</section>`;
}

/** In-page links to the sections this report has: the page runs long once per-table rows are in. */
function nav(r: RunReport): string {
  const links = [
    r.load ? ['load', 'Load'] : null,
    r.queries ? ['queries', 'Queries'] : null,
    r.layouts && r.layouts.length > 0 ? ['layouts', 'Layouts'] : null,
  ].filter((x): x is string[] => x !== null);
  return links.length === 0
    ? ''
    : `<nav>${links.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('')}</nav>`;
}

function header(r: RunReport): string {
  const s = r.scenario;
  const server = r.server ? `PostgreSQL ${esc(r.server.version)}` : 'no server (files written)';
  const settings = r.server
    ? `<dl class="settings">${Object.entries(r.server.settings)
        .map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`)
        .join('')}</dl>`
    : '';
  return `<header>
<p class="eyebrow">${esc(r.tool.name)} ${esc(r.tool.version)} · run report · ${esc(fmtTime(r.createdAt))}</p>
<h1>${esc(s.name)}</h1>
<p class="facts"><span>seed <b>${esc(String(s.seed))}</b></span><span><b>${fmtInt(s.hours)}</b> hours from <b>${esc(fmtTime(s.start))}</b></span><span>scale <b>${esc(String(s.scale))}</b></span><span><b>${server}</b></span></p>
<p class="target">${esc(r.target)}</p>
<pre class="command"><code>${esc(r.command.join(' '))}</code></pre>
${settings}
${nav(r)}
</header>`;
}

const CSS = `
:root { color-scheme: light; --ink: ${COLORS.ink}; --muted: ${COLORS.muted}; --line: #d8dee4; --bg: #f6f8fa; --accent: ${COLORS.line}; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.5 ${SANS}; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 24px 48px; }
header, section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 22px 28px; margin-bottom: 20px; }
h1 { font-size: 30px; margin: 2px 0 6px; letter-spacing: -0.01em; }
h2 { font-size: 21px; margin: 0 0 14px; padding-bottom: 8px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 26px 0 10px; }
code, pre { font-family: ${MONO}; font-size: 12.5px; }
.eyebrow { margin: 0; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; }
.facts { margin: 0 0 6px; display: flex; flex-wrap: wrap; gap: 4px 22px; font-size: 15px; }
.target { margin: 0 0 10px; color: var(--muted); font-family: ${MONO}; font-size: 12.5px; overflow-wrap: anywhere; }
.command { margin: 0 0 14px; padding: 8px 12px; background: var(--bg); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.settings { display: flex; flex-wrap: wrap; gap: 6px; margin: 0; }
.settings div { display: flex; border: 1px solid var(--line); border-radius: 6px; overflow: hidden; font-size: 12px; }
.settings dt { padding: 2px 7px; background: var(--bg); color: var(--muted); font-family: ${MONO}; }
.settings dd { margin: 0; padding: 2px 7px; font-weight: 600; font-family: ${MONO}; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 16px; }
.kpi { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.kpi-value { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.kpi-label { color: var(--muted); font-size: 12px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid #eaeef2; text-align: left; vertical-align: top; }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); vertical-align: bottom; }
thead th.group { text-align: center; border-bottom: 1px solid var(--line); }
table.numeric td:not(:first-child), table.numeric thead tr:last-child th:not(:first-child),
table.numeric thead tr:nth-child(2) th, table.numeric thead th[rowspan]:not(:first-child) { text-align: right; }
table.numeric td:not(:first-child) { white-space: nowrap; }
tr.total td { font-weight: 650; border-top: 1px solid var(--line); }
table.kv th { width: 170px; color: var(--muted); font-weight: 500; }
table.kv td.num { width: 190px; font-weight: 600; white-space: nowrap; }
table.kv td.note { color: var(--muted); }
.split { display: inline-block; width: 120px; height: 10px; border-radius: 5px; background: ${COLORS.area}; overflow: hidden; vertical-align: middle; }
.split span { display: block; height: 100%; background: #f59e0b; }
.sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.sw.gen { background: #f59e0b; }
.sw.copy { background: ${COLORS.area}; }
.of { color: var(--muted); font-weight: 400; }
.desc { color: var(--muted); font-size: 12px; max-width: 380px; }
table.pruning td.name { min-width: 270px; }
.ratio.better { color: #116329; font-weight: 600; }
.ratio.worse { color: #a40e26; font-weight: 600; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 700; white-space: nowrap; }
.badge.pass { background: #dafbe1; color: #116329; }
.badge.fail { background: #ffebe9; color: #a40e26; }
tr.failed td { background: #fff8f7; }
.bad { color: #a40e26; }
.verdict { padding: 8px 12px; border-radius: 6px; }
.verdict.ok { background: #f0fbf3; }
.verdict.bad { background: #fff5f4; color: var(--ink); }
figure { margin: 18px 0; }
figcaption { font-weight: 600; margin-bottom: 6px; }
figcaption span { font-weight: 400; color: var(--muted); margin-left: 8px; font-size: 13px; }
svg { display: block; max-width: 100%; height: auto; }
.note { color: var(--muted); }
nav { display: flex; gap: 18px; margin-top: 16px; padding-top: 12px; border-top: 1px solid var(--line); }
nav a { color: var(--accent); text-decoration: none; font-weight: 600; }
nav a:hover { text-decoration: underline; }
footer { color: var(--muted); font-size: 12px; text-align: center; }
`;

/**
 * HDR histograms report a bucket's highest equivalent value, which can exceed the recorded maximum by up to
 * 0.1% (p99 100.0 next to max 99.9): a reader would take that for a bug. No percentile is above the maximum.
 */
function clampPercentiles(p: Percentiles): Percentiles {
  const c = (v: number): number => Math.min(v, p.max);
  return { ...p, p50: c(p.p50), p95: c(p.p95), p99: c(p.p99) };
}

function tidy(report: RunReport): RunReport {
  const r = structuredClone(report);
  const load = (l: LoadReport): void => {
    l.chunkMs = clampPercentiles(l.chunkMs);
    for (const t of Object.values(l.tables)) t.chunkMs = clampPercentiles(t.chunkMs);
  };
  const queries = (q: QueryReport): void => {
    for (const x of q.queries) x.latencyMs = clampPercentiles(x.latencyMs);
  };
  if (r.load) load(r.load);
  if (r.queries) queries(r.queries);
  for (const l of r.layouts ?? []) {
    load(l.load);
    queries(l.queries);
  }
  return r;
}

/** The whole page. Sections appear only when the report has their data. */
export function renderHtml(input: RunReport): string {
  const report = tidy(input);
  const s = report.scenario;
  const title = `${s.name} · seed ${s.seed} · ${s.hours} h — ${report.tool.name} report`;
  const sections = [
    header(report),
    report.load ? loadSection(report.load) : '',
    report.queries ? queriesSection(report.queries) : '',
    report.layouts && report.layouts.length > 0 ? layoutsSection(report.layouts) : '',
  ].filter((x) => x !== '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${sections.join('\n')}
<footer>${esc(report.tool.name)} ${esc(report.tool.version)} · ${esc(report.createdAt)} · one self-contained file: no scripts, no network</footer>
</main>
</body>
</html>
`;
}
