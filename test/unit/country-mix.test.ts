/**
 * Card networks and wallets by the country a method is billed in, email domains by the user's (country-mix.ts):
 * the shares a `GROUP BY` shows, read off generated rows (hour 0 of black-friday: the population before the
 * window).
 */
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/generate/index.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { extraOf, tableRows } from './table-rows.js';

const plan = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 1, scale: 0.2 }));

const rows = (table: string): Map<string, string>[] => tableRows(plan, table);

const users = rows('users');
const countryOf = new Map(users.map((u) => [u.get('id'), u.get('country_code')]));
const methods = rows('user_payment_method');

/** share of each value among the rows that pass `where` */
function shares<T>(xs: readonly T[], value: (x: T) => string | undefined): Map<string, number> {
  const n = new Map<string, number>();
  for (const x of xs) {
    const v = value(x) ?? '';
    n.set(v, (n.get(v) ?? 0) + 1);
  }
  return new Map([...n].map(([k, c]) => [k, c / xs.length]));
}
const of = (m: Map<string, number>, k: string): number => m.get(k) ?? 0;

describe('who people use, by country', () => {
  const cards = methods.filter((m) => m.get('method_type') === 'card');
  // a card is its issuing country's (the user's, 1 in 20 another)
  const issuer = (m: Map<string, string>) => extraOf<{ billing_country: string }>(m).billing_country;
  const cardsIn = (cc: string) => cards.filter((m) => issuer(m) === cc);
  const provider = (m: Map<string, string>) => m.get('provider');

  it('cards: Visa first everywhere, Amex and Discover American, JCB Japanese, Mastercard ahead in Brazil', () => {
    expect(users.length).toBeGreaterThan(10_000);
    const us = shares(cardsIn('US'), provider);
    expect(of(us, 'visa')).toBeGreaterThan(0.45);
    expect(of(us, 'amex')).toBeGreaterThan(0.14);
    expect(of(us, 'amex')).toBeLessThan(0.24);
    expect(of(us, 'discover')).toBeGreaterThan(0.02);
    expect(of(us, 'discover')).toBeLessThan(0.09);
    const de = shares(cardsIn('DE'), provider);
    expect(of(de, 'discover')).toBe(0);
    expect(of(de, 'amex')).toBeLessThan(0.08);
    expect(of(de, 'visa')).toBeGreaterThan(of(de, 'mastercard'));
    const jp = shares(cardsIn('JP'), provider);
    expect(of(jp, 'jcb')).toBeGreaterThan(0.2);
    const br = shares(cardsIn('BR'), provider);
    expect(of(br, 'mastercard')).toBeGreaterThan(of(br, 'visa'));
    // no card is a wallet and the other way round
    const wallets = shares(
      methods.filter((m) => m.get('method_type') === 'wallet'),
      provider,
    );
    expect([...wallets.keys()].sort()).toEqual(['apple_pay', 'google_pay', 'paypal']);
    expect(of(wallets, 'paypal')).toBeGreaterThan(of(wallets, 'google_pay'));
    expect([...shares(cards, provider).keys()].sort()).toEqual([
      'amex',
      'discover',
      'jcb',
      'mastercard',
      'visa',
    ]);
  });

  it("a card and a wallet's card network are of the country the method is billed in", () => {
    const networks = new Set<string>();
    let elsewhere = 0;
    for (const m of methods) {
      const billed = issuer(m);
      if (billed !== countryOf.get(m.get('user_id'))) elsewhere++;
      if (m.get('provider') === 'discover') expect(billed).toBe('US');
      if (m.get('provider') === 'jcb') expect(billed).toBe('JP');
      if (m.get('method_type') !== 'wallet') continue;
      const extra = extraOf<{ card_network: string; billing_country: string }>(m);
      if (extra.card_network === 'discover') expect(extra.billing_country).toBe('US');
      if (extra.card_network === 'jcb') expect(extra.billing_country).toBe('JP');
      networks.add(extra.card_network);
    }
    expect([...networks].sort()).toEqual(['amex', 'discover', 'jcb', 'mastercard', 'visa']);
    expect(elsewhere / methods.length).toBeGreaterThan(0.02);
    expect(elsewhere / methods.length).toBeLessThan(0.08);
  });

  it("emails: gmail first, the country's own providers, a tail of other domains", () => {
    const domain = (u: Map<string, string>) => u.get('email')?.split('@')[1];
    const all = shares(users, domain);
    expect(of(all, 'gmail.com')).toBeGreaterThan(0.3);
    expect(of(all, 'gmail.com')).toBeLessThan(0.5);
    const de = shares(
      users.filter((u) => u.get('country_code') === 'DE'),
      domain,
    );
    expect(of(de, 'gmx.de') + of(de, 'web.de')).toBeGreaterThan(0.25);
    const us = shares(
      users.filter((u) => u.get('country_code') === 'US'),
      domain,
    );
    expect(of(us, 'gmx.de')).toBe(0);
    expect(of(us, 'yahoo.com')).toBeGreaterThan(0.07);
    // the tail: many domains, none of them big
    const tail = [...all].filter(([d, s]) => s < 0.01 && d !== '');
    expect(tail.length).toBeGreaterThan(30);
    expect(tail.reduce((a, [, s]) => a + s, 0)).toBeGreaterThan(0.15);
  });
});
