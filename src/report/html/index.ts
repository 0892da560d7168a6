/**
 * `--html FILE`: one self-contained page for people. No scripts, fonts, stylesheets or images from anywhere:
 * the file is mailed, attached to issues and opened offline years later, so CSS is inline and every chart is
 * an inline SVG drawn here (scales from d3-scale, computed at render time in Node). Each chart carries
 * data-testid and, on every data mark, data-value, so the headless-Chromium test
 * (test/integration/html-report.test.ts) can check what rendered without a chart library to ask.
 *
 * Every string that reaches the page goes through esc() (format.ts): scenario, table, query and layout names
 * come from users' files and flags.
 */
import type { LiveReport, LoadReport, Percentiles, QueryReport, RunReport } from '../types.js';
import { esc } from './format.js';
import { header } from './header.js';
import { liveLayoutsSection } from './live-layouts-section.js';
import { liveSection } from './live-section.js';
import { loadSection } from './load-section.js';
import { profileSection } from './profile-section.js';
import { layoutsSection, queriesSection } from './query-sections.js';
import { CSS } from './style.js';

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
  const live = (l: LiveReport): void => {
    l.lag = clampPercentiles(l.lag);
    for (const t of l.types) {
      t.latency = clampPercentiles(t.latency);
      t.service = clampPercentiles(t.service);
    }
    for (const q of l.dashboards?.queries ?? []) q.overall = clampPercentiles(q.overall);
  };
  if (r.load) load(r.load);
  if (r.queries) queries(r.queries);
  for (const l of r.layouts ?? []) {
    load(l.load);
    queries(l.queries);
  }
  if (r.live) live(r.live);
  for (const l of r.liveLayouts ?? []) live(l.live);
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
    report.profile ? profileSection(report.profile, Date.parse(s.start)) : '',
    report.queries ? queriesSection(report.queries) : '',
    report.layouts && report.layouts.length > 0 ? layoutsSection(report.layouts) : '',
    report.live ? liveSection(report.live) : '',
    report.liveLayouts && report.liveLayouts.length > 0 ? liveLayoutsSection(report.liveLayouts) : '',
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
