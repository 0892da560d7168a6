/**
 * The COMMENTs of the order tables (shop_order, its payments, invoice, invoice payment), apart from tables.ts
 * to keep it short: what each column holds as the generator writes it (issue 8: lifecycles, currency,
 * refunds and returns, out-of-stock carts, expired cards).
 */
export const ORDERS = {
  orderTable:
    'Orders (ShopOrder): the checkout of a browsing session (request_response_log) by a signed-in user at one ' +
    'shop. status, as of the window end: paid; payment_failed (every attempt failed); abandoned (no payment ' +
    'attempt: the buyer left, or an item was out of stock, extra_data reason out_of_stock); refunded or ' +
    'returned (paid, then refunded or returned scenario refund_delay_hours later, when that is before the ' +
    'window end).',
  orderEvent:
    "When the order was placed: the hour's orders fall as a Poisson process's given their count (minutes vary), " +
    'denser towards the neighbouring hour of higher rhythm; index order is time order.',
  orderUpdated:
    'When it reached its status: its last payment attempt; its refund or return (that refund payment row) ' +
    'when refunded or returned; event_time when abandoned.',
  orderUser:
    "The buyer: a user existing and active at event_time, of the shop's country_code when the shop does not " +
    'ship abroad (shop extra_data ships_international false) and for scenario domestic_order_share of the ' +
    "others' orders, else of any country; never the shop's owner; scenario repeat_customer_share of the " +
    'orders come from the regulars (every 20th user), the others from anyone: most buyers order once or twice.',
  orderShop: 'The shop, by popularity (scenario shop_popularity_skew), active (not paused) at event_time.',
  orderStatus: 'paid, payment_failed, abandoned, refunded or returned (see the table comment).',
  orderDiscount: 'Sum of its items discount.',
  orderTotal:
    "subtotal - discount, plus on a sale inside the US or Canada the sales tax of the shop's tax_region " +
    '(shop.extra_data; prices there are without it), to the cent, half up: what the buyer pays.',
  orderCurrency:
    "The shop's currency (its country's, src/model/currencies.ts): the amounts of the order, its items, " +
    'payments and invoice are all in it.',
  itemProduct: "A product of the order's shop, active at the order's time, by popularity.",
  paymentTable:
    'Payment attempts of orders (ShopOrderPayment): none for an abandoned cart; after a failed attempt 60% of ' +
    'buyers try again (up to scenario payment_max_retries), on another method when they have one that has ' +
    'not expired, never on the same expired card; the last attempt of a paid order succeeded. A refund or return adds one ' +
    "row, status refunded, minus the total, at the refund's time (so in that hour's partition).",
  paymentEvent:
    "When the attempt was made: 2 to 62 s after the order, a retry 2 to 182 s after the previous attempt, within the order's hour (where less is left of it, at a point of what is left); a refund: when it was made.",
  paymentMethod:
    "The buyer's default method first; a retry switches to another of the buyer's methods that has not expired; a refund goes back to the method of the successful attempt.",
  paymentAttempt: '1, 2, ... within the order; a refund takes the next number.',
  paymentAmount: "The order's total; minus the total for a refund.",
  paymentCurrency: "The order's currency.",
  paymentStatus: 'succeeded, failed or refunded.',
  failureReason:
    'When failed: expired_card exactly when the method had expired at the attempt (its expiry month had ' +
    'ended), otherwise card_declined, insufficient_funds, do_not_honor, processing_error, incorrect_cvc or ' +
    'suspected_fraud (keyed; generic declines most common); NULL otherwise.',
  invoiceUpdated:
    "event_time; the refund's time when the order was refunded or returned before the window end.",
  invoiceAmount: "The order's total.",
  invoiceCurrency: "The order's currency.",
  invoiceStatus: 'paid, or refunded when the order was refunded or returned (see updated_time).',
  invoicePaymentCurrency: "The invoice's currency.",
  invoicePaymentStatus: "'succeeded': the successful attempt (a refund is a shop_order_payment row).",
  reviewOrder: 'The order: paid (it may since have been refunded or returned).',
} as const;
