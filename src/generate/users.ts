/** Row writers of users and user_payment_method: one hour's new users (hour 0: also the population before). */

import { at } from '../at.js';
import { createdIn, userTimes } from './arrivals.js';
import { type Ctx, pick } from './context.js';
import { CARD_MIX, EMAIL_MIX, mixPick, mixPickAll, WALLET_MIX } from './country-mix.js';
import { methodCountry, userCountry, userPaymentMethodExtra, usersExtra } from './extras.js';
import { field, K, rowKey } from './keyed.js';
import { methodExpiryMonthOf, monthIndex, monthStart, type StateAt, userStateAtOf } from './lifecycle.js';
import { paymentMethodCount } from './plan-lookup.js';
import { planEnd } from './plan-type.js';
import { mod } from './pool-index.js';
import type { Pools } from './pools.js';
import { username } from './text.js';
import { W } from './words.js';

export function* users(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, pools, w } = ctx;
  const [a, b] = createdIn(plan.usersBefore, h, ctx.population, ctx.slice);
  const names = nameBytes(pools);
  // rows show their state at the window's end (issue 8 §1), updated_time = when they entered it
  const end = planEnd(plan) - 1;
  const state: StateAt = { status: 0, since: 0 };
  for (let u = a; u < b; u++) {
    const key = rowKey(plan.seed, K.user, 0, u);
    const t = userTimes(plan, u);
    const fi = mod(field(key, 2), pools.firstNames.length);
    const li = mod(field(key, 3), pools.lastNames.length);
    const first = at(pools.firstNameSlugs, fi);
    const last = at(pools.lastNameSlugs, li);
    ctx.head(K.user, 0, u, t.event);
    // the row's country: userCountry (by the user's index), extra_data and the email's provider follow it
    const country = userCountry(plan, u);
    // emails and usernames carry the user number: unique by construction
    w.bytes(first).ascii('.').bytes(last).uint(u).ascii('@');
    const r = field(key, 4);
    w.bytes(mixPick(at(EMAIL_MIX, country), r) ?? pick(pools.emailDomains, r >>> 8)).comma();
    username(ctx, u, fi, li).comma();
    writeFullName(ctx, names, fi, li);
    userStateAtOf(plan, u, t.created, ctx.asInserted ? t.event : end, state);
    w.comma().bytes(at(W.userStatus, state.status)).comma();
    w.bytes(at(pools.countryCodes, country)).comma();
    ctx.tail(t.created, state.since, usersExtra(plan, u, country));
    if (w.full) yield w.take();
  }
}

/** UTF-8 bytes of the name pools and whether each needs CSV quoting (once per pools, not per user row) */
interface NameBytes {
  first: Uint8Array[];
  last: Uint8Array[];
  firstQuote: boolean[];
  lastQuote: boolean[];
}
const nameCache = new WeakMap<Pools, NameBytes>();
const quoted = (s: string): boolean => s.includes('"') || s.includes(',');

function nameBytes(pools: Pools): NameBytes {
  let n = nameCache.get(pools);
  if (!n) {
    n = {
      first: pools.firstNames.map((s) => Buffer.from(s)),
      last: pools.lastNames.map((s) => Buffer.from(s)),
      firstQuote: pools.firstNames.map(quoted),
      lastQuote: pools.lastNames.map(quoted),
    };
    nameCache.set(pools, n);
  }
  return n;
}

function writeFullName(ctx: Ctx, names: NameBytes, fi: number, li: number): void {
  // "First Last" as one CSV field: both parts are quote-free names from the pools, quote the pair when needed
  if (names.firstQuote[fi] || names.lastQuote[li]) {
    const first = pick(ctx.pools.firstNames, fi);
    const last = pick(ctx.pools.lastNames, li);
    ctx.w.bytes(Buffer.from(`"${`${first} ${last}`.replace(/"/g, '""')}"`));
  } else ctx.w.bytes(at(names.first, fi)).ascii(' ').bytes(at(names.last, li));
}

export function* userPaymentMethods(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const [a, b] = createdIn(plan.usersBefore, h, ctx.population, ctx.slice);
  const end = planEnd(plan) - 1;
  for (let u = a; u < b; u++) {
    const t = userTimes(plan, u);
    const n = paymentMethodCount(plan, u);
    const createdMonth = monthIndex(t.created);
    const country = userCountry(plan, u);
    for (let slot = 0; slot < n; slot++) {
      const key = rowKey(plan.seed, K.paymentMethod, u, slot);
      ctx.head(K.paymentMethod, u, slot, t.event);
      ctx.id(K.user, 0, u).comma();
      const type = mod(field(key, 1), W.pmTypes.length);
      w.bytes(at(W.pmTypes, type)).comma();
      // the provider as its country's (a JCB card is Japanese, a Discover card American)
      const billed = methodCountry(plan, u, slot, country);
      w.bytes(mixPickAll(at(type === 3 ? WALLET_MIX : CARD_MIX, billed), field(key, 2)));
      w.comma();
      const last4 = field(key, 3) % 10000;
      w.uintPadded(last4, 4).comma();
      // expired at the end of its expiry month (lifecycle.ts): 'expired' once that is before the window end
      const month = methodExpiryMonthOf(plan, u, slot, createdMonth);
      w.uint((month % 12) + 1).comma();
      w.uint(Math.floor(month / 12)).comma();
      const expiresAt = monthStart(month + 1);
      const expired = expiresAt <= (ctx.asInserted ? t.event : end);
      w.bool(slot === 0)
        .comma()
        .bytes(at(W.methodStatus, expired ? 1 : 0))
        .comma();
      ctx.tail(
        t.created,
        expired ? expiresAt : t.created,
        userPaymentMethodExtra(plan, u, slot, type === 3, billed),
      );
      if (w.full) yield w.take();
    }
  }
}
