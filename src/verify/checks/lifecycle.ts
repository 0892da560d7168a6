/**
 * Lifecycles, currency and prices (issue 8 §1, §2): the rows show their state at the window's end, that state
 * fits its dates and the change events that led there, and the price events of a product chain up to its price.
 * $1 is the window end (the start for state-events); "at the window's end" is its last millisecond, as the
 * generator writes.
 */
import { PRODUCT_NAMES } from '../../generate/pools.js';
import { CHANGE_EVENT_TYPES, CHANGE_EVENTS, PRICE_CHANGED } from '../../generate/registry.js';
import { COUNTRY_CURRENCY } from '../../model/currencies.js';
import type { TableName } from '../../model/tables.js';
import { type CheckDef, exceptBoth } from '../check.js';

/** the window's end as $1 (checks that only need it) */
const endParam = ({ end }: { end: string }): unknown[] => [end];
const startParam = ({ start }: { start: string }): unknown[] => [start];
const LAST = "($1::timestamptz - interval '1 millisecond')";

const promotionStatus: CheckDef = {
  name: 'promotion-status',
  description:
    "shop_promotion's status or updated_time disagrees with starts_at/ends_at at the window's end " +
    '(scheduled: created_time; active: starts_at; ended: ends_at)',
  sql: ({ T }) =>
    `SELECT id, status, created_time, starts_at, ends_at, updated_time FROM ${T('shop_promotion')}
     WHERE (status, updated_time) IS DISTINCT FROM (
       CASE WHEN ${LAST} < starts_at THEN 'scheduled' WHEN ${LAST} < ends_at THEN 'active' ELSE 'ended' END,
       CASE WHEN ${LAST} < starts_at THEN created_time WHEN ${LAST} < ends_at THEN starts_at ELSE ends_at END)`,
  params: endParam,
};

const methodExpiry: CheckDef = {
  name: 'method-expiry',
  description:
    "user_payment_method is 'expired' but its expiry month had not ended at the window's end, or the " +
    'reverse, or an expired one has updated_time other than the end of its expiry month, or it expires in ' +
    'the month it was created',
  sql: ({ T }) =>
    `SELECT id, expires_month, expires_year, status, created_time, updated_time FROM (
       SELECT *, make_timestamptz(expires_year, expires_month, 1, 0, 0, 0, 'UTC') + interval '1 month' AS gone
       FROM ${T('user_payment_method')}) m
     WHERE status NOT IN ('active', 'expired')
        OR (status = 'expired') <> (gone <= ${LAST})
        OR (status = 'expired' AND updated_time <> gone)
        OR (status = 'active' AND updated_time <> created_time)
        OR gone < (date_trunc('month', created_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') + interval '2 months'`,
  params: endParam,
};

const STATE_TABLES = ['users', 'shop', 'shop_product', 'shop_promotion', 'user_payment_method'] as const;

const updatedAfterCreated: CheckDef = {
  name: 'updated-after-created',
  description:
    'an entity row of a table with states has updated_time before created_time or after the window',
  sql: ({ T }) =>
    STATE_TABLES.map(
      (t) =>
        `SELECT '${t}' AS tbl, id, created_time, updated_time FROM ${T(t)}
         WHERE updated_time < created_time OR updated_time >= $1::timestamptz`,
    ).join('\nUNION ALL\n'),
  params: endParam,
};

/** The statuses of each entity table, and the entity_type of its events. */
const STATUSES: Record<(typeof STATE_TABLES)[number], { type: string; words: readonly string[] }> = {
  users: { type: 'user', words: ['active', 'inactive', 'banned'] },
  shop: { type: 'shop', words: ['active', 'paused'] },
  shop_product: { type: 'shop_product', words: ['draft', 'active', 'archived'] },
  shop_promotion: { type: 'shop_promotion', words: ['scheduled', 'active', 'ended'] },
  user_payment_method: { type: 'user_payment_method', words: ['active', 'expired'] },
};

/** entity table -> (status word -> the event type of entering it); creation states have none */
const ENTERED: Record<(typeof STATE_TABLES)[number], readonly (string | null)[]> = {
  users: CHANGE_EVENTS.user,
  shop: CHANGE_EVENTS.shop,
  shop_product: CHANGE_EVENTS.product,
  shop_promotion: CHANGE_EVENTS.promotion,
  user_payment_method: CHANGE_EVENTS.method,
};

const statusWords: CheckDef = {
  name: 'status-words',
  description: 'an entity row has a status its table does not know',
  sql: ({ T }) =>
    STATE_TABLES.map(
      (t) =>
        `SELECT '${t}' AS tbl, id, status FROM ${T(t)}
         WHERE status NOT IN (${STATUSES[t].words.map((w) => `'${w}'`).join(', ')})`,
    ).join('\nUNION ALL\n'),
};

/**
 * A row whose state was entered in the window (updated_time after its start, a state that is not the creation
 * one) has, as its entity's last change event, the event of entering that state at updated_time; and every
 * entity's last change event is such a row's. Shops come back to 'active' by shop_resumed (updated_time after
 * created_time); the first state of the others is their creation.
 */
const stateEvents: CheckDef = {
  name: 'state-events',
  description: "an entity's status and updated_time disagree with its last state change event in the window",
  sql: ({ T }) => {
    const expected = STATE_TABLES.map((t) => {
      const cases = ENTERED[t]
        .map((ev, i) => (ev ? `WHEN '${STATUSES[t].words[i]}' THEN '${ev}'` : ''))
        .filter(Boolean)
        .join(' ');
      return `SELECT CASE status ${cases} END AS event_type, '${STATUSES[t].type}' AS entity_type, id,
                     updated_time AS event_time
              FROM ${T(t)} WHERE updated_time >= $1::timestamptz AND updated_time > created_time`;
    }).join('\nUNION ALL\n');
    const types = CHANGE_EVENT_TYPES.filter((x) => x !== PRICE_CHANGED)
      .map((x) => `'${x}'`)
      .join(', ');
    return exceptBoth(
      ['event_type', 'entity_type', 'id', 'event_time'],
      `SELECT * FROM (${expected}) x WHERE event_type IS NOT NULL`,
      `SELECT DISTINCT ON (entity_id) event_type, entity_type, entity_id, event_time FROM ${T('global_event')}
       WHERE event_type IN (${types}) ORDER BY entity_id, event_time DESC`,
      '3, 4, 1',
    );
  },
  params: startParam,
};

/** The entity table of each entity type of change events, and how its user_id/shop_id columns read. */
const EVENT_ROWS: { type: string; table: TableName; user: string; shop: string }[] = [
  { type: 'user', table: 'users', user: 'r.id', shop: 'NULL::uuid' },
  { type: 'user_payment_method', table: 'user_payment_method', user: 'r.user_id', shop: 'NULL::uuid' },
  { type: 'shop', table: 'shop', user: 'r.user_id', shop: 'r.id' },
  { type: 'shop_product', table: 'shop_product', user: 'NULL::uuid', shop: 'r.shop_id' },
  { type: 'shop_promotion', table: 'shop_promotion', user: 'NULL::uuid', shop: 'r.shop_id' },
];

const changeEntities: CheckDef = {
  name: 'change-entities',
  description:
    "a state or price change event's entity is not a row of its table created before it, or names " +
    'another user or shop than the row',
  sql: ({ T }) => {
    const types = CHANGE_EVENT_TYPES.map((x) => `'${x}'`).join(', ');
    const cases = EVENT_ROWS.map(
      (e) =>
        `SELECT e.id FROM ${T('global_event')} e JOIN ${T(e.table)} r ON r.id = e.entity_id
         WHERE e.entity_type = '${e.type}' AND r.created_time <= e.event_time
           AND e.user_id IS NOT DISTINCT FROM ${e.user} AND e.shop_id IS NOT DISTINCT FROM ${e.shop}`,
    ).join('\nUNION ALL\n');
    return `SELECT e.id, e.event_type, e.entity_type, e.entity_id, e.event_time FROM ${T('global_event')} e
            WHERE e.event_type IN (${types})
              AND NOT EXISTS (SELECT 1 FROM (${cases}) ok WHERE ok.id = e.id)`;
  },
  // each event judged alone against its entity's row (the same event on both sides of the NOT EXISTS)
  needsWhole: EVENT_ROWS.map((e) => e.table),
};

/**
 * price_changed events of a product, in time order: each old_price is the previous new_price, prices differ,
 * the currency is the product's, and the last new_price is shop_product.price.
 */
const priceChain: CheckDef = {
  name: 'price-chain',
  description:
    "a product's price_changed events do not chain (old_price = previous new_price), or end elsewhere " +
    "than shop_product.price, or are in another currency than the product's",
  sql: ({ T }) =>
    `SELECT c.entity_id, c.event_time, c.old_price, c.prev_new, c.new_price, c.currency, p.price, p.currency
     FROM (SELECT entity_id, event_time, (extra_data->>'old_price')::numeric AS old_price,
                  (extra_data->>'new_price')::numeric AS new_price, extra_data->>'currency' AS currency,
                  lag((extra_data->>'new_price')::numeric) OVER w AS prev_new,
                  row_number() OVER (PARTITION BY entity_id ORDER BY event_time DESC) AS from_last
           FROM ${T('global_event')} WHERE event_type = '${PRICE_CHANGED}'
           WINDOW w AS (PARTITION BY entity_id ORDER BY event_time)) c
     LEFT JOIN ${T('shop_product')} p ON p.id = c.entity_id
     WHERE p.id IS NULL OR c.old_price = c.new_price OR c.new_price <= 0
        OR c.old_price <> coalesce(c.prev_new, c.old_price)
        OR c.currency IS DISTINCT FROM p.currency
        OR (c.from_last = 1 AND c.new_price <> p.price)`,
};

const COUNTRY_VALUES = Object.entries(COUNTRY_CURRENCY)
  .map(([country, currency]) => `('${country}', '${currency}')`)
  .join(', ');

const productCurrency: CheckDef = {
  name: 'product-currency',
  description: "shop_product's currency is not the currency of its shop's country (USD for others)",
  sql: ({ T }) =>
    `SELECT p.id, p.currency, s.country_code
     FROM ${T('shop_product')} p JOIN ${T('shop')} s ON s.id = p.shop_id
     LEFT JOIN (VALUES ${COUNTRY_VALUES}) AS c(country, currency) ON c.country = s.country_code
     WHERE p.currency <> coalesce(c.currency, 'USD')`,
};

// A shop names its products differently, up to PRODUCT_NAMES products (then the names start again).
const productNames: CheckDef = {
  name: 'product-names',
  description: `a shop of at most ${PRODUCT_NAMES} products sells two products of one name`,
  sql: ({ T }) =>
    `SELECT shop_id, name, n FROM (
       SELECT shop_id, name, count(*) AS n, sum(count(*)) OVER (PARTITION BY shop_id) AS products
       FROM ${T('shop_product')} GROUP BY 1, 2) x
     WHERE n > 1 AND products <= ${PRODUCT_NAMES}`,
};

const parentsFirst: CheckDef = {
  name: 'parents-first',
  description: 'a shop was created before its owner (users) signed up, or a product before its shop opened',
  sql: ({ T }) =>
    `SELECT 'shop' AS tbl, s.id, s.created_time, u.created_time AS parent_created
     FROM ${T('shop')} s JOIN ${T('users')} u ON u.id = s.user_id WHERE s.created_time < u.created_time
     UNION ALL
     SELECT 'shop_product', p.id, p.created_time, s.created_time
     FROM ${T('shop_product')} p JOIN ${T('shop')} s ON s.id = p.shop_id WHERE p.created_time < s.created_time`,
};

// lifecycle.ts userChangeOf: a seller's account is what runs the shop
const ownersActive: CheckDef = {
  name: 'owners-active',
  description: "a shop's owner (users) is inactive or banned at the window's end while the shop is listed",
  sql: ({ T }) =>
    `SELECT s.id AS shop_id, u.id AS user_id, u.status
     FROM ${T('shop')} s JOIN ${T('users')} u ON u.id = s.user_id WHERE u.status <> 'active'`,
};

export const LIFECYCLE: CheckDef[] = [
  parentsFirst,
  ownersActive,
  promotionStatus,
  methodExpiry,
  updatedAfterCreated,
  statusWords,
  stateEvents,
  changeEntities,
  priceChain,
  productCurrency,
  productNames,
];
