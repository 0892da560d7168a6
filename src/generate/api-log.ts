/**
 * request_response_log: the logged requests of the browsing sessions of each hour (sessions.ts), one row per
 * request, with the session's client in extra_data (pre-encoded pieces: no JSON per row).
 */

import { at } from '../at.js';
import { HOUR_MS } from '../time-units.js';
import { ROUTES } from './api-load.js';
import { campaigns, HUMANS, referrersIn } from './clients.js';
import { type Ctx, jsonbText, pick } from './context.js';
import { csvField, type TextPiece } from './csv-writer.js';
import { K } from './keyed.js';
import { BOT, MAX_SESSION_REQUESTS, SEARCH_WORDS, Session } from './session-record.js';
import { HourSessions } from './sessions.js';
import { keepTraffic, TrafficLog, trafficWanted } from './traffic.js';

const CRAWLERS = [
  'Googlebot/2.1',
  'Googlebot/2.1',
  'bingbot/2.0',
  'AhrefsBot/7.0',
  'YandexBot/3.0',
  'Applebot/0.1',
  'GPTBot/1.2',
];

const MARK = 'SESSIONMARK';
const RATE = 'RATEMARK';

/**
 * extra_data as jsonb prints it (keys by length, then bytes: q, ua, bot, device, channel, session, campaign,
 * referrer, sample_rate), cut around the session id: OPEN, [Q], HEAD, session uuid, TAIL. Each piece as CSV
 * (quoted) and as text (what a binary writer writes: CsvWriter.piece).
 */
function split(obj: object, rate = '1'): [TextPiece, TextPiece] {
  const text = jsonbText({ ...obj, session: MARK }).replace(`"${RATE}"`, rate);
  const csv = Buffer.from(csvField(text)).toString();
  const i = text.indexOf(MARK);
  const c = csv.indexOf(MARK);
  return [
    piece(csv.slice(0, c), text.slice(0, i)),
    piece(csv.slice(c + MARK.length), text.slice(i + MARK.length)),
  ];
}
function piece(csv: string, text: string): TextPiece {
  return { csv: Buffer.from(csv), text: Buffer.from(text) };
}
/** a head piece without the opening `{` (OPEN writes it: the search query comes between) */
function afterOpen(p: TextPiece): TextPiece {
  return { csv: p.csv.subarray(2), text: p.text.subarray(1) };
}
const OPEN = piece('"{', '{');
const head = (o: object): TextPiece => afterOpen(split(o)[0]);
const HUMAN_HEADS = HUMANS.map((c) => head({ ...c, bot: false }));
const BOT_HEADS = CRAWLERS.map((ua) => head({ ua, bot: true, device: 'bot', channel: 'web' }));
const QUERIES = SEARCH_WORDS.map((q) =>
  piece(`""q"": ${JSON.stringify(q).replace(/"/g, '""')}, `, `"q": ${JSON.stringify(q)}, `),
);

/** jsonb's text of a numeric: plain decimal, no exponent, no trailing zeros */
function numeric(x: number): string {
  return x.toFixed(8).replace(/0+$/, '').replace(/\.$/, '');
}

const tails = new Map<string, TextPiece[]>();
/** the pieces after the session id, per referrer, for a sample rate and a campaign (clients.ts campaigns) */
function tailPieces(rate: number, event: string | null): TextPiece[] {
  const k = `${rate} ${event ?? ''}`;
  let t = tails.get(k);
  if (!t) {
    t = referrersIn(event).map(
      ({ byEvent: _, ...r }) => split({ ...r, sample_rate: RATE }, numeric(rate))[1],
    );
    tails.set(k, t);
  }
  return t;
}

const enc = (s: string): Uint8Array => Buffer.from(s);
const METHOD_BYTES = ROUTES.map((r) => enc(r.method));
const PATH_BYTES = ROUTES.map((r) => enc(r.path));

export function* requestLog(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const hourEnd = plan.start + (h + 1) * HOUR_MS;
  const c = campaigns(plan);
  const tail = tailPieces(plan.scenario.distributions.logSampleRate, c.tags[at(c.byHour, h)] ?? null);
  const direct = pick(tail, 0);
  const walk = new HourSessions(plan, h);
  const s = new Session();
  // the metrics' traffic totals of the hour, added up on this walk unless they have them (./traffic.ts)
  walk.traffic = trafficWanted(plan, h) ? new TrafficLog() : null;
  while (walk.next(s)) {
    const client = s.kind === BOT ? pick(BOT_HEADS, s.profile) : pick(HUMAN_HEADS, s.profile);
    const from = s.referrer < 0 ? direct : pick(tail, s.referrer);
    for (let r = 0; r < s.n; r++) {
      const time = s.time[r] ?? 0;
      const latency = s.latency[r] ?? 0;
      const route = s.route[r] ?? 0;
      const shop = s.shop[r] ?? -1;
      const product = s.product[r] ?? -1;
      const q = s.query[r] ?? -1;
      ctx.head(K.request, h * MAX_SESSION_REQUESTS + r, s.index, time);
      if (s.user >= 0) ctx.id(K.user, 0, s.user);
      w.comma();
      if (shop >= 0) ctx.id(K.shop, 0, shop);
      w.comma();
      if (product >= 0) ctx.id(K.product, 0, product);
      w.comma();
      if (s.ordered[r] === 1) ctx.id(K.order, h, s.order);
      w.comma();
      w.bytes(at(METHOD_BYTES, route)).comma().bytes(at(PATH_BYTES, route)).comma();
      w.uint(s.status[r] ?? 0)
        .comma()
        .uint(latency)
        .comma()
        .uint(s.bytes[r] ?? 0)
        .comma();
      w.ts(time)
        .comma()
        .ts(time + latency < hourEnd ? time + latency : time)
        .comma();
      w.piece(OPEN);
      if (q >= 0) w.piece(at(QUERIES, q));
      w.piece(client);
      ctx.id(K.session, h, s.index);
      w.piece(from).end();
      if (w.full) yield w.take();
    }
  }
  if (walk.traffic) keepTraffic(plan, h, walk.traffic);
}
