/**
 * Keyed randomness: every random value is a pure function of (seed, kind, hi, lo, field), never of
 * "what a shared generator produced before" (STYLE.md, snaplet/copycat). Adding a column or generating
 * hours in another order changes nothing else.
 *
 * - `rand(...)`: 32-bit value from a murmur3-style mix of the key words.
 * - `uuidWords(...)`: 128 bits from an invertible ARX permutation (ChaCha quarter rounds) of the key,
 *   so two different keys can never give the same id (copycat's short-hash ids collided at 168k rows).
 */

/** Entity kinds: key namespaces for ids and randomness. Never renumber: it changes every output. */
export const K = {
  user: 1,
  shop: 2,
  product: 3,
  order: 4,
  item: 5,
  payment: 6,
  invoice: 7,
  invoicePayment: 8,
  paymentMethod: 9,
  promotion: 10,
  review: 11,
  inventoryLog: 12,
  request: 13,
  event: 14,
  userMetricHour: 15,
  userMetricDay: 16,
  shopMetricHour: 17,
  shopMetricDay: 18,
  productMetricHour: 19,
  productMetricDay: 20,
  plan: 21,
  shopOwner: 22,
  // issue 8 (credible data): one namespace per new concern
  /** lifecycle changes of users, shops, products, payment methods (lifecycle.ts) */
  lifecycle: 23,
  /** price changes (prices.ts) */
  price: 24,
  /** refunds and returns: ids of refund payment rows and their keyed draws (refunds.ts) */
  refund: 25,
  /** browsing sessions and their requests (sessions.ts) */
  session: 26,
  /** stock: initial stock, restocks (stock.ts) */
  stock: 27,
  /** readable text (text.ts) and extra_data (extras.ts) */
  text: 28,
  /** global_event rows of state changes (registry.ts) */
  change: 29,
  /** where in its hour each order falls (hour-times.ts) */
  orderTime: 30,
} as const;

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A row's key state: mix once per row, then draw fields from it cheaply with `field`. */
export function rowKey(seed: number, kind: number, hi: number, lo: number): number {
  return rowKeyAt(rowKeyBase(seed, kind, hi), lo);
}

/**
 * rowKey's state before its last word, for the keys of many rows of one (seed, kind, hi):
 * rowKeyAt(rowKeyBase(seed, kind, hi), lo) === rowKey(seed, kind, hi, lo), two mixes fewer per row.
 */
export function rowKeyBase(seed: number, kind: number, hi: number): number {
  return mix(mix(seed | 0, kind), hi | 0);
}

/** rowKey from rowKeyBase's state and the last word. */
export function rowKeyAt(base: number, lo: number): number {
  return mix(base, lo | 0);
}

/** uint32 for field `f` of a row key. */
export function field(key: number, f: number): number {
  return fmix(mix(key, f));
}

/** uniform [0, 1) for field `f` of a row key. */
export function unit(key: number, f: number): number {
  return fmix(mix(key, f)) / 4294967296;
}

/** uniform integer in [0, n) for field `f`. */
export function below(key: number, f: number, n: number): number {
  return Math.floor(unit(key, f) * n);
}

/** uniform integer in [min, max] for field `f`. */
export function between(key: number, f: number, min: number, max: number): number {
  return min + Math.floor(unit(key, f) * (max - min + 1));
}

/** Standard normal from two keyed uniforms (Box-Muller). */
export function normal(key: number, f: number): number {
  const u1 = (field(key, f) + 1) / 4294967297;
  const u2 = unit(key, f + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** zipf's memo: [n, (n + 1)^(1 - s) - 1] pairs and their s, direct-mapped by n */
const ZIPF_SLOTS = 64;
const zipfN = new Float64Array(ZIPF_SLOTS * 2).fill(Number.NaN);
const zipfS = new Float64Array(ZIPF_SLOTS).fill(Number.NaN);

/**
 * Zipf-like rank in [0, n) with exponent s (0 = uniform), by inverting the continuous power law on [1, n+1):
 * O(1), no tables, close enough to discrete Zipf for popularity skews.
 */
export function zipf(u: number, n: number, s: number): number {
  if (n <= 1) return 0;
  let x: number;
  if (s === 0) return Math.floor(u * n);
  if (Math.abs(s - 1) < 1e-9) x = (n + 1) ** u;
  else {
    // (n + 1)^(1 - s) - 1 kept per (n, s): the shop draws of an hour all have the same n (one pow of two)
    const c = (n & (ZIPF_SLOTS - 1)) * 2;
    if (zipfN[c] !== n || zipfS[c >> 1] !== s) {
      const e = 1 - s;
      zipfN[c] = n;
      zipfN[c + 1] = (n + 1) ** e - 1;
      zipfS[c >> 1] = s;
    }
    x = (zipfN[c + 1]! * u + 1) ** (1 / (1 - s));
  }
  const r = Math.floor(x) - 1;
  return r < 0 ? 0 : r >= n ? n - 1 : r;
}

/**
 * x's image under a keyed bijection of [0, n) (1 <= n <= 2^31): cycle walking over an xor-multiply-xorshift bijection
 * of the next power of two, so distinct x below n give distinct results below n.
 */
export function permuteBelow(key: number, x: number, n: number): number {
  if (n <= 1) return 0;
  const bits = Math.max(1, 32 - Math.clz32(n - 1));
  const mask = bits >= 31 ? 0x7fffffff : (1 << bits) - 1;
  const half = (bits + 1) >> 1;
  let y = x;
  do {
    y = (y ^ key) & mask;
    y = Math.imul(y, 0x9e3779b1) & mask;
    y ^= y >>> half;
    y = Math.imul(y, (key >>> 7) | 1) & mask;
    y ^= y >>> half;
    // more of the key: an added offset (a bijection too), mixed once more
    y = (y + (key >>> 17)) & mask;
    y = Math.imul(y, 0x85ebca6b) & mask;
    y ^= y >>> half;
  } while (y >= n);
  return y;
}

/** Seed-derived keys for the uuid permutation. */
export function uuidKeys(seed: number): Uint32Array {
  const k = new Uint32Array(4);
  for (let i = 0; i < 4; i++) k[i] = field(rowKey(seed, 0x7fffffff, i, 0x55aa), 7);
  return k;
}

/**
 * 128-bit id words for (kind, hi, lo): an invertible permutation of the 128-bit input, so distinct keys give
 * distinct ids; then the RFC 4122 version-4 and variant bits are set (a collision would need the other 122 bits
 * of two permutation outputs to agree).
 */
export function uuidWords(keys: Uint32Array, kind: number, hi: number, lo: number, out: Uint32Array): void {
  let a = (kind ^ keys[0]!) | 0;
  let b = (hi ^ keys[1]!) | 0;
  let c = (lo ^ keys[2]!) | 0;
  let d = keys[3]! | 0;
  for (let r = 0; r < 6; r++) {
    a = (a + b) | 0;
    d ^= a;
    d = (d << 16) | (d >>> 16);
    c = (c + d) | 0;
    b ^= c;
    b = (b << 12) | (b >>> 20);
    a = (a + b) | 0;
    d ^= a;
    d = (d << 8) | (d >>> 24);
    c = (c + d) | 0;
    b ^= c;
    b = (b << 7) | (b >>> 25);
    // rotate the lanes so every word feeds every other across rounds (still a bijection)
    const t = a;
    a = b ^ keys[r & 3]!;
    b = c;
    c = d;
    d = t;
  }
  out[0] = a >>> 0;
  out[1] = ((b & 0xffff0fff) | 0x00004000) >>> 0;
  out[2] = ((c & 0x3fffffff) | 0x80000000) >>> 0;
  out[3] = d >>> 0;
}
