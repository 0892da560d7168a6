/** Words the row writers put in CSV fields, encoded once (no string encoding per row). */
import { ORDER_STATUS } from './orders.js';

const enc = (s: string): Uint8Array => Buffer.from(s);

export const PM_TYPES = ['card', 'card', 'card', 'wallet'] as const;
const FAILURES = ['card_declined', 'insufficient_funds', 'expired_card', 'processing_error'] as const;

export const W = {
  active: enc('active'),
  inactive: enc('inactive'),
  suspended: enc('suspended'),
  paused: enc('paused'),
  draft: enc('draft'),
  usd: enc('USD'),
  succeeded: enc('succeeded'),
  failed: enc('failed'),
  paid: enc('paid'),
  ended: enc('ended'),
  scheduled: enc('scheduled'),
  sale: enc('sale'),
  restock: enc('restock'),
  orderStatus: ORDER_STATUS.map(enc),
  pmTypes: PM_TYPES.map(enc),
  failures: FAILURES.map(enc),
};
