/** The page header: what ran, against which server with which settings, and links to the sections. */
import type { RunReport } from '../types.js';
import { esc, fmtInt, fmtTime } from './format.js';

/** In-page links to the sections this report has: the page runs long once per-table rows are in. */
function nav(r: RunReport): string {
  const links = [
    r.load ? ['load', 'Load'] : null,
    r.profile ? ['data', 'Data'] : null,
    r.queries ? ['queries', 'Queries'] : null,
    r.layouts && r.layouts.length > 0 ? ['layouts', 'Layouts'] : null,
    r.live ? ['live', 'Live run'] : null,
    r.liveLayouts && r.liveLayouts.length > 0 ? ['live-layouts', 'Live layouts'] : null,
  ].filter((x): x is string[] => x !== null);
  return links.length === 0
    ? ''
    : `<nav>${links.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('')}</nav>`;
}

export function header(r: RunReport): string {
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
