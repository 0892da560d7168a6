/**
 * Traffic (issue 8 §3): sessions are sampled whole at the scenario's rate, the funnel has the scenario's
 * shares, the API slows down and fails more at black-friday's peak, and hourTraffic is what the rows hold.
 */
import { describe, expect, it } from 'vitest';
import { at } from '../../src/at.js';
import { R } from '../../src/generate/api-load.js';
import { buildPlan, generateChunk, listChunks, type Plan } from '../../src/generate/index.js';
import { K, uuidWords } from '../../src/generate/keyed.js';
import { BOT, BROWSING, BUYING, Session } from '../../src/generate/session-record.js';
import { HourSessions, hourTraffic } from '../../src/generate/sessions.js';
import { columnNames, table } from '../../src/model/tables.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { parseCsv } from './csv.js';

const blackFriday = (hours: number): Plan =>
  buildPlan(applyOverrides(loadScenario('black-friday'), { hours }));

/** every logged session of hour h, with the request fields the tests read */
function sessionsOf(plan: Plan, h: number) {
  const walk = new HourSessions(plan, h);
  const s = new Session();
  const out: { kind: number; user: number; routes: number[]; status: number[]; latency: number[] }[] = [];
  while (walk.next(s)) {
    out.push({
      kind: s.kind,
      user: s.user,
      routes: [...s.route.subarray(0, s.n)],
      status: [...s.status.subarray(0, s.n)],
      latency: [...s.latency.subarray(0, s.n)],
    });
  }
  return { walk, sessions: out };
}

const share = (n: number, of: number): number => (of === 0 ? 0 : n / of);

describe('sessions', () => {
  const plan = blackFriday(1);
  const d = plan.scenario.distributions;
  const { walk, sessions } = sessionsOf(plan, 0);

  it('logs whole sessions at log_sample_rate', () => {
    expect(walk.total).toBeGreaterThan(100_000);
    expect(share(sessions.length, walk.total)).toBeCloseTo(d.logSampleRate, 2);
  });

  it('has the funnel of the scenario: conversion, bots, anonymous share, searches, cart adds', () => {
    expect(share(walk.buying, walk.buying + walk.browsing)).toBeCloseTo(d.conversionRate, 3);
    expect(share(walk.bots, walk.buying + walk.browsing)).toBeCloseTo(d.botShare, 3);
    const logged = (k: number) => sessions.filter((s) => s.kind === k);
    const humans = logged(BROWSING);
    expect(share(logged(BUYING).length, humans.length + logged(BUYING).length)).toBeCloseTo(
      d.conversionRate,
      2,
    );
    expect(share(logged(BOT).length, humans.length + logged(BUYING).length)).toBeCloseTo(d.botShare, 1);
    expect(share(humans.filter((s) => s.user < 0).length, humans.length)).toBeCloseTo(d.anonymousShare, 1);
    expect(share(humans.filter((s) => s.routes.includes(R.search)).length, humans.length)).toBeCloseTo(
      d.searchRate,
      1,
    );
    const adds = humans.filter((s) => s.routes.includes(R.cartAdd)).length;
    // a cart add follows a product view that succeeded, so a little under the rate
    expect(share(adds, humans.length)).toBeGreaterThan(d.cartAddRate * 0.85);
    expect(share(adds, humans.length)).toBeLessThan(d.cartAddRate * 1.05);
    // every buying session checks out, no other does; crawlers never sign in nor post
    expect(logged(BUYING).every((s) => s.routes.filter((r) => r === R.checkout).length === 1)).toBe(true);
    expect(sessions.every((s) => s.kind === BUYING || !s.routes.includes(R.checkout))).toBe(true);
    expect(logged(BOT).every((s) => s.user < 0 && !s.routes.includes(R.cartAdd))).toBe(true);
  });
});

describe('load', () => {
  // Black Friday (the Friday): the doorbuster and evening peaks against the night
  const plan = blackFriday(24);
  const hours = [...Array(24).keys()];
  const busiest = hours.reduce((a, b) => (at(plan.orders, b) > at(plan.orders, a) ? b : a));
  const quietest = hours.reduce((a, b) => (at(plan.orders, b) < at(plan.orders, a) ? b : a));
  const stats = (h: number) => {
    const { walk, sessions } = sessionsOf(plan, h);
    const ok: number[] = [];
    let n = 0;
    let e5 = 0;
    let e429 = 0;
    for (const s of sessions) {
      s.status.forEach((st, i) => {
        n++;
        if (st >= 500) e5++;
        if (st === 429) e429++;
        if (st === 200 && s.routes[i] === R.product) ok.push(at(s.latency, i));
      });
    }
    ok.sort((a, b) => a - b);
    return { rho: walk.load.rho, median: at(ok, ok.length >> 1), fiveXx: e5 / n, throttled: e429 / n };
  };
  const busy = stats(busiest);
  const quiet = stats(quietest);

  it('slows down with the hour request rate: the peak ~3-5x the night', () => {
    expect(busy.rho).toBeGreaterThan(0.8);
    expect(quiet.rho).toBeLessThan(0.15);
    const ratio = busy.median / quiet.median;
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(6);
  });

  it('fails more at the peak: 5xx in incident bursts, 429s from the limiter', () => {
    expect(busy.fiveXx).toBeGreaterThan(3 * quiet.fiveXx);
    expect(busy.throttled).toBeGreaterThan(5 * quiet.throttled);
  });
});

/** uuid text of (kind, hi, lo), as the row writers print it */
function uuidOf(plan: Plan, kind: number, lo: number): string {
  const w = new Uint32Array(4);
  uuidWords(plan.uuidKeys, kind, 0, lo, w);
  const hex = (v: number, n: number) => v.toString(16).padStart(n, '0');
  const [a, b, c, e] = [at(w, 0), at(w, 1), at(w, 2), at(w, 3)];
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-${hex(b & 0xffff, 4)}-${hex(c >>> 16, 4)}-${hex(c & 0xffff, 4)}${hex(e, 8)}`;
}

describe('hourTraffic', () => {
  it('is a count over the rows request_response_log holds for the hour', () => {
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), { scale: 4 }));
    const h = 1;
    const chunk = at(listChunks(plan, ['request_response_log']), h);
    const [header, ...rows] = parseCsv(Buffer.concat([...generateChunk(plan, chunk)]).toString());
    expect(header).toEqual(columnNames(table('request_response_log')));
    const col = (name: string) => (header ?? []).indexOf(name);
    const [user, shop, product, path, status, latency, extra] = [
      'user_id',
      'shop_id',
      'shop_product_id',
      'path',
      'status_code',
      'latency_ms',
      'extra_data',
    ].map(col) as [number, number, number, number, number, number, number];
    const views = new Map<string, number>();
    const adds = new Map<string, number>();
    const users = new Map<string, [number, number, number]>();
    const shops = new Map<string, [number, number, number]>();
    const bump = (m: Map<string, [number, number, number]>, k: string, st: number, l: number) => {
      const v = m.get(k) ?? [0, 0, 0];
      m.set(k, [v[0] + 1, v[1] + (st >= 400 ? 1 : 0), v[2] + l]);
    };
    for (const r of rows) {
      const st = Number(r[status]);
      const l = Number(r[latency]);
      const bot = (JSON.parse(at(r, extra)) as { bot: boolean }).bot;
      if (r[user]) bump(users, at(r, user), st, l);
      if (r[shop]) bump(shops, at(r, shop), st, l);
      const p = at(r, product);
      if (p && r[path] === '/api/products/{id}' && st === 200 && !bot) views.set(p, (views.get(p) ?? 0) + 1);
      if (p && r[path] === '/api/cart/items' && st === 201) adds.set(p, (adds.get(p) ?? 0) + 1);
    }
    expect(rows.length).toBeGreaterThan(1000);
    const t = hourTraffic(plan, h);
    const byUuid = <V>(m: Map<number, V>, kind: number) =>
      new Map([...m].map(([k, v]) => [uuidOf(plan, kind, k), v]));
    expect(byUuid(t.productViews, K.product)).toEqual(views);
    expect(byUuid(t.productCartAdds, K.product)).toEqual(adds);
    expect(byUuid(t.user, K.user)).toEqual(users);
    expect(byUuid(t.shop, K.shop)).toEqual(shops);
    expect(views.size).toBeGreaterThan(10);
    expect(adds.size).toBeGreaterThan(0);
  });
});
