/**
 * Numbers and names as the page shows them. Every string that reaches the page goes through esc(): scenario,
 * table, query and layout names come from users' files and flags.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** For text and attribute values alike (attributes are always double-quoted here). */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A number that could be NaN or infinite (a division by a zero duration) never reaches the page as such. */
export const finite = (n: number): number => (Number.isFinite(n) ? n : 0);

export const fmtInt = (n: number): string => Math.round(finite(n)).toLocaleString('en-US');
export const fmtFixed = (n: number, digits: number): string =>
  finite(n).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const fmtMB = (bytes: number): string => fmtFixed(bytes / 1e6, 1);
export const fmtS = (ms: number): string => fmtFixed(ms / 1000, 2);

/** Milliseconds with the digits that matter: 0.42, 3.10, 41.3, 1,204. */
export function fmtMs(ms: number): string {
  const v = finite(ms);
  if (v >= 100) return fmtInt(v);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** Tick and label values: 150k, 1.2M, 0.25. */
export function fmtSI(v: number): string {
  const n = finite(v);
  const trim = (x: number): string => String(Number(x.toPrecision(3)));
  if (Math.abs(n) >= 1e9) return `${trim(n / 1e9)}G`;
  if (Math.abs(n) >= 1e6) return `${trim(n / 1e6)}M`;
  if (Math.abs(n) >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}

export function ratioText(v: number, base: number): string {
  return base > 0 && Number.isFinite(v / base) ? `×${(v / base).toFixed(2)}` : '×–';
}

/** The ratio in a table cell, green or red beyond ±5% (the threshold `gen compare` uses) by which way is good. */
export function ratioCell(v: number, base: number, good: 'higher' | 'lower'): string {
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
export const fmtSecs = (ms: number): string => String(Number((finite(ms) / 1000).toFixed(2)));

/** 2026-11-27T00:00:00.000Z -> 2026-11-27 00:00 UTC; anything else is shown as given. */
export function fmtTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}
