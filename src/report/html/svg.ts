/**
 * The SVG kit of the charts: scales (d3-scale, run here at render time: the page itself has no scripts),
 * text, labels that fit, a wrapping legend and the <svg> element with its accessible title.
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { esc, finite } from './format.js';
import { COLORS, MONO, SANS, SANS_EM, W } from './theme.js';

/** Coordinates to one decimal: enough for the screen, and the file stays small. */
export const r1 = (n: number): string => String(Math.round(finite(n) * 10) / 10);

export interface Scale {
  /** value -> pixel offset from the axis start */
  at(v: number): number;
  ticks: number[];
  log: boolean;
}

/**
 * From 0 to `max` made nice (a round number), with at most `count` intervals between ticks. d3 takes the
 * count as a hint and may return half as many again, which crowds the labels: ask for fewer until they fit.
 * nice() and ticks() get the same count, so the axis ends on a tick.
 */
export function linearScale(max: number, px: number, count: number): Scale {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  for (let c = count; ; c--) {
    const s = scaleLinear().domain([0, top]).range([0, px]).nice(c);
    const ticks = s.ticks(c);
    if (ticks.length - 1 <= count || c <= 1) return { at: (v) => s(finite(v)), ticks, log: false };
  }
}

/** 1, 2, 5 -> 1, 2, 5; 30 -> 3: the first significant digit of a positive tick. */
const leadingDigit = (v: number): number => Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));

/**
 * Decades from below the smallest positive value to above the largest. d3's log ticks are every multiple
 * 1-9 of each decade, too many labels: keep the decades, and 2 and 5 in between when there are only two.
 */
function logScale(min: number, max: number, px: number): Scale {
  const s = scaleLog().domain([min, max]).nice().range([0, px]).clamp(true);
  const [lo = min, hi = max] = s.domain();
  const keep = Math.round(Math.log10(hi / lo)) <= 2 ? [1, 2, 5] : [1];
  return {
    at: (v) => (v > 0 ? s(v) : 0),
    ticks: s.ticks().filter((t) => keep.includes(leadingDigit(t))),
    log: true,
  };
}

/** Latencies of cheap and expensive queries differ by orders of magnitude: a linear axis hides the cheap ones. */
export function valueScale(values: number[], px: number): Scale {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  const max = Math.max(0, ...pos);
  const min = Math.min(...pos);
  if (pos.length > 0 && max / min > 30) return logScale(min, max, px);
  return linearScale(max, px, 6);
}

export function text(
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
export function monoLabel(name: string, maxChars: number): string {
  if (name.length <= maxChars) return esc(name);
  return `${esc(`${name.slice(0, maxChars - 1)}…`)}<title>${esc(name)}</title>`;
}

export interface LegendItem {
  label: string;
  color: string;
  /** a dashed line instead of a filled box */
  dashed?: boolean;
  /** a solid line over a light area: the throughput series */
  line?: boolean;
}

export const LEGEND_ROW = 20;
const LEGEND_MAX_CHARS = 48;

/**
 * Legend items from (x, y), wrapping to a new row before the right edge (many layouts, long names); returns
 * the markup and how many rows it took. Item widths are estimated from SANS_EM, generously.
 */
export function legend(x: number, y: number, items: LegendItem[]): { svg: string; rows: number } {
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

export function svgOpen(testid: string, title: string, height: number, desc: string): string {
  const id = `${testid}-title`;
  return (
    `<svg data-testid="${testid}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${r1(height)}" ` +
    `width="${W}" height="${r1(height)}" role="img" aria-labelledby="${id} ${id}-desc" font-family='${SANS}'>` +
    `<title id="${id}">${esc(title)}</title><desc id="${id}-desc">${esc(desc)}</desc>`
  );
}
