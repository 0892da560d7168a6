/**
 * Who people use, by country: card networks, wallets and email providers. A flat pick (a quarter of the cards
 * Discover, an email domain out of 40 invented ones) is the first thing a `GROUP BY provider` shows as made up.
 * The shares are rounded approximations of the public picture, not measurements: Visa first everywhere, Amex and
 * Discover mostly American, Mastercard ahead in Brazil, JCB in Japan; gmail first, then the country's own
 * webmail and ISPs (gmx.de and web.de, orange.fr, libero.it, yahoo.co.jp), and a long tail of other domains (the
 * seed's pool of invented domains) for what the list leaves.
 *
 * Each mix is a 256-entry table per country slot: the low byte of a keyed field picks an entry, so a pick costs
 * one lookup and the shares are multiples of 1/256.
 */
import { at } from '../at.js';
import { byteTable } from './pool-index.js';
import { COUNTRY_CODES } from './pools.js';

type Shares = readonly (readonly [string, number])[];

const EURO_CARDS: Shares = [
  ['visa', 55],
  ['mastercard', 41],
  ['amex', 4],
];
/** card networks, percent */
const CARDS: Record<string, Shares> = {
  US: [
    ['visa', 52],
    ['mastercard', 24],
    ['amex', 19],
    ['discover', 5],
  ],
  CA: [
    ['visa', 55],
    ['mastercard', 34],
    ['amex', 11],
  ],
  GB: [
    ['visa', 60],
    ['mastercard', 34],
    ['amex', 6],
  ],
  JP: [
    ['visa', 45],
    ['jcb', 28],
    ['mastercard', 20],
    ['amex', 7],
  ],
  BR: [
    ['mastercard', 53],
    ['visa', 42],
    ['amex', 5],
  ],
  MX: [
    ['visa', 55],
    ['mastercard', 40],
    ['amex', 5],
  ],
  AU: [
    ['visa', 55],
    ['mastercard', 36],
    ['amex', 9],
  ],
};

/** wallets, percent */
const WALLETS: Record<string, Shares> = {
  US: [
    ['apple_pay', 45],
    ['paypal', 40],
    ['google_pay', 15],
  ],
};
const OTHER_WALLETS: Shares = [
  ['paypal', 45],
  ['apple_pay', 33],
  ['google_pay', 22],
];

/** email domains, percent; the rest is the long tail */
const EMAIL: Record<string, Shares> = {
  US: [
    ['gmail.com', 40],
    ['yahoo.com', 11],
    ['icloud.com', 8],
    ['hotmail.com', 6],
    ['outlook.com', 6],
    ['aol.com', 3],
    ['comcast.net', 2],
  ],
  GB: [
    ['gmail.com', 34],
    ['hotmail.co.uk', 10],
    ['yahoo.co.uk', 7],
    ['outlook.com', 6],
    ['icloud.com', 6],
    ['btinternet.com', 4],
    ['sky.com', 3],
  ],
  DE: [
    ['gmail.com', 25],
    ['gmx.de', 16],
    ['web.de', 16],
    ['t-online.de', 7],
    ['outlook.de', 4],
    ['yahoo.de', 3],
  ],
  JP: [
    ['gmail.com', 30],
    ['yahoo.co.jp', 22],
    ['icloud.com', 8],
    ['docomo.ne.jp', 6],
    ['outlook.jp', 4],
  ],
  FR: [
    ['gmail.com', 36],
    ['orange.fr', 12],
    ['hotmail.fr', 10],
    ['free.fr', 6],
    ['yahoo.fr', 5],
    ['laposte.net', 4],
  ],
  CA: [
    ['gmail.com', 40],
    ['hotmail.com', 10],
    ['outlook.com', 6],
    ['yahoo.ca', 6],
    ['icloud.com', 6],
    ['shaw.ca', 2],
    ['rogers.com', 2],
  ],
  BR: [
    ['gmail.com', 50],
    ['hotmail.com', 14],
    ['outlook.com', 6],
    ['yahoo.com.br', 6],
    ['uol.com.br', 3],
    ['bol.com.br', 2],
  ],
  MX: [
    ['gmail.com', 48],
    ['hotmail.com', 18],
    ['outlook.com', 7],
    ['yahoo.com.mx', 6],
    ['icloud.com', 3],
  ],
  AU: [
    ['gmail.com', 38],
    ['hotmail.com', 8],
    ['icloud.com', 7],
    ['outlook.com', 6],
    ['bigpond.com', 6],
    ['yahoo.com.au', 5],
    ['optusnet.com.au', 2],
  ],
  ES: [
    ['gmail.com', 42],
    ['hotmail.es', 14],
    ['outlook.es', 6],
    ['yahoo.es', 5],
    ['telefonica.net', 2],
  ],
  IT: [
    ['gmail.com', 38],
    ['libero.it', 12],
    ['hotmail.it', 8],
    ['yahoo.it', 6],
    ['alice.it', 4],
    ['virgilio.it', 3],
    ['outlook.it', 3],
  ],
  NL: [
    ['gmail.com', 34],
    ['hotmail.com', 10],
    ['outlook.com', 6],
    ['ziggo.nl', 6],
    ['icloud.com', 5],
    ['kpnmail.nl', 4],
    ['live.nl', 4],
  ],
  SE: [
    ['gmail.com', 36],
    ['hotmail.com', 10],
    ['outlook.com', 6],
    ['icloud.com', 6],
    ['telia.com', 4],
    ['live.se', 4],
  ],
};
const OTHER_EMAIL: Shares = [['gmail.com', 40]];

/** A country's picks: 256 entries, each an index into `names`, or `names.length` for "the rest". */
export interface Mix {
  names: readonly Uint8Array[];
  table: Uint8Array;
}

/** The mix of `shares` (percent; what they leave to 100 is the rest, none when they sum to 100). */
function mixOf(shares: Shares): Mix {
  return {
    names: shares.map(([name]) => Buffer.from(name)),
    table: byteTable(
      shares.map(([, pct]) => pct),
      100,
    ),
  };
}

const bySlot = (of: (cc: string) => Shares): readonly Mix[] => {
  const byCode = new Map<string, Mix>();
  return COUNTRY_CODES.map((cc) => {
    let m = byCode.get(cc);
    if (m === undefined) {
      m = mixOf(of(cc));
      byCode.set(cc, m);
    }
    return m;
  });
};

/** per country slot (COUNTRY_CODES) */
export const CARD_MIX = bySlot((cc) => CARDS[cc] ?? EURO_CARDS);
export const WALLET_MIX = bySlot((cc) => WALLETS[cc] ?? OTHER_WALLETS);
export const EMAIL_MIX = bySlot((cc) => EMAIL[cc] ?? OTHER_EMAIL);

/** The pick of field value r (its low byte) in a country's mix, or undefined for the rest. */
export function mixPick(mix: Mix, r: number): Uint8Array | undefined {
  return mix.names[at(mix.table, r & 255)];
}

/** The pick of a mix whose shares sum to 100 (no rest). */
export function mixPickAll(mix: Mix, r: number): Uint8Array {
  const v = mixPick(mix, r);
  if (v === undefined) throw new Error('internal: a mix without a rest left one');
  return v;
}
