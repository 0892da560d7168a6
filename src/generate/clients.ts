/**
 * Who is on the other end of a session: the human clients (user agent, device, channel) and where a session
 * came from (referrer, campaign). request_response_log writes them per request (api-log.ts); an order shows
 * those of the buying session that placed it (extras-orders.ts): one draw, so they cannot disagree.
 */
import { field, K, rowKey, rowKeyAt, rowKeyBase } from './keyed.js';
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
/** where a human session came from; entry 0 (direct, no campaign) is also every bot's */
export const REFERRERS: { referrer: string | null; campaign?: string }[] = [
  ...rep(5, { referrer: null }),
  ...rep(4, { referrer: 'google' }),
  ...rep(2, { referrer: 'google', campaign: 'shopping-ads' }),
  { referrer: 'bing' },
  { referrer: 'instagram', campaign: 'bf-stories' },
  { referrer: 'facebook' },
  ...rep(2, { referrer: 'newsletter', campaign: 'black-friday' }),
  { referrer: 'tiktok', campaign: 'creator-deals' },
];

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

/** the referrer (index into REFERRERS, mod; direct for bots) of the session with key `key` */
export const sessionReferrer = (key: number): number => field(key, 3);
