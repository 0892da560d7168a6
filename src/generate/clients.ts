/**
 * Who is on the other end of a session: the human clients (user agent, device, channel) and where a session
 * came from (referrer, campaign). request_response_log writes them per request (api-log.ts); an order shows
 * those of the buying session that placed it (extras-orders.ts): one draw, so they cannot disagree.
 */

import { HOUR_MS } from '../time-units.js';
import { field, K, rowKey, rowKeyAt, rowKeyBase } from './keyed.js';
import { perPlan } from './per-plan.js';
import type { Plan } from './plan-type.js';

/** human clients: user agent, device, channel; repeated entries weigh more (mobile ~60% of shop traffic) */
export const HUMANS: { ua: string; device: string; channel: string }[] = [
  ...rep(4, { ua: 'Safari/18.1 (iPhone; iOS 18.1)', device: 'mobile', channel: 'web' }),
  ...rep(3, { ua: 'Chrome/131.0 (Linux; Android 14)', device: 'mobile', channel: 'web' }),
  ...rep(3, { ua: 'Chrome/131.0 (Windows NT 10.0)', device: 'desktop', channel: 'web' }),
  { ua: 'Safari/18.1 (Macintosh; macOS 15.1)', device: 'desktop', channel: 'web' },
  { ua: 'Edge/131.0 (Windows NT 10.0)', device: 'desktop', channel: 'web' },
  { ua: 'Firefox/133.0 (Windows NT 10.0)', device: 'desktop', channel: 'web' },
  { ua: 'Safari/18.1 (iPad; iPadOS 18.1)', device: 'tablet', channel: 'web' },
  ...rep(2, { ua: 'ShopApp/5.12 (iOS 18.1)', device: 'mobile', channel: 'ios-app' }),
  ...rep(2, { ua: 'ShopApp/5.12 (Android 14)', device: 'mobile', channel: 'android-app' }),
];
export interface Referrer {
  referrer: string | null;
  campaign?: string;
  /** the campaign is the running event's (referrersIn): the order extra pools keep a copy per event of these */
  byEvent?: true;
}
/**
 * where a human session came from; entry 0 (direct, no campaign) is also every bot's. The newsletter and the
 * stories are the running event's campaign (referrersIn): "black-friday" only while black-friday runs.
 */
export function referrersIn(event: string | null): Referrer[] {
  const newsletter: Referrer = {
    referrer: 'newsletter',
    campaign: event ?? 'weekly-newsletter',
    byEvent: true,
  };
  return [
    ...rep(5, { referrer: null }),
    ...rep(4, { referrer: 'google' }),
    ...rep(2, { referrer: 'google', campaign: 'shopping-ads' }),
    { referrer: 'bing' },
    {
      referrer: 'instagram',
      campaign: event === null ? 'new-arrivals' : `${event}-stories`,
      byEvent: true,
    },
    { referrer: 'facebook' },
    ...rep(2, newsletter),
    { referrer: 'tiktok', campaign: 'creator-deals' },
  ];
}
/** how many referrers a session draws from (the same for every event) */
export const REFERRER_COUNT = referrersIn(null).length;

/** an event's name as a campaign tag: accents dropped, lower case, runs of other characters as one '-' */
const tag = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'event';

/**
 * The campaigns of a plan: `tags` [null (no event), the tags of the events the window meets], and per hour the
 * index in `tags` of the hour's campaign: of the events running at the hour's start that raise the orders (an
 * outage or a signups-only event is no campaign), the one with the highest multiplier (the first of equals),
 * else 0.
 */
export const campaigns = perPlan((plan: Plan): { tags: (string | null)[]; byHour: Uint32Array } => {
  const events = plan.scenario.events;
  const byHour = new Uint32Array(plan.hours);
  const tags: (string | null)[] = [null];
  const index = new Map<string, number>();
  for (let h = 0; h < plan.hours; h++) {
    const t = plan.start + h * HOUR_MS;
    let best: (typeof events)[number] | undefined;
    for (const e of events) {
      if (t < e.start || t >= e.start + e.hours * HOUR_MS) continue;
      if (e.multiplier <= 1 || !e.appliesTo.includes('orders')) continue;
      if (best === undefined || e.multiplier > best.multiplier) best = e;
    }
    if (best === undefined) continue;
    const name = tag(best.name);
    let i = index.get(name);
    if (i === undefined) {
      i = tags.length;
      tags.push(name);
      index.set(name, i);
    }
    byHour[h] = i;
  }
  return { tags, byHour };
});

function rep<T>(n: number, v: T): T[] {
  return Array.from({ length: n }, () => v);
}

/** a signed-in user keeps their device: the client profile (index into HUMANS, mod) keyed by the user */
export function userProfile(plan: Plan, u: number): number {
  return field(rowKey(plan.seed, K.session, -3, u), 1);
}

/** session i of hour h: its key (sessions.ts numbers an hour's buying sessions first: order j's is j) */
export const sessionKey = (plan: Plan, h: number, i: number): number =>
  rowKeyAt(rowKeyBase(plan.seed, K.session, h), i);

/** the referrer (index into referrersIn, mod REFERRER_COUNT; direct for bots) of the session with key `key` */
export const sessionReferrer = (key: number): number => field(key, 3);
