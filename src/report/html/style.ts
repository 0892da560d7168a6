/**
 * The page's stylesheet, inlined into <style>: the file is mailed, attached to issues and opened offline
 * years later, so nothing is fetched. Colours and fonts come from theme.ts, as in the charts.
 */
import { COLORS, MONO, SANS } from './theme.js';

export const CSS = `
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
