/** Page width, fonts and colours: shared by the charts and the stylesheet so the two agree. */

/** Chart width in CSS pixels; the page's main column is a little wider. */
export const W = 960;
export const SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
/** Names in charts are set in monospace: their width is predictable (0.6 em a character), so labels fit. */
export const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace';
/** An upper bound of a sans-serif character's width, em; DejaVu Sans (Debian's default) is among the widest. */
export const SANS_EM = 0.62;

export const COLORS = {
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
} as const;

/** The colour of series `i`, cycling through `palette`. */
export function seriesColor(palette: readonly string[], i: number): string {
  return palette[i % palette.length] ?? COLORS.ink;
}
