/** Words the row writers put in CSV fields, encoded once (no string encoding per row). */
import { CURRENCY_CODES } from '../model/currencies.js';
import { METHOD_STATUS, PRODUCT_STATUS, PROMOTION_STATUS, SHOP_STATUS, USER_STATUS } from './lifecycle.js';
import { SHOP_COUNTRIES } from './money.js';
import { ORDER_STATUS } from './orders.js';

const enc = (s: string): Uint8Array => Buffer.from(s);

export const PM_TYPES = ['card', 'card', 'card', 'wallet'] as const;
const FAILURES = ['card_declined', 'insufficient_funds', 'expired_card', 'processing_error'] as const;

export const W = {
  usd: enc('USD'),
  succeeded: enc('succeeded'),
  failed: enc('failed'),
  paid: enc('paid'),
  sale: enc('sale'),
  restock: enc('restock'),
  orderStatus: ORDER_STATUS.map(enc),
  pmTypes: PM_TYPES.map(enc),
  failures: FAILURES.map(enc),
  // lifecycle states, by the index the state functions return (lifecycle.ts)
  userStatus: USER_STATUS.map(enc),
  shopStatus: SHOP_STATUS.map(enc),
  productStatus: PRODUCT_STATUS.map(enc),
  promotionStatus: PROMOTION_STATUS.map(enc),
  methodStatus: METHOD_STATUS.map(enc),
  /** by SHOP_COUNTRIES index (money.ts shopCountry) */
  shopCountries: SHOP_COUNTRIES.map(enc),
  /** by currency index (money.ts) */
  currencies: CURRENCY_CODES.map(enc),
};
