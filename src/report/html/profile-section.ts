/**
 * The Data section: what the loaded rows look like, so a reader sees the scenario's shape before writing a
 * query. Orders and revenue per hour against the scenario's curve, the funnel, status and error mixes, the
 * top products' share and API latency per hour; then what the profile's queries cost, apart from the load.
 */

import { plural } from '../../plural.js';
import type { DataProfile, Share } from '../types.js';
import { barPanel, type Group, labelColumn } from './bar-charts.js';
import { esc, fmtFixed, fmtInt, fmtMs, fmtS, fmtSI } from './format.js';
import { hourChart } from './hour-chart.js';
import { kpis, table, td, th } from './page-kit.js';
import { legend, svgOpen } from './svg.js';
import { COLORS, seriesColor } from './theme.js';

const pct = (n: number, of: number): string => `${fmtFixed(of > 0 ? (n / of) * 100 : 0, 1)}%`;
const money = (v: number): string => fmtFixed(v, 2);

/**
 * Horizontal bars, one per named count, labelled with the count and its share of `total` (the sum of the
 * counts unless given). Each bar is its own group, so its name labels it.
 */
function shareChart(
  testid: string,
  title: string,
  items: Share[],
  opts: {
    total?: number;
    axisLabel: string;
    legendLabel: string;
    color: number;
    valueText?: (n: number) => string;
  },
): string {
  const total = opts.total ?? items.reduce((a, s) => a + s.count, 0);
  const show = opts.valueText ?? fmtInt;
  const groups: Group[] = items.map((s) => ({
    name: s.name,
    bars: [
      {
        series: opts.color,
        value: s.count,
        label: `${show(s.count)} · ${pct(s.count, total)}`,
        tooltip: `${s.name}: ${show(s.count)} (${pct(s.count, total)})`,
      },
    ],
  }));
  const { width, maxChars } = labelColumn(groups.map((g) => g.name));
  const top = 36;
  const panel = barPanel(top, groups, COLORS.categorical, {
    axisLabel: opts.axisLabel,
    labelWidth: width,
    maxChars,
    valueRoom: 150,
    linear: true,
  });
  return [
    svgOpen(testid, title, top + panel.height + 6, `${title}: ${items.length} bars.`),
    legend(width, 16, [{ label: opts.legendLabel, color: seriesColor(COLORS.categorical, opts.color) }]).svg,
    panel.svg,
    '</svg>',
  ].join('');
}

function figure(caption: string, note: string, chart: string): string {
  return `<figure><figcaption>${caption} <span>${note}</span></figcaption>\n${chart}</figure>`;
}

/** The hour's share of `part` in its requests, percent (0 without requests). */
const hourPct = (part: number, requests: number): number => (requests > 0 ? (part / requests) * 100 : 0);

export function profileSection(p: DataProfile, start: number): string {
  const hours = p.hours;
  const sum = (f: (h: (typeof hours)[number]) => number): number => hours.reduce((a, h) => a + f(h), 0);
  const orders = sum((h) => h.orders);
  const paid = sum((h) => h.paidOrders);
  const revenue = sum((h) => h.revenue);
  const refundedValue = p.refunds.reduce((a, r) => a + r.value, 0);
  const requests = sum((h) => h.requests);
  const errors = sum((h) => h.errors);
  const serverErrors = sum((h) => h.serverErrors);
  const rateLimited = sum((h) => h.rateLimited);
  const expected = sum((h) => h.expectedOrders);
  const offPlan = hours.filter((h) => h.orders !== h.plannedOrders).length;
  const cur = esc(p.reportingCurrency);
  const from =
    p.currencies.length === 0
      ? ''
      : ` Orders are in their shop's currency (${esc(p.currencies.join(', '))}); every amount here is converted to ${cur} at the fixed rates of <code>src/model/currencies.ts</code>.`;
  const top = p.topProducts;
  const topShare = top.revenue > 0 ? (top.revenue - top.restRevenue) / top.revenue : 0;
  const t = p.traffic;
  const every = t.sampleRate > 0 ? 1 / t.sampleRate : 1;
  const sampled = `1 in ${Number.isInteger(every) ? fmtInt(every) : fmtFixed(every, 1)}`;
  const humans = p.funnel[0]?.count ?? 0;
  const paidSessions = p.funnel.at(-1)?.count ?? 0;

  const ordersChart = hourChart({
    testid: 'chart-orders',
    title: 'Orders per hour',
    desc: `Orders and paid orders per hour against the scenario's expected orders over ${plural(hours.length, 'hour')}.`,
    start,
    hours: hours.length,
    yLabel: 'orders',
    series: [
      {
        label: 'orders (every status)',
        kind: 'bar',
        color: COLORS.area,
        values: hours.map((h) => h.orders),
        tip: (v) => `${fmtInt(v)} orders`,
      },
      {
        label: 'paid (refunded and returned included)',
        kind: 'bar',
        color: COLORS.line,
        values: hours.map((h) => h.paidOrders),
        tip: (v) => `${fmtInt(v)} paid orders`,
      },
      {
        label: "scenario's expected orders",
        kind: 'reference',
        color: COLORS.ink,
        values: hours.map((h) => h.expectedOrders),
        tip: (v) => `${fmtFixed(v, 1)} expected`,
      },
    ],
  });
  const revenueChart = hourChart({
    testid: 'chart-revenue',
    title: 'Revenue per hour',
    desc: `Totals of the orders whose payment succeeded per hour, and of those refunded or returned since, in ${p.reportingCurrency}.`,
    start,
    hours: hours.length,
    yLabel: `revenue, ${p.reportingCurrency}`,
    series: [
      {
        label: `revenue of paid orders (${p.reportingCurrency})`,
        kind: 'bar',
        color: seriesColor(COLORS.categorical, 2),
        values: hours.map((h) => h.revenue),
        tip: (v) => `${money(v)} ${p.reportingCurrency} paid`,
      },
      {
        label: 'of which refunded or returned by the window end',
        kind: 'bar',
        color: seriesColor(COLORS.categorical, 4),
        values: hours.map((h) => h.refunded),
        tip: (v) => `${money(v)} ${p.reportingCurrency} refunded or returned`,
      },
    ],
  });
  const latencyChart = hourChart({
    testid: 'chart-api-latency',
    title: 'API latency per hour',
    desc: 'p50 and p95 of request_response_log latency_ms per hour.',
    start,
    hours: hours.length,
    yLabel: 'latency, ms',
    series: [
      {
        label: 'p50',
        kind: 'line',
        color: seriesColor(COLORS.percentiles, 1),
        values: hours.map((h) => h.latencyP50),
        tip: (v) => `p50 ${fmtMs(v)} ms`,
      },
      {
        label: 'p95',
        kind: 'line',
        color: seriesColor(COLORS.percentiles, 2),
        values: hours.map((h) => h.latencyP95),
        tip: (v) => `p95 ${fmtMs(v)} ms`,
      },
    ],
  });
  const apiErrorsChart = hourChart({
    testid: 'chart-api-errors',
    title: 'API 429 and 5xx per hour',
    desc: 'Shares of each hour of requests answered 429 (rate limited) and 500 and above.',
    start,
    hours: hours.length,
    yLabel: '% of requests',
    series: [
      {
        label: '429 rate limited',
        kind: 'line',
        color: seriesColor(COLORS.categorical, 5),
        values: hours.map((h) => hourPct(h.rateLimited, h.requests)),
        tip: (v) => `429: ${fmtFixed(v, 2)}% of requests`,
      },
      {
        label: '5xx',
        kind: 'line',
        color: seriesColor(COLORS.categorical, 3),
        values: hours.map((h) => hourPct(h.serverErrors, h.requests)),
        tip: (v) => `5xx: ${fmtFixed(v, 2)}% of requests`,
      },
    ],
  });
  const funnelChart = shareChart('chart-funnel', 'Funnel', p.funnel, {
    total: humans,
    axisLabel: 'sessions (estimated)',
    legendLabel: 'human sessions reaching the stage, % of all human sessions',
    color: 0,
  });
  const statusChart = shareChart('chart-order-status', 'Order status', p.orderStatus, {
    axisLabel: 'orders',
    legendLabel: 'shop_order rows by status (and reason)',
    color: 1,
  });
  const paymentsChart = shareChart('chart-payments', 'Payment attempts', p.payments, {
    axisLabel: 'payment rows',
    legendLabel: 'payment attempts by status and failure reason; refunds',
    color: 3,
  });
  const apiChart = shareChart(
    'chart-api-status',
    'API status codes',
    p.apiStatus.map((s) => ({ name: `HTTP ${s.name}`, count: s.count })),
    { axisLabel: 'requests', legendLabel: 'logged requests by status code', color: 5 },
  );
  const productItems: Share[] = [
    ...top.products.map((x) => ({ name: x.name, count: x.revenue })),
    {
      name: `the other ${fmtInt(Math.max(0, top.productsSold - top.products.length))} products`,
      count: top.restRevenue,
    },
  ];
  const productsChart = shareChart('chart-top-products', 'Top products by revenue', productItems, {
    total: top.revenue,
    axisLabel: `revenue, ${p.reportingCurrency}`,
    legendLabel: `line totals less line discounts of paid orders (refunded and returned included), ${p.reportingCurrency}`,
    color: 2,
    valueText: money,
  });
  const refundRows = p.refunds.map((r) =>
    td([esc(r.name), fmtInt(r.count), pct(r.count, paid), money(r.value), pct(r.value, revenue)]),
  );

  const queryRows = p.queries.map((q) => td([`<code>${esc(q.name)}</code>`, fmtInt(q.rows), fmtMs(q.ms)]));
  queryRows.push(`<tr class="total"><td>total</td><td></td><td>${fmtMs(p.ms)}</td></tr>`);

  return `<section id="data">
<h2>Data</h2>
<p>What the loaded rows of schema <code>${esc(p.schema)}</code> look like: queried after the load, one pass per query over the window's partitions.${from}</p>
${kpis([
  [fmtInt(orders), 'orders (carts)'],
  [pct(paid, orders), 'paid (refunds included)'],
  [fmtSI(revenue), `revenue ${cur}`],
  [fmtSI(refundedValue), `refunded or returned ${cur}`],
  [fmtSI(humans), 'human sessions (est.)'],
  [pct(t.botRequests, t.requests), 'bot requests'],
  [
    pct(errors, requests),
    `API errors (${pct(rateLimited, requests)} 429, ${pct(serverErrors, requests)} 5xx)`,
  ],
])}
${figure('Orders per hour', `bars: orders created and paid; dashed: the scenario's curve (rate × scale × rhythm × events), ${fmtInt(expected)} orders in all`, ordersChart)}
<p class="note">${
    offPlan === 0
      ? `Every hour holds exactly the orders the plan drew (the curve with ±5% noise, rounded).`
      : `<strong class="bad">${fmtInt(offPlan)} of ${fmtInt(hours.length)} hours hold another number of orders than the plan drew.</strong>`
  }</p>
${figure('Revenue per hour', `totals of the orders whose payment succeeded (paid, later refunded or returned), by the hour they were placed, in ${cur}; the refunded and returned part apart`, revenueChart)}
<h3>Refunds and returns</h3>
<p>Paid orders refunded or returned by the window's end (scenario refund_delay_hours after the order): counted in the paid orders and the revenue above, and here on their own.</p>
${table(th(['status', 'orders', '% of paid orders', `value, ${cur}`, '% of revenue']), refundRows, 'numeric')}
<h3>Funnel</h3>
${figure('Browsing sessions to paid orders', `human sessions of the request log; bots apart; estimated: the log holds ${sampled} sessions, each counted 1 / sample_rate times`, funnelChart)}
<p class="note">The log holds ${fmtInt(t.sessions)} sessions (${fmtInt(t.botSessions)} of crawlers) and ${fmtInt(t.requests)} requests, ${pct(t.botRequests, t.requests)} of them by bots. Paid sessions estimated from the sample: ${fmtInt(paidSessions)}; paid orders in <code>shop_order</code>: ${fmtInt(paid)}.</p>
<h3>Mixes</h3>
${figure('Order status', 'share of all orders; an out-of-stock cart is an abandoned one with reason out_of_stock', statusChart)}
${figure('Payment attempts', 'share of all shop_order_payment rows; a failed order retries; a refund or return is a row of its own', paymentsChart)}
${figure('Top products', `the top ${fmtInt(top.products.length)} of ${fmtInt(top.productsSold)} products sold hold ${fmtFixed(topShare * 100, 1)}% of the revenue`, productsChart)}
<h3>API</h3>
${figure('API status codes', 'share of the logged requests', apiChart)}
${figure('API latency per hour', 'p50 and p95 of latency_ms', latencyChart)}
${figure('API 429 and 5xx per hour', 'share of the requests of each hour: both rise with the load at the peaks', apiErrorsChart)}
<h3>The profile's queries</h3>
<p>Run after the load, on one connection, one after the other: ${fmtS(p.ms)} s in all, not counted in the load's figures.</p>
${table(th(['query', 'rows', 'ms']), queryRows, 'numeric')}
</section>`;
}
