/**
 * The HTML report in a real browser: headless Chromium, driven by puppeteer-core, loads the file; the DOM
 * after load and a screenshot of the page are checked. A probe script (added to a copy of the file, never to
 * the report) measures every chart: marks that take up no space or lie outside their chart, and labels that
 * overlap or are cut off, fail the test.
 *
 * The browser is CHROMIUM when set (e.g. Debian's /usr/bin/chromium), else the one @sparticuz/chromium ships
 * compressed inside its npm package (Linux x64/arm64), so `npm test` needs nothing but Node. Where neither
 * exists the browser tests are skipped with one line saying so, except under CI, where that is a failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import npmChromium from '@sparticuz/chromium';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { at } from '../../src/at.js';
import { connect } from '../../src/db/connection.js';
import { REPORTED_SETTINGS, readServerInfo, type ServerInfo } from '../../src/db/server-info.js';
import { fmtMs } from '../../src/report/html/format.js';
import { renderHtml } from '../../src/report/html/index.js';
import { sampleReport } from '../../src/report/sample-report.js';
import type { RunReport } from '../../src/report/types.js';

const VIEWPORT = { width: 1200, height: 2000 };

/** The Chromium to use, or why there is none. */
async function findChromium(): Promise<{ path: string } | { problem: string }> {
  const given = process.env.CHROMIUM;
  if (given) return existsSync(given) ? { path: given } : { problem: `CHROMIUM=${given} does not exist` };
  try {
    return { path: await npmChromium.executablePath() };
  } catch (e) {
    return {
      problem: `@sparticuz/chromium has no Chromium here (${e instanceof Error ? e.message : String(e)})`,
    };
  }
}

/** A Chromium that is there but cannot start (shared libraries missing on a bare machine) counts as none. */
function probe(found: { path: string } | { problem: string }): { path: string } | { problem: string } {
  if (!('path' in found)) return found;
  const r = spawnSync(found.path, ['--headless', '--no-sandbox', '--version'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status === 0) return found;
  const why =
    `${r.stderr ?? ''}${r.error?.message ?? ''}`.trim().split('\n')[0] || `exit status ${String(r.status)}`;
  return { problem: `${found.path} does not start (${why}; Debian: apt-get install libnss3)` };
}

const chromium = probe(await findChromium());
const noBrowser =
  'problem' in chromium
    ? `${chromium.problem}: set CHROMIUM=/path/to/chromium (apt-get install chromium)`
    : '';
// .ci/run provides a browser: there, a missing one is a failure, never a quiet skip
const skipBrowser = noBrowser !== '' && !process.env.CI;
if (skipBrowser) console.warn(`html-report: browser tests skipped: ${noBrowser}`);

let dir: string;
let browser: Browser | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'html-report-'));
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

async function theBrowser(): Promise<Browser> {
  if ('problem' in chromium) throw new Error(noBrowser);
  browser ??= await puppeteer.launch({
    executablePath: chromium.path,
    headless: 'shell',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
    ],
  });
  return browser;
}

/**
 * Opens `file` in a fresh browser context (no state shared between runs), lets it load, and returns what
 * `act` makes of the page.
 */
async function inChromium<T>(file: string, act: (page: Page) => Promise<T>): Promise<T> {
  const context = await (await theBrowser()).createBrowserContext();
  try {
    const page = await context.newPage();
    await page.setViewport(VIEWPORT);
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return await act(page);
  } finally {
    await context.close();
  }
}

/** The DOM after load, serialised (as `chromium --dump-dom` prints it). */
const dumpDom = (file: string): Promise<string> => inChromium(file, (page) => page.content());

async function writeHtml(name: string, report: RunReport): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, renderHtml(report));
  return file;
}

/** The markup of the chart <svg> with this data-testid, from a DOM dump. */
function chartSvg(dom: string, testid: string): string | undefined {
  return new RegExp(`<svg[^>]*data-testid="${testid}"[\\s\\S]*?</svg>`).exec(dom)?.[0];
}

function dataValues(svg: string): number[] {
  return [...svg.matchAll(/data-value="([^"]*)"/g)].map((m) => Number(m[1]));
}

/** How many data marks each chart of a report must have: one per interval, per percentile, per layout bar. */
function expectedMarks(r: RunReport): Record<string, number> {
  const out: Record<string, number> = {};
  if (r.load) out['chart-throughput'] = r.load.samples.length - 1;
  if (r.profile) {
    const p = r.profile;
    out['chart-orders'] = p.hours.length * 2;
    out['chart-revenue'] = p.hours.length * 2;
    out['chart-api-latency'] = p.hours.length * 2;
    out['chart-api-errors'] = p.hours.length * 2;
    out['chart-funnel'] = p.funnel.length;
    out['chart-order-status'] = p.orderStatus.length;
    out['chart-payments'] = p.payments.length;
    out['chart-api-status'] = p.apiStatus.length;
    out['chart-top-products'] = p.topProducts.products.length + 1;
  }
  if (r.queries) out['chart-latency'] = r.queries.queries.length * 3;
  if (r.layouts) {
    out['chart-layouts'] = r.layouts.reduce((a, l) => a + 2 + l.queries.queries.length, 0);
  }
  if (r.live) {
    // p50, p99 and lag max per hour; committed and late per hour
    out['chart-live-latency'] = r.live.hours.length * 3;
    out['chart-live-transactions'] = r.live.hours.length * 2;
    // a line per transaction type (and per dashboard query) with a dot per hour
    const types = r.live.types.filter((t) => (t.byHour ?? []).length > 0).length;
    out['chart-live-type-latency'] = r.live.hours.length * types;
    out['chart-live-type-count'] = r.live.hours.length * types;
    const queries = r.live.dashboards?.queries.length ?? 0;
    out['chart-live-query-latency'] = r.live.hours.length * queries;
    out['chart-live-query-count'] = r.live.hours.length * queries;
  }
  return out;
}

/** The charts of the full sample report, sorted. */
const ALL_CHARTS = [
  'chart-api-errors',
  'chart-api-latency',
  'chart-api-status',
  'chart-funnel',
  'chart-latency',
  'chart-layouts',
  'chart-live-latency',
  'chart-live-query-count',
  'chart-live-query-latency',
  'chart-live-transactions',
  'chart-live-type-count',
  'chart-live-type-latency',
  'chart-order-status',
  'chart-orders',
  'chart-payments',
  'chart-revenue',
  'chart-throughput',
  'chart-top-products',
];

interface ProbeChart {
  testid: string;
  marks: number;
  /** marks with a zero-size box or outside the chart */
  badMarks: string[];
  /** labels not entirely inside the chart */
  clipped: string[];
  /** pairs of labels whose boxes overlap */
  overlaps: string[];
}

/**
 * Runs in the page: measures each chart's marks and labels as laid out. Inline here and added to a copy of
 * the report: the report itself has no scripts.
 */
const PROBE = `<script>
(() => {
  const out = [];
  const tol = 1;
  const box = (r) => ({ l: r.left, t: r.top, r: r.right, b: r.bottom });
  const name = (el) => (el.textContent || '').trim().slice(0, 40);
  for (const svg of document.querySelectorAll('svg[data-testid]')) {
    const s = box(svg.getBoundingClientRect());
    const inside = (b) => b.l >= s.l - tol && b.t >= s.t - tol && b.r <= s.r + tol && b.b <= s.b + tol;
    const marks = [...svg.querySelectorAll('[data-value]')];
    const badMarks = marks
      .filter((m) => {
        const r = m.getBoundingClientRect();
        return !(r.width > 0 && r.height > 0) || !inside(box(r));
      })
      .map((m) => m.getAttribute('data-value'));
    const texts = [...svg.querySelectorAll('text')].map((t) => ({ t, b: box(t.getBoundingClientRect()) }));
    const clipped = texts.filter((x) => !inside(x.b)).map((x) => name(x.t));
    const overlaps = [];
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].b;
        const b = texts[j].b;
        const w = Math.min(a.r, b.r) - Math.max(a.l, b.l);
        const h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
        if (w > tol && h > tol) overlaps.push(name(texts[i].t) + ' / ' + name(texts[j].t));
      }
    }
    out.push({ testid: svg.getAttribute('data-testid'), marks: marks.length, badMarks, clipped, overlaps });
  }
  const pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>`;

describe.skipIf(skipBrowser)('the HTML report in headless Chromium', () => {
  const report = sampleReport();
  let file: string;
  let dom: string;

  beforeAll(async () => {
    file = await writeHtml('report.html', report);
    dom = await dumpDom(file);
  });

  it('renders every chart with one data mark per data point, and no NaN or undefined anywhere', () => {
    expect(dom).toContain('</html>');
    const expected = expectedMarks(report);
    expect(Object.keys(expected).sort()).toEqual(ALL_CHARTS);
    for (const [testid, count] of Object.entries(expected)) {
      const found = chartSvg(dom, testid);
      expect(found, testid).toBeDefined();
      const svg = found ?? '';
      const values = dataValues(svg);
      expect(values, testid).toHaveLength(count);
      expect(
        values.every((v) => Number.isFinite(v) && v >= 0),
        testid,
      ).toBe(true);
      // every chart says what it is and has labelled axes with tick values
      expect(svg).toMatch(/<title[^>]*>[^<]+<\/title>/);
      expect(svg).toMatch(/class="legend"/);
      expect((svg.match(/<text /g) ?? []).length, testid).toBeGreaterThan(8);
    }
    expect(dom).not.toMatch(/\bNaN\b|undefined|Infinity/);
    // the marks carry the report's numbers: p50/p95/p99 of the first query, in order
    const first = at(report.queries.queries, 0).latencyMs;
    expect(dataValues(chartSvg(dom, 'chart-latency') ?? '').slice(0, 3)).toEqual([
      first.p50,
      first.p95,
      first.p99,
    ]);
    expect(dataValues(chartSvg(dom, 'chart-layouts') ?? '').slice(0, 3)).toEqual(
      report.layouts.map((l) => l.load.rowsPerSec),
    );
    // the data profile: orders, then paid orders, per hour; the top products, then the rest
    const p = report.profile;
    expect(dataValues(chartSvg(dom, 'chart-orders') ?? '')).toEqual([
      ...p.hours.map((h) => h.orders),
      ...p.hours.map((h) => h.paidOrders),
    ]);
    expect(dataValues(chartSvg(dom, 'chart-api-latency') ?? '').slice(0, 2)).toEqual(
      p.hours.slice(0, 2).map((h) => h.latencyP50),
    );
    expect(dataValues(chartSvg(dom, 'chart-top-products') ?? '')).toEqual([
      ...p.topProducts.products.map((x) => x.revenue),
      p.topProducts.restRevenue,
    ]);
  });

  it('says in the Data section how the funnel is estimated, in which currency, and what the profile cost', () => {
    expect(dom).toContain('<section id="data">');
    expect(dom).toContain('<a href="#data">Data</a>');
    expect(dom).toMatch(/the log holds 1 in 20 sessions, each counted 1 \/ sample_rate times/);
    expect(dom).toContain('every amount here is converted to USD');
    expect(dom).toContain('not counted in the load');
    expect(dom).toContain('Every hour holds exactly the orders the plan drew');
  });

  it('shows the live run: per type, over scenario time, maintenance, errors, dashboards, server side', () => {
    const live = report.live;
    expect(dom).toContain('<section id="live">');
    expect(dom).toContain('<a href="#live">Live run</a>');
    expect(dataValues(chartSvg(dom, 'chart-live-latency') ?? '')).toEqual([
      ...live.hours.map((h) => h.p50),
      ...live.hours.map((h) => h.p99),
      ...live.hours.map((h) => h.lagMax),
    ]);
    expect(dataValues(chartSvg(dom, 'chart-live-transactions') ?? '').slice(0, live.hours.length)).toEqual(
      live.hours.map((h) => h.transactions),
    );
    // per transaction type and per query over scenario time: a line each, its p99 and its count per hour
    expect(dataValues(chartSvg(dom, 'chart-live-type-latency') ?? '')).toEqual(
      live.types.flatMap((t) => (t.byHour ?? []).map((h) => h.p99)),
    );
    expect(dataValues(chartSvg(dom, 'chart-live-type-count') ?? '')).toEqual(
      live.types.flatMap((t) => (t.byHour ?? []).map((h) => h.count)),
    );
    expect(live.types.every((t) => (t.byHour ?? []).length === live.hours.length)).toBe(true);
    expect(dataValues(chartSvg(dom, 'chart-live-query-latency') ?? '')).toEqual(
      live.dashboards.queries.flatMap((q) => q.byHour.map((h) => h.p99)),
    );
    expect(dataValues(chartSvg(dom, 'chart-live-query-count') ?? '')).toEqual(
      live.dashboards.queries.flatMap((q) => q.byHour.map((h) => h.count)),
    );
    const section = /<section id="live">[\s\S]*?<\/section>/.exec(dom)?.[0] ?? '';
    // one row per transaction type and per dashboard query, with their p99
    for (const t of live.types) expect(section).toContain(`<code>${t.type}</code>`);
    expect(section).toMatch(/<td><code>checkout<\/code><\/td><td>21,310<\/td>/);
    for (const q of live.dashboards.queries) expect(section).toContain(`<code>${q.name}</code>`);
    // each dashboard query's row ends with its latency's two parts at p50: the server's and the client's
    for (const q of live.dashboards.queries) {
      const parts = `<td>${fmtMs(q.serverMs?.p50 ?? Number.NaN)}</td><td>${fmtMs(q.clientMs?.p50 ?? Number.NaN)}</td></tr>`;
      expect(section).toMatch(new RegExp(`<td[^>]*><code>${q.name}</code></td>(<td>[^<]*</td>){7}${parts}`));
    }
    expect(section).toContain('Partition maintenance');
    expect(section).toMatch(/<td><code>attach<\/code><\/td><td>63<\/td><td>690<\/td><td>22\.5<\/td>/);
    expect(section).toContain('None: every transaction committed.');
    expect(section).toContain('before the snapshot and after the last transaction');
    // gen bench --live: a row per layout, its ratios to the first
    const layouts = /<section id="live-layouts">[\s\S]*?<\/section>/.exec(dom)?.[0] ?? '';
    expect(layouts.match(/<div class="desc">schema /g)).toHaveLength(report.liveLayouts.length);
    expect(layouts).toContain('Insert latency by transaction type');
    expect(layouts).toContain('Dashboards under load');
    expect(layouts).toMatch(/30\.4 <span class="ratio better">×0\.80<\/span>/);
  });

  it('shows the run, the server and a PASS/FAIL per pruning check', () => {
    expect(dom).toMatch(/<h1>black-friday<\/h1>/);
    expect(dom).toContain('20261127');
    expect(dom).toContain('PostgreSQL 18.4');
    expect(dom).toMatch(/<dt>shared_buffers<\/dt><dd>128MB<\/dd>/);
    const fails = report.queries.queries.flatMap((q) => [q.literal, q.generic]).filter((c) => !c.ok).length;
    const checks = report.queries.queries.length * 2;
    expect(dom.match(/class="badge fail"/g)?.length).toBe(fails + 1); // and one in the summary line
    expect(dom.match(/class="badge pass"/g)?.length).toBe(checks - fails);
  });

  it('lays the charts out: marks visible inside their chart, labels neither overlapping nor cut off', async () => {
    const probed = join(dir, 'probed.html');
    await writeFile(probed, (await readFile(file, 'utf8')).replace('</body>', `${PROBE}</body>`));
    const out = await dumpDom(probed);
    const json = /<pre id="probe">([\s\S]*?)<\/pre>/.exec(out)?.[1];
    expect(json, 'probe output').toBeDefined();
    const charts = JSON.parse(
      (json ?? '')
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    ) as ProbeChart[];
    expect(charts.map((c) => c.testid).sort()).toEqual(ALL_CHARTS);
    for (const c of charts) {
      expect(c.marks, c.testid).toBe(expectedMarks(report)[c.testid]);
      expect(c.badMarks, c.testid).toEqual([]);
      expect(c.clipped, c.testid).toEqual([]);
      expect(c.overlaps, c.testid).toEqual([]);
    }
  });

  it('takes a screenshot that is a real page, not a blank one', async () => {
    const png = join(dir, 'report.png');
    await inChromium(file, (page) => page.screenshot({ path: png }));
    const bytes = await readFile(png);
    // PNG signature, then IHDR: width and height as requested
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 2000]);
    // a blank page of this size compresses to ~10 kB; text, tables and charts to far more
    expect((await stat(png)).size).toBeGreaterThan(100_000);
  });
});

describe('renderHtml', () => {
  it('is one self-contained file: no scripts, stylesheets, fonts or images from anywhere', async () => {
    const html = await readFile(await writeHtml('self-contained.html', sampleReport()), 'utf8');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|@font-face|url\(/i);
    // in-page links (#load) only
    expect(html).not.toMatch(/\bsrc=|\bhref="(?!#)/i);
  });

  it.skipIf(skipBrowser)('escapes names from users', async () => {
    const r = sampleReport();
    const evil = '<script>alert("x")</script>&';
    r.scenario.name = evil;
    at(r.queries.queries, 0).name = evil;
    at(r.layouts, 1).layout = evil;
    const users = r.load.tables.users;
    if (users === undefined) throw new Error('the sample report has no users table');
    r.load.tables[evil] = users;
    r.server.settings[evil] = evil;
    // transaction types come from the tool, layouts and dashboard queries from users' files
    Object.assign(at(r.live.types, 0), { type: evil });
    at(r.live.dashboards.queries, 0).name = evil;
    at(r.liveLayouts, 1).layout = evil;
    r.live.errors[evil] = 1;
    const file = await writeHtml('evil.html', r);
    const dom = await dumpDom(file);
    expect(dom).not.toMatch(/<script/i);
    expect(dom).toContain('&lt;script&gt;alert("x")&lt;/script&gt;&amp;');
    expect(dataValues(chartSvg(dom, 'chart-latency') ?? '')).toHaveLength(r.queries.queries.length * 3);
  });

  it("says what its figures are: the COPY's format, the tables' partitions, pruning as expected / scanned / total, each layout's p95", () => {
    const r = sampleReport();
    const html = renderHtml(r);
    expect(html).toContain('bytes sent by COPY (binary format)');
    expect(html).not.toContain('CSV bytes');
    const partitions = Object.values(r.load.tables).reduce((n, t) => n + t.partitions, 0);
    expect(html).toMatch(
      new RegExp(`<tr class="total"><td>total</td><td>${partitions.toLocaleString('en-US')}</td>`),
    );
    expect(html).toContain('partitions expected / scanned / total');
    const q = at(r.queries.queries, 0);
    expect(html).toContain(
      `<span class="of">${q.literal.partitionsExpected} /</span> ${q.literal.partitionsScanned} <span class="of">/ ${q.literal.partitionsTotal}</span>`,
    );
    const lq = at(at(r.layouts, 1).queries.queries, 0);
    expect(html).toContain(
      `p95 ${fmtMs(lq.latencyMs.p95)} · planning ${fmtMs(lq.literal.planningMs)} · ${lq.literal.partitionsScanned} of ${lq.literal.partitionsTotal} partitions`,
    );
    r.load.copyFormat = 'csv';
    expect(renderHtml(r)).toContain('CSV bytes');
  });

  it('has a section only for the parts the report has', () => {
    const bare: RunReport = sampleReport();
    delete bare.load;
    delete bare.profile;
    delete bare.queries;
    delete bare.layouts;
    delete bare.live;
    delete bare.liveLayouts;
    delete bare.server;
    const html = renderHtml(bare);
    expect(html).not.toMatch(/data-testid="chart-|<section/);
    expect(html).toContain('black-friday');

    const loadOnly: RunReport = sampleReport();
    delete loadOnly.profile;
    delete loadOnly.queries;
    delete loadOnly.layouts;
    delete loadOnly.live;
    delete loadOnly.liveLayouts;
    const l = renderHtml(loadOnly);
    expect(l.match(/data-testid="chart-[a-z]+"/g)).toEqual(['data-testid="chart-throughput"']);
    expect(l).not.toMatch(/id="queries"|id="layouts"/);
    expect(l).toContain('data-testid="server-side"');
    delete loadOnly.load?.serverSide;
    expect(renderHtml(loadOnly)).not.toContain('data-testid="server-side"');

    // gen live: its section and charts only; no dashboards table when no --clients
    const liveOnly: RunReport = { ...bare, live: sampleReport().live };
    delete liveOnly.live?.dashboards;
    const v = renderHtml(liveOnly);
    expect(v.match(/<section id="[a-z-]+"/g)).toEqual(['<section id="live"']);
    expect(v.match(/data-testid="chart-[a-z-]+"/g)).toEqual([
      'data-testid="chart-live-latency"',
      'data-testid="chart-live-transactions"',
      'data-testid="chart-live-type-latency"',
      'data-testid="chart-live-type-count"',
    ]);
    // a report written before the figures per type and hour: no such charts, the rest as before
    const older: RunReport = { ...bare, live: sampleReport().live };
    for (const t of older.live?.types ?? []) delete t.byHour;
    expect(renderHtml(older)).not.toContain('chart-live-type-');
    expect(v).not.toContain('Dashboards meanwhile');
    expect(v).toContain('data-testid="server-side"');
  });

  it('says so instead of drawing a chart from fewer than two samples', () => {
    const r = sampleReport();
    r.load.samples = r.load.samples.slice(0, 1);
    const html = renderHtml(r);
    expect(html).not.toContain('data-testid="chart-throughput"');
    expect(html).toContain('Fewer than two throughput samples');
  });
});

describe('readServerInfo', () => {
  it('reads the version and the settings that matter, with units, from the test server', async () => {
    const client = await connect(inject('databaseUrl'));
    let server: ServerInfo;
    try {
      server = await readServerInfo(client);
    } finally {
      await client.end();
    }
    expect(server.versionNum).toBeGreaterThanOrEqual(150000);
    // every reported setting exists on 15+, in the list's order
    expect(Object.keys(server.settings)).toEqual([...REPORTED_SETTINGS]);
    expect(server.settings.shared_buffers).toMatch(/^\d+(kB|MB|GB|TB)$/);
    expect(server.settings.checkpoint_timeout).toMatch(/^\d+(ms|s|min|h|d)$/);
    expect(server.settings.enable_partition_pruning).toMatch(/^(on|off)$/);
    expect(server.settings.max_locks_per_transaction).toMatch(/^\d+$/);

    const r = sampleReport();
    r.server = server;
    const html = renderHtml(r);
    expect(html).toContain(`PostgreSQL ${server.version}`);
    expect(html).toContain(`<dt>max_wal_size</dt><dd>${server.settings.max_wal_size}</dd>`);
  });
});
