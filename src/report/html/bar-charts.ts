/**
 * Horizontal grouped bars: query latency percentiles, and the layouts compared (throughput, size, p50 per
 * query). Names on the left in monospace, so the label column is sized from their length.
 */
import { at } from '../../at.js';
import type { LayoutResult, QueryReport } from '../types.js';
import { esc, finite, fmtInt, fmtMB, fmtMs, fmtSI, ratioText } from './format.js';
import { LEGEND_ROW, legend, linearScale, monoLabel, r1, svgOpen, text, valueScale } from './svg.js';
import { COLORS, seriesColor, W } from './theme.js';

export interface Bar {
  series: number;
  value: number;
  /** drawn at the end of the bar */
  label: string;
  tooltip: string;
}

export interface Group {
  name: string;
  bars: Bar[];
}

const BAR_H = 13;
const BAR_GAP = 3;
const GROUP_GAP = 14;
const LABEL_SIZE = 12;
const VALUE_SIZE = 10.5;

/** Monospace label column for these names: 0.6 em per character, at most 30 characters. */
export function labelColumn(names: string[]): { width: number; maxChars: number } {
  const maxChars = Math.min(30, Math.max(4, ...names.map((n) => n.length)));
  return { width: maxChars * LABEL_SIZE * 0.6 + 16, maxChars };
}

/**
 * One panel of grouped horizontal bars starting at y0: names on the left, an x axis with ticks below.
 * Returns its markup and height. `valueRoom` keeps space right of the longest bar for its label.
 */
export function barPanel(
  y0: number,
  groups: Group[],
  colors: readonly string[],
  opts: { axisLabel: string; labelWidth: number; maxChars: number; valueRoom: number; linear?: boolean },
): { svg: string; height: number } {
  const left = opts.labelWidth;
  const pw = W - left - 16 - opts.valueRoom;
  const values = groups.flatMap((g) => g.bars.map((b) => b.value));
  // shares of a whole read as lengths: never on a log axis
  const scale = opts.linear ? linearScale(Math.max(0, ...values), pw, 6) : valueScale(values, pw);
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
      // a zero still gets a hairline, as in the hour charts: the bar is there, and empty
      const w = Math.max(0.5, scale.at(b.value));
      parts.push(
        `<rect class="mark" data-value="${finite(b.value)}" x="${left}" y="${r1(by)}" width="${r1(w)}" height="${BAR_H}" ` +
          `fill="${seriesColor(colors, b.series)}"><title>${esc(b.tooltip)}</title></rect>`,
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

export function latencyChart(q: QueryReport): string {
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
      names.map((p, i) => ({ label: p, color: seriesColor(COLORS.percentiles, i) })),
    ).svg,
    panel.svg,
    '</svg>',
  ].join('');
}

export function layoutsChart(layouts: LayoutResult[]): string {
  const colors = COLORS.categorical;
  const base = at(layouts, 0);
  const queryNames = [...new Set(layouts.flatMap((l) => l.queries.queries.map((q) => q.name)))];
  const { width, maxChars } = labelColumn([...layouts.map((l) => l.layout), ...queryNames]);
  const parts: string[] = [];
  let y = 10;
  const key = legend(
    width,
    y + 8,
    layouts.map((l, i) => ({
      label: i === 0 ? `${l.layout} (baseline)` : l.layout,
      color: seriesColor(colors, i),
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
