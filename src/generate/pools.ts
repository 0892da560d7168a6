/**
 * Pools of faker values, made once per seed and then picked from with keyed randomness.
 * faker called per field runs at ~40k rows/s (measured); picking from pools keeps its realism at
 * generator speed. Each pool gets its own seedrandom stream (seed + pool name), plugged into faker
 * through its Randomizer seam, so adding a pool never changes another. faker is pinned to an exact
 * version in package.json: its output for a seed changes between releases.
 */
import { en, Faker, type Randomizer } from '@faker-js/faker';
import seedrandom from 'seedrandom';
import { csvField } from './csv-writer.js';

function randomizerFor(seed: number, pool: string): Randomizer {
  let rng = seedrandom.alea(`${seed}:${pool}`);
  return {
    next: () => rng(),
    seed: (s: number | number[]) => {
      rng = seedrandom.alea(`${seed}:${pool}:${Array.isArray(s) ? s.join(',') : s}`);
    },
  };
}

function pool(seed: number, name: string, size: number, make: (f: Faker) => string): string[] {
  const f = new Faker({ locale: [en], randomizer: randomizerFor(seed, name) });
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

export interface Pools {
  firstNames: string[];
  lastNames: string[];
  /** CSV-encoded "First Last" pairs are composed at write time from these */
  firstNameSlugs: Uint8Array[];
  lastNameSlugs: Uint8Array[];
  firstNamesCsv: Uint8Array[];
  lastNamesCsv: Uint8Array[];
  emailDomains: Uint8Array[];
  countryCodes: Uint8Array[];
  shopNames: Uint8Array[];
  categories: Uint8Array[];
  streets: Uint8Array[];
  cities: Uint8Array[];
  postalCodes: Uint8Array[];
  productNames: Uint8Array[];
  promotionNames: Uint8Array[];
  reviewTitles: Uint8Array[];
  providers: Uint8Array[];
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
    firstNamesCsv: enc(firstNames),
    lastNamesCsv: enc(lastNames),
    emailDomains: pool(seed, 'domain', 40, (f) => f.internet.domainName().toLowerCase()).map((s) =>
      Buffer.from(s.replace(/[^a-z0-9.-]/g, '')),
    ),
    countryCodes: enc([
      'US',
      'US',
      'US',
      'US',
      'CA',
      'GB',
      'DE',
      'FR',
      'NL',
      'AU',
      'JP',
      'MX',
      'BR',
      'ES',
      'IT',
      'SE',
    ]),
    shopNames: enc(pool(seed, 'shop', 800, (f) => f.company.name())),
    categories: enc(pool(seed, 'category', 60, (f) => f.commerce.department())),
    streets: enc(pool(seed, 'street', 1000, (f) => f.location.streetAddress())),
    cities: enc(pool(seed, 'city', 400, (f) => f.location.city())),
    postalCodes: enc(pool(seed, 'zip', 400, (f) => f.location.zipCode('#####'))),
    productNames: enc(pool(seed, 'product', 2000, (f) => f.commerce.productName())),
    promotionNames: enc(
      pool(
        seed,
        'promo',
        200,
        (f) =>
          `${f.commerce.productAdjective()} ${f.helpers.arrayElement(['Sale', 'Deal', 'Days', 'Weekend', 'Flash Sale', 'Doorbuster'])}`,
      ),
    ),
    reviewTitles: enc(pool(seed, 'review', 500, (f) => f.lorem.sentence({ min: 2, max: 7 }))),
    providers: enc(['visa', 'mastercard', 'amex', 'discover', 'paypal', 'apple_pay', 'google_pay']),
  };
  cache.set(seed, p);
  return p;
}
