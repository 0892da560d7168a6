/**
 * The metric aggregates' storage: typed-array hash maps measured to keep the metric tables off the garbage
 * collector. A measured hot path: its index reads keep their non-null assertions (the arrays are sized by
 * construction), so the aggregation and the row writers read through get/add/keyAt instead.
 */

/** How addAll merges a column: summed (the default), or the least / the greatest of the two. */
export const MERGE_SUM = 0;
export const MERGE_MIN = 1;
export const MERGE_MAX = 2;

/**
 * Integer key -> row of `width` float slots, open addressing over one Float64Array: a Map of a Float64Array
 * per user and per product made the metric tables GC-bound (tens of thousands of small arrays per hour).
 * Row offsets stay valid across inserts, `vals` does not (it grows): read it after `slot()`.
 * A new row starts as `init` (zeros without it: +Infinity for a running minimum, -Infinity for a maximum).
 */
export class SlotMap {
  readonly width: number;
  size = 0;
  keys: Float64Array;
  vals: Float64Array;
  /** row index + 1 by hash bucket, 0 = empty */
  private table: Int32Array;
  private readonly init: Float64Array | null;
  /** per column, MERGE_SUM / MERGE_MIN / MERGE_MAX; null: every column summed */
  private readonly merge: Uint8Array | null;

  /** `capacity`: rows expected (the day's map is sized from its hours: no regrowth while merging) */
  constructor(
    width: number,
    capacity = 64,
    init: Float64Array | null = null,
    merge: Uint8Array | null = null,
  ) {
    let cap = 64;
    while (cap < capacity) cap *= 2;
    this.width = width;
    // all zeros is what a new row holds already (typed arrays start zeroed): no copy per row
    this.init = init?.some((x) => x !== 0) ? init : null;
    this.merge = merge;
    this.keys = new Float64Array(cap);
    this.vals = new Float64Array(cap * width);
    this.table = new Int32Array(cap * 2);
  }

  /** empties the map, keeping its arrays at their size (an hour's aggregates reuse the previous hour's maps) */
  clear(): void {
    // rows past `size` were never written: still zero
    this.vals.fill(0, 0, this.size * this.width);
    this.table.fill(0);
    this.size = 0;
  }

  private bucket(k: number): number {
    return Math.imul(k | 0, 0x9e3779b1) >>> 0;
  }

  /** offset in `vals` of key k's row, -1 when absent */
  find(k: number): number {
    const mask = this.table.length - 1;
    for (let b = this.bucket(k) & mask; ; b = (b + 1) & mask) {
      const r = this.table[b]!;
      if (r === 0) return -1;
      if (this.keys[r - 1] === k) return (r - 1) * this.width;
    }
  }

  /** offset in `vals` of key k's row, created (zeroed) when absent */
  slot(k: number): number {
    const table = this.table;
    const mask = table.length - 1;
    let b = this.bucket(k) & mask;
    for (; ; b = (b + 1) & mask) {
      const r = table[b]!;
      if (r === 0) break;
      if (this.keys[r - 1] === k) return (r - 1) * this.width;
    }
    const i = this.size++;
    if (i === this.keys.length) {
      const keys = new Float64Array(i * 2);
      keys.set(this.keys);
      this.keys = keys;
      const vals = new Float64Array(i * 2 * this.width);
      vals.set(this.vals);
      this.vals = vals;
    }
    this.keys[i] = k;
    const init = this.init;
    if (init !== null) {
      // a loop, not vals.set(init, o): TypedArray#set costs more than the few slots it copies
      const vals = this.vals;
      const o = i * this.width;
      for (let c = 0; c < init.length; c++) vals[o + c] = init[c]!;
    }
    table[b] = i + 1;
    if (this.size * 2 > table.length) this.rehash();
    return i * this.width;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let i = 0; i < this.size; i++) {
      let b = this.bucket(this.keys[i]!) & mask;
      while (table[b] !== 0) b = (b + 1) & mask;
      table[b] = i + 1;
    }
    this.table = table;
  }

  /** the keys, ascending */
  sortedKeys(): Float64Array {
    return this.keys.slice(0, this.size).sort();
  }

  /** key of row i (i < size) */
  keyAt(i: number): number {
    return this.keys[i]!;
  }

  /** the value at offset o of `vals` (a row offset from slot()/find() plus a column slot) */
  get(o: number): number {
    return this.vals[o]!;
  }

  set(o: number, x: number): void {
    this.vals[o] = x;
  }

  add(o: number, x: number): void {
    this.vals[o]! += x;
  }

  /** keeps the least of the value at offset o and x */
  min(o: number, x: number): void {
    if (x < this.vals[o]!) this.vals[o] = x;
  }

  /** keeps the greatest of the value at offset o and x */
  max(o: number, x: number): void {
    if (x > this.vals[o]!) this.vals[o] = x;
  }

  /** merges every row of `other` (same width and merge rules) into this map's rows of the same keys */
  addAll(other: SlotMap): void {
    const n = other.width;
    const ov = other.vals;
    const merge = this.merge;
    for (let i = 0; i < other.size; i++) {
      const d = this.slot(other.keys[i]!);
      const dv = this.vals;
      const o = i * n;
      if (merge === null) {
        for (let k = 0; k < n; k++) dv[d + k]! += ov[o + k]!;
        continue;
      }
      for (let k = 0; k < n; k++) {
        const x = ov[o + k]!;
        const m = merge[k]!;
        if (m === MERGE_SUM) dv[d + k]! += x;
        else if (m === MERGE_MIN ? x < dv[d + k]! : x > dv[d + k]!) dv[d + k] = x;
      }
    }
  }
}

/**
 * A set of (a, b) integer pairs, open addressing: the distinct (shop, customer) and (shop, product) pairs of an
 * hour or day (a Set per shop made the daily union GC-bound).
 */
export class PairSet {
  size = 0;
  a: Int32Array;
  b: Int32Array;
  /** pair index + 1 by hash bucket, 0 = empty */
  private table: Int32Array;

  constructor(capacity = 64) {
    let cap = 64;
    while (cap < capacity) cap *= 2;
    this.a = new Int32Array(cap);
    this.b = new Int32Array(cap);
    this.table = new Int32Array(cap * 2);
  }

  /** empties the set, keeping its arrays */
  clear(): void {
    this.table.fill(0);
    this.size = 0;
  }

  private static hash(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> 0;
  }

  /** add (a, b): true when it was not there yet */
  add(a: number, b: number): boolean {
    const table = this.table;
    const mask = table.length - 1;
    let h = PairSet.hash(a, b) & mask;
    for (; ; h = (h + 1) & mask) {
      const r = table[h]!;
      if (r === 0) break;
      if (this.a[r - 1] === a && this.b[r - 1] === b) return false;
    }
    const i = this.size++;
    if (i === this.a.length) {
      const na = new Int32Array(i * 2);
      na.set(this.a);
      this.a = na;
      const nb = new Int32Array(i * 2);
      nb.set(this.b);
      this.b = nb;
    }
    this.a[i] = a;
    this.b[i] = b;
    table[h] = i + 1;
    if (this.size * 2 > table.length) {
      const t = new Int32Array(table.length * 2);
      const m = t.length - 1;
      for (let k = 0; k < this.size; k++) {
        let g = PairSet.hash(this.a[k]!, this.b[k]!) & m;
        while (t[g] !== 0) g = (g + 1) & m;
        t[g] = k + 1;
      }
      this.table = t;
    }
    return true;
  }

  /** adds every pair of `other` */
  addAll(other: PairSet): void {
    for (let i = 0; i < other.size; i++) this.add(other.a[i]!, other.b[i]!);
  }

  /** first element of pair i (i < size) */
  firstAt(i: number): number {
    return this.a[i]!;
  }
}

/**
 * A set of (a, b) pairs of integers in [0, 2^31 - 1) that only answers "was it there": the pairs sit in the hash
 * table's own slots (no insertion-order arrays, no index table), 8 bytes a slot at a load of at most 3/4: the
 * stock pass's window-long set of (shop, buyer) pairs (stock.ts; 1.33M pairs at --scale 5 over 168 h: 16 MB,
 * where a PairSet took 32, and 24 MB instead of 48 while it doubles; issue 9 §2).
 */
export class PairPresence {
  size = 0;
  /** a + 1 per slot, 0 = empty */
  private a: Int32Array;
  private b: Int32Array;

  constructor(capacity = 1024) {
    let cap = 64;
    while (cap * 3 < capacity * 4) cap *= 2;
    this.a = new Int32Array(cap);
    this.b = new Int32Array(cap);
  }

  /** add (a, b): true when it was not there yet */
  add(a: number, b: number): boolean {
    const mask = this.a.length - 1;
    const a1 = a + 1;
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & mask;
    for (; ; h = (h + 1) & mask) {
      const x = this.a[h]!;
      if (x === 0) break;
      if (x === a1 && this.b[h] === b) return false;
    }
    this.a[h] = a1;
    this.b[h] = b;
    if (++this.size * 4 > this.a.length * 3) this.grow();
    return true;
  }

  /** twice the slots, every pair placed again */
  private grow(): void {
    const oa = this.a;
    const ob = this.b;
    this.a = new Int32Array(oa.length * 2);
    this.b = new Int32Array(oa.length * 2);
    const mask = this.a.length - 1;
    for (let k = 0; k < oa.length; k++) {
      const a1 = oa[k]!;
      if (a1 === 0) continue;
      const b = ob[k]!;
      let h = (Math.imul(a1 - 1, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & mask;
      while (this.a[h] !== 0) h = (h + 1) & mask;
      this.a[h] = a1;
      this.b[h] = b;
    }
  }
}

/**
 * A SlotMap frozen once complete (issue 9 §2, flat memory): the rows in ascending key order, each with only the
 * slots that differ from a new row's value (`init`), in byte blocks read front to back (a RowReader). Per row: the
 * key's increase over the previous key, a bit per slot kept, then each kept slot: an integer as a zigzag varint (a
 * count or an amount in minor units: one or two bytes for most), anything else (-0, NaN, a fraction, an infinity,
 * beyond 2^51) as a marker byte and its 8 bytes. Most slots of a metric row are 0 (a product viewed once has one
 * value of twelve) and the kept ones are small integers: ~7 bytes per row where typed arrays of keys, masks,
 * offsets and doubles took ~38 (at --scale 5 the 26 cached hours and two days were 132 MB of a 440 MB peak;
 * measured figures in README's memory section). The blocks are the builder's own (FrozenBuilder): a row never
 * spans two.
 */
export class FrozenRows {
  readonly size: number;
  readonly width: number;
  private readonly blocks: readonly Uint8Array[];
  private readonly init: Float64Array;

  constructor(width: number, init: Float64Array, size: number, blocks: readonly Uint8Array[]) {
    if (width > 32) throw new Error(`internal: ${width} slots do not fit a 32-bit mask`);
    this.size = size;
    this.width = width;
    this.init = init;
    this.blocks = blocks;
  }

  /** a reader at the first row */
  reader(): RowReader {
    return new RowReader(this.blocks, this.size, this.init);
  }

  /** bytes held */
  get bytes(): number {
    let n = 0;
    for (const b of this.blocks) n += b.byteLength;
    return n;
  }
}

/** 8 bytes of a double that is not a small integer, through one scratch buffer */
const RAW = new Float64Array(1);
const RAW_BYTES = new Uint8Array(RAW.buffer);
/** the varint of a value stored raw: its 8 bytes follow (integers are stored as 4x or 4|x|-2: never 1) */
const RAW_MARK = 1;
/** integers up to this magnitude are varints (4x stays below 2^53) */
const INT_LIMIT = 2 ** 50;

/** A FrozenRows read row by row in key order: `key` is the current row's, `take` reads it and moves on. */
export class RowReader {
  /** rows not taken yet, the current one included */
  left: number;
  /** key of the current row (when left > 0) */
  key = 0;
  /** the block being read, blocks[block] */
  private data: Uint8Array;
  private block = 0;
  private pos = 0;
  private mask = 0;

  constructor(
    private readonly blocks: readonly Uint8Array[],
    size: number,
    private readonly init: Float64Array,
  ) {
    this.data = blocks[0] ?? new Uint8Array(0);
    this.left = size;
    if (size > 0) this.head();
  }

  private varint(): number {
    const d = this.data;
    let b = d[this.pos++]!;
    if (b < 128) return b;
    let v = b & 127;
    let mul = 128;
    do {
      b = d[this.pos++]!;
      v += (b & 127) * mul;
      mul *= 128;
    } while (b >= 128);
    return v;
  }

  /** the current row's key and mask (a row never spans two blocks: at a block's end the next one starts) */
  private head(): void {
    if (this.pos === this.data.length) {
      this.data = this.blocks[++this.block]!;
      this.pos = 0;
    }
    const z = this.varint();
    this.key = (this.key + (z % 2 === 0 ? z / 2 : -(z + 1) / 2)) | 0;
    this.mask = this.varint();
  }

  /** the current row's slots into `out` (width of them), then the next row */
  take(out: Float64Array): void {
    out.set(this.init);
    let m = this.mask;
    while (m !== 0) {
      const v = this.varint();
      let x: number;
      if (v === RAW_MARK) {
        const d = this.data;
        for (let k = 0; k < 8; k++) RAW_BYTES[k] = d[this.pos++]!;
        x = RAW[0]!;
      } else x = v % 4 === 0 ? v / 4 : -(v + 2) / 4;
      out[31 - Math.clz32(m & -m)] = x;
      m &= m - 1;
    }
    if (--this.left > 0) this.head();
  }
}

/** bytes of a FrozenBuilder's blocks: one size, so a block freed is what the next builder takes (no doubling) */
const BLOCK = 64 * 1024;

/**
 * Collects dense rows in ascending key order into a FrozenRows: written into blocks of BLOCK bytes (a row never
 * spans two), which the FrozenRows keeps as they are; only the last one is copied, cut to its length. A buffer
 * doubled as it filled left garbage of every size behind each freeze (at --scale 5 an hour's product rows are up
 * to ~1.9 MB, a day's 3.7 MB), and one exactly sized copy of the whole was an allocation of a new size per freeze,
 * long-lived, placed wherever the allocator had room (at the top of its heap after a day's walk, where it kept
 * the freed memory below from being given back): same-sized blocks are what the allocator reuses best (issue 9
 * §2, round 7).
 */
class FrozenBuilder {
  private n = 0;
  private pos = 0;
  private lastKey = 0;
  private data = new Uint8Array(BLOCK);
  /** the full blocks before `data`, each with its bytes written */
  private readonly full: Uint8Array[] = [];

  constructor(
    private readonly width: number,
    private readonly init: Float64Array,
  ) {}

  private varint(v: number): void {
    const d = this.data;
    let o = this.pos;
    if (v < 2 ** 32) {
      let u = v >>> 0;
      while (u >= 128) {
        d[o++] = (u & 127) | 128;
        u >>>= 7;
      }
      d[o++] = u;
    } else {
      let u = v;
      while (u >= 128) {
        d[o++] = (u % 128) | 128;
        u = Math.floor(u / 128);
      }
      d[o++] = u;
    }
    this.pos = o;
  }

  /** the row in row[at] .. row[at + width - 1] */
  push(key: number, row: Float64Array, at = 0): void {
    // a row takes at most 5 + 5 + 9 per slot bytes
    const most = 10 + 9 * this.width;
    if (this.pos + most > this.data.length) {
      this.full.push(this.data.subarray(0, this.pos));
      this.data = new Uint8Array(Math.max(BLOCK, most));
      this.pos = 0;
    }
    const k = key | 0;
    const step = k - this.lastKey;
    this.varint(step >= 0 ? step * 2 : -step * 2 - 1);
    this.lastKey = k;
    let m = 0;
    for (let s = 0; s < this.width; s++) {
      // Object.is: a -0 or a NaN differs from its init and is kept as it is
      if (!Object.is(row[at + s]!, this.init[s]!)) m |= 1 << s;
    }
    this.varint(m >>> 0);
    for (let s = 0; s < this.width; s++) {
      if ((m & (1 << s)) === 0) continue;
      const x = row[at + s]!;
      if (Number.isInteger(x) && Math.abs(x) <= INT_LIMIT && !Object.is(x, -0)) {
        this.varint(x >= 0 ? x * 4 : -x * 4 - 2);
      } else {
        this.data[this.pos++] = RAW_MARK;
        RAW[0] = x;
        this.data.set(RAW_BYTES, this.pos);
        this.pos += 8;
      }
    }
    this.n++;
  }

  done(): FrozenRows {
    // the last block cut to its length (a copy below BLOCK bytes); the full ones kept as they are
    const blocks =
      this.pos === 0 && this.full.length > 0 ? this.full : [...this.full, this.data.slice(0, this.pos)];
    return new FrozenRows(this.width, this.init, this.n, blocks);
  }
}

/** `map`'s rows frozen (its new-row values: `init`, zeros when null). */
export function freeze(map: SlotMap, init: Float64Array | null): FrozenRows {
  const w = map.width;
  const b = new FrozenBuilder(w, init ?? new Float64Array(w));
  const order = rowsByKey(map);
  // each row read where it is in the map (no copy per row)
  for (let j = 0; j < order.length; j++) {
    const i = order[j]!;
    b.push(map.keyAt(i), map.vals, i * w);
  }
  return b.done();
}

/**
 * The row indexes of `map`, ascending by key: (key, row) packed into one double and sorted natively, so no hash
 * probe per key (measured ~10% off freezing 24 maps of 20k rows). Keys that cannot be packed (negative,
 * fractional, too large) take the probing way.
 */
function rowsByKey(map: SlotMap): Int32Array {
  const n = map.size;
  let shift = 1;
  while (shift < n) shift *= 2;
  let maxKey = 0;
  let packable = true;
  for (let i = 0; i < n; i++) {
    const k = map.keyAt(i);
    if (k < 0 || !Number.isInteger(k)) packable = false;
    else if (k > maxKey) maxKey = k;
  }
  const order = new Int32Array(n);
  if (!packable || (maxKey + 1) * shift > Number.MAX_SAFE_INTEGER) {
    const keys = map.sortedKeys();
    for (let j = 0; j < n; j++) order[j] = map.find(keys[j]!) / map.width;
    return order;
  }
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = map.keyAt(i) * shift + i;
  packed.sort();
  for (let j = 0; j < n; j++) {
    const x = packed[j]!;
    order[j] = x - Math.floor(x / shift) * shift;
  }
  return order;
}

/**
 * The rows of `parts` merged by key (what SlotMap.addAll of each part in turn into an empty map gives: sums in
 * the parts' order, least / greatest by `merge`), frozen. `fix` may change each merged row before it is kept.
 */
export function mergeFrozen(
  parts: readonly FrozenRows[],
  width: number,
  init: Float64Array,
  merge: Uint8Array,
  fix?: (key: number, row: Float64Array) => void,
): FrozenRows {
  const b = new FrozenBuilder(width, init);
  const readers = parts.map((f) => f.reader());
  const row = new Float64Array(width);
  const part = new Float64Array(width);
  for (;;) {
    let key = Number.POSITIVE_INFINITY;
    for (const r of readers) if (r.left > 0) key = Math.min(key, r.key);
    if (key === Number.POSITIVE_INFINITY) break;
    row.set(init);
    for (const r of readers) {
      if (r.left === 0 || r.key !== key) continue;
      r.take(part);
      for (let k = 0; k < width; k++) {
        const x = part[k]!;
        const m = merge[k]!;
        if (m === MERGE_SUM) row[k]! += x;
        else if (m === MERGE_MIN ? x < row[k]! : x > row[k]!) row[k] = x;
      }
    }
    fix?.(key, row);
    b.push(key, row);
  }
  return b.done();
}
