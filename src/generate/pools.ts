/**
 * Pools of faker values, made once per seed and then picked from with keyed randomness.
 * faker called per field runs at ~40k rows/s (measured); picking from pools keeps its realism at
 * generator speed. Each pool gets its own seedrandom stream (seed + pool name), plugged into faker
 * through its Randomizer seam, so adding a pool never changes another. faker is pinned to an exact
 * version in package.json: its output for a seed changes between releases.
 */
import type { Faker, Randomizer } from '@faker-js/faker';
// The English locale's own entry, not the package's main one: that one loads all ~70 locales (+30 MB of RSS,
// +16 MB of heap, measured: issue 9 §2). Its instance is built with [en, base] (base adds what no method called
// here reads: colour spaces, time zones, mime types...), and its constructor is faker's Faker class.
import { faker as enFaker } from '@faker-js/faker/locale/en';
import seedrandom from 'seedrandom';
import { at } from '../at.js';
import { csvField } from './csv-writer.js';
import { byteTable } from './pool-index.js';
import { DEPTS, PRODUCT_ADJECTIVES, TITLE_ADJECTIVES, TITLE_NOUNS } from './text-vocab.js';

function randomizerFor(seed: number, pool: string): Randomizer {
  let rng = seedrandom.alea(`${seed}:${pool}`);
  return {
    next: () => rng(),
    seed: (s: number | number[]) => {
      rng = seedrandom.alea(`${seed}:${pool}:${Array.isArray(s) ? s.join(',') : s}`);
    },
  };
}

const FakerClass = enFaker.constructor as typeof Faker;

/** a Faker of the English locale drawing from the pool's own stream */
const fakerFor = (seed: number, pool: string): Faker =>
  new FakerClass({ locale: enFaker.rawDefinitions, randomizer: randomizerFor(seed, pool) });

function pool(seed: number, name: string, size: number, make: (f: Faker) => string): string[] {
  const f = fakerFor(seed, name);
  const out: string[] = [];
  for (let i = 0; i < size; i++) out.push(make(f));
  return out;
}

/** lower-case ascii letters only, for emails and usernames */
function slug(s: string): string {
  const t = s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  return t.length > 0 ? t : 'x';
}

const enc = (xs: string[]): Uint8Array[] => xs.map(csvField);

/**
 * The countries of users and shops, as 64 slots: a country's share is its slots / 64 (US 28%, GB and DE 9%, JP
 * 8%, FR and CA 6%, seven others 5% each). Users hold the slots in a keyed order per block of 64 (money.ts).
 */
const COUNTRY_SLOTS: [string, number][] = [
  ['US', 18],
  ['GB', 6],
  ['DE', 6],
  ['JP', 5],
  ['FR', 4],
  ['CA', 4],
  ['BR', 3],
  ['MX', 3],
  ['AU', 3],
  ['ES', 3],
  ['IT', 3],
  ['NL', 3],
  ['SE', 3],
];
export const COUNTRY_CODES: readonly string[] = COUNTRY_SLOTS.flatMap(([c, n]) => Array<string>(n).fill(c));

/** A product's name and category, picked together (text.ts): the department decides the name's words. */
export interface ProductText {
  /** CSV field of the name */
  name: Uint8Array;
  /** CSV field of the category (the department) */
  category: Uint8Array;
  /** index into DEPTS */
  dept: number;
  /** the thing as a review says it, lower case ("hoodie", "pair", "book"): raw bytes, no comma or quote */
  noun: Uint8Array;
  /** index of the qualifier (material, feature) in the department's list, -1 for titles */
  qualifier: number;
  /** index of the entry in its department's pool: keys the product's attributes (extras.ts) */
  index: number;
  /** the noun's usual price range, USD cents [low, high] (text-vocab.ts `prices`) */
  usdCents: readonly [number, number];
}

/** A shop's name and category: a name that fits the department. */
export interface ShopText {
  name: Uint8Array;
  category: Uint8Array;
  dept: number;
}

const split = (s: string): string[] => (s.length > 0 ? s.split('|') : []);
/** a noun's price range, 'low-high' whole USD, as cents */
function band(dept: string, s: string): readonly [number, number] {
  const m = /^(\d+)-(\d+)$/.exec(s);
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  if (!m || !(lo >= 1 && hi >= lo)) throw new Error(`internal: ${dept}: price range '${s}' is not low-high`);
  return [lo * 100, hi * 100];
}

/** the departments' lists, split once */
export const DEPT_WORDS = DEPTS.map((d) => {
  const nouns = split(d.nouns);
  const prices = split(d.prices).map((s) => band(d.name, s));
  if (prices.length !== nouns.length)
    throw new Error(`internal: ${d.name}: ${prices.length} price ranges for ${nouns.length} nouns`);
  return { nouns, prices, qualifiers: split(d.qualifiers), shop: split(d.shop) };
});

/** a department index for each of 256 keyed bytes, in proportion to the departments' weights */
function deptTable(): Uint8Array {
  const weights = DEPTS.map((d) => d.weight);
  return byteTable(
    weights,
    weights.reduce((a, w) => a + w, 0),
  );
}

/** how a review names a product: plural nouns become "pair" (things worn or held in pairs) or "set" */
function reviewNoun(dept: number, noun: string): string {
  const d = DEPTS[dept];
  if (d?.thing) return d.thing;
  // lower case except acronyms (USB-C, SSD, RC)
  const lower = noun
    .split(' ')
    .map((w) => (/[A-Z]{2}/.test(w) ? w : w.toLowerCase()))
    .join(' ');
  if (!/[^s]s$/.test(noun)) return lower;
  if (d?.sizing !== 'none' || /Gloves|Glasses|Earrings|Shears|Poles|Headphones|Earbuds|Boots/.test(noun))
    return 'pair';
  return d?.name === 'Grocery' ? 'bag' : 'set';
}

/** distinct product names per department: a shop with up to this many products names each differently */
export const PRODUCT_NAMES = 256;

function productTexts(seed: number, dept: number, size: number): ProductText[] {
  const d = DEPTS[dept];
  const words = DEPT_WORDS[dept];
  if (!d || !words) throw new Error(`internal: no department ${dept}`);
  const f = fakerFor(seed, `product:${d.name}`);
  const category = csvField(d.name);
  const out: ProductText[] = [];
  // distinct names: a shop's products take distinct entries (text.ts), so no shop sells two of one name
  const seen = new Set<string>();
  for (let tries = 0; out.length < size && tries < size * 100; tries++) {
    const noun = f.helpers.arrayElement(words.nouns);
    let name: string;
    let qualifier = -1;
    if (d.titles) {
      const a = f.helpers.arrayElement(TITLE_ADJECTIVES);
      const n = f.helpers.arrayElement(TITLE_NOUNS);
      const title = f.helpers.arrayElement([
        `The ${a} ${n}`,
        `${a} ${n}`,
        `The ${n} of ${f.person.lastName()}`,
        `${f.person.firstName()} and the ${a} ${n}`,
      ]);
      name = `${title} ${noun}`;
    } else {
      qualifier = f.number.int(words.qualifiers.length - 1);
      const q = words.qualifiers[qualifier];
      const r = f.number.int(99);
      const lead =
        r < 35 ? `${f.helpers.arrayElement(PRODUCT_ADJECTIVES)} ` : r < 75 ? `${f.person.lastName()} ` : '';
      name = `${lead}${q} ${noun}`;
    }
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({
      name: csvField(name),
      category,
      dept,
      noun: Buffer.from(reviewNoun(dept, noun)),
      qualifier,
      index: out.length,
      usdCents: at(words.prices, words.nouns.indexOf(noun)),
    });
  }
  if (out.length < size) throw new Error(`internal: ${d.name} has fewer than ${size} product names`);
  return out;
}

const SHOP_ADJECTIVES = [
  'Little',
  'Corner',
  'Urban',
  'Green',
  'Golden',
  'Happy',
  'Old Town',
  'Northern',
  'Blue',
];

function shopTexts(seed: number, dept: number, size: number): ShopText[] {
  const d = DEPTS[dept];
  const words = DEPT_WORDS[dept];
  if (!d || !words) throw new Error(`internal: no department ${dept}`);
  const f = fakerFor(seed, `shop:${d.name}`);
  const category = csvField(d.name);
  const out: ShopText[] = [];
  for (let i = 0; i < size; i++) {
    const word = f.helpers.arrayElement(words.shop);
    const r = f.number.int(99);
    const name =
      r < 40
        ? `${f.person.lastName()}'s ${word}`
        : r < 55
          ? `${f.person.lastName()} & ${f.person.lastName()} ${word}`
          : r < 75
            ? `The ${f.helpers.arrayElement(SHOP_ADJECTIVES)} ${word}`
            : r < 90
              ? `${f.location.city()} ${word}`
              : `${f.company.name()}`;
    out.push({ name: csvField(name), category, dept });
  }
  return out;
}

export interface Pools {
  firstNames: string[];
  lastNames: string[];
  /** CSV-encoded "First Last" pairs are composed at write time from these */
  firstNameSlugs: Uint8Array[];
  lastNameSlugs: Uint8Array[];
  /** first letter of each first-name slug (usernames like j_doe) */
  firstInitials: Uint8Array[];
  lastInitials: Uint8Array[];
  firstNamesCsv: Uint8Array[];
  lastNamesCsv: Uint8Array[];
  emailDomains: Uint8Array[];
  countryCodes: Uint8Array[];
  /** department index by a keyed byte, weighted (text.ts) */
  deptByByte: Uint8Array;
  /** per department: shop names */
  shopTexts: ShopText[][];
  streets: Uint8Array[];
  cities: Uint8Array[];
  postalCodes: Uint8Array[];
  /** per department: product names (with their category) */
  productTexts: ProductText[][];
  promotionNames: Uint8Array[];
}

const cache = new Map<number, Pools>();

/** The pools for a seed (cached per process: they are a pure function of the seed). */
export function poolsFor(seed: number): Pools {
  const hit = cache.get(seed);
  if (hit) return hit;
  const firstNames = pool(seed, 'first', 600, (f) => f.person.firstName());
  const lastNames = pool(seed, 'last', 600, (f) => f.person.lastName());
  const p: Pools = {
    firstNames,
    lastNames,
    firstNameSlugs: firstNames.map((s) => Buffer.from(slug(s))),
    lastNameSlugs: lastNames.map((s) => Buffer.from(slug(s))),
    firstInitials: firstNames.map((s) => Buffer.from(slug(s).slice(0, 1))),
    lastInitials: lastNames.map((s) => Buffer.from(slug(s).slice(0, 1))),
    firstNamesCsv: enc(firstNames),
    lastNamesCsv: enc(lastNames),
    emailDomains: pool(seed, 'domain', 40, (f) => f.internet.domainName().toLowerCase()).map((s) =>
      Buffer.from(s.replace(/[^a-z0-9.-]/g, '')),
    ),
    countryCodes: enc([...COUNTRY_CODES]),
    deptByByte: deptTable(),
    shopTexts: DEPTS.map((_, k) => shopTexts(seed, k, 60)),
    streets: enc(pool(seed, 'street', 1000, (f) => f.location.streetAddress())),
    cities: enc(pool(seed, 'city', 400, (f) => f.location.city())),
    postalCodes: enc(pool(seed, 'zip', 400, (f) => f.location.zipCode('#####'))),
    productTexts: DEPTS.map((_, k) => productTexts(seed, k, PRODUCT_NAMES)),
    promotionNames: enc(
      pool(
        seed,
        'promo',
        200,
        (f) =>
          `${f.commerce.productAdjective()} ${f.helpers.arrayElement(['Sale', 'Deal', 'Days', 'Weekend', 'Flash Sale', 'Doorbuster'])}`,
      ),
    ),
  };
  cache.set(seed, p);
  return p;
}
