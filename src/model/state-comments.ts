/**
 * The comments of the columns that hold a state over time (issue 8 §1, §2: src/generate/lifecycle.ts and
 * prices.ts): what status, updated_time, price and the change events mean, kept apart so tables.ts stays short.
 */
export const STATES = {
  eventTable:
    'Business events (GlobalEvent), one row each: user_signed_up, shop_opened, product_listed, ' +
    'promotion_scheduled (for entities created in the window, not the population before it), order_placed ' +
    'or cart_abandoned per order, payment_succeeded or payment_failed per payment attempt, invoice_issued, ' +
    'review_posted; and the state changes inside the window of any entity: user_deactivated, user_banned, ' +
    'shop_paused, shop_resumed, product_activated, product_archived, promotion_started (at starts_at), ' +
    'promotion_ended (at ends_at), payment_method_expired (end of its expiry month), price_changed.',
  eventTime:
    "When it happened: the event_time of its entity's row for creations, the time of the change for state " +
    'and price changes (after the entity row).',
  eventExtra:
    'price_changed rows carry instead {"currency", "new_price", "old_price"} (prices as text, in the ' +
    "product's currency).",
  eventUser:
    'The user who acted or is concerned (new user, shop owner, buyer, reviewer, the user of a changed ' +
    'user or payment method, the owner of a paused or resumed shop); NULL for the events of products ' +
    'and promotions.',
  eventShop: 'The shop concerned; NULL for the events of users and payment methods.',
  userUpdated:
    'When it entered its status: created_time while active; the time it turned inactive or banned (for ' +
    'the population before the window possibly before event_time: its history).',
  userStatus:
    'At the window end: active; inactive after created_time + a keyed exponential wait (scenario ' +
    'user_churn_rate per 30 days) or banned (user_ban_rate), whichever first; a shop owner stays active. ' +
    'Only active users order.',
  shopUpdated:
    'When it entered its status: created_time, or its last pause or resumption (possibly before event_time ' +
    'for the shops that existed before the window).',
  shopStatus:
    'At the window end: active or paused. Pauses come after keyed exponential waits (scenario ' +
    'shop_pause_rate per 30 days) and last shop_pause_days (at most 3 in a life); the first shop, the platform flagship, ' +
    'never pauses. A paused shop sells nothing.',
  shopCountry: "ISO 3166-1 alpha-2: its owner's country_code; it decides the shop's currency (README Money).",
  productUpdated:
    'When it entered its status: created_time (draft, or active for the products before the window), its ' +
    'activation or its archiving. Price changes are global_event price_changed rows.',
  productPrice:
    "List price at the window end, in currency: a USD price in its noun's usual range (a monitor is not a mug; " +
    'one per product name, each shop within 0.67x-1.49x of it, less in narrow ranges; cut to scenario price_cents) at ' +
    'the fixed rate, on a ' +
    'price point (x.99; whole hundreds of yen, written .00), moved by keyed repricings (scenario ' +
    'repricing_rate, repricing_percent; each a price_changed event) until archived.',
  productCurrency: "ISO 4217 code of the shop's currency (from the shop's country_code).",
  productStatus:
    'At the window end: draft (listed in the window, for scenario product_draft_hours), active, or ' +
    'archived (after a keyed exponential wait, product_archive_rate per 30 days from its activation or ' +
    'from the window start). Only active products are viewed and sold.',
  methodUpdated: 'created_time while active; the end of its expiry month once expired.',
  methodExpiry:
    'The expiry month is keyed from 3 months before the window start month to 5 years after it, never ' +
    'before the month after its creation.',
  methodStatus:
    "'expired' once its expiry month ended before the window end, else 'active'. A payment on an expired " +
    'method fails with expired_card.',
  promotionEvent:
    'When it was created (announced) in the window, or the window start for those already running.',
  promotionCreated: 'least(event_time, starts_at): its announcement, or starts_at for those already running.',
  promotionUpdated:
    'When it entered its status: created_time (scheduled), starts_at (active) or ends_at (ended).',
  promotionStart:
    'Start: scenario promotion_lead_hours after its announcement (before the window for those already running).',
  promotionStatus: 'At the window end: scheduled before starts_at, active until ends_at, ended after.',
} as const;
